"""Machine-readable reports: the whole run as one JSON document, and requirement coverage."""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path
from typing import Any

from conformance.core.findings import Finding

from .results import OUTCOMES, ExchangeRecord, Results, SutPlatform, TestCase, requirement_coverage, summarize

__all__ = ["FORMAT_VERSION", "coverage_document", "report_document", "write_coverage", "write_json"]

FORMAT_VERSION = 1


def _exchange(x: ExchangeRecord) -> dict[str, Any]:
    data = dataclasses.asdict(x)
    data["request_headers"] = dict(x.request_headers)
    data["response_headers"] = dict(x.response_headers)
    return data


def _finding(f: Finding) -> dict[str, Any]:
    return {**f.to_dict(), "blocking": f.blocking}


def _test_case(tc: TestCase) -> dict[str, Any]:
    return {
        "id": tc.id,
        "title": tc.title,
        "module": tc.module,
        "role": tc.role,
        "interface_role": tc.interface_role,
        "version": tc.version,
        "feature": tc.feature,
        "scenario": tc.scenario,
        "nodeid": tc.nodeid,
        "outcome": tc.outcome.value,
        "duration_s": tc.duration_s,
        "reason": tc.reason,
        "steps": [{"keyword": s.keyword, "name": s.name, "outcome": s.outcome.value} for s in tc.steps],
        "requirements": list(tc.requirements),
        "findings": [_finding(f) for f in tc.findings],
        "exchanges": [_exchange(x) for x in tc.exchanges],
    }


def _interfaces(items: tuple[tuple[str, str], ...] | None) -> list[dict[str, str]] | None:
    return None if items is None else [{"module": m, "interface_role": r} for m, r in items]


def _platform(p: SutPlatform) -> dict[str, Any]:
    return {
        "platform": p.platform,
        "roles": list(p.roles),
        "version": p.version,
        "versions_offered": None if p.versions_offered is None else list(p.versions_offered),
        "version_offered": p.version_offered,
        "connection": p.connection,
        "declared": _interfaces(p.declared),
        "tested": [{"module": t.module, "interface_role": t.interface_role, "outcomes": dict(t.outcomes),
                    "exercised": t.exercised} for t in p.tested],
        "declared_not_tested": _interfaces(p.declared_not_tested),
        "usual_not_declared": _interfaces(p.usual_not_declared),
    }


def _header(results: Results) -> dict[str, Any]:
    target = results.run.target
    return {
        "format": "roamcert-report",
        "format_version": FORMAT_VERSION,
        "source": results.source.name,
        "verdict": results.verdict,
        "complete": results.complete,
        "notes": list(results.notes),
        "run": {
            "run_id": results.run.run_id,
            "started": results.run.started,
            "roamcert_version": results.run.roamcert_version,
            "target": {**dataclasses.asdict(target), "roles": list(target.roles)},
        },
    }


def report_document(results: Results) -> dict[str, Any]:
    """The JSON report as a dict: run, summary (with per module/role counts) and test cases."""
    summary = results.summary
    return {
        **_header(results),
        "summary": {
            "finished": summary.finished,
            "duration_s": summary.duration_s,
            "verdict": summary.verdict,
            "counts": {outcome: summary.counts.get(outcome, 0) for outcome in OUTCOMES}
            | dict(summary.counts),
            "by_module_role": [
                {"module": module, "role": role, "counts": counts, "total": sum(counts.values())}
                for (module, role), counts in summarize(results).items()
            ],
            "requirements": {
                req_id: {k: v for k, v in dataclasses.asdict(req).items() if k != "id"}
                for req_id, req in summary.requirements.items()
            },
            # per SUT platform: what it declared and what was tested
            "sut": [_platform(p) for p in summary.sut],
        },
        "test_cases": [_test_case(tc) for tc in results.test_cases],
    }


def coverage_document(results: Results) -> dict[str, Any]:
    """Requirement coverage: requirement id -> title, spec, module, outcome and test case ids."""
    coverage = requirement_coverage(results)
    totals: dict[str, int] = {}
    for item in coverage:
        totals[item.requirement.outcome] = totals.get(item.requirement.outcome, 0) + 1
    return {
        **_header(results),
        "totals": totals,
        "requirements": {
            item.requirement.id: {
                "title": item.requirement.title,
                "spec": item.requirement.spec,
                "module": item.requirement.module,
                "outcome": item.requirement.outcome,
                "test_cases": list(item.test_cases),
            }
            for item in coverage
        },
        # MUST-class statements of the spec per module: inventoried, mapped to requirements (covered/justified),
        # binding no party (empty for a results file written before the inventory existed)
        "inventory": {module: dict(row) for module, row in results.summary.inventory.items()},
    }


def _dump(document: dict[str, Any], path: str | os.PathLike[str]) -> Path:
    out = Path(path)
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    # A lone surrogate (from a "\\ud800" escape in SUT JSON) cannot be UTF-8 encoded; it can only sit
    # inside a JSON string, where backslashreplace turns it back into a valid "\\ud800" escape.
    out.write_bytes(text.encode("utf-8", errors="backslashreplace"))
    return out


def write_json(results: Results, path: str | os.PathLike[str]) -> Path:
    """Write the full JSON report to ``path``; returns the path."""
    return _dump(report_document(results), path)


def write_coverage(results: Results, path: str | os.PathLike[str]) -> Path:
    """Write the requirement coverage JSON to ``path``; returns the path."""
    return _dump(coverage_document(results), path)
