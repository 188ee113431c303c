"""Report writers, all fed from one realistic results file (docs/results-format.md)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from conformance.core.findings import Outcome, Severity
from reports import (
    INCOMPLETE,
    ReportInputError,
    load_results,
    render_html,
    requirement_coverage,
    summarize,
    write_all,
    write_coverage,
    write_html,
    write_json,
    write_junit,
)

XSS = "<script>alert('pwned')</script>"
FAIL_MESSAGE = "Paginated response has no Link header although more objects are available"
REQ_PAGINATION = "OCPI-2.2.1-TF-PAG-004"


def _exchange(
    xid: str, method: str, url: str, status: int | None, body: str | None, **extra: Any
) -> dict[str, Any]:
    return {
        "id": xid,
        "direction": "outbound",
        "method": method,
        "url": url,
        "request_headers": {
            "Authorization": "Token [redacted]",
            "X-Request-ID": f"req-{xid}",
            "OCPI-from-party-id": "RCT",
        },
        "request_body": None,
        "status": status,
        "response_headers": {"Content-Type": "application/json", "X-Total-Count": "120"},
        "response_body": body,
        "elapsed_ms": 41.7,
        "error": None,
        **extra,
    }


def _case(case_id: str, title: str, module: str, outcome: str, **extra: Any) -> dict[str, Any]:
    return {
        "type": "test_case",
        "id": case_id,
        "title": title,
        "module": module,
        "role": "CPO",
        "interface_role": "SENDER",
        "version": "2.2.1",
        "feature": f"features/ocpi/2.2.1/{module}.feature",
        "scenario": title,
        "nodeid": f"features/ocpi/2.2.1/test_{module}.py::test_{case_id.lower().replace('-', '_')}",
        "outcome": outcome,
        "duration_s": 0.8,
        "reason": None,
        "steps": [],
        "requirements": [],
        "findings": [],
        "exchanges": [],
        **extra,
    }


def results_lines() -> list[dict[str, Any]]:
    base = "https://ocpi.acme.example/ocpi/cpo/2.2.1"
    passing = _case(
        "OCPI-2.2.1-VER-CPO-001",
        "Versions endpoint lists version 2.2.1",
        "versions",
        "PASS",
        steps=[
            {"keyword": "Given", "name": "the SUT versions URL", "outcome": "PASS"},
            {"keyword": "When", "name": "roamcert requests GET versions", "outcome": "PASS"},
            {"keyword": "Then", "name": "version 2.2.1 is listed", "outcome": "PASS"},
        ],
        requirements=["OCPI-2.2.1-VER-001"],
        findings=[
            {
                "check_id": "ocpi.versions.lists-221",
                "outcome": "PASS",
                "message": "Version 2.2.1 is listed",
                "requirements": ["OCPI-2.2.1-VER-001"],
                "spec": "version_information_endpoint#version_information_endpoint_versions_endpoint",
                "severity": "REQUIRED",
                "expected": None,
                "actual": None,
                "evidence": ["x1"],
            }
        ],
        exchanges=[
            _exchange(
                "x1",
                "GET",
                "https://ocpi.acme.example/ocpi/versions",
                200,
                '{"data":[{"version":"2.2.1","url":"https://ocpi.acme.example/ocpi/cpo/2.2.1"}],'
                '"status_code":1000,"timestamp":"2025-03-14T09:30:01Z"}',
            )
        ],
    )
    failing = _case(
        "OCPI-2.2.1-LOC-CPO-003",
        "Paginated GET /locations returns Link and X-Total-Count headers",
        "locations",
        "FAIL",
        duration_s=1.9,
        steps=[
            {"keyword": "Given", "name": "the SUT has more than 10 locations", "outcome": "PASS"},
            {"keyword": "When", "name": "roamcert requests GET /locations?limit=10", "outcome": "PASS"},
            {"keyword": "Then", "name": "the response is paginated", "outcome": "FAIL"},
        ],
        requirements=[REQ_PAGINATION, "OCPI-2.2.1-TF-HDR-002"],
        findings=[
            {
                "check_id": "ocpi.pagination.link-header",
                "outcome": "FAIL",
                "message": FAIL_MESSAGE,
                "requirements": [REQ_PAGINATION],
                "spec": "transport_and_format#transport_and_format_pagination",
                "severity": "REQUIRED",
                "expected": 'Link: <https://...?offset=10&limit=10>; rel="next"',
                "actual": "no Link header (X-Total-Count: 120, 10 objects returned)",
                "evidence": ["x2"],
            },
            {
                "check_id": "ocpi.http.content-type-charset",
                "outcome": "FAIL",
                "message": "Content-Type has no charset parameter",
                "requirements": ["OCPI-2.2.1-TF-HDR-002"],
                "spec": "transport_and_format#transport_and_format_json",
                "severity": "RECOMMENDED",
                "expected": "application/json; charset=utf-8",
                "actual": "application/json",
                "evidence": ["x2"],
            },
        ],
        exchanges=[
            _exchange(
                "x2",
                "GET",
                f"{base}/locations?offset=0&limit=10",
                200,
                json.dumps({"data": [{"id": "LOC1", "name": XSS}], "status_code": 1000}),
            )
        ],
    )
    not_applicable = _case(
        "OCPI-2.2.1-TAR-CPO-001",
        "GET /tariffs returns valid Tariff objects",
        "tariffs",
        "NOT_APPLICABLE",
        duration_s=0.0,
        reason="the SUT does not implement the tariffs module",
        requirements=["OCPI-2.2.1-TAR-001"],
    )
    error = _case(
        "OCPI-2.2.1-SES-CPO-002",
        "GET /sessions with date_from filter",
        "sessions",
        "ERROR",
        duration_s=5.0,
        reason="connection to the SUT refused",
        steps=[{"keyword": "When", "name": "roamcert requests GET /sessions", "outcome": "ERROR"}],
        requirements=["OCPI-2.2.1-SES-003"],
        exchanges=[
            _exchange(
                "x3",
                "GET",
                f"{base}/sessions",
                None,
                None,
                error="ConnectError: [Errno 111] Connection refused",
            )
        ],
    )
    requirements = {
        "OCPI-2.2.1-VER-001": ("Versions endpoint lists supported versions", "version_information_endpoint"),
        REQ_PAGINATION: ("Paginated responses carry a Link header", "transport_and_format"),
        "OCPI-2.2.1-TF-HDR-002": ("Content-Type with charset", "transport_and_format"),
        "OCPI-2.2.1-TAR-001": ("Tariffs GET returns Tariff objects", "tariffs"),
        "OCPI-2.2.1-SES-003": ("Sessions GET supports date_from", "sessions"),
        "OCPI-2.2.1-CDR-001": ("CDRs GET returns CDR objects", "cdrs"),
    }
    outcomes = {
        "OCPI-2.2.1-VER-001": "PASS",
        REQ_PAGINATION: "FAIL",
        "OCPI-2.2.1-TF-HDR-002": "PASS",
        "OCPI-2.2.1-TAR-001": "NOT_APPLICABLE",
        "OCPI-2.2.1-SES-003": "ERROR",
        "OCPI-2.2.1-CDR-001": "NOT_COVERED",
    }
    return [
        {
            "type": "run",
            "run_id": "run-20250314-093000-7f3a",
            "started": "2025-03-14T09:30:00Z",
            "roamcert_version": "0.1.0",
            "target": {
                "name": "Acme CPO staging",
                "protocol": "OCPI",
                "version": "2.2.1",
                "roles": ["CPO"],
                "versions_url": "https://ocpi.acme.example/ocpi/versions",
                "spec_base": "https://github.com/ocpi/ocpi/blob/release-2.2.1-bugfixes/",
            },
        },
        passing,
        failing,
        not_applicable,
        error,
        {
            "type": "summary",
            "finished": "2025-03-14T09:30:08Z",
            "duration_s": 8.4,
            "counts": {"PASS": 1, "FAIL": 1, "ERROR": 1, "NOT_APPLICABLE": 1},
            "verdict": "FAIL",
            "requirements": {
                req_id: {
                    "title": title,
                    "spec": f"{stem}#{stem}_x",
                    "module": stem,
                    "outcome": outcomes[req_id],
                }
                for req_id, (title, stem) in requirements.items()
            },
        },
    ]


def write_lines(path: Path, lines: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


@pytest.fixture
def results_file(tmp_path: Path) -> Path:
    return write_lines(tmp_path / "results.ndjson", results_lines())


# --------------------------------------------------------------------------- loader


def test_load_results_types_and_verdict(results_file: Path) -> None:
    results = load_results(results_file)
    assert results.complete and results.verdict == "FAIL" and results.notes == ()
    assert results.run.target.roles == ("CPO",)
    assert [tc.outcome for tc in results.test_cases] == [
        Outcome.PASS,
        Outcome.FAIL,
        Outcome.NOT_APPLICABLE,
        Outcome.ERROR,
    ]
    failing = results.test_cases[1]
    assert [f.check_id for f in failing.blocking_findings] == ["ocpi.pagination.link-header"]
    assert [f.severity for f in failing.warnings] == [Severity.RECOMMENDED]
    exchange = failing.exchange("x2")
    assert exchange is not None and exchange.request_headers["Authorization"] == "Token [redacted]"


def test_summarize_groups_by_module_and_role(results_file: Path) -> None:
    groups = summarize(load_results(results_file))
    assert list(groups) == [
        ("locations", "CPO"),
        ("sessions", "CPO"),
        ("tariffs", "CPO"),
        ("versions", "CPO"),
    ]
    assert groups[("locations", "CPO")]["FAIL"] == 1
    assert groups[("tariffs", "CPO")] == {
        "PASS": 0,
        "FAIL": 0,
        "ERROR": 0,
        "SKIP": 0,
        "NOT_APPLICABLE": 1,
        "MANUAL_PENDING": 0,
    }


def test_missing_summary_is_incomplete(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "aborted.ndjson", results_lines()[:3])
    results = load_results(path)
    assert not results.complete
    assert results.verdict == INCOMPLETE
    assert "no summary line" in results.notes[0]
    assert results.summary.counts["FAIL"] == 1 and results.summary.counts["PASS"] == 1
    # Requirements are derived from the recorded test cases when the summary is missing.
    assert results.summary.requirements[REQ_PAGINATION].outcome == "FAIL"
    assert results.summary.requirements["OCPI-2.2.1-VER-001"].outcome == "PASS"

    html = render_html(results)
    assert '<meta name="roamcert-verdict" content="INCOMPLETE">' in html
    assert "no summary line" in html
    junit = ET.parse(write_junit(results, tmp_path / "junit.xml")).getroot()
    assert junit.get("errors") == "1"  # the aborted run itself, so CI cannot go green
    assert junit.find("testsuite[@name='roamcert.run']/testcase/error") is not None


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ('{"type": "test_case", "id": ', "not valid JSON"),
        ("[1, 2]", "expected a JSON object"),
        ('{"type": "test_case", "id": "X", "module": "m", "role": "CPO", "outcome": "MAYBE"}', "'MAYBE'"),
        ('{"type": "test_case", "module": "m", "role": "CPO", "outcome": "PASS"}', "missing field 'id'"),
        ('{"type": "bogus"}', "unknown line type"),
    ],
)
def test_malformed_line_names_file_and_line(tmp_path: Path, line: str, problem: str) -> None:
    lines = [json.dumps(item) for item in results_lines()]
    lines.insert(2, line)
    path = tmp_path / "broken.ndjson"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ReportInputError) as info:
        load_results(path)
    assert info.value.line == 3
    assert "broken.ndjson, line 3" in str(info.value)
    assert problem in str(info.value)


def test_bad_finding_field_names_line(tmp_path: Path) -> None:
    lines = results_lines()
    lines[2]["findings"][0]["severity"] = "MANDATORY"
    with pytest.raises(ReportInputError, match=r"line 3: .*findings\[0\].*'MANDATORY'"):
        load_results(write_lines(tmp_path / "r.ndjson", lines))


def test_first_line_must_be_run_and_file_must_exist(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "r.ndjson", results_lines()[1:])
    with pytest.raises(ReportInputError, match=r"line 1: .*first line must have type 'run'"):
        load_results(path)
    with pytest.raises(ReportInputError, match="empty"):
        load_results(write_lines(tmp_path / "empty.ndjson", []))
    with pytest.raises(ReportInputError, match="cannot read"):
        load_results(tmp_path / "missing.ndjson")


# --------------------------------------------------------------------------- JUnit


def test_junit_counts_failure_skipped_error(results_file: Path, tmp_path: Path) -> None:
    root = ET.parse(write_junit(load_results(results_file), tmp_path / "junit.xml")).getroot()
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("errors"), root.get("skipped")) == (
        "4",
        "1",
        "1",
        "1",
    )
    assert len(root.findall("testsuite")) == 4

    failure_case = root.find("testsuite[@name='locations.CPO']/testcase")
    assert failure_case is not None
    assert failure_case.get("classname") == "locations.CPO"
    assert (
        failure_case.get("name")
        == "OCPI-2.2.1-LOC-CPO-003 Paginated GET /locations returns Link and X-Total-Count headers"
    )
    assert failure_case.get("time") == "1.900"
    failure = failure_case.find("failure")
    assert failure is not None
    assert failure.get("type") == "ocpi.pagination.link-header"
    assert failure.get("message") == FAIL_MESSAGE
    text = failure.text or ""
    assert REQ_PAGINATION in text and "expected: Link:" in text and "actual: no Link header" in text
    assert "transport_and_format.asciidoc#transport_and_format_pagination" in text
    # The RECOMMENDED finding is a warning in system-out, not part of the failure.
    assert "content-type-charset" not in text
    assert "WARNING (RECOMMENDED) [ocpi.http.content-type-charset]" in (
        failure_case.findtext("system-out") or ""
    )

    skipped = root.find("testsuite[@name='tariffs.CPO']/testcase/skipped")
    assert skipped is not None
    assert skipped.get("message") == "NOT_APPLICABLE: the SUT does not implement the tariffs module"
    error = root.find("testsuite[@name='sessions.CPO']/testcase/error")
    assert error is not None and "Connection refused" in (error.text or "")


def test_junit_strips_control_characters(tmp_path: Path) -> None:
    lines = results_lines()
    lines[2]["findings"][0]["message"] = "bad\x00 byte\x1b[31m and \x7f"
    results = load_results(write_lines(tmp_path / "r.ndjson", lines))
    root = ET.parse(write_junit(results, tmp_path / "junit.xml")).getroot()
    failure = root.find(".//failure")
    assert failure is not None and failure.get("message") == "bad byte[31m and "


# --------------------------------------------------------------------------- JSON


def test_json_report_round_trips_counts(results_file: Path, tmp_path: Path) -> None:
    results = load_results(results_file)
    doc = json.loads(write_json(results, tmp_path / "report.json").read_text(encoding="utf-8"))
    assert doc["verdict"] == "FAIL" and doc["complete"] is True
    assert doc["run"]["target"]["name"] == "Acme CPO staging"
    counts = doc["summary"]["counts"]
    assert {k: v for k, v in counts.items() if v} == {"PASS": 1, "FAIL": 1, "ERROR": 1, "NOT_APPLICABLE": 1}
    by_group = {(g["module"], g["role"]): g["counts"] for g in doc["summary"]["by_module_role"]}
    assert by_group == summarize(results)
    assert [tc["outcome"] for tc in doc["test_cases"]] == ["PASS", "FAIL", "NOT_APPLICABLE", "ERROR"]
    finding = doc["test_cases"][1]["findings"][0]
    assert finding["blocking"] is True and finding["evidence"] == ["x2"]
    assert doc["test_cases"][1]["exchanges"][0]["request_headers"]["Authorization"] == "Token [redacted]"


def test_coverage_maps_requirements_to_outcome_and_cases(results_file: Path, tmp_path: Path) -> None:
    results = load_results(results_file)
    doc = json.loads(write_coverage(results, tmp_path / "coverage.json").read_text(encoding="utf-8"))
    reqs = doc["requirements"]
    assert reqs[REQ_PAGINATION]["outcome"] == "FAIL"
    assert reqs[REQ_PAGINATION]["test_cases"] == ["OCPI-2.2.1-LOC-CPO-003"]
    assert reqs["OCPI-2.2.1-CDR-001"] == {
        "title": "CDRs GET returns CDR objects",
        "spec": "cdrs#cdrs_x",
        "module": "cdrs",
        "outcome": "NOT_COVERED",
        "test_cases": [],
    }
    assert doc["totals"]["NOT_COVERED"] == 1
    assert len(requirement_coverage(results)) == len(reqs) == 6
    assert doc["inventory"] == {}  # this summary line carries no requirement inventory


def test_coverage_carries_the_inventory_figures_of_the_summary(tmp_path: Path) -> None:
    lines = results_lines()
    row = {"spec_files": ["mod_cdrs"], "statements": 16, "upper": 14, "lower": 2, "not_a_party_rule": 0,
           "mapped": 16, "covered": 12, "justified": 4, "uncovered": 0, "unknown_requirement": 0}
    lines[-1]["inventory"] = {"cdrs": row}
    results = load_results(write_lines(tmp_path / "results.ndjson", lines))
    doc = json.loads(write_coverage(results, tmp_path / "coverage.json").read_text(encoding="utf-8"))
    assert doc["inventory"] == {"cdrs": row}
    lines[-1]["inventory"] = ["not", "an", "object"]
    with pytest.raises(ReportInputError, match="inventory"):
        load_results(write_lines(tmp_path / "bad.ndjson", lines))


# --------------------------------------------------------------------------- HTML


def test_html_has_verdict_findings_and_exchanges(results_file: Path, tmp_path: Path) -> None:
    html = write_html(load_results(results_file), tmp_path / "report.html").read_text(encoding="utf-8")
    assert '<meta name="roamcert-verdict" content="FAIL">' in html
    assert '<div class="verdict" id="verdict">FAIL</div>' in html
    assert FAIL_MESSAGE in html
    assert "Acme CPO staging" in html
    assert (
        'href="https://github.com/ocpi/ocpi/blob/release-2.2.1-bugfixes/'
        'transport_and_format.asciidoc#transport_and_format_pagination"'
    ) in html
    # Evidence links point at the exchange anchor, which exists.
    assert 'href="#tc-OCPI-2.2.1-LOC-CPO-003--x2"' in html
    assert 'id="tc-OCPI-2.2.1-LOC-CPO-003--x2"' in html
    assert "Token [redacted]" in html
    # Failed test cases are open by default, the others are not.
    assert 'id="tc-OCPI-2.2.1-LOC-CPO-003"\n data-outcome="FAIL" data-filter="failed" open>' in html
    assert 'data-outcome="PASS" data-filter="passed">' in html
    for label in ("All", "Failed", "Passed", "Not applicable"):
        assert f">{label} <span" in html


def test_html_escapes_sut_data(results_file: Path, tmp_path: Path) -> None:
    lines = results_lines()
    lines[2]["exchanges"][0]["response_headers"]["X-Evil"] = '"><img src=x onerror=alert(1)>'
    html = render_html(load_results(write_lines(tmp_path / "r.ndjson", lines)))
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;pwned&#x27;)&lt;/script&gt;" in html
    assert "<img src=x" not in html
    assert html.count("<script>") == 1  # only the report's own script


def test_html_is_self_contained(results_file: Path) -> None:
    html = render_html(load_results(results_file))
    assert "<link" not in html and " src=" not in html and "@import" not in html and "url(" not in html
    assert "default-src 'none'" in html


def test_writers_survive_hostile_text(tmp_path: Path) -> None:
    lines = results_lines()
    exchange = lines[2]["exchanges"][0]
    exchange["url"] += "&q=\x00\x1b"
    exchange["response_body"] = '{"name": "lone \\ud800 surrogate \\u0007 bell"}'
    paths = write_all(write_lines(tmp_path / "r.ndjson", lines), tmp_path / "out")
    ET.parse(paths["junit"])
    body = json.loads(paths["json"].read_text(encoding="utf-8"))["test_cases"][1]["exchanges"][0][
        "response_body"
    ]
    assert "\ud800" in json.loads(body)["name"]
    html = paths["html"].read_text(encoding="utf-8")
    assert "lone  surrogate \\u0007 bell" in html and "\x00" not in html and "\x1b" not in html


def test_write_all(results_file: Path, tmp_path: Path) -> None:
    paths = write_all(results_file, tmp_path / "out" / "reports")
    assert {k: p.name for k, p in paths.items()} == {
        "html": "report.html",
        "junit": "junit.xml",
        "json": "report.json",
        "coverage": "coverage.json",
    }
    assert all(p.is_file() and p.stat().st_size > 0 for p in paths.values())


# --------------------------------------------------------------------------- declared and tested, version not offered

SUT_DECLARED = {
    "platform": "acme-cpo", "roles": ["CPO"], "version": "2.2.1", "versions_offered": ["2.1.1", "2.2.1"],
    "version_offered": True, "connection": "pre-registered",
    "declared": [{"module": "locations", "interface_role": "SENDER"},
                 {"module": "tariffs", "interface_role": "SENDER"}],
    "tested": [{"module": "locations", "interface_role": "SENDER", "outcomes": {"FAIL": 1}},
               {"module": "tariffs", "interface_role": "SENDER", "outcomes": {"SKIP": 2}}],
    "declared_not_tested": [{"module": "tariffs", "interface_role": "SENDER"}],
    "usual_not_declared": [{"module": "sessions", "interface_role": "SENDER"},
                           {"module": "cdrs", "interface_role": "SENDER"}],
}
SUT_OTHER_VERSION = {
    "platform": "acme-emsp", "roles": ["EMSP"], "version": "2.2.1", "versions_offered": ["2.2"],
    "version_offered": False, "connection": "none", "declared": None, "tested": [],
    "declared_not_tested": None, "usual_not_declared": None,
}


def _with_sut(tmp_path: Path, *platforms: dict[str, Any], verdict: str = "FAIL") -> Path:
    lines = results_lines()
    lines[-1] = {**lines[-1], "verdict": verdict, "sut": list(platforms)}
    return write_lines(tmp_path / "results.ndjson", lines)


def test_the_summary_says_what_each_platform_declared_and_what_was_tested(tmp_path: Path) -> None:
    results = load_results(_with_sut(tmp_path, SUT_DECLARED))
    (cpo,) = results.summary.sut
    assert (cpo.platform, cpo.connection, cpo.versions_offered, cpo.version_offered) == (
        "acme-cpo", "pre-registered", ("2.1.1", "2.2.1"), True)
    assert [(t.module, t.exercised) for t in cpo.tested] == [("locations", True), ("tariffs", False)]
    assert cpo.usual_not_declared == (("sessions", "SENDER"), ("cdrs", "SENDER"))
    html = render_html(results)
    section = html[html.index('id="declared"'):html.index('id="attention"')]
    assert "acme-cpo" in section and "pre-registered" in section
    assert "Usual for its role, not declared" in section and "<code>sessions</code> sender" in section
    tested_row = section[section.index("Tested (a case judged it)"):section.index("Declared, not tested")]
    assert "<code>locations</code>" in tested_row and "tariffs" not in tested_row  # only SKIPs: not tested
    document = json.loads(write_json(results, tmp_path / "report.json").read_text("utf-8"))
    assert document["summary"]["sut"][0]["usual_not_declared"] == SUT_DECLARED["usual_not_declared"]
    assert document["summary"]["sut"][0]["tested"][1]["exercised"] is False
    props = {p.get("name"): p.get("value") for p in
             ET.parse(write_junit(results, tmp_path / "junit.xml")).getroot().iter("property")}
    assert props["sut.acme-cpo.usual_not_declared"] == "sessions:SENDER,cdrs:SENDER"
    assert props["sut.acme-cpo.tested"] == "locations:SENDER"


def test_a_version_not_offered_is_its_own_verdict_in_every_report(tmp_path: Path) -> None:
    results = load_results(_with_sut(tmp_path, SUT_DECLARED, SUT_OTHER_VERSION, verdict="VERSION_NOT_OFFERED"))
    assert results.verdict == "VERSION_NOT_OFFERED" and results.notes == ()
    assert results.summary.sut[1].declared is None and results.summary.sut[1].version_offered is False
    html = render_html(results)
    assert 'id="verdict">VERSION_NOT_OFFERED<' in html and "v-long" in html
    assert "(not 2.2.1: nothing of 2.2.1 was tested)" in html
    assert "not read (roamcert never reached its version details)" in html
    root = ET.parse(write_junit(results, tmp_path / "junit.xml")).getroot()
    failure = root.find("testsuite[@name='roamcert.version']/testcase/failure")
    assert failure is not None and failure.get("type") == "VERSION_NOT_OFFERED"
    assert failure.get("message") == "acme-emsp: offers 2.2, not 2.2.1"
    assert json.loads(write_json(results, tmp_path / "r.json").read_text("utf-8"))["verdict"] == "VERSION_NOT_OFFERED"


def test_a_summary_without_sut_still_loads_and_an_unknown_verdict_is_refused(tmp_path: Path) -> None:
    assert load_results(write_lines(tmp_path / "old.ndjson", results_lines())).summary.sut == ()
    lines = results_lines()
    lines[-1] = {**lines[-1], "verdict": "MAYBE"}
    with pytest.raises(ReportInputError, match="VERSION_NOT_OFFERED"):
        load_results(write_lines(tmp_path / "bad.ndjson", lines))
    lines[-1] = {**lines[-1], "verdict": "FAIL", "sut": [{**SUT_DECLARED, "version_offered": "yes"}]}
    with pytest.raises(ReportInputError, match="version_offered"):
        load_results(write_lines(tmp_path / "bad2.ndjson", lines))


def test_html_names_the_limit_and_the_rate_limit_waits_of_an_exchange(tmp_path: Path) -> None:
    lines = results_lines()
    exchange = lines[2]["exchanges"][0]
    exchange["retries"] = ["HTTP 429 asked to retry after 2 s: waited and sent the request again"]
    exchange["limit"] = exchange["error"] = "response-size cap of 4 MiB reached: roamcert stopped reading it"
    results = load_results(write_lines(tmp_path / "r.ndjson", lines))
    assert results.test_cases[1].exchanges[0].retries == (exchange["retries"][0],)
    html = render_html(results)
    assert "<strong>Rate limited</strong> HTTP 429 asked to retry after 2 s: waited and sent the request again" in html
    assert "<strong>Error</strong> response-size cap of 4 MiB reached: roamcert stopped reading it" in html
