"""Whole certification runs against a hostile partner: the run ends, within its bounds, with every report
written and each case saying which of roamcert's limits stopped it, at which URL."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from tests.hostile.server import gzip_bomb, hostile_server

REPORTS = ("results.ndjson", "report.html", "junit.xml", "report.json", "coverage.json")
# Runs the CLI in this child process and prints its peak resident memory (KiB on Linux) as the last line.
MEASURED = ("import resource, runpy, sys\n"
            "sys.argv = ['roamcert', *sys.argv[1:]]\n"
            "try:\n    runpy.run_module('conformance.cli', run_name='__main__')\n"
            "finally:\n    print('maxrss', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run(tmp_path: Path, versions_url: str, bounds: str) -> tuple[list[dict[str, Any]], float, int]:
    """(test case records, wall seconds, peak resident KiB) of `roamcert run` against ``versions_url``."""
    target = tmp_path / "hostile.toml"
    target.write_text(f'name = "hostile"\n{bounds}\nroles = ["CPO"]\nversions_url = "{versions_url}"\n'
                      f'token_a = "hostile-A-0123456789"\n[partner]\nlisten = "127.0.0.1:{_free_port()}"\n',
                      encoding="utf-8")
    out = tmp_path / "report"
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", MEASURED, "run", "--target", str(target), "--out", str(out)],
                          capture_output=True, text=True, timeout=120, check=False)
    elapsed = time.monotonic() - started
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    for name in REPORTS:
        assert (out / name).is_file(), (name, done.stdout[-2000:], done.stderr[-2000:])
    records = [json.loads(line) for line in (out / "results.ndjson").read_text(encoding="utf-8").splitlines()]
    assert records[-1]["type"] == "summary" or "verdict" in records[-1]
    maxrss = int(done.stdout.strip().splitlines()[-1].split()[-1])
    return [r for r in records if r["type"] == "test_case"], elapsed, maxrss


def test_a_run_against_a_gzip_bomb_stays_small_and_names_the_cap(tmp_path: Path) -> None:
    with hostile_server(gzip_bomb()) as base:
        url = f"{base}/bomb/ocpi/versions"
        cases, elapsed, maxrss = _run(tmp_path, url, "timeout = 5")
    print(f"\nwhole run against a 1 GiB gzip bomb: {elapsed:.1f} s, peak RSS {maxrss / 1024:.0f} MiB")
    # The bound says the 1 GiB bomb was not inflated: a run takes about 140 MiB; once, in the whole suite under
    # pytest-xdist, one took 426 MiB (not reproduced alone, under load, or with the hostile modules side by side).
    assert maxrss < 640 * 1024, f"peak RSS {maxrss / 1024:.0f} MiB"
    assert len(cases) > 60 and {c["outcome"] for c in cases} <= {"ERROR", "SKIP", "MANUAL_PENDING"}
    cap = f"GET {url}: roamcert gave up on the answer: response-size cap of 4 MiB reached"
    errors = [c for c in cases if c["outcome"] == "ERROR"]
    assert errors and all(cap in c["reason"] for c in errors), [c["reason"] for c in errors]
    assert all(cap in c["reason"] for c in cases if c["outcome"] == "SKIP")
    limited = [x for c in errors for x in c["exchanges"] if x.get("limit")]
    assert limited and all(x["status"] is None and x["url"] == url for x in limited)
    # each case stopped by the cap holds the finding naming it and the URL, with the exchange as evidence
    for case in errors:
        named = [f for f in case["findings"] if f["check_id"] == "roamcert.limits.reached"]
        assert named and all(f"on GET {url}: response-size cap of 4 MiB" in f["message"] for f in named), case["id"]
        assert {e for f in named for e in f["evidence"]} == {x["id"] for x in case["exchanges"] if x.get("limit")}


def test_the_run_budget_ends_a_run_against_a_dripping_partner(tmp_path: Path) -> None:
    with hostile_server() as base:
        url = f"{base}/drip/ocpi/versions"
        cases, elapsed, _ = _run(tmp_path, url, "timeout = 2\nrun_budget = 3")
    assert elapsed < 30, elapsed
    spent = [c for c in cases if c["outcome"] == "SKIP" and "run's time budget (run_budget = 3 s" in c["reason"]]
    assert len(spent) > 50
    first = next(c for c in cases if c["outcome"] == "ERROR")
    assert first["reason"].startswith(f"LimitReached: GET {url}: roamcert gave up on the answer: total deadline of 2 s "
                                      "(connect, headers and body) reached with HTTP 200 and "), first["reason"]
