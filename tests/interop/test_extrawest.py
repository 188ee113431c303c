"""Interop: a real certification run of roamcert against extrawest-ocpi, an OCPI 2.2.1 implementation from PyPI.

Each case starts extrawest-ocpi (tests/interop/extrawest_cpo.py or extrawest_emsp.py) in a subprocess on a free
loopback port, writes a target file, runs ``python -m conformance.cli run`` in another subprocess and judges
the *run*, not the SUT: it finished with a verdict, the results file is complete, the HTML report exists, no
test case ended in a roamcert harness error, and every FAIL finding is precise (check id, requirement ids,
spec anchor, expected/actual or a message, evidence that points at recorded exchanges). The SUT's own
deviations are expected to fail the verdict; they are not asserted here.

extrawest-ocpi (import name ``py_ocpi``) pins pydantic 1, FastAPI 0.101 and httpx 0.24, which would break
roamcert's own dependencies, so it lives in its own virtual environment:

    python -m venv /tmp/extrawest-venv && /tmp/extrawest-venv/bin/pip install extrawest-ocpi uvicorn

The app runs with the first Python that can import ``py_ocpi``: this interpreter, $EXTRAWEST_PYTHON, or
/tmp/extrawest-venv/bin/python. Without one the module is skipped.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import socket
import subprocess
import sys
import time
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
TOKENS_A = ["interop-token-a-1", "interop-token-a-2", "interop-token-a-3", "interop-token-a-4"]
RUN_TIMEOUT = 300


def _app_python() -> str | None:
    """The first interpreter that can import py_ocpi (extrawest-ocpi), or None."""
    if importlib.util.find_spec("py_ocpi") is not None:
        return sys.executable
    for candidate in (os.environ.get("EXTRAWEST_PYTHON"), "/tmp/extrawest-venv/bin/python"):
        if not candidate or not Path(candidate).is_file():
            continue
        try:
            probe = subprocess.run([candidate, "-c", "import py_ocpi"], capture_output=True, timeout=60, check=False)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if probe.returncode == 0:
            return candidate
    return None


APP_PYTHON = _app_python()

pytestmark = pytest.mark.skipif(
    APP_PYTHON is None,
    reason="extrawest-ocpi is not installed (python -m venv /tmp/extrawest-venv && "
           "/tmp/extrawest-venv/bin/pip install extrawest-ocpi uvicorn, or set EXTRAWEST_PYTHON)",
)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _wait_listening(process: subprocess.Popen[bytes], port: int, log: Path, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the extrawest-ocpi app exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"the extrawest-ocpi app did not listen on 127.0.0.1:{port} within {timeout:.0f} s:\n"
                f"{log.read_text()[-3000:]}")


@contextlib.contextmanager
def _serving(role: str, slash_tolerant: bool, tmp_path: Path) -> Iterator[dict[str, Any]]:
    """extrawest-ocpi serving ``role`` on a free loopback port, stopped at the end whatever happens."""
    assert APP_PYTHON is not None
    port = _free_port()
    log = tmp_path / "sut.log"
    argv = [APP_PYTHON, "-m", f"tests.interop.extrawest_{role.lower()}", "--port", str(port)]
    for token in TOKENS_A:
        argv += ["--token-a", token]
    if slash_tolerant:
        argv.append("--slash-tolerant")
    with log.open("wb") as out:
        process = subprocess.Popen(argv, cwd=REPO, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        _wait_listening(process, port, log)
        yield {"role": role, "versions_url": f"http://127.0.0.1:{port}/ocpi/versions", "log": log}
    finally:
        _stop(process)


def _target(tmp_path: Path, sut: dict[str, Any]) -> Path:
    path = tmp_path / "extrawest.toml"
    path.write_text("\n".join([
        f'name = "extrawest-ocpi {sut["role"]} (interop)"',
        'protocol = "OCPI"',
        'version = "2.2.1"',
        f'roles = ["{sut["role"]}"]',
        f'versions_url = "{sut["versions_url"]}"',
        f'token_a = "{TOKENS_A[0]}"',
        "extra_tokens_a = [" + ", ".join(f'"{t}"' for t in TOKENS_A[1:]) + "]",
        "timeout = 15",
        "",
        "[partner]",
        f'listen = "127.0.0.1:{_free_port()}"',
        "",
    ]), encoding="utf-8")
    return path


def _records(results: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in results.read_text(encoding="utf-8").splitlines() if line.strip()]


def _token_values(node: Any) -> Iterator[Any]:
    """Every value of a "token" key in a JSON document (credentials objects carry the secret there)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "token":
                yield value
            yield from _token_values(value)
    elif isinstance(node, list):
        for item in node:
            yield from _token_values(item)


