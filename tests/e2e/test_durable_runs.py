"""Durable runs: a `roamcert run` killed with SIGKILL half-way and resumed ends as a clean run does; `--last-failed`
merges its new outcomes into the earlier results (real `roamcert run` subprocesses against the reference)."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

# A small selection that still holds what a resumed run must get right: registration cases first, module cases
# that need a connection, and unregistration last.
SELECTION = ["--role", "CPO", "--module", "credentials", "--module", "locations"]
# A fault profile, so FAILs are compared too (the CPO's paginated lists never carry a Link header).
PROFILES = {"conformant": [], "faulty": ["--profile", "CPO=missing_link_header"]}


def _roamcert(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "conformance.cli", *args], capture_output=True, text=True,
                          timeout=300, check=False)


def _records(results: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in results.read_text(encoding="utf-8").splitlines() if line.strip()]


def _cases(results: Path) -> dict[tuple[str, str], tuple[str, frozenset[str]]]:
    """Per test case: its outcome and the checks that failed in it."""
    return {(r["id"], r["role"]): (r["outcome"], frozenset(f["check_id"] for f in r["findings"]
                                                          if f["outcome"] != "PASS"))
            for r in _records(results) if r["type"] == "test_case"}


def _summary(results: Path) -> dict[str, Any]:
    last = _records(results)[-1]
    assert last["type"] == "summary"
    return last


def _killed_run(out: Path, after: int, *args: str) -> int:
    """Start a run and SIGKILL it once its results file holds ``after`` test case lines; the number it held."""
    results = out / "results.ndjson"
    process = subprocess.Popen([sys.executable, "-m", "conformance.cli", "run", "--out", str(out), *args],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and process.poll() is None:
            if results.is_file() and results.read_text(encoding="utf-8").count('"type": "test_case"') >= after:
                break
            time.sleep(0.02)
        assert process.poll() is None, "the run finished before it could be killed"
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    return sum(1 for line in results.read_text(encoding="utf-8").splitlines() if '"type": "test_case"' in line)


@pytest.fixture(scope="module")
def clean_runs(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """The report directory of an uninterrupted run per profile (each run once)."""
    done: dict[str, Path] = {}

    def clean(profile: str) -> Path:
        if profile not in done:
            out = tmp_path_factory.mktemp(f"clean-{profile}")
            run = _roamcert("run", "--target", "reference", "--out", str(out), *PROFILES[profile], *SELECTION)
            assert run.returncode in (0, 1), run.stdout + run.stderr
            done[profile] = out
        return done[profile]

    return clean


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_a_killed_run_resumed_ends_as_a_clean_run(clean_runs: Callable[[str], Path], profile: str,
                                                  tmp_path: Path) -> None:
    clean = clean_runs(profile)
    expected = _cases(clean / "results.ndjson")
    assert len(expected) >= 10
    if profile == "faulty":
        assert any(outcome == "FAIL" for outcome, _ in expected.values())
    else:
        assert {outcome for outcome, _ in expected.values()} == {"PASS"}
    out = tmp_path / "run"
    recorded = _killed_run(out, len(expected) // 2, "--target", "reference", *PROFILES[profile], *SELECTION)
    assert 0 < recorded < len(expected)
    assert '"type": "summary"' not in (out / "results.ndjson").read_text(encoding="utf-8")

    resumed = _roamcert("run", "--resume", str(out), "--target", "reference", *PROFILES[profile])
    assert resumed.returncode == (1 if profile == "faulty" else 0), resumed.stdout + resumed.stderr
    results = out / "results.ndjson"
    records = _records(results)
    assert [r["type"] for r in records].count("run") == 1
    assert _cases(results) == expected
    assert len([r for r in records if r["type"] == "test_case"]) == len(expected)  # nothing ran twice
    summary, reference = _summary(results), _summary(clean / "results.ndjson")
    assert summary["verdict"] == reference["verdict"] == ("FAIL" if profile == "faulty" else "PASS")
    assert summary["counts"] == reference["counts"]
    assert summary["requirements"] == reference["requirements"]
    assert summary["sut"] == reference["sut"]
    assert f"roamcert verdict: {summary['verdict']}" in resumed.stdout
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["verdict"] == summary["verdict"]
    assert (out / "report.html").is_file() and (out / "junit.xml").is_file()


def test_last_failed_merges_into_the_earlier_results(clean_runs: Callable[[str], Path], tmp_path: Path) -> None:
    """Two cases of a PASS run are made to look failed; --last-failed re-runs only them against the conformant
    reference, keeps every other line as it was, and the summary and reports say PASS over all of them."""
    clean = clean_runs("conformant")
    out = tmp_path / "run"
    out.mkdir()
    records = _records(clean / "results.ndjson")[:-1]  # without its summary, re-written below
    cases = [r for r in records if r["type"] == "test_case"]
    failed = [cases[1], cases[-3]]
    for record in failed:
        record.update(outcome="FAIL", reason="made to fail by the test")
    summary = _summary(clean / "results.ndjson")
    summary.update(verdict="FAIL", counts={"PASS": len(cases) - 2, "FAIL": 2})
    earlier = "".join(json.dumps(r) + "\n" for r in (*records, summary))
    (out / "results.ndjson").write_text(earlier, encoding="utf-8")

    rerun = _roamcert("run", "--last-failed", "--out", str(out), "--target", "reference")
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert "2 passed" in rerun.stdout
    assert (out / "results.previous.ndjson").read_text(encoding="utf-8") == earlier
    merged = _records(out / "results.ndjson")
    assert merged[0] == records[0]  # the same run
    merged_cases = [r for r in merged if r["type"] == "test_case"]
    assert [(r["id"], r["role"]) for r in merged_cases] == [(r["id"], r["role"]) for r in cases]  # same order
    for before, after in zip(cases, merged_cases, strict=True):
        if before in failed:
            assert after["outcome"] == "PASS" and after["reason"] is None
        else:
            assert after == before  # the earlier passes are kept as they were
    final = merged[-1]
    assert final["type"] == "summary"
    assert final["verdict"] == "PASS" and final["counts"] == {"PASS": len(cases)}
    assert final["sut"] == summary["sut"]
    assert json.loads((out / "report.json").read_text(encoding="utf-8"))["verdict"] == "PASS"


def test_a_resumed_run_against_a_served_sut_uses_no_spent_token_a(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A SUT accepts each token A once: killed after its registration, the run resumes with the target's next
    unused token A (the run state says which were used) and ends as a clean run does, all PASS."""
    from tests.e2e.test_serve_and_run import ADMIN_SECRETS, _free_port, _token_a, served

    with served("cpo", "conformant") as (port, token):
        monkeypatch.setenv("ROAMCERT_TEST_ADMIN_SECRET", ADMIN_SECRETS[port])  # the runs' register action sends it
        extra = [_token_a(port) for _ in range(8)]
        target = tmp_path / "target.toml"
        target.write_text(
            f'name = "served cpo"\nroles = ["CPO"]\nversions_url = "http://127.0.0.1:{port}/ocpi/cpo/versions"\n'
            f'token_a = "{token}"\nextra_tokens_a = {json.dumps(extra)}\n'
            f'[partner]\nlisten = "127.0.0.1:{_free_port()}"\n'
            f'[actions.register]\nhttp = "POST http://127.0.0.1:{port}/admin/register"\n'
            'secret_env = "ROAMCERT_TEST_ADMIN_SECRET"\n', encoding="utf-8")
        out = tmp_path / "run"
        selection = ["--module", "credentials", "--module", "locations"]
        recorded = _killed_run(out, 7, "--target", str(target), *selection)
        state = json.loads((out / "run-state.json").read_text(encoding="utf-8"))
        assert state["tokens_a_used"]["sut-cpo"], "the registration cases used tokens A"
        assert token not in (out / "run-state.json").read_text(encoding="utf-8")
        resumed = _roamcert("run", "--resume", str(out), "--target", str(target))
    assert resumed.returncode == 0, resumed.stdout[-3000:] + resumed.stderr[-3000:]
    cases = _cases(out / "results.ndjson")
    assert recorded < len(cases) and len(cases) >= 10
    assert {key: outcome for key, (outcome, _) in cases.items() if outcome != "PASS"} == {}
    assert _summary(out / "results.ndjson")["verdict"] == "PASS"
    written = "".join(f.read_text(encoding="utf-8") for f in out.iterdir() if f.is_file())
    assert not [t for t in (token, *extra) if t in written], "a token A leaked into the results or reports"
