"""The HTML report rendered by a real headless Chromium: the DOM after JS ran, and a screenshot."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from reports import load_results, write_html

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        shutil.which("chromium") is None, reason="headless Chromium ('chromium') is not on PATH"
    ),
]

FAIL_MESSAGE = "Paginated response has no Link header although more objects are available"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
VERSIONS_URL = "https://ocpi.acme.example/ocpi/versions"


def _case(case_id: str, module: str, outcome: str, **extra: Any) -> dict[str, Any]:
    return {
        "type": "test_case",
        "id": case_id,
        "title": f"{module} scenario {case_id[-3:]}",
        "module": module,
        "role": "CPO",
        "interface_role": "SENDER",
        "version": "2.2.1",
        "feature": f"features/ocpi/2.2.1/{module}.feature",
        "scenario": f"{module} scenario",
        "nodeid": f"features/ocpi/2.2.1/test_{module}.py::test_{case_id[-3:]}",
        "outcome": outcome,
        "duration_s": 0.4,
        "reason": None,
        "steps": [{"keyword": "Then", "name": "the response is valid", "outcome": "PASS"}],
        "requirements": [],
        "findings": [],
        "exchanges": [],
        **extra,
    }


def _results_file(path: Path) -> Path:
    exchange = {
        "id": "x1",
        "direction": "outbound",
        "method": "GET",
        "url": "https://ocpi.acme.example/ocpi/cpo/2.2.1/locations?offset=0&limit=10",
        "request_headers": {"Authorization": "Token [redacted]", "X-Request-ID": "r-1"},
        "request_body": None,
        "status": 200,
        "response_headers": {"Content-Type": "application/json", "X-Total-Count": "120"},
        "response_body": json.dumps({"data": [{"id": "L1", "name": "<script>alert(1)</script>"}]}),
        "elapsed_ms": 38.2,
        "error": None,
    }
    finding = {
        "check_id": "ocpi.pagination.link-header",
        "outcome": "FAIL",
        "message": FAIL_MESSAGE,
        "requirements": ["OCPI-2.2.1-TF-PAG-004"],
        "spec": "transport_and_format#transport_and_format_pagination",
        "severity": "REQUIRED",
        "expected": 'Link: <https://...?offset=10&limit=10>; rel="next"',
        "actual": "no Link header",
        "evidence": ["x1"],
    }
    lines = [
        {
            "type": "run",
            "run_id": "run-browser-1",
            "started": "2025-03-14T09:30:00Z",
            "roamcert_version": "0.1.0",
            "target": {
                "name": "Acme CPO staging",
                "protocol": "OCPI",
                "version": "2.2.1",
                "roles": ["CPO"],
                "versions_url": "https://ocpi.acme.example/ocpi/versions",
            },
        },
        _case("OCPI-2.2.1-VER-CPO-001", "versions", "PASS", exchanges=[{**exchange, "url": VERSIONS_URL}]),
        _case(
            "OCPI-2.2.1-LOC-CPO-003",
            "locations",
            "FAIL",
            requirements=["OCPI-2.2.1-TF-PAG-004"],
            findings=[finding],
            exchanges=[exchange],
        ),
        _case("OCPI-2.2.1-TAR-CPO-001", "tariffs", "NOT_APPLICABLE", reason="tariffs module not implemented"),
        _case("OCPI-2.2.1-SES-CPO-002", "sessions", "ERROR", reason="connection to the SUT refused"),
        {
            "type": "summary",
            "finished": "2025-03-14T09:30:05Z",
            "duration_s": 5.2,
            "counts": {"PASS": 1, "FAIL": 1, "ERROR": 1, "NOT_APPLICABLE": 1},
            "verdict": "FAIL",
            "requirements": {
                "OCPI-2.2.1-TF-PAG-004": {
                    "title": "Paginated responses carry a Link header",
                    "spec": "transport_and_format#transport_and_format_pagination",
                    "module": "locations",
                    "outcome": "FAIL",
                }
            },
        },
    ]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


def _chromium(tmp_path: Path, name: str, *args: str) -> subprocess.CompletedProcess[bytes]:
    profile = tmp_path / f"profile-{name}"
    command = [
        "chromium",
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        *args,
    ]
    env = {**os.environ, "HOME": str(tmp_path)}
    result = subprocess.run(command, capture_output=True, timeout=180, check=False, env=env)
    assert result.returncode == 0, result.stderr.decode(errors="replace")[-2000:]
    return result


@pytest.fixture
def report(tmp_path: Path) -> Path:
    results = load_results(_results_file(tmp_path / "results.ndjson"))
    return write_html(results, tmp_path / "report.html")


def test_dom_after_js_has_verdict_and_finding(report: Path, tmp_path: Path) -> None:
    dom = _chromium(tmp_path, "dom", "--dump-dom", report.as_uri()).stdout.decode("utf-8")
    assert 'data-js="ready"' in dom  # the inline script ran (and its CSP hash matched)
    assert "4 of 4 shown" in dom
    assert '<div class="verdict" id="verdict">FAIL</div>' in dom
    assert FAIL_MESSAGE in dom
    assert "<script>alert" not in dom


def test_screenshot_is_a_png(report: Path, tmp_path: Path) -> None:
    shot = tmp_path / "shot.png"
    _chromium(tmp_path, "shot", f"--screenshot={shot}", "--window-size=1280,2000", report.as_uri())
    data = shot.read_bytes()
    assert data.startswith(PNG_SIGNATURE)
    assert len(data) > 10_000


def test_deep_link_opens_collapsed_exchange(report: Path, tmp_path: Path) -> None:
    anchor = "tc-OCPI-2.2.1-VER-CPO-001--x1"
    dom = _chromium(tmp_path, "link", "--dump-dom", f"{report.as_uri()}#{anchor}").stdout.decode("utf-8")
    assert '<details class="tc o-pass" id="tc-OCPI-2.2.1-VER-CPO-001" data-outcome="PASS"' in dom
    assert f'<details class="exchange" id="{anchor}" open="">' in dom
    assert 'data-filter="passed" open="">' in dom
