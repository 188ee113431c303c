"""End to end: a SUT that cannot be reached is a harness ERROR, recorded and reported, never a FAIL or a PASS."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conformance.cli import main

CASE_ID = "OCPI-2.2.1-TC-LOC-CPO-01"
UNREACHABLE = "http://127.0.0.1:9/ocpi/versions"  # the discard port: nothing listens there
TOKEN_A = "tok-A-unreachable-7c1d"


@pytest.fixture(scope="module")
def unreachable_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, Path, str]:
    base = tmp_path_factory.mktemp("harness_errors")
    target = base / "target.toml"
    target.write_text(f'name = "Nobody home"\nroles = ["CPO"]\nversions_url = "{UNREACHABLE}"\n'
                      f'token_a = "{TOKEN_A}"\ntimeout = 3\n', encoding="utf-8")
    out = base / "out"
    code = main(["run", "--target", str(target), "--out", str(out), "--id", CASE_ID])
    return code, out, str(target)


def _records(out: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (out / "results.ndjson").read_text(encoding="utf-8").splitlines()]


def test_exit_code_is_1(unreachable_run: tuple[int, Path, str]) -> None:
    code, _out, _target = unreachable_run
    assert code == 1


def test_results_record_the_test_case_as_error(unreachable_run: tuple[int, Path, str]) -> None:
    _code, out, _target = unreachable_run
    records = _records(out)
    assert [r["type"] for r in records] == ["run", "test_case", "summary"]
    run, case, summary = records
    assert run["target"]["versions_url"] == UNREACHABLE
    assert run["target"]["roles"] == ["CPO"]

    assert case["id"] == CASE_ID
    assert case["outcome"] == "ERROR"
    assert case["role"] == "CPO"
    reason = case["reason"]
    assert reason is not None
    assert "SutUnreachable" in reason
    assert UNREACHABLE in reason
    assert "connect" in reason.lower()
    # the failing step is marked, the exchange that got no answer is recorded with its error
    assert case["steps"][-1]["outcome"] == "ERROR"
    assert [x["url"] for x in case["exchanges"]] == [UNREACHABLE]
    assert case["exchanges"][0]["status"] is None
    assert case["exchanges"][0]["error"]
    # no verdict on the SUT: no FAIL finding comes from a harness error
    assert [f for f in case["findings"] if f["outcome"] == "FAIL"] == []

    assert summary["counts"] == {"ERROR": 1}
    assert summary["verdict"] == "FAIL"


def test_token_a_is_not_in_any_output(unreachable_run: tuple[int, Path, str]) -> None:
    _code, out, _target = unreachable_run
    written = sorted(p for p in out.iterdir() if p.is_file())
    assert written
    for path in written:
        assert TOKEN_A not in path.read_text(encoding="utf-8"), path.name


def test_html_report_shows_the_error(unreachable_run: tuple[int, Path, str]) -> None:
    _code, out, _target = unreachable_run
    report = out / "report.html"
    assert report.is_file()
    html = report.read_text(encoding="utf-8")
    assert "ERROR" in html
    assert CASE_ID in html
    assert "127.0.0.1:9" in html
