"""What a served reference CPO keeps of its own survives a restart (simulators/ocpi/v2_2_1/durable_cpo.py): the
Session a START_SESSION started (and the CDR its stop gives), a reservation, a ChargingProfile set, charging
preferences, and a CommandResult still due; and where `roamcert serve` keeps it without --store."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from conformance.cli import _serve_store
from conformance.core.errors import ConfigurationError
from conformance.ocpi.auth import authorization_header
from simulators.ocpi.admin import ADMIN_HOOKS
from simulators.ocpi.app import build_app
from simulators.ocpi.party import Party, Peer
from simulators.ocpi.store import Durable, Keeper, SqliteStore
from simulators.ocpi.v2_2_1.chargingprofiles_receiver import profile_state
from simulators.ocpi.v2_2_1.commands import ReceivedCommand, command_book
from simulators.ocpi.v2_2_1.lifecycle import lifecycle
from simulators.ocpi.v2_2_1.reference import reference_party

VERSION = "2.2.1"
RESULTS = "http://emsp.test/results"


def _token() -> dict[str, Any]:
    return dict(reference_party("EMSP", base_url="http://emsp.test").owned["tokens"][0])


def _cpo(outbound: list[tuple[str, Any]]) -> Party:
    """The reference CPO with an eMSP registered (no endpoints: no pushes); what it POSTs out lands in
    ``outbound``."""
    party = reference_party("CPO", base_url="http://cpo.test")
    token = _token()
    party.add_peer(Peer(token_in="C-in", token_out="B-out", versions_url="http://emsp.test/versions",
                        version=VERSION, roles=[{"role": "EMSP", "country_code": token["country_code"],
                                                 "party_id": token["party_id"]}]))

    def record(request: httpx.Request) -> httpx.Response:
        outbound.append((str(request.url), json.loads(request.content or b"null")))
        return httpx.Response(200, json={"status_code": 1000, "timestamp": "2026-01-01T00:00:00Z"})

    client = httpx.AsyncClient(transport=httpx.MockTransport(record))
    party.http_factory = lambda: client
    return party


async def _call(app: Any, method: str, url: str, body: Any = None) -> httpx.Response:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app)) as http:
        return await http.request(method, url, json=body, headers={"Authorization": authorization_header("C-in")})


async def _settled(party: Party) -> None:
    """Until the Charge Points have answered and their results are sent."""
    while command_book(party).tasks or profile_state(party).tasks:
        await asyncio.sleep(0.01)


def _in_loop(work: Callable[[], Awaitable[None]]) -> None:
    asyncio.run(work())


def test_a_started_session_a_reservation_a_profile_and_preferences_come_back_after_a_restart(tmp_path: Path) -> None:
    store = tmp_path / "cpo.sqlite"
    outbound: list[tuple[str, Any]] = []
    before = _cpo(outbound)
    keeper = Keeper(before, SqliteStore(store))
    app = Durable(build_app(before), keeper)
    commands = before.module_url(VERSION, "commands", "RECEIVER")
    session_id = ""

    async def first_life() -> None:
        nonlocal session_id
        answer = await _call(app, "POST", f"{commands}/START_SESSION", {
            "response_url": f"{RESULTS}/start", "token": _token(), "location_id": "LOC0003", "evse_uid": "LOC0003-4"})
        assert answer.json()["data"]["result"] == "ACCEPTED", answer.text
        expiry = (datetime.now(UTC) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
        answer = await _call(app, "POST", f"{commands}/RESERVE_NOW", {
            "response_url": f"{RESULTS}/reserve", "token": _token(), "expiry_date": expiry, "reservation_id": "R-1",
            "location_id": "LOC0001", "evse_uid": "LOC0001-3"})
        assert answer.json()["data"]["result"] == "ACCEPTED", answer.text
        await _settled(before)
        session_id = next(iter(lifecycle(before).charges))
        # Stored as soon as the Charge Points carried the commands out, with no request since to save it.
        peek = reference_party("CPO", base_url="http://cpo.test")
        Keeper(peek, SqliteStore(store)).restore()
        assert list(lifecycle(peek).charges) == [session_id] and len(lifecycle(peek).reservations) == 1
        assert [e.result_status for e in command_book(peek).received] == ["HTTP 200", "HTTP 200"]
        profiles = before.module_url(VERSION, "chargingprofiles", "RECEIVER")
        answer = await _call(app, "PUT", f"{profiles}/{session_id}", {
            "response_url": f"{RESULTS}/profile", "charging_profile": {
                "charging_rate_unit": "W", "charging_profile_period": [{"start_period": 0, "limit": 3000.0}]}})
        assert answer.json()["data"]["result"] == "ACCEPTED", answer.text
        departure = (datetime.now(UTC) + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M:%SZ")
        sessions = before.module_url(VERSION, "sessions", "SENDER")
        answer = await _call(app, "PUT", f"{sessions}/{session_id}/charging_preferences", {
            "profile_type": "REGULAR", "departure_time": departure, "energy_need": 5})
        assert answer.json()["data"] == "ACCEPTED", answer.text
        await _settled(before)

    _in_loop(first_life)
    assert [body for url, body in outbound if url.startswith(RESULTS)] == [{"result": "ACCEPTED"}] * 3
    # Killed: no save at exit; every acknowledgement and every result sent was stored as it happened.
    outbound.clear()
    after = _cpo(outbound)
    Keeper(after, SqliteStore(store)).restore()
    app = build_app(after)
    assert after.state["charging_preferences"][session_id.upper()]["energy_need"] == 5

    async def second_life() -> None:
        since = (datetime.now(UTC) - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%SZ")  # past the seed's
        sessions = await _call(app, "GET", f"{after.module_url(VERSION, 'sessions', 'SENDER')}?date_from={since}")
        listed = [s for s in sessions.json()["data"] if s["id"] == session_id]
        assert [s["status"] for s in listed] == ["ACTIVE"]
        profiles = after.module_url(VERSION, "chargingprofiles", "RECEIVER")
        answer = await _call(app, "GET", f"{profiles}/{session_id}?duration=600&response_url={RESULTS}/active")
        assert answer.json()["data"]["result"] == "ACCEPTED"
        await _settled(after)
        active = next(body for url, body in outbound if url == f"{RESULTS}/active")
        assert active["profile"]["charging_profile"]["charging_profile_period"][0]["limit"] == 3000.0
        commands = after.module_url(VERSION, "commands", "RECEIVER")
        answer = await _call(app, "POST", f"{commands}/CANCEL_RESERVATION", {
            "response_url": f"{RESULTS}/cancel", "reservation_id": "R-1"})
        assert answer.json()["data"]["result"] == "ACCEPTED"
        await ADMIN_HOOKS["stop_charging"].handler(after, {"session_id": session_id})
        await _settled(after)

    _in_loop(second_life)
    assert next(body for url, body in outbound if url == f"{RESULTS}/cancel") == {"result": "ACCEPTED"}
    assert [c["session_id"] for c in after.owned["cdrs"] if c["session_id"] == session_id] == [session_id]


def test_a_command_result_still_due_at_the_end_is_sent_after_the_restart(tmp_path: Path) -> None:
    store = tmp_path / "cpo.sqlite"
    before = _cpo([])
    keeper = Keeper(before, SqliteStore(store))
    book = command_book(before)
    accepted = {"result": "ACCEPTED", "timeout": 30}
    book.received += [  # answered ACCEPTED; the first one's Charge Point had answered, the second's not yet
        ReceivedCommand("UNLOCK_CONNECTOR", {"response_url": f"{RESULTS}/done"}, [], "B-out", response=accepted,
                        result={"result": "ACCEPTED"}),
        ReceivedCommand("UNLOCK_CONNECTOR", {"response_url": f"{RESULTS}/cut"}, [], "B-out", response=accepted),
        ReceivedCommand("UNLOCK_CONNECTOR", {"response_url": f"{RESULTS}/sent"}, [], "B-out", response=accepted,
                        result={"result": "ACCEPTED"}, result_status="HTTP 200")]
    keeper.save()

    outbound: list[tuple[str, Any]] = []
    after = _cpo(outbound)
    restarted = Keeper(after, SqliteStore(store))
    restarted.restore()

    async def resume() -> None:
        await restarted.resume()
        await _settled(after)

    _in_loop(resume)
    assert sorted(outbound, key=lambda sent: sent[0]) == [
        (f"{RESULTS}/cut", {"result": "FAILED", "message": [
            {"language": "en", "text": "The CPO restarted before the Charge Point answered this command."}]}),
        (f"{RESULTS}/done", {"result": "ACCEPTED"})]
    assert [e.result_status for e in command_book(after).received] == ["HTTP 200"] * 3
    third = _cpo(outbound := [])
    again = Keeper(third, SqliteStore(store))
    again.restore()
    _in_loop(again.resume)
    assert outbound == []  # sent once


def test_serve_keeps_its_platform_in_the_xdg_state_directory_by_default(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    keeper, where, restored = _serve_store(_cpo([]), None, "cpo+emsp", 8091)
    file = tmp_path / "state" / "roamcert" / "serve-cpo+emsp-8091.sqlite"
    assert (where, restored) == (str(file), 0) and isinstance(keeper.store, SqliteStore)
    keeper.store.close()
    with sqlite3.connect(file) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert (file.stat().st_mode & 0o777, file.parent.stat().st_mode & 0o777) == (0o600, 0o700)  # it holds tokens
    monkeypatch.setenv("XDG_STATE_HOME", "relative/state")  # not absolute: ignored, as the XDG spec says
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    keeper, where, _ = _serve_store(_cpo([]), None, "emsp", 9000)
    keeper.store.close()
    assert where == str(tmp_path / "home" / ".local" / "state" / "roamcert" / "serve-emsp-9000.sqlite")
    assert _serve_store(_cpo([]), ":memory:", "cpo", 8091) == (None, "memory (lost at exit)", 0)


def test_serve_says_so_when_the_default_store_cannot_be_made(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "file").write_text("")
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "file"))
    with pytest.raises(ConfigurationError, match="--store :memory:"):
        _serve_store(_cpo([]), None, "cpo", 8091)


def test_a_cpo_pushes_to_the_latest_registration_of_an_emsp_that_registered_again() -> None:
    """A restarted CPO keeps the connections of earlier runs: the eMSP's newest one is where its charges go."""
    outbound: list[tuple[str, Any]] = []
    party = _cpo(outbound)
    token = _token()
    for host in ("old-emsp.test", "new-emsp.test"):
        party.add_peer(Peer(token_in=f"C-{host}", token_out=f"B-{host}", versions_url=f"http://{host}/versions",
                            version=VERSION, endpoints=[{"identifier": "sessions", "role": "RECEIVER",
                                                         "url": f"http://{host}/sessions"}],
                            roles=[{"role": "EMSP", "country_code": token["country_code"],
                                    "party_id": token["party_id"]}]))

    async def charge() -> None:
        await lifecycle(party).start(token=token, location_id="LOC0001", evse_uid="LOC0001-1",
                                     auth_method="COMMAND")

    _in_loop(charge)
    assert outbound and {url.split("/")[2] for url, _ in outbound} == {"new-emsp.test"}
