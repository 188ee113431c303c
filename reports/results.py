"""Typed loader for the NDJSON results file (docs/results-format.md).

Every report writer reads the results file through :func:`load_results` and nothing else, so
validation happens once, here: a malformed line raises :class:`ReportInputError` naming the file
and the line number; a file without its final summary line (an aborted run) loads with the
verdict ``INCOMPLETE`` and a note saying so.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from conformance.core.declared import VERSION_NOT_OFFERED
from conformance.core.findings import Finding, Outcome, Severity

__all__ = [
    "INCOMPLETE",
    "OUTCOMES",
    "VERSION_NOT_OFFERED",
    "ExchangeRecord",
    "Finding",
    "ReportInputError",
    "Requirement",
    "RequirementCoverage",
    "Results",
    "Run",
    "Step",
    "Summary",
    "SutPlatform",
    "Target",
    "TestCase",
    "TestedInterface",
    "load_results",
    "requirement_coverage",
    "spec_url",
    "summarize",
]

INCOMPLETE = "INCOMPLETE"
#: Every test case outcome, in the order reports list them.
OUTCOMES: tuple[str, ...] = tuple(outcome.value for outcome in Outcome)
_VERDICTS = frozenset({"PASS", "FAIL", VERSION_NOT_OFFERED})


class ReportInputError(ValueError):
    """The results file cannot be read or a line in it is malformed."""

    def __init__(self, path: str | os.PathLike[str], line: int | None, problem: str) -> None:
        self.path = Path(path)
        self.line = line
        self.problem = problem
        where = f"{self.path}, line {line}" if line is not None else str(self.path)
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True)
class Target:
    name: str
    protocol: str = ""
    version: str = ""
    roles: tuple[str, ...] = ()
    versions_url: str | None = None
    spec_base: str = ""  # where the protocol version's spec anchors resolve (written by the run)


@dataclass(frozen=True)
class Run:
    run_id: str
    started: str
    roamcert_version: str
    target: Target


@dataclass(frozen=True)
class Step:
    keyword: str
    name: str
    outcome: Outcome


@dataclass(frozen=True)
class ExchangeRecord:
    """One recorded HTTP exchange, as serialised (credentials already redacted)."""

    id: str
    direction: str
    method: str
    url: str
    request_headers: Mapping[str, str] = field(default_factory=dict)
    request_body: str | None = None
    status: int | None = None
    response_headers: Mapping[str, str] = field(default_factory=dict)
    response_body: str | None = None
    elapsed_ms: float | None = None
    error: str | None = None
    retries: tuple[str, ...] = ()  # the rate-limit answers roamcert waited out (or did not) before this one


@dataclass(frozen=True)
class TestCase:
    __test__ = False  # not a pytest test class

    id: str
    title: str
    module: str
    role: str
    outcome: Outcome
    interface_role: str | None = None
    version: str = ""
    feature: str = ""
    scenario: str = ""
    nodeid: str = ""
    duration_s: float = 0.0
    reason: str | None = None
    steps: tuple[Step, ...] = ()
    requirements: tuple[str, ...] = ()
    findings: tuple[Finding, ...] = ()
    exchanges: tuple[ExchangeRecord, ...] = ()

    @property
    def blocking_findings(self) -> list[Finding]:
        return [f for f in self.findings if f.blocking]

    @property
    def warnings(self) -> list[Finding]:
        """FAIL findings that do not fail the test case (RECOMMENDED or INFO severity)."""
        return [f for f in self.findings if f.outcome is Outcome.FAIL and not f.blocking]

    def exchange(self, exchange_id: str) -> ExchangeRecord | None:
        return next((x for x in self.exchanges if x.id == exchange_id), None)


@dataclass(frozen=True)
class Requirement:
    id: str
    title: str = ""
    spec: str = ""
    module: str = ""
    outcome: str = "NOT_COVERED"


@dataclass(frozen=True)
class TestedInterface:
    __test__ = False  # not a pytest test class

    module: str
    interface_role: str
    outcomes: Mapping[str, int]  # outcome -> number of test cases

    @property
    def exercised(self) -> bool:
        """At least one of its test cases judged the SUT (PASS or FAIL)."""
        return bool(self.outcomes.get("PASS") or self.outcomes.get("FAIL"))


@dataclass(frozen=True)
class SutPlatform:
    """One SUT platform as the run saw it: what it declared, and what was tested (docs/results-format.md)."""

    platform: str
    roles: tuple[str, ...] = ()
    version: str = ""
    versions_offered: tuple[str, ...] | None = None  # None: never read
    version_offered: bool | None = None
    connection: str = "none"  # registered, pre-registered or none
    declared: tuple[tuple[str, str], ...] | None = None  # (module, interface role); None: never read
    tested: tuple[TestedInterface, ...] = ()
    declared_not_tested: tuple[tuple[str, str], ...] | None = None
    usual_not_declared: tuple[tuple[str, str], ...] | None = None


@dataclass(frozen=True)
class Summary:
    finished: str | None
    duration_s: float | None
    counts: Mapping[str, int]
    verdict: str
    requirements: Mapping[str, Requirement]
    # module -> MUST-class statements of the spec and how they are carried (conformance/core/inventory.py)
    inventory: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    sut: tuple[SutPlatform, ...] = ()  # per SUT platform: what it declared and what was tested


@dataclass(frozen=True)
class Results:
    source: Path
    run: Run
    test_cases: tuple[TestCase, ...]
    summary: Summary
    complete: bool
    notes: tuple[str, ...] = ()

    @property
    def verdict(self) -> str:
        """``PASS``, ``FAIL`` or ``INCOMPLETE`` (no summary line: the run was aborted)."""
        return self.summary.verdict


@dataclass(frozen=True)
class RequirementCoverage:
    requirement: Requirement
    test_cases: tuple[str, ...]


# --------------------------------------------------------------------------- field access


class _Fields:
    """Typed access to the fields of one JSON object of one line, with precise errors."""

    def __init__(self, data: Mapping[str, Any], path: Path, line: int, what: str) -> None:
        self.data, self.path, self.line, self.what = data, path, line, what

    def fail(self, problem: str) -> ReportInputError:
        return ReportInputError(self.path, self.line, f"{self.what}: {problem}")

    def _get(self, key: str, required: bool) -> Any:
        if key not in self.data and required:
            raise self.fail(f"missing field {key!r}")
        return self.data.get(key)

    def text(self, key: str, default: str | None = None) -> str:
        value = self._get(key, default is None)
        if value is None and default is not None:
            return default
        if not isinstance(value, str):
            raise self.fail(f"field {key!r} must be a string, got {_kind(value)}")
        return value

    def opt_text(self, key: str) -> str | None:
        value = self._get(key, False)
        if value is not None and not isinstance(value, str):
            raise self.fail(f"field {key!r} must be a string or null, got {_kind(value)}")
        return value

    def number(self, key: str) -> float | None:
        value = self._get(key, False)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(f"field {key!r} must be a number, got {_kind(value)}")
        return float(value)

    def integer(self, key: str) -> int | None:
        value = self._get(key, False)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise self.fail(f"field {key!r} must be an integer or null, got {_kind(value)}")
        return value

    def texts(self, key: str) -> tuple[str, ...]:
        value = self._get(key, False)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self.fail(f"field {key!r} must be a list of strings")
        return tuple(value)

    def text_map(self, key: str) -> dict[str, str]:
        value = self._get(key, False)
        if value is None:
            return {}
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise self.fail(f"field {key!r} must be an object of strings")
        return dict(value)

    def objects(self, key: str) -> list[_Fields]:
        value = self._get(key, False)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(f"field {key!r} must be a list, got {_kind(value)}")
        return [self.child(item, f"{key}[{i}]") for i, item in enumerate(value)]

    def child(self, value: Any, name: str) -> _Fields:
        if not isinstance(value, dict):
            raise self.fail(f"{name} must be an object, got {_kind(value)}")
        return _Fields(value, self.path, self.line, f"{self.what} {name}")

    def outcome(self, key: str, allowed: Iterable[Outcome] | None = None) -> Outcome:
        value = self.text(key)
        choices = [o.value for o in (allowed or Outcome)]
        if value not in choices:
            raise self.fail(f"field {key!r} is {value!r}, expected one of {', '.join(choices)}")
        return Outcome(value)


def _kind(value: Any) -> str:
    return "null" if value is None else type(value).__name__


# --------------------------------------------------------------------------- line parsers

_FINDING_OUTCOMES = (Outcome.PASS, Outcome.FAIL, Outcome.ERROR)
_STEP_OUTCOMES = (Outcome.PASS, Outcome.FAIL, Outcome.ERROR, Outcome.SKIP)


def _parse_run(f: _Fields) -> Run:
    t = f.child(f.data.get("target"), "target")
    target = Target(
        name=t.text("name"),
        protocol=t.text("protocol", ""),
        version=t.text("version", ""),
        roles=t.texts("roles"),
        versions_url=t.opt_text("versions_url"),
        spec_base=t.text("spec_base", ""),
    )
    return Run(f.text("run_id"), f.text("started"), f.text("roamcert_version", ""), target)


def _parse_finding(f: _Fields) -> Finding:
    severity = f.text("severity", Severity.REQUIRED.value)
    if severity not in {s.value for s in Severity}:
        raise f.fail(f"field 'severity' is {severity!r}, expected one of {', '.join(Severity)}")
    return Finding(
        check_id=f.text("check_id"),
        outcome=f.outcome("outcome", _FINDING_OUTCOMES),
        message=f.text("message"),
        requirements=f.texts("requirements"),
        spec=f.text("spec", ""),
        severity=Severity(severity),
        expected=f.opt_text("expected"),
        actual=f.opt_text("actual"),
        evidence=f.texts("evidence"),
    )


def _parse_exchange(f: _Fields) -> ExchangeRecord:
    return ExchangeRecord(
        id=f.text("id"),
        direction=f.text("direction", "outbound"),
        method=f.text("method"),
        url=f.text("url"),
        request_headers=f.text_map("request_headers"),
        request_body=f.opt_text("request_body"),
        status=f.integer("status"),
        response_headers=f.text_map("response_headers"),
        response_body=f.opt_text("response_body"),
        elapsed_ms=f.number("elapsed_ms"),
        error=f.opt_text("error"),
        retries=f.texts("retries"),
    )


def _parse_test_case(f: _Fields) -> TestCase:
    return TestCase(
        id=f.text("id"),
        title=f.text("title", ""),
        module=f.text("module"),
        role=f.text("role"),
        outcome=f.outcome("outcome"),
        interface_role=f.opt_text("interface_role"),
        version=f.text("version", ""),
        feature=f.text("feature", ""),
        scenario=f.text("scenario", ""),
        nodeid=f.text("nodeid", ""),
        duration_s=f.number("duration_s") or 0.0,
        reason=f.opt_text("reason"),
        steps=tuple(
            Step(s.text("keyword", ""), s.text("name"), s.outcome("outcome", _STEP_OUTCOMES))
            for s in f.objects("steps")
        ),
        requirements=f.texts("requirements"),
        findings=tuple(_parse_finding(item) for item in f.objects("findings")),
        exchanges=tuple(_parse_exchange(item) for item in f.objects("exchanges")),
    )


def _parse_summary(f: _Fields) -> Summary:
    verdict = f.text("verdict")
    if verdict not in _VERDICTS:
        raise f.fail(f"field 'verdict' is {verdict!r}, expected one of {', '.join(sorted(_VERDICTS))}")
    counts = f.data.get("counts") or {}
    if not isinstance(counts, dict) or not all(
        isinstance(n, int) and not isinstance(n, bool) for n in counts.values()
    ):
        raise f.fail("field 'counts' must be an object of integers")
    requirements: dict[str, Requirement] = {}
    raw = f.data.get("requirements") or {}
    if not isinstance(raw, dict):
        raise f.fail(f"field 'requirements' must be an object, got {_kind(raw)}")
    for req_id, item in raw.items():
        r = f.child(item, f"requirements[{req_id!r}]")
        requirements[req_id] = Requirement(
            req_id, r.text("title", ""), r.text("spec", ""), r.text("module", ""), r.text("outcome")
        )
    inventory = f.data.get("inventory") or {}
    if not isinstance(inventory, dict) or not all(isinstance(row, dict) for row in inventory.values()):
        raise f.fail("field 'inventory' must be an object of objects")
    sut = tuple(_parse_platform(item) for item in f.objects("sut"))
    return Summary(f.opt_text("finished"), f.number("duration_s"), dict(counts), verdict, requirements, inventory,
                   sut)


def _interfaces(f: _Fields, key: str) -> tuple[tuple[str, str], ...] | None:
    if f.data.get(key) is None:
        return None
    return tuple((i.text("module"), i.text("interface_role")) for i in f.objects(key))


def _parse_platform(f: _Fields) -> SutPlatform:
    offered = f.data.get("versions_offered")
    version_offered = f.data.get("version_offered")
    if version_offered is not None and not isinstance(version_offered, bool):
        raise f.fail(f"field 'version_offered' must be true, false or null, got {_kind(version_offered)}")
    tested = []
    for item in f.objects("tested"):
        outcomes = item.data.get("outcomes") or {}
        if not isinstance(outcomes, dict) or not all(
                isinstance(n, int) and not isinstance(n, bool) for n in outcomes.values()):
            raise item.fail("field 'outcomes' must be an object of integers")
        tested.append(TestedInterface(item.text("module"), item.text("interface_role"), dict(outcomes)))
    return SutPlatform(
        platform=f.text("platform"),
        roles=f.texts("roles"),
        version=f.text("version", ""),
        versions_offered=None if offered is None else f.texts("versions_offered"),
        version_offered=version_offered,
        connection=f.text("connection", "none"),
        declared=_interfaces(f, "declared"),
        tested=tuple(tested),
        declared_not_tested=_interfaces(f, "declared_not_tested"),
        usual_not_declared=_interfaces(f, "usual_not_declared"),
    )


# --------------------------------------------------------------------------- loading


def _lines(path: Path) -> Iterable[tuple[int, dict[str, Any]]]:
    try:
        raw_lines = path.read_bytes().splitlines()
    except OSError as exc:
        raise ReportInputError(path, None, f"cannot read the results file ({exc.strerror or exc})") from exc
    for number, raw in enumerate(raw_lines, start=1):
        if not raw.strip():
            continue
        try:
            data = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError as exc:
            raise ReportInputError(path, number, f"not UTF-8 ({exc.reason})") from exc
        except json.JSONDecodeError as exc:
            raise ReportInputError(path, number, f"not valid JSON ({exc.msg}, column {exc.colno})") from exc
        if not isinstance(data, dict):
            raise ReportInputError(path, number, f"expected a JSON object, got {_kind(data)}")
        yield number, data


def load_results(path: str | os.PathLike[str]) -> Results:
    """Read and validate one results file; raises :class:`ReportInputError` when it is malformed."""
    source = Path(path)
    run: Run | None = None
    summary: Summary | None = None
    cases: list[TestCase] = []
    for number, data in _lines(source):
        kind = data.get("type")
        fields = _Fields(data, source, number, f"{kind} line" if isinstance(kind, str) else "line")
        if run is None and kind != "run":
            raise fields.fail(f"the first line must have type 'run', got {kind!r}")
        if summary is not None:
            raise fields.fail("nothing may follow the summary line")
        if kind == "run":
            if run is not None:
                raise fields.fail("a second run line")
            run = _parse_run(fields)
        elif kind == "test_case":
            cases.append(_parse_test_case(fields))
        elif kind == "summary":
            summary = _parse_summary(fields)
        else:
            raise fields.fail(f"unknown line type {kind!r} (expected run, test_case or summary)")
    if run is None:
        raise ReportInputError(source, None, "the results file is empty (no run line)")
    return _assemble(source, run, tuple(cases), summary)


def _assemble(source: Path, run: Run, cases: tuple[TestCase, ...], summary: Summary | None) -> Results:
    notes: list[str] = []
    counts = _count(cases)
    if summary is None:
        notes.append(
            f"Run incomplete: the results file has no summary line, so the run was aborted. "
            f"Only the {len(cases)} test case(s) recorded before the abort are reported."
        )
        summary = Summary(
            finished=None,
            duration_s=sum(tc.duration_s for tc in cases),
            counts=counts,
            verdict=INCOMPLETE,
            requirements=_derive_requirements(cases, {}),
        )
        return Results(source, run, cases, summary, complete=False, notes=tuple(notes))
    if {k: v for k, v in summary.counts.items() if v} != {k: v for k, v in counts.items() if v}:
        notes.append("The summary counts differ from the test cases recorded in the file.")
    verdict = summary.verdict
    if verdict == "PASS" and (counts[Outcome.FAIL] or counts[Outcome.ERROR]):
        notes.append("The summary said PASS although test cases failed or errored; the verdict is FAIL.")
        verdict = "FAIL"
    requirements = _derive_requirements(cases, summary.requirements)
    summary = Summary(summary.finished, summary.duration_s, summary.counts, verdict, requirements, summary.inventory,
                      summary.sut)
    return Results(source, run, cases, summary, complete=True, notes=tuple(notes))


def _count(cases: Iterable[TestCase]) -> dict[str, int]:
    counts = dict.fromkeys(OUTCOMES, 0)
    for tc in cases:
        counts[tc.outcome.value] += 1
    return counts


# --------------------------------------------------------------------------- aggregation


def summarize(results: Results) -> dict[tuple[str, str], dict[str, int]]:
    """Counts per outcome (every outcome present, zeros included), grouped by (module, role)."""
    groups: dict[tuple[str, str], list[TestCase]] = {}
    for tc in results.test_cases:
        groups.setdefault((tc.module, tc.role), []).append(tc)
    return {key: _count(groups[key]) for key in sorted(groups)}


def _covering(cases: Iterable[TestCase]) -> dict[str, list[TestCase]]:
    covering: dict[str, list[TestCase]] = {}
    for tc in cases:
        ids = dict.fromkeys([*tc.requirements, *(r for f in tc.findings for r in f.requirements)])
        for req_id in ids:
            covering.setdefault(req_id, []).append(tc)
    return covering


def _derived_outcome(req_id: str, cases: list[TestCase]) -> str:
    """Best-effort requirement outcome when the summary does not give one."""
    for tc in cases:
        if any(req_id in f.requirements and f.outcome is Outcome.FAIL for f in tc.findings):
            return "FAIL"
        if tc.outcome is Outcome.FAIL and not any(f.requirements for f in tc.blocking_findings):
            return "FAIL"
    present = {tc.outcome for tc in cases}
    if Outcome.ERROR in present:
        return "ERROR"
    if present & {Outcome.PASS, Outcome.FAIL}:
        return "PASS"
    for outcome in (Outcome.MANUAL_PENDING, Outcome.NOT_APPLICABLE, Outcome.SKIP):
        if outcome in present:
            return outcome.value
    return "NOT_COVERED"


def _derive_requirements(
    cases: tuple[TestCase, ...], known: Mapping[str, Requirement]
) -> dict[str, Requirement]:
    """The summary's requirements, plus any that test cases cite but the summary lacks."""
    merged = dict(known)
    for req_id, covering in _covering(cases).items():
        if req_id not in merged:
            merged[req_id] = Requirement(
                req_id, module=covering[0].module, outcome=_derived_outcome(req_id, covering)
            )
    return merged


def requirement_coverage(results: Results) -> list[RequirementCoverage]:
    """Each requirement with its outcome and the ids of the test cases that exercise it."""
    covering = _covering(results.test_cases)
    return [
        RequirementCoverage(req, tuple(tc.id for tc in covering.get(req.id, [])))
        for req in results.summary.requirements.values()
    ]


# References to documents outside the protocol version's sources (a roaming network's rules are the OCN node's,
# docs/network.md): shown, never linked into the specification.
OTHER_DOCUMENTS = frozenset({"ocn-node"})


def spec_url(spec: str, base: str) -> str | None:
    """Link to a spec reference ``"<file stem>#<anchor>"`` in the protocol version's published sources (``base``
    comes from the results file); None where the run named no spec base, or the reference is to another
    document."""
    stem, _, anchor = spec.partition("#")
    if not base or stem in OTHER_DOCUMENTS:
        return None
    url = base + quote(stem, safe="") + ".asciidoc"
    return url + "#" + quote(anchor, safe="") if anchor else url
