"""`roamcert serve emsp --store FILE` keeps what it acknowledged: killed with SIGKILL right after it took a CDR,
it serves that CDR again after a restart, to the same partner with the same token (a real subprocess)."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from conformance.ocpi.auth import authorization_header
from simulators.ocpi.v2_2_1.reference import reference_party
from tests.e2e.test_serve_and_run import _free_port


def _ocpi(data: Any) -> bytes:
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return json.dumps({"data": data, "status_code": 1000, "timestamp": stamp}).encode()


@pytest.fixture
def partner() -> Iterator[str]:
    """The test's own CPO, as far as registration needs one: its versions and version details."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            base = f"http://127.0.0.1:{self.server.server_address[1]}"
            data: Any = ([{"version": "2.2.1", "url": f"{base}/2.2.1"}] if self.path == "/versions" else
                         {"version": "2.2.1", "endpoints": [
                             {"identifier": "credentials", "role": "RECEIVER", "url": f"{base}/credentials"}]})
            body = _ocpi(data)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/versions"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def served_emsp(port: int, store: Path) -> Iterator[tuple[subprocess.Popen[str], str]]:
    process = subprocess.Popen([sys.executable, "-m", "conformance.cli", "serve", "emsp", "--port", str(port),
                                "--store", str(store)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert process.stdout is not None
        token, lines = "", []
        deadline = time.monotonic() + 30
        while not any("store:" in line for line in lines) and time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            lines.append(line)
            if "token A:" in line:
                token = line.split("token A:")[1].strip()
        assert token, "".join(lines)
        yield process, token
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()


def _call(method: str, url: str, token: str, body: Any = None) -> tuple[int, dict[str, str], Any]:
    request = urllib.request.Request(url, method=method, data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": authorization_header(token),
                                              "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            headers = {k.lower(): v for k, v in response.headers.items()}
            return response.status, headers, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        return exc.code, {k.lower(): v for k, v in exc.headers.items()}, json.loads(exc.read() or b"null")


def _endpoint(port: int, token: str, module: str) -> str:
    _, _, versions = _call("GET", f"http://127.0.0.1:{port}/ocpi/emsp/versions", token)
    url = next(v["url"] for v in versions["data"] if v["version"] == "2.2.1")
    _, _, details = _call("GET", url, token)
    return str(next(e["url"] for e in details["data"]["endpoints"] if e["identifier"] == module))


def test_a_cdr_acknowledged_before_sigkill_is_served_after_restart(tmp_path: Path, partner: str) -> None:
    port, store = _free_port(), tmp_path / "emsp.sqlite"
    cdr = reference_party("CPO", base_url="http://cpo.test").owned["cdrs"][0]
    with served_emsp(port, store) as (process, token_a):
        status, _, answer = _call("POST", _endpoint(port, token_a, "credentials"), token_a, {
            "token": "B-of-the-test-cpo", "url": partner,
            "roles": [{"role": "CPO", "party_id": "TST", "country_code": "NL",
                       "business_details": {"name": "test CPO"}}]})
        assert status == 200 and answer["status_code"] == 1000, answer
        token_c = answer["data"]["token"]
        status, headers, answer = _call("POST", _endpoint(port, token_c, "cdrs"), token_c, cdr)
        assert status == 201, answer
        location = headers["location"]
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    assert process.returncode == -signal.SIGKILL
    with sqlite3.connect(store) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with served_emsp(port, store) as (_process, _token):
        status, _, answer = _call("GET", location, token_c)
        assert status == 200 and answer["status_code"] == 1000, answer
        assert answer["data"] == cdr
        status, _, answer = _call("GET", location, "C-not-registered")  # the token still matters
        assert status == 401
