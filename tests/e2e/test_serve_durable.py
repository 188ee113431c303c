"""`roamcert serve --store FILE` keeps what it acknowledged (real subprocesses, killed with SIGKILL): the eMSP
serves a CDR it took again after a restart, to the same partner with the same token; the CPO still serves the
Session a START_SESSION started, holds the reservation of a RESERVE_NOW and the ChargingProfile set, and the stop
of that Session gives its CDR."""

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
from datetime import UTC, datetime, timedelta
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


@contextmanager
def _partner_server(posted: list[tuple[str, Any]]) -> Iterator[str]:
    """The test's own platform, as far as registration needs one (its versions and version details), taking any
    POST (a CommandResult, a ChargingProfile result) into ``posted``; yields its versions URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            base = f"http://127.0.0.1:{self.server.server_address[1]}"
            data: Any = ([{"version": "2.2.1", "url": f"{base}/2.2.1"}] if self.path == "/versions" else
                         {"version": "2.2.1", "endpoints": [
                             {"identifier": "credentials", "role": "RECEIVER", "url": f"{base}/credentials"}]})
            self._answer(data)

        def do_POST(self) -> None:
            posted.append((self.path, json.loads(self.rfile.read(int(self.headers["Content-Length"] or 0)))))
            self._answer(None)

        def _answer(self, data: Any) -> None:
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


@pytest.fixture
def partner() -> Iterator[str]:
    """The test's own CPO."""
    with _partner_server([]) as url:
        yield url


@contextmanager
def served_platform(port: int, store: Path, role: str = "emsp") -> Iterator[tuple[subprocess.Popen[str], str]]:
    process = subprocess.Popen([sys.executable, "-m", "conformance.cli", "serve", role, "--port", str(port),
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


def _endpoint(port: int, token: str, module: str, role: str = "emsp", interface: str | None = None) -> str:
    _, _, versions = _call("GET", f"http://127.0.0.1:{port}/ocpi/{role}/versions", token)
    url = next(v["url"] for v in versions["data"] if v["version"] == "2.2.1")
    _, _, details = _call("GET", url, token)
    return str(next(e["url"] for e in details["data"]["endpoints"] if e["identifier"] == module
                    and interface in (None, e["role"])))


def test_a_cdr_acknowledged_before_sigkill_is_served_after_restart(tmp_path: Path, partner: str) -> None:
    port, store = _free_port(), tmp_path / "emsp.sqlite"
    cdr = reference_party("CPO", base_url="http://cpo.test").owned["cdrs"][0]
    with served_platform(port, store) as (process, token_a):
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
    with served_platform(port, store) as (_process, _token):
        status, _, answer = _call("GET", location, token_c)
        assert status == 200 and answer["status_code"] == 1000, answer
        assert answer["data"] == cdr
        status, _, answer = _call("GET", location, "C-not-registered")  # the token still matters
        assert status == 401


def _posted(posted: list[tuple[str, Any]], path: str) -> Any:
    """What the served platform POSTed to the partner's ``path`` (waiting a few seconds for it)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        found = [body for at, body in posted if at == path]
        if found:
            return found[0]
        time.sleep(0.02)
    raise AssertionError(f"nothing was POSTed to {path}; got {posted}")


def _since() -> str:
    return (datetime.now(UTC) - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_a_cpo_killed_with_sigkill_still_serves_its_session_reservation_and_profile_after_restart(
        tmp_path: Path) -> None:
    port, store, posted = _free_port(), tmp_path / "cpo.sqlite", []
    token = reference_party("EMSP", base_url="http://emsp.test").owned["tokens"][0]
    with _partner_server(posted) as versions_url, served_platform(port, store, "cpo") as (process, token_a):
        results = versions_url.removesuffix("/versions")
        status, _, answer = _call("POST", _endpoint(port, token_a, "credentials", "cpo"), token_a, {
            "token": "B-of-the-test-emsp", "url": versions_url,
            "roles": [{"role": "EMSP", "party_id": token["party_id"], "country_code": token["country_code"],
                       "business_details": {"name": "test eMSP"}}]})
        assert status == 200 and answer["status_code"] == 1000, answer
        token_c = answer["data"]["token"]
        commands = _endpoint(port, token_c, "commands", "cpo")
        _, _, answer = _call("POST", f"{commands}/START_SESSION", token_c, {
            "response_url": f"{results}/start", "token": token, "location_id": "LOC0003", "evse_uid": "LOC0003-4"})
        assert answer["data"]["result"] == "ACCEPTED", answer
        assert _posted(posted, "/start") == {"result": "ACCEPTED"}
        expiry = (datetime.now(UTC) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
        _, _, answer = _call("POST", f"{commands}/RESERVE_NOW", token_c, {
            "response_url": f"{results}/reserve", "token": token, "expiry_date": expiry, "reservation_id": "R-1",
            "location_id": "LOC0001", "evse_uid": "LOC0001-3"})
        assert answer["data"]["result"] == "ACCEPTED", answer
        assert _posted(posted, "/reserve") == {"result": "ACCEPTED"}
        sessions = _endpoint(port, token_c, "sessions", "cpo")
        _, _, answer = _call("GET", f"{sessions}?date_from={_since()}", token_c)
        session_id = next(s["id"] for s in answer["data"] if s["status"] == "ACTIVE")
        profiles = _endpoint(port, token_c, "chargingprofiles", "cpo")
        _, _, answer = _call("PUT", f"{profiles}/{session_id}", token_c, {
            "response_url": f"{results}/profile", "charging_profile": {
                "charging_rate_unit": "W", "charging_profile_period": [{"start_period": 0, "limit": 3000.0}]}})
        assert answer["data"]["result"] == "ACCEPTED", answer
        assert _posted(posted, "/profile") == {"result": "ACCEPTED"}
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        assert process.returncode == -signal.SIGKILL

        with served_platform(port, store, "cpo"):
            _, _, answer = _call("GET", f"{sessions}?date_from={_since()}", token_c)
            assert [s["status"] for s in answer["data"] if s["id"] == session_id] == ["ACTIVE"], answer
            _, _, answer = _call("GET", f"{profiles}/{session_id}?duration=600&response_url={results}/active",
                                 token_c)
            assert answer["data"]["result"] == "ACCEPTED", answer
            active = _posted(posted, "/active")["profile"]["charging_profile"]
            assert active["charging_profile_period"][0]["limit"] == 3000.0
            _, _, answer = _call("POST", f"{commands}/CANCEL_RESERVATION", token_c, {
                "response_url": f"{results}/cancel", "reservation_id": "R-1"})
            assert answer["data"]["result"] == "ACCEPTED", answer
            assert _posted(posted, "/cancel") == {"result": "ACCEPTED"}  # not UNKNOWN_RESERVATION: it was held
            _, _, answer = _call("POST", f"{commands}/STOP_SESSION", token_c, {
                "response_url": f"{results}/stop", "session_id": session_id})
            assert answer["data"]["result"] == "ACCEPTED", answer
            assert _posted(posted, "/stop") == {"result": "ACCEPTED"}
            _, _, answer = _call("GET", f"{_endpoint(port, token_c, 'cdrs', 'cpo')}?date_from={_since()}", token_c)
            assert [c["session_id"] for c in answer["data"]] == [session_id]
