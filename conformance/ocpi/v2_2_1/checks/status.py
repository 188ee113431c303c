"""Checks on the status codes a server answers with (status_codes): HTTP 400 for a body that is not JSON, and no
status code from the ranges reserved for custom modules."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from conformance.core.checks import Problem
from conformance.core.exchange import Exchange
from conformance.ocpi.expect import Expect
from conformance.ocpi.status_codes import is_custom
from conformance.ocpi.v2_2_1.checks._registrar import check, evidence_check
from conformance.ocpi.v2_2_1.checks._util import envelope, short

__all__ = ["NotJsonAnswer", "invalid_json"]

SC = "status_codes#status_codes_status_codes"


@dataclass(frozen=True)
class NotJsonAnswer:
    """The SUT's answer to a request whose body is not valid JSON."""

    answer: Exchange

    @property
    def exchange_ids(self) -> tuple[str, ...]:
        return (self.answer.id,)


@evidence_check("ocpi.status.invalid_json")
def invalid_json(evidence: NotJsonAnswer) -> Iterator[Problem]:
    x = evidence.answer
    if x.status != 400:
        body = envelope(x)
        code = body.get("status_code") if body else None
        yield Problem("A body that is not valid JSON was not answered with HTTP 400 Bad Request", "HTTP 400",
                      f"HTTP {x.status}" + (f" with status_code {short(code)}" if code is not None else ""))


def _enveloped(x: Exchange, e: Expect) -> bool:
    body = envelope(x) if x.status is not None else None
    return body is not None and isinstance(body.get("status_code"), int)


@check("ocpi.status.standard_code", tags=["response"], applies=_enveloped)
def standard_code(x: Exchange, e: Expect) -> Iterator[Problem]:
    body = envelope(x)
    code = body.get("status_code") if body else None
    if isinstance(code, int) and is_custom(code):
        yield Problem("A standard OCPI module answered with a status_code from a range reserved for custom modules",
                      "a standard code (1000, 2000-2004, 3000-3003, 4000-4003)", f"{code} (HTTP {x.status})")
