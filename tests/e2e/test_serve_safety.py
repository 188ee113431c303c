"""`roamcert serve` is safe to expose: its /admin/* hooks need its secret, it calls only the hosts it is allowed,
and it listens on the loopback address unless told otherwise (a real subprocess, real sockets)."""

from __future__ import annotations

import json
import socket
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from tests.e2e.test_serve_and_run import ADMIN_SECRETS, served


def _post(url: str, headers: dict[str, str], body: dict[str, Any] | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, data=json.dumps(body or {}).encode(), method="POST",
                                     headers={"Content-Type": "application/json", **headers})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


@pytest.fixture
def other_host() -> Iterator[tuple[str, list[str]]]:
    """A second real server, on 127.0.0.2 (loopback, but not among the hosts `serve` allows by default)."""
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.2", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.2:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()


def test_served_hooks_need_the_admin_secret_and_call_only_allowed_hosts(other_host: tuple[str, list[str]]) -> None:
    base, hits = other_host
    with served("emsp", "conformant") as (port, _token):
        secret = ADMIN_SECRETS[port]
        hook = f"http://127.0.0.1:{port}/admin/token-a"
        assert _post(hook, {})[0] == 401
        assert _post(hook, {"Authorization": "Bearer not-the-secret"})[0] == 403
        assert _post(hook, {"X-Admin-Secret": secret[:-1]})[0] == 403
        status, body = _post(hook, {"Authorization": f"Bearer {secret}"})
        assert status == 200 and json.loads(body)["token"]
        register = f"http://127.0.0.1:{port}/admin/register"
        payload = {"versions_url": f"{base}/ocpi/versions", "token": "A-of-another-host"}
        assert _post(register, {}, payload)[0] == 401
        status, body = _post(register, {"Authorization": f"Bearer {secret}"}, payload)
        assert status == 403 and "127.0.0.2" in body and secret not in body
        # Bound to 127.0.0.1 by default: the same port on another loopback address is closed.
        with socket.socket() as sock, pytest.raises(ConnectionRefusedError):
            sock.settimeout(5)
            sock.connect(("127.0.0.2", port))
    assert hits == [], "the refused registration still reached the other host"


def test_an_allowed_host_is_called(other_host: tuple[str, list[str]]) -> None:
    """The counterpart: with --allow-host the same registration does reach the other server."""
    base, hits = other_host
    with served("emsp", "conformant", "--allow-host", "127.0.0.2") as (port, _token):
        status, body = _post(f"http://127.0.0.1:{port}/admin/register",
                             {"Authorization": f"Bearer {ADMIN_SECRETS[port]}"},
                             {"versions_url": f"{base}/ocpi/versions", "token": "A-of-another-host"})
    assert status == 502, body  # the other server answers 404: no registration, but it was called
    assert hits == ["/ocpi/versions"]