CASES = [("CPO", False), ("CPO", True), ("EMSP", False), ("EMSP", True)]
CASE_IDS = [f"{role}-{'slash-tolerant' if tolerant else 'as-published'}" for role, tolerant in CASES]
DEVIATIONS_FILE = Path(__file__).with_name("extrawest_deviations.toml")


@dataclass(frozen=True)
class Deviation:
    """A check extrawest-ocpi is known to fail in a run, and why that is extrawest's deviation from the spec
    (not a roamcert false alarm)."""

    case: str  # one of CASE_IDS
    check_id: str
    reason: str


def _deviations() -> list[Deviation]:
    raw = tomllib.loads(DEVIATIONS_FILE.read_text(encoding="utf-8"))
    out = []
    for entry in raw.get("deviation", []):
        for case in entry["cases"]:
            assert case in CASE_IDS, f"{DEVIATIONS_FILE.name}: unknown case {case!r}"
            out.append(Deviation(case, entry["check"], entry["reason"]))
    return out


DEVIATIONS = _deviations()


@dataclass(frozen=True)
class Run:
    returncode: int
    stdout: str
    stderr: str
    out: Path
    role: str


_RUNS: dict[str, Run] = {}


def _run(case: str, tmp_path_factory: pytest.TempPathFactory) -> Run:
    """roamcert certifying extrawest-ocpi in ``case`` (once per test session)."""
    if case not in _RUNS:
        role, tolerant = CASES[CASE_IDS.index(case)]
        tmp_path = tmp_path_factory.mktemp(case)
        with _serving(role, tolerant, tmp_path) as sut:
            target = _target(tmp_path, sut)
            out = tmp_path / "report"
            try:
                done = subprocess.run([sys.executable, "-m", "conformance.cli", "run", "--target", str(target),
                                       "--out", str(out)], cwd=REPO, capture_output=True, text=True,
                                      timeout=RUN_TIMEOUT, stdin=subprocess.DEVNULL, check=False)
            except subprocess.TimeoutExpired as exc:
                pytest.fail(f"roamcert run did not finish within {RUN_TIMEOUT} s; output so far:\n{exc.stdout!r}")
        _RUNS[case] = Run(done.returncode, done.stdout, done.stderr, out, role)
    return _RUNS[case]


def _failing(run: Run) -> dict[str, list[str]]:
    """check id -> the test cases in which it failed."""
    failing: dict[str, list[str]] = {}
    for record in _records(run.out / "results.ndjson"):
        if record["type"] != "test_case":
            continue
        for finding in record["findings"]:
            if finding["outcome"] == "FAIL":
                failing.setdefault(finding["check_id"], []).append(record["id"])
    return failing


