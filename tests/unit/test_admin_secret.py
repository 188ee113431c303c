"""The /admin/* trigger hooks of a reference platform: its own secret, and only the hosts it may call."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from conformance.cli import main, parser
from conformance.core.errors import ConfigurationError, HarnessError
from conformance.core.target import target_actions
from conformance.ocpi.v2_2_1.flows.actions import _http
from simulators.ocpi.app import build_app
from simulators.ocpi.guard import LOOPBACK_HOSTS, HostGuard, HostNotAllowed
from simulators.ocpi.party import Party
from simulators.ocpi.v2_2_1.reference import reference_party

SECRET = "admin-secret-4f1c9e"


def _post(party: Party, path: str, headers: dict[str, str], body: dict[str, Any] | None = None) -> httpx.Response:
    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=build_app(party))
        async with httpx.AsyncClient(transport=transport, base_url=party.base_url) as http:
            return await http.post(path, json=body or {}, headers=headers)

    return asyncio.run(go())


@pytest.fixture
def cpo() -> Party:
    party = reference_party("CPO", base_url="http://127.0.0.1:8091")
    party.admin_secret = SECRET
    party.allowed_hosts = LOOPBACK_HOSTS
    return party


def test_a_hook_without_the_secret_is_401_and_does_nothing(cpo: Party) -> None:
    before = set(cpo.tokens_a)
    response = _post(cpo, "/admin/token-a", {})
    assert response.status_code == 401 and "admin secret" in response.json()["error"]
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert cpo.tokens_a == before


@pytest.mark.parametrize("headers", [{"Authorization": "Bearer wrong"}, {"X-Admin-Secret": SECRET + "x"},
                                     {"Authorization": f"Token {SECRET}"}])
def test_a_hook_with_a_wrong_secret_is_refused(cpo: Party, headers: dict[str, str]) -> None:
    before = set(cpo.tokens_a)
    response = _post(cpo, "/admin/token-a", headers)
    assert response.status_code in (401, 403)  # a Token scheme is no admin secret at all: 401
    assert response.status_code == (401 if headers.get("Authorization", "").startswith("Token") else 403)
    assert SECRET not in response.text
    assert cpo.tokens_a == before


@pytest.mark.parametrize("headers", [{"Authorization": f"Bearer {SECRET}"}, {"X-Admin-Secret": SECRET}])
def test_a_hook_with_the_secret_works(cpo: Party, headers: dict[str, str]) -> None:
    response = _post(cpo, "/admin/token-a", headers)
    assert response.status_code == 200
    assert response.json()["token"] in cpo.tokens_a


class _Counting(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:
        type(self).hits.append(self.path)
        self.send_response(404)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def other_host() -> Iterator[tuple[str, list[str]]]:
    """A real server on 127.0.0.2 (a loopback address not among the default allowed hosts) counting requests."""
    hits: list[str] = []
    handler = type("Handler", (_Counting,), {"hits": hits})
    server = ThreadingHTTPServer(("127.0.0.2", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.2:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()


def test_register_with_a_host_not_allowed_is_refused_without_a_request(cpo: Party,
                                                                        other_host: tuple[str, list[str]]) -> None:
    base, hits = other_host
    response = _post(cpo, "/admin/register", {"Authorization": f"Bearer {SECRET}"},
                     {"versions_url": f"{base}/ocpi/versions", "token": "A-of-the-partner"})
    assert response.status_code == 403 and "127.0.0.2" in response.json()["error"]
    assert "--allow-host" in response.json()["error"]
    assert hits == []


def test_the_guard_sends_nothing_to_a_host_not_allowed_and_passes_an_allowed_one(
        other_host: tuple[str, list[str]]) -> None:
    base, hits = other_host

    async def call(allowed: frozenset[str]) -> int:
        async with httpx.AsyncClient(transport=HostGuard(allowed)) as http:
            return (await http.get(f"{base}/ocpi/versions", headers={"Authorization": "Token B"})).status_code

    with pytest.raises(HostNotAllowed, match=r"127\.0\.0\.2 is not a host this server may call"):
        asyncio.run(call(LOOPBACK_HOSTS))
    assert hits == []
    assert asyncio.run(call(LOOPBACK_HOSTS | {"127.0.0.2"})) == 404
    assert hits == ["/ocpi/versions"]


def test_serve_binds_the_loopback_address_by_default() -> None:
    args = parser().parse_args(["serve", "emsp"])
    assert args.host == "127.0.0.1"
    assert args.allow_host == [] and args.admin_secret is None


def test_an_action_names_its_secret_by_environment_variable(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOOK_SECRET", SECRET)
    actions = target_actions(tmp_path / "t.toml", {
        "register": {"http": "POST http://127.0.0.1:8091/admin/register", "secret_env": "HOOK_SECRET"}})
    assert actions["register"].secret == SECRET
    assert SECRET not in repr(actions["register"])
    monkeypatch.delenv("HOOK_SECRET")
    with pytest.raises(ConfigurationError, match="HOOK_SECRET is not set"):
        target_actions(tmp_path / "t.toml", {
            "register": {"http": "POST http://127.0.0.1:8091/admin/register", "secret_env": "HOOK_SECRET"}})
    with pytest.raises(ConfigurationError, match="only an http action sends a secret"):
        target_actions(tmp_path / "t.toml", {"register": {"command": "true", "secret": SECRET}})


def test_serve_refuses_a_pre_registered_peer_on_a_host_not_allowed(capsys: pytest.CaptureFixture[str]) -> None:
    peer = ["--peer-versions-url", "http://partner.example/ocpi/versions", "--peer-token-in", "C-1",
            "--peer-token-out", "B-1"]
    assert main(["serve", "cpo", "--port", "1", *peer]) == 2
    assert "'partner.example' is not an allowed host; add it with --allow-host" in capsys.readouterr().err


def test_an_action_does_not_follow_a_redirect_with_its_secret(other_host: tuple[str, list[str]]) -> None:
    """A hook answering 302 to another host gets an error, not the secret sent on (urllib would follow it)."""
    base, hits = other_host

    class Redirecting(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.send_response(302)
            self.send_header("Location", f"{base}/stolen")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Redirecting)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with pytest.raises(HarnessError, match="answered HTTP 302") as raised:
            _http("register", "POST", f"http://127.0.0.1:{server.server_address[1]}/admin/register", {}, 5, SECRET)
    finally:
        server.shutdown()
        server.server_close()
    assert hits == [] and SECRET not in str(raised.value)
