"""JUnit XML for CI: one <testsuite> per (module, role), one <testcase> per test case.

Only blocking findings (FAIL with REQUIRED severity) become <failure>; FAIL findings of lower
severity are written to <system-out> as warnings. An aborted run (verdict INCOMPLETE) gets an
extra erroring test case so that CI cannot mistake a partial run for a green one.
"""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from conformance.core.findings import Finding, Outcome

from .results import INCOMPLETE, VERSION_NOT_OFFERED, Results, TestCase, spec_url, summarize

__all__ = ["build_junit", "write_junit", "xml_text"]

# Characters XML 1.0 cannot carry, plus C0/C1 controls other than tab, newline and carriage return.
_NOT_XML = re.compile("[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_SKIPPED = frozenset({Outcome.SKIP, Outcome.NOT_APPLICABLE, Outcome.MANUAL_PENDING})


def xml_text(value: object) -> str:
    """``value`` as text that XML 1.0 can carry: control characters are stripped."""
    return _NOT_XML.sub("", str(value))


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: object) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: xml_text(v) for k, v in attrs.items()})
    if text:
        element.text = xml_text(text)
    return element


def _describe(finding: Finding, base: str) -> str:
    lines = [f"[{finding.check_id}] {finding.message}"]
    if finding.requirements:
        lines.append(f"  requirements: {', '.join(finding.requirements)}")
    if finding.spec:
        url = spec_url(finding.spec, base)
        lines.append(f"  spec: {finding.spec}" + (f" ({url})" if url else ""))
    if finding.expected is not None:
        lines.append(f"  expected: {finding.expected}")
    if finding.actual is not None:
        lines.append(f"  actual: {finding.actual}")
    if finding.evidence:
        lines.append(f"  evidence: {', '.join(finding.evidence)}")
    return "\n".join(lines)


def _failed_steps(tc: TestCase) -> list[str]:
    return [f"step failed: {s.keyword} {s.name}".strip() for s in tc.steps if s.outcome is Outcome.FAIL]


def _add_failure(case: ET.Element, tc: TestCase, base: str) -> None:
    blocking = tc.blocking_findings
    if blocking:
        first = blocking[0]
        more = f" (+{len(blocking) - 1} more)" if len(blocking) > 1 else ""
        message, kind = first.message + more, first.check_id
    else:
        message, kind = tc.reason or "test case failed", "FAIL"
    body = [_describe(f, base) for f in blocking] + _failed_steps(tc)
    _sub(case, "failure", "\n\n".join(body) or message, message=message, type=kind)


def _add_error(case: ET.Element, tc: TestCase, base: str) -> None:
    message = tc.reason or "the test harness or the connection to the SUT broke"
    body = [message]
    body += [_describe(f, base) for f in tc.findings if f.outcome is Outcome.ERROR]
    body += [f"exchange {x.id} {x.method} {x.url}: {x.error}" for x in tc.exchanges if x.error]
    _sub(case, "error", "\n\n".join(body), message=message, type="ERROR")


def _add_case(suite: ET.Element, tc: TestCase, base: str) -> None:
    name = f"{tc.id} {tc.title}".strip()
    case = _sub(suite, "testcase", classname=f"{tc.module}.{tc.role}", name=name, time=f"{tc.duration_s:.3f}")
    if tc.outcome is Outcome.FAIL:
        _add_failure(case, tc, base)
    elif tc.outcome is Outcome.ERROR:
        _add_error(case, tc, base)
    elif tc.outcome in _SKIPPED:
        reason = f"{tc.outcome.value}: {tc.reason}" if tc.reason else tc.outcome.value
        _sub(case, "skipped", message=reason)
    warnings = [f"WARNING ({f.severity.value}) " + _describe(f, base) for f in tc.warnings]
    if warnings:
        _sub(case, "system-out", "\n\n".join(warnings))


