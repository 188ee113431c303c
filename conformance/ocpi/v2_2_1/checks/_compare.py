"""Comparing what roamcert pushed with what a Receiver returns, the way OCPI compares values."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from conformance.core.checks import Problem
from conformance.core.exchange import Exchange
from conformance.ocpi.types import ci_equal, is_ocpi_datetime, parse_datetime
from conformance.ocpi.v2_2_1.checks._util import data_of, short

__all__ = ["CI_KEYS", "ReadBack", "data_of", "differences", "readback_problems"]

# Fields of type CiString (types#types_cistring_type): a Receiver may change their letter case.
CI_KEYS = frozenset({
    "id", "uid", "evse_uid", "evse_id", "connector_id", "country_code", "party_id", "location_id", "session_id",
    "tariff_id", "tariff_ids", "contract_id", "authorization_reference", "credit_reference_id",
    "invoice_reference_id", "group_id", "visual_number",
})


def differences(pushed: Any, got: Any, path: str = "$", *, ci: bool = False) -> Iterator[str]:
    """Where ``got`` differs from ``pushed``: missing members, other values; extra members are allowed.

    DateTimes compare as instants, numbers by value, CiString fields (and lists of them) without letter case.
    """
    if isinstance(pushed, dict):
        if not isinstance(got, dict):
            yield f"{path}: expected an object, got {short(got, 60)}"
            return
        for key, value in pushed.items():
            if key not in got:
                yield f"{path}.{key}: missing"
            else:
                yield from differences(value, got[key], f"{path}.{key}", ci=key in CI_KEYS)
    elif isinstance(pushed, list):
        if not isinstance(got, list) or len(got) != len(pushed):
            yield f"{path}: expected {len(pushed)} item(s), got {short(got, 60)}"
            return
        for index, (left, right) in enumerate(zip(pushed, got, strict=True)):
            yield from differences(left, right, f"{path}[{index}]", ci=ci)
    elif isinstance(pushed, str) and ci:
        if not ci_equal(pushed, got):
            yield f"{path}: {short(pushed, 60)} != {short(got, 60)}"
    elif isinstance(pushed, str) and is_ocpi_datetime(pushed) and isinstance(got, str):
        try:
            same = parse_datetime(pushed) == parse_datetime(got)
        except ValueError:
            same = False
        if not same:
            yield f"{path}: {pushed} != {got}"
    elif pushed != got and not (isinstance(pushed, int | float) and isinstance(got, int | float)
                                and float(pushed) == float(got)):
        yield f"{path}: {short(pushed, 60)} != {short(got, 60)}"


@dataclass(frozen=True)
class ReadBack:
    """An object roamcert pushed, and the Receiver's answer when roamcert asked for it again."""

    what: str  # how a problem names the object, e.g. "Session after the first PATCH"
    pushed: dict[str, Any]
    back: Exchange


def readback_problems(read: ReadBack) -> list[Problem]:
    """One problem when the object read back differs from what roamcert pushed."""
    diffs = list(differences(read.pushed, data_of(read.back)))
    if not diffs:
        return []
    return [Problem(f"The {read.what} read back differs from what was pushed", "the pushed values",
                    "; ".join(diffs[:8]), evidence=(read.back.id,))]