@pytest.mark.parametrize("case", CASE_IDS)
def test_roamcert_certifies_extrawest(case: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    run = _run(case, tmp_path_factory)
    sut = {"role": run.role}
    out = run.out
    context = f"exit code {run.returncode}\nstdout:\n{run.stdout[-4000:]}\nstderr:\n{run.stderr[-4000:]}"
    # The run finished with a verdict (0 PASS, 1 FAIL); 2 means it could not start.
    assert run.returncode in (0, 1), context
    assert "roamcert verdict:" in run.stdout, context

    results = out / "results.ndjson"
    assert results.is_file(), context
    records = _records(results)
    assert records and records[0]["type"] == "run", "the results file does not start with the run line"
    assert records[-1]["type"] == "summary", "the results file does not end with a summary line"
    assert sum(1 for r in records if r["type"] == "summary") == 1
    summary = records[-1]
    assert summary["verdict"] in ("PASS", "FAIL")
    assert (run.returncode == 0) == (summary["verdict"] == "PASS"), context
    assert (out / "report.html").is_file(), "report.html was not written"

    cases = [r for r in records if r["type"] == "test_case"]
    assert cases, "no test case was executed"
    assert all(r["role"] == sut["role"] for r in cases), "a test case for another role ran"
    counts: dict[str, int] = {}
    for record in cases:
        counts[record["outcome"]] = counts.get(record["outcome"], 0) + 1
    assert counts == summary["counts"], "the summary counts differ from the test case lines"

    # No harness bug: an ERROR whose reason starts with "roamcert error" is an exception inside roamcert.
    harness_errors = [f"{r['id']}: {r['reason']}" for r in cases
                      if r["outcome"] == "ERROR" and str(r.get("reason") or "").startswith("roamcert error")]
    assert not harness_errors, "roamcert harness errors:\n" + "\n".join(harness_errors)

    # Every FAIL finding is precise, and every FAIL test case is backed by a blocking finding.
    vague = []
    for record in cases:
        exchange_ids = {x["id"] for x in record["exchanges"]}
        for finding in record["findings"]:
            if finding["outcome"] != "FAIL":
                continue
            where = f"{record['id']} {finding.get('check_id')!r}"
            if not finding.get("check_id"):
                vague.append(f"{where}: no check_id")
            if not finding.get("requirements"):
                vague.append(f"{where}: no requirement ids")
            if not finding.get("spec"):
                vague.append(f"{where}: no spec anchor")
            if finding.get("expected") is None and finding.get("actual") is None and not finding.get("message"):
                vague.append(f"{where}: neither expected/actual nor a message")
            if not finding.get("evidence") or not set(finding["evidence"]) <= exchange_ids:
                vague.append(f"{where}: evidence {finding.get('evidence')} does not name recorded exchanges")
        if record["outcome"] == "FAIL" and not any(
                f["outcome"] == "FAIL" and f["severity"] == "REQUIRED" for f in record["findings"]):
            vague.append(f"{record['id']}: FAIL without a blocking finding")
    assert not vague, "imprecise findings:\n" + "\n".join(vague)

    # Credentials never reach the results or the report.
    text = results.read_text(encoding="utf-8") + (out / "report.html").read_text(encoding="utf-8")
    leaked = [t for t in TOKENS_A if t in text]
    assert not leaked, f"token(s) A in the report: {len(leaked)}"
    for record in cases:
        for exchange in record["exchanges"]:
            for body in (exchange.get("request_body"), exchange.get("response_body")):
                try:
                    parsed = json.loads(body) if body else None
                except ValueError:
                    continue
                clear = [v for v in _token_values(parsed) if v not in ("[redacted]", None)]
                assert not clear, f"{record['id']} {exchange['id']}: a credentials token is not redacted"


@pytest.mark.parametrize("case", CASE_IDS)
def test_every_failing_check_is_a_known_deviation(case: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    """A check failing that is not listed is either a new deviation of extrawest-ocpi or a roamcert false alarm:
    triage it, then list it (with the reason it is extrawest's) or fix roamcert."""
    known = {d.check_id for d in DEVIATIONS if d.case == case}
    unknown = {check: cases for check, cases in _failing(_run(case, tmp_path_factory)).items() if check not in known}
    assert unknown == {}, f"failing checks not listed in {DEVIATIONS_FILE.name}: {unknown}"


@pytest.mark.parametrize("deviation", [
    pytest.param(d, id=f"{d.case}-{d.check_id}", marks=pytest.mark.xfail(reason=d.reason, strict=True))
    for d in DEVIATIONS])
def test_known_deviation(deviation: Deviation, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Passes once extrawest-ocpi conforms; until then a strict xfail, so a fix turns it green loudly."""
    failing = _failing(_run(deviation.case, tmp_path_factory))
    assert deviation.check_id not in failing, f"{deviation.check_id} fails in {failing.get(deviation.check_id)}"