def _properties(suite: ET.Element, results: Results) -> None:
    target = results.run.target
    props = _sub(suite, "properties")
    values = {
        "run_id": results.run.run_id,
        "roamcert_version": results.run.roamcert_version,
        "target.name": target.name,
        "target.protocol": target.protocol,
        "target.version": target.version,
        "target.roles": ",".join(target.roles),
        "verdict": results.verdict,
    }
    for platform in results.summary.sut:
        key = f"sut.{platform.platform}"
        values[f"{key}.versions_offered"] = ",".join(platform.versions_offered or ()) or "-"
        values[f"{key}.connection"] = platform.connection
        for field in ("declared", "declared_not_tested", "usual_not_declared"):
            items = getattr(platform, field)
            values[f"{key}.{field}"] = "not read" if items is None else ",".join(f"{m}:{r}" for m, r in items)
        values[f"{key}.tested"] = ",".join(f"{t.module}:{t.interface_role}" for t in platform.tested
                                           if t.exercised)
    for name, value in values.items():
        _sub(props, "property", name=name, value=value)


def _suite(root: ET.Element, results: Results, name: str, cases: list[TestCase]) -> ET.Element:
    suite = _sub(
        root,
        "testsuite",
        name=name,
        tests=len(cases),
        failures=sum(tc.outcome is Outcome.FAIL for tc in cases),
        errors=sum(tc.outcome is Outcome.ERROR for tc in cases),
        skipped=sum(tc.outcome in _SKIPPED for tc in cases),
        time=f"{sum(tc.duration_s for tc in cases):.3f}",
        timestamp=results.run.started,
    )
    _properties(suite, results)
    for tc in cases:
        _add_case(suite, tc, results.run.target.spec_base)
    return suite


def _incomplete_suite(root: ET.Element, results: Results) -> None:
    suite = _sub(
        root, "testsuite", name="roamcert.run", tests=1, failures=0, errors=1, skipped=0, time="0.000"
    )
    _properties(suite, results)
    case = _sub(suite, "testcase", classname="roamcert.run", name="run completed", time="0.000")
    _sub(case, "error", " ".join(results.notes), message="run incomplete: no summary line", type=INCOMPLETE)


def _version_suite(root: ET.Element, results: Results) -> None:
    """The version under test not offered: one failing test case says so, whatever the others did."""
    suite = _sub(root, "testsuite", name="roamcert.version", tests=1, failures=1, errors=0, skipped=0, time="0.000")
    _properties(suite, results)
    case = _sub(suite, "testcase", classname="roamcert.version", name="version under test offered", time="0.000")
    lines = [f"{p.platform}: offers {', '.join(p.versions_offered or ()) or 'no version'}, not {p.version}"
             for p in results.summary.sut if p.version_offered is False]
    _sub(case, "failure", "\n".join(lines), message="; ".join(lines), type=VERSION_NOT_OFFERED)


def build_junit(results: Results) -> ET.ElementTree:
    root = ET.Element("testsuites", {"name": xml_text(f"roamcert {results.run.target.name}")})
    for module, role in summarize(results):
        cases = [tc for tc in results.test_cases if (tc.module, tc.role) == (module, role)]
        _suite(root, results, f"{module}.{role}", cases)
    if results.verdict == INCOMPLETE:
        _incomplete_suite(root, results)
    if results.verdict == VERSION_NOT_OFFERED:
        _version_suite(root, results)
    suites = list(root)
    for attr in ("tests", "failures", "errors", "skipped"):
        root.set(attr, str(sum(int(s.get(attr, "0")) for s in suites)))
    root.set("time", f"{sum(float(s.get('time', '0')) for s in suites):.3f}")
    tree = ET.ElementTree(root)
    ET.indent(tree)
    return tree


def write_junit(results: Results, path: str | os.PathLike[str]) -> Path:
    """Write JUnit XML for ``results`` to ``path``; returns the path."""
    out = Path(path)
    build_junit(results).write(out, encoding="utf-8", xml_declaration=True)
    return out
