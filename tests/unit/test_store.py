"""The stores of a served reference platform (simulators/ocpi/store.py): what it received, whom it registered
with, and the results that came back survive a restart; a push is stored before it is acknowledged."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from conformance.cli import main
from conformance.ocpi.auth import authorization_header
from simulators.ocpi.app import build_app
from simulators.ocpi.party import Party, Peer
from simulators.ocpi.store import Durable, Keeper, MemoryStore, SqliteStore, Store
from simulators.ocpi.v2_2_1.chargingprofiles_sender import new_request, sender_state
from simulators.ocpi.v2_2_1.commands import ArrivedResult, SentCommand, command_book
from simulators.ocpi.v2_2_1.reference import reference_party

KEY = ("NL", "RCP", "CDR-1")


def _emsp() -> Party:
    return reference_party("EMSP", base_url="http://emsp.test")


@pytest.fixture(params=["memory", "sqlite"])
def reopen(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[], Store]:
    """Opens the same store again, as a restarted process would (a memory store: the same object)."""
    if request.param == "memory":
        memory = MemoryStore()
        return lambda: memory
    return lambda: SqliteStore(tmp_path / "emsp.sqlite")


def _filled(party: Party) -> None:
    party.received.setdefault("cdrs", {})[KEY] = {"id": "CDR-1", "total_cost": {"excl_vat": 1.5}}
    party.received.setdefault("locations", {})[("NL", "RCP", "LOC-1")] = {"id": "LOC-1", "evses": []}
    party.add_peer(Peer(token_in="C-in", token_out="B-out", versions_url="http://cpo.test/versions",
                        version="2.2.1", endpoints=[{"identifier": "cdrs", "role": "SENDER", "url": "http://x"}],
                        roles=[{"role": "CPO", "country_code": "NL", "party_id": "RCP"}]))
    party.issue_token_a("A-kept")
    command_book(party).sent["START_SESSION/1"] = SentCommand(
        "START_SESSION", "http://emsp.test/r/1", {"location_id": "LOC-1"}, response={"result": "ACCEPTED"},
        status_code=1000, results=[ArrivedResult({"result": "ACCEPTED"})])
    request_id = new_request(party, "set", "S-1").rsplit("/", 1)[1]
    sender_state(party).requests[request_id].result = {"result": "ACCEPTED"}


def test_what_was_kept_comes_back_after_a_restart(reopen: Callable[[], Store]) -> None:
    before = _emsp()
    keeper = Keeper(before, reopen())
    _filled(before)
    keeper.save()
    keeper.store.close()

    after = _emsp()
    assert Keeper(after, reopen()).restore() == 2
    assert after.received["cdrs"][KEY] == before.received["cdrs"][KEY]
    assert after.received["locations"] == before.received["locations"]
    peer = after.peer_by_token("C-in")
    assert peer is not None and (peer.token_out, peer.version, peer.endpoints, peer.roles) == (
        "B-out", "2.2.1", before.peers["C-in"].endpoints, before.peers["C-in"].roles)
    assert "A-kept" in after.tokens_a and "A-kept" in after.log.secrets
    sent = command_book(after).sent["START_SESSION/1"]
    assert (sent.response, [r.body for r in sent.results]) == ({"result": "ACCEPTED"}, [{"result": "ACCEPTED"}])
    assert [(r.kind, r.session_id, r.result) for r in sender_state(after).requests.values()] == [
        ("set", "S-1", {"result": "ACCEPTED"})]


def test_a_change_in_place_and_a_deletion_are_saved(reopen: Callable[[], Store]) -> None:
    party = _emsp()
    keeper = Keeper(party, reopen())
    _filled(party)
    keeper.save()
    party.received["locations"][("NL", "RCP", "LOC-1")]["evses"].append({"uid": "E-1"})  # a PUT of an EVSE
    del party.received["cdrs"][KEY]
    keeper.save()
    keeper.store.close()
    after = _emsp()
    Keeper(after, reopen()).restore()
    assert after.received["locations"][("NL", "RCP", "LOC-1")]["evses"] == [{"uid": "E-1"}]
    assert KEY not in after.received.get("cdrs", {})


def test_the_sqlite_store_is_wal_and_keyed_by_module_country_party_and_id(tmp_path: Path) -> None:
    party = _emsp()
    keeper = Keeper(party, SqliteStore(tmp_path / "s.sqlite"))
    _filled(party)
    keeper.save()
    keeper.store.close()
    with sqlite3.connect(tmp_path / "s.sqlite") as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        rows = db.execute("SELECT module, country_code, party_id, object_id FROM objects ORDER BY module").fetchall()
    assert rows == [("cdrs", "NL", "RCP", "CDR-1"), ("locations", "NL", "RCP", "LOC-1")]


def _request(app: Any, method: str, url: str, token: str, body: Any = None) -> httpx.Response:
    async def go() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app)) as http:
            return await http.request(method, url, json=body, headers={"Authorization": authorization_header(token)})

    return asyncio.run(go())


def test_a_push_is_stored_before_it_is_acknowledged_and_served_by_the_restarted_platform(tmp_path: Path) -> None:
    store = tmp_path / "emsp.sqlite"
    party = _emsp()
    party.add_peer(Peer(token_in="C-in", token_out="B-out", versions_url="http://cpo.test/versions"))
    writes: list[int] = []
    keeper = Keeper(party, SqliteStore(store))
    written = keeper.store.write
    keeper.store.write = lambda objects, items: (writes.append(len(objects)), written(objects, items))[1]  # type: ignore[method-assign]
    app = Durable(build_app(party), keeper)
    cdr = reference_party("CPO", base_url="http://cpo.test").owned["cdrs"][0]
    cdrs_url = party.module_url("2.2.1", "cdrs", "RECEIVER")
    response = _request(app, "POST", cdrs_url, "C-in", cdr)
    assert response.status_code == 201 and writes == [1]
    location = response.headers["location"]
    assert _request(app, "GET", location, "C-in").status_code == 200
    assert writes == [1]  # a GET writes nothing
    # No save at exit: what the POST's answer acknowledged is already on disk.
    restarted = _emsp()
    Keeper(restarted, SqliteStore(store)).restore()
    answer = _request(build_app(restarted), "GET", location, "C-in")
    assert answer.status_code == 200 and answer.json()["data"] == cdr


def test_serve_refuses_a_store_that_is_not_sqlite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "not.sqlite"
    bad.write_bytes(b"this is not a database, just text long enough to be read as a header" * 4)
    assert main(["serve", "emsp", "--port", "1", "--store", str(bad)]) == 2
    assert "--store" in capsys.readouterr().err
