"""Writes the NDJSON results file (docs/results-format.md) as a run goes, one line per test case."""

from __future__ import annotations

import json
import time
import uuid
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import IO, Any

from conformance.core.catalogue import Catalogue
from conformance.core.declared import VERSION_NOT_OFFERED, Declaration, Interface, platform_record
from conformance.core.findings import Outcome
from conformance.core.inventory import inventory_figures
from conformance.core.redaction import redact_value

__all__ = ["ResultsWriter", "roamcert_version"]


def roamcert_version() -> str:
    try:
        return version("roamcert")
    except PackageNotFoundError:
        return "0+unknown"


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class ResultsWriter:
    def __init__(self, path: Path, target: dict[str, Any], catalogue: Catalogue) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.catalogue = catalogue
        self._file: IO[str] = path.open("w", encoding="utf-8")
        # Every credential the run has seen (tokens A, B, C): each line written is swept for them first
        # (conformance/core/redaction.py), findings and causes included, so that no report built on it can leak one.
        self.secrets: set[str] = set()
        self._started = time.monotonic()
        self._counts: Counter[str] = Counter()
        self._requirements: dict[str, set[str]] = {}
        # party role -> (module, interface role) -> outcomes of the test cases run for it
        self._tested: dict[str, dict[Interface, Counter[str]]] = {}
        self._write({"type": "run", "run_id": str(uuid.uuid4()), "started": _now(),
                     "roamcert_version": roamcert_version(), "target": target})

    def _write(self, record: dict[str, Any]) -> None:
        self._file.write(json.dumps(redact_value(record, self.secrets), ensure_ascii=False) + "\n")
        self._file.flush()  # a run that dies keeps every line written so far

    def test_case(self, record: dict[str, Any]) -> None:
        self._counts[record["outcome"]] += 1
        if record.get("role") and record.get("module"):
            interface = (str(record["module"]), str(record.get("interface_role") or ""))
            self._tested.setdefault(str(record["role"]), {}).setdefault(interface, Counter())[record["outcome"]] += 1
        for finding in record["findings"]:
            for requirement in finding["requirements"]:
                self._requirements.setdefault(requirement, set()).add(finding["outcome"])
        if record["outcome"] == Outcome.NOT_APPLICABLE.value:
            for requirement in record.get("requirements", []):
                self._requirements.setdefault(requirement, set()).add("NOT_APPLICABLE")
        self._write({"type": "test_case", **record})

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
        requirements = {
            rid: {"title": r.title, "spec": r.spec, "module": r.module, "level": r.level,
                  "outcome": self._requirement_outcome(rid)}
            for rid, r in self.catalogue.requirements.items()
        }
        verdict = self.verdict(declarations)
        self._write({"type": "summary", "finished": _now(), "duration_s": round(time.monotonic() - self._started, 3),
                     "counts": dict(self._counts), "verdict": verdict, "requirements": requirements,
                     "sut": [self._platform(d) for d in declarations],
                     "inventory": inventory_figures(self.catalogue)})
        self._file.close()
        return verdict
