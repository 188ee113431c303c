"""The requirement inventory: every MUST-class and SHOULD-class statement of a specification file, traced to
catalogue requirements.

One TOML file per specification file, under ``<catalogue>/<protocol>-<version>/inventory/<spec file stem>.toml``.
Each ``[[statement]]`` locates one statement of the spec by the anchor of its enclosing section and a
fingerprint of the sentence (the first 8 hex digits of the SHA-1 of its cleaned, whitespace-collapsed text;
see tests/spec_statements.py) -- never by its text -- and either maps it to the catalogue requirements that
carry it (``requirements``) or says why it is no rule on a party (``not_a_party_rule``: it describes the
document, repeats a rule stated elsewhere as an example, ...). ``keyword`` is ``MUST`` for an upper-case
MUST-class key word, ``must`` for a lower-case must/shall, ``SHOULD`` for an upper-case SHOULD, SHOULD NOT,
RECOMMENDED or NOT RECOMMENDED in a sentence with no MUST-class key word. A SHOULD-class statement may instead be
``open``: a recommendation roamcert could observe but no check verifies yet (the value says what a check would
need), so the figures show it rather than hide it. tests/unit/test_requirement_inventory.py holds the inventory
against the specification text in both directions.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from conformance.core.catalogue import Catalogue
from conformance.core.protocol import protocol_version

__all__ = ["KEYWORDS", "MUST_CLASS", "InventoryFile", "Statement", "inventory_figures", "load_inventory",
           "verified_requirements"]

_FINGERPRINT = re.compile(r"^[0-9a-f]{8}$")
KEYWORDS = ("MUST", "must", "SHOULD")
MUST_CLASS = ("MUST", "must")


@dataclass(frozen=True)
class Statement:
    spec: str  # spec file stem, e.g. "mod_cdrs"
    anchor: str
    fingerprint: str
    keyword: str  # "MUST", "must" or "SHOULD"
    requirements: tuple[str, ...] = ()
    not_a_party_rule: str | None = None
    note: str | None = None
    open: str | None = None  # SHOULD-class only: observable, but no check verifies it yet (what one would need)

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.spec, self.anchor, self.fingerprint)


@dataclass(frozen=True)
class InventoryFile:
    spec: str  # spec file stem
    module: str  # the catalogue module its statements are counted under
    statements: tuple[Statement, ...]


def _statement(path: Path, spec: str, index: int, raw: Mapping[str, Any]) -> Statement:
    where = f"{path.name}: statement {index + 1}"
    unknown = set(raw) - {"anchor", "fingerprint", "keyword", "requirements", "not_a_party_rule", "note", "open"}
    if unknown:
        raise ValueError(f"{where}: unknown keys {sorted(unknown)}")
    fingerprint, keyword, anchor = raw.get("fingerprint"), raw.get("keyword"), raw.get("anchor")
    if not isinstance(fingerprint, str) or not _FINGERPRINT.match(fingerprint):
        raise ValueError(f"{where}: fingerprint must be 8 lower-case hex digits, got {fingerprint!r}")
    if keyword not in KEYWORDS:
        raise ValueError(f"{where}: keyword must be one of {KEYWORDS}, got {keyword!r}")
    if not isinstance(anchor, str) or not (anchor == spec or anchor.startswith(f"{spec}_")):
        raise ValueError(f"{where}: anchor {anchor!r} is not an anchor of {spec}")
    requirements = tuple(raw.get("requirements", ()))
    reason, still_open = raw.get("not_a_party_rule"), raw.get("open")
    if still_open is not None and keyword != "SHOULD":
        raise ValueError(f"{where} ({fingerprint}): only a SHOULD-class statement may be open; a MUST-class one "
                         "needs a requirement")
    if [bool(requirements), bool(reason), bool(still_open)].count(True) != 1:
        raise ValueError(f"{where} ({fingerprint}): give exactly one of requirements, not_a_party_rule or open")
    return Statement(spec, anchor, fingerprint, keyword, requirements, reason, raw.get("note"), still_open)


@cache
def load_inventory(protocol: str, version: str) -> dict[str, InventoryFile]:
    """Spec file stem -> its inventory, for every inventoried spec file of the protocol version."""
    folder = protocol_version(protocol, version).catalogue / "inventory"
    out: dict[str, InventoryFile] = {}
    for path in sorted(folder.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        spec = data.get("spec")
        if spec != path.stem or not isinstance(data.get("module"), str):
            raise ValueError(f"{path.name}: needs spec = {path.stem!r} and a module")
        statements = tuple(_statement(path, spec, i, raw) for i, raw in enumerate(data.get("statement", [])))
        keys = [s.key for s in statements]
        if len(set(keys)) != len(keys):
            raise ValueError(f"{path.name}: a statement (anchor, fingerprint) is listed twice")
        out[spec] = InventoryFile(spec, data["module"], statements)
    return out


def verified_requirements(catalogue: Catalogue) -> set[str]:
    """Requirement ids verified by a check that some test case evaluates."""
    return {rid for case in catalogue.test_cases.values() for check_id in case.checks
            for rid in catalogue.checks[check_id].requirements}


def _should_row() -> dict[str, int]:
    return {"statements": 0, "covered": 0, "justified": 0, "open": 0, "not_a_party_rule": 0, "uncovered": 0,
            "unknown_requirement": 0}


def _carried(statement: Statement, catalogue: Catalogue, verified: set[str]) -> str:
    """How a statement mapped to requirements is carried: covered, justified, uncovered or unknown_requirement."""
    known = [catalogue.requirements[r] for r in statement.requirements if r in catalogue.requirements]
    if len(known) < len(statement.requirements):
        return "unknown_requirement"
    if any(r.id in verified for r in known):
        return "covered"
    if all(r.unobservable for r in known):
        return "justified"
    return "uncovered"


def inventory_figures(catalogue: Catalogue, inventory: Iterable[InventoryFile] | None = None,
                      verified: set[str] | None = None) -> dict[str, dict[str, Any]]:
    """Per module: MUST-class statements inventoried, and how they are carried; SHOULD-class ones under "should".

    ``mapped``: MUST-class statements mapped to catalogue requirements, split into ``covered`` (at least one of
    their requirements is verified by a check in a test case), ``justified`` (all of them declared unobservable,
    with a reason) and ``uncovered`` (neither); ``not_a_party_rule``: statements that bind no party;
    ``unknown_requirement``: statements naming a requirement the catalogue lacks. ``uncovered`` and
    ``unknown_requirement`` are 0 when the catalogue is consistent. ``upper``/``lower``: statements with an
    upper-case key word / only a lower-case must or shall. ``should``: the SHOULD-class statements, counted the
    same way, plus ``open`` (observable recommendations no check verifies yet).
    """
    files = list(load_inventory(catalogue.protocol, catalogue.version).values() if inventory is None else inventory)
    verified = verified_requirements(catalogue) if verified is None else verified
    out: dict[str, dict[str, Any]] = {}
    for item in files:
        row = out.setdefault(item.module, {"spec_files": [], "statements": 0, "upper": 0, "lower": 0,
                                           "not_a_party_rule": 0, "mapped": 0, "covered": 0, "justified": 0,
                                           "uncovered": 0, "unknown_requirement": 0, "should": _should_row()})
        row["spec_files"].append(item.spec)
        for statement in item.statements:
            if statement.keyword == "SHOULD":
                should = row["should"]
                should["statements"] += 1
                kind = ("not_a_party_rule" if statement.not_a_party_rule else "open" if statement.open
                        else _carried(statement, catalogue, verified))
                should[kind] += 1
                continue
            row["statements"] += 1
            row["upper" if statement.keyword == "MUST" else "lower"] += 1
            if statement.not_a_party_rule:
                row["not_a_party_rule"] += 1
                continue
            kind = _carried(statement, catalogue, verified)
            if kind != "unknown_requirement":
                row["mapped"] += 1
            row[kind] += 1
    return dict(sorted(out.items()))
