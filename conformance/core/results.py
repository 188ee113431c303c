"""Writes the NDJSON results file (docs/results-format.md) as a run goes, one line per test case."""

from __future__ import annotations

import json
import time
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import IO, Any

from conformance.core.catalogue import Catalogue
from conformance.core.declared import VERSION_NOT_OFFERED, Declaration, Interface, platform_record
from conformance.core.findings import Outcome
from conformance.core.inventory import inventory_figures
from conformance.core.redaction import redact_value
from conformance.core.resume import case_key, write_atomically

__all__ = ["Continued", "ResultsWriter", "roamcert_version"]


def roamcert_version() -> str:
    try:
        return version("roamcert")
    except PackageNotFoundError:
        return "0+unknown"


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Continued:
    """An earlier part of the same run, which this writer continues (conformance/core/resume.py): its run line is
    kept, its test case records are kept and count in the summary, and what it saw of a SUT platform stands
    where this part never read that platform."""

    run: dict[str, Any]
    cases: list[dict[str, Any]]
    declarations: Sequence[Declaration] = ()
    duration_s: float = 0.0  # how long the earlier part took
    # case key -> place in the earlier file: a re-run test case takes the place of its earlier line
    order: dict[str, int] = field(default_factory=dict)


class ResultsWriter:
    def __init__(self, path: Path, target: dict[str, Any], catalogue: Catalogue, *,
                 selection: dict[str, list[str]] | None = None, continued: Continued | None = None) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.catalogue = catalogue
        # Every credential the run has seen (tokens A, B, C): each line written is swept for them first
        # (conformance/core/redaction.py), findings and causes included, so that no report built on it can leak one.
        self.secrets: set[str] = set()
        self._started = time.monotonic()
        self._counts: Counter[str] = Counter()
        self._requirements: dict[str, set[str]] = {}
        # party role -> (module, interface role) -> outcomes of the test cases run for it
        self._tested: dict[str, dict[Interface, Counter[str]]] = {}
        self._continued = continued
        self._run_id: object = None
        if continued is None:
            self._file: IO[str] = path.open("w", encoding="utf-8")
            self._write({"type": "run", "run_id": str(uuid.uuid4()), "started": _now(),
                         "roamcert_version": roamcert_version(), "target": target, "selection": selection or {}})
            return
        # The earlier lines, rewritten in one step (a line cut off mid-write is gone), then this part appends.
        write_atomically(path, [json.dumps(r, ensure_ascii=False) + "\n" for r in (continued.run, *continued.cases)])
        for record in continued.cases:
            self._account(record)
        self._file = path.open("a", encoding="utf-8")

    @property
    def run_id(self) -> object:
        return self._continued.run.get("run_id") if self._continued else self._run_id

    def _write(self, record: dict[str, Any]) -> None:
        if record["type"] == "run":
            self._run_id = record["run_id"]
        self._file.write(json.dumps(redact_value(record, self.secrets), ensure_ascii=False) + "\n")
        self._file.flush()  # a run that dies keeps every line written so far

    def test_case(self, record: dict[str, Any]) -> None:
        self._account(record)
        self._write({"type": "test_case", **record})

    def _account(self, record: dict[str, Any]) -> None:
        self._counts[record["outcome"]] += 1
        if record.get("role") and record.get("module"):
            interfaces = [(str(record["module"]), str(record.get("interface_role") or "")),
                          *((str(e["module"]), str(e["interface_role"])) for e in record.get("exercises", ()))]
            tested = self._tested.setdefault(str(record["role"]), {})
            for interface in interfaces:
                tested.setdefault(interface, Counter())[record["outcome"]] += 1
        for finding in record["findings"]:
            for requirement in finding["requirements"]:
                self._requirements.setdefault(requirement, set()).add(finding["outcome"])
        if record["outcome"] == Outcome.NOT_APPLICABLE.value:
            for requirement in record.get("requirements", []):
                self._requirements.setdefault(requirement, set()).add("NOT_APPLICABLE")

    def _requirement_outcome(self, requirement: str) -> str:
        seen = self._requirements.get(requirement, set())
        for outcome in ("FAIL", "ERROR", "PASS", "NOT_APPLICABLE"):
            if outcome in seen:
                return outcome
        return "NOT_COVERED"

    def verdict(self, declarations: Sequence[Declaration] = ()) -> str:
        """PASS, FAIL, or VERSION_NOT_OFFERED when a SUT platform does not offer the version under test at all
        (then nothing of that version could be tested, and one finding says so)."""
        if any(d.version_offered is False for d in declarations):
            return VERSION_NOT_OFFERED
        bad = self._counts[Outcome.FAIL.value] + self._counts[Outcome.ERROR.value]
        return "FAIL" if bad or not sum(self._counts.values()) else "PASS"

    def _platform(self, declaration: Declaration) -> dict[str, Any]:
        tested: dict[Interface, Counter[str]] = {}
        for role in declaration.roles:
            for interface, counts in self._tested.get(role, {}).items():
                tested.setdefault(interface, Counter()).update(counts)
        return platform_record(declaration, tested, self.catalogue.usual_interfaces)

    def close(self, declarations: Sequence[Declaration] = ()) -> str:
        """Write the summary line: counts, the verdict, requirement outcomes, and per SUT platform what it
        declared and what was tested (``declarations``, from the protocol package's harness)."""
        declarations = self._with_earlier(declarations)
        requirements = {
            rid: {"title": r.title, "spec": r.spec, "module": r.module, "level": r.level,
                  "outcome": self._requirement_outcome(rid)}
            for rid, r in self.catalogue.requirements.items()
        }
        verdict = self.verdict(declarations)
        earlier = self._continued.duration_s if self._continued else 0.0
        self._write({"type": "summary", "finished": _now(),
                     "duration_s": round(earlier + time.monotonic() - self._started, 3),
                     "counts": dict(self._counts), "verdict": verdict, "requirements": requirements,
                     "sut": [self._platform(d) for d in declarations],
                     "inventory": inventory_figures(self.catalogue)})
        self._file.close()
        if self._continued and self._continued.order:
            self._reorder(self._continued.order)
        return verdict

    def _with_earlier(self, declarations: Sequence[Declaration]) -> list[Declaration]:
        """This part's declarations; a platform this part never read keeps what the earlier part saw of it."""
        earlier = {d.platform: d for d in (self._continued.declarations if self._continued else ())}
        return [earlier.get(d.platform, d) if d.versions_offered is None and d.interfaces is None else d
                for d in declarations]

    def _reorder(self, order: dict[str, int]) -> None:
        """Put every test case at the place of its earlier line (new ones after them, in the order run)."""
        records = [json.loads(line) for line in self.path.read_text(encoding="utf-8").splitlines() if line.strip()]
        cases = [r for r in records if r.get("type") == "test_case"]
        cases.sort(key=lambda r: order.get(case_key(r), len(order)))
        rest = [r for r in records if r.get("type") != "test_case"]
        write_atomically(self.path, [json.dumps(r, ensure_ascii=False) + "\n" for r in (rest[0], *cases, *rest[1:])])
