"""The reference platforms' Commands module between two real reference platforms (in-process HTTP): the eMSP sends
commands (its send_command hook), the CPO answers, carries them out through the charging lifecycle and POSTs the
CommandResult to the command's response_url, where the eMSP keeps it."""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import Iterator
from typing import Any

import pytest

from simulators.ocpi.admin import ADMIN_HOOKS, HookError
from simulators.ocpi.party import Party
from simulators.ocpi.v2_2_1.commands import VERSION, SentCommand, command_book, response_path
from simulators.ocpi.v2_2_1.commands_sender import send_command
from simulators.ocpi.v2_2_1.credentials import peer_client
from simulators.ocpi.v2_2_1.lifecycle import lifecycle
from tests.unit.platforms import Platforms, two_platforms


class Pair(Platforms):

    def send(self, payload: dict[str, Any], wait: float = 1) -> tuple[dict[str, Any], SentCommand]:
        """The eMSP sends a command; once ACCEPTED, wait (a second at most) for its CommandResult."""
        answer = self.run(send_command(self.emsp, payload))
        sent = command_book(self.emsp).sent[response_path(payload["command"], answer["command_id"])]
        self.wait_for_result(sent, wait if answer["result"] == "ACCEPTED" else 0)
        return answer, sent

    def post(self, command: str, body: dict[str, Any], wait: float = 0.3) -> tuple[dict[str, Any], SentCommand]:
        """The eMSP POSTs ``body`` as it is, past the checks of its own back-end; then listens at the response_url
        for ``wait`` seconds."""
        peer = next(iter(self.emsp.peers.values()))
        path = response_path(command, secrets.token_hex(4))
        sent = SentCommand(command, f"{self.emsp.module_url(VERSION, 'commands', 'SENDER')}/{path}")
        command_book(self.emsp).sent[path] = sent
        exchange = self.run(peer_client(self.emsp, peer.token_out).request(
            "POST", f"{peer.endpoint('commands', 'RECEIVER')}/{command}",
            json_body={"response_url": sent.response_url, **body}))
        self.wait_for_result(sent, wait)
        answer = exchange.response_json()
        return {"status_code": answer["status_code"], **answer.get("data", {})}, sent

    def wait_for_result(self, sent: SentCommand, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not sent.results and time.monotonic() < deadline:
            self.run(asyncio.sleep(0.01))


@pytest.fixture()
def pair() -> Iterator[Pair]:
    with two_platforms("EMSP") as (cpo, emsp, loop):
        yield Pair(cpo, emsp, loop)


def _evse(cpo: Party, capability: str, *, required: bool = False) -> tuple[str, dict[str, Any]]:
    """An AVAILABLE EVSE with ``capability``; with ``required``, one that also needs a connector_id to start."""
    for location in cpo.owned["locations"]:
        for evse in location.get("evses", []):
            capabilities = evse.get("capabilities") or []
            if evse.get("status") == "AVAILABLE" and capability in capabilities \
                    and required == ("START_SESSION_CONNECTOR_REQUIRED" in capabilities):
                return str(location["id"]), evse
    raise AssertionError(f"the seed has no AVAILABLE EVSE with {capability}")


def _result(sent: SentCommand) -> str | None:
    return sent.results[0].body.get("result") if sent.results else None


def test_start_and_stop_session_by_command(pair: Pair) -> None:
    location_id, evse = _evse(pair.cpo, "REMOTE_START_STOP_CAPABLE")
    answer, sent = pair.send({"command": "START_SESSION", "location_id": location_id, "evse_uid": evse["uid"],
                              "connector_id": evse["connectors"][0]["id"]})
    assert (answer["status_code"], answer["result"]) == (1000, "ACCEPTED")
    assert sent.response["timeout"] == 30
    assert _result(sent) == "ACCEPTED"
    assert sent.results[0].at - (sent.answered_at or 0) < 1
    [session] = lifecycle(pair.cpo).active_sessions()
    token = sent.body["token"]
    assert token["type"] == "APP_USER" and session["cdr_token"]["uid"] == token["uid"]
    assert session["auth_method"] == "COMMAND" and evse["status"] == "CHARGING"
    assert pair.emsp.received["sessions"][("NL", "RCP", session["id"].upper())]["status"] == "ACTIVE"

    answer, sent = pair.send({"command": "STOP_SESSION", "session_id": session["id"]})
    assert (answer["result"], _result(sent)) == ("ACCEPTED", "ACCEPTED")
    assert pair.emsp.received["sessions"][("NL", "RCP", session["id"].upper())]["status"] == "COMPLETED"
    assert [c["cdr_token"]["uid"] for c in pair.emsp.received["cdrs"].values()] == [token["uid"]]
    assert evse["status"] == "AVAILABLE"


def test_reserve_then_cancel_twice(pair: Pair) -> None:
    location_id, evse = _evse(pair.cpo, "RESERVABLE")
    answer, sent = pair.send({"command": "RESERVE_NOW", "location_id": location_id, "evse_uid": evse["uid"],
                              "reservation_id": "R-1", "token_type": "RFID"})
    assert (answer["result"], _result(sent)) == ("ACCEPTED", "ACCEPTED")
    assert evse["status"] == "RESERVED"
    answer, sent = pair.send({"command": "CANCEL_RESERVATION", "reservation_id": "r-1"})  # a CiString
    assert (answer["result"], _result(sent)) == ("ACCEPTED", "ACCEPTED")
    assert evse["status"] == "AVAILABLE"
    answer, sent = pair.send({"command": "CANCEL_RESERVATION", "reservation_id": "R-1"})
    assert (answer["result"], _result(sent)) == ("ACCEPTED", "UNKNOWN_RESERVATION")


def test_commands_the_cpo_turns_down_at_once(pair: Pair) -> None:
    answer, sent = pair.send({"command": "UNLOCK_CONNECTOR", "location_id": "NOWHERE", "evse_uid": "E",
                              "connector_id": "1"})
    assert (answer["status_code"], answer["result"], sent.results) == (2003, "REJECTED", [])
    answer, sent = pair.post("STOP_SESSION", {"session_id": "NO-SUCH-SESSION"})
    assert (answer["status_code"], answer["result"], sent.results) == (1000, "UNKNOWN_SESSION", [])
    location_id, evse = _evse(pair.cpo, "REMOTE_START_STOP_CAPABLE", required=True)
    answer, _ = pair.send({"command": "START_SESSION", "location_id": location_id, "evse_uid": evse["uid"]})
    assert answer["result"] == "REJECTED"  # START_SESSION_CONNECTOR_REQUIRED: the connector_id is missing
    assert lifecycle(pair.cpo).active_sessions() == []


def test_a_session_of_another_emsp_cannot_be_stopped(pair: Pair) -> None:
    location_id, evse = _evse(pair.cpo, "REMOTE_START_STOP_CAPABLE")
    other = {"country_code": "DE", "party_id": "OTH", "uid": "OTHER-1", "type": "RFID", "contract_id": "DE-OTH-1"}
    session = pair.run(lifecycle(pair.cpo).start(token=other, location_id=location_id, evse_uid=evse["uid"],
                                                 auth_method="WHITELIST"))
    answer, sent = pair.post("STOP_SESSION", {"session_id": session["id"]})
    assert (answer["result"], sent.results) == ("REJECTED", [])
    assert lifecycle(pair.cpo).session(session["id"])["status"] == "ACTIVE"


def test_the_emsp_stops_only_a_session_a_cpo_sent_it(pair: Pair) -> None:
    with pytest.raises(HookError, match="knows no Session"):
        pair.send({"command": "STOP_SESSION", "session_id": "NO-SUCH-SESSION"})
    assert command_book(pair.cpo).received == []


def test_a_charge_point_that_never_answers_gives_timeout_within_a_short_timeout(pair: Pair) -> None:
    location_id, evse = _evse(pair.cpo, "REMOTE_START_STOP_CAPABLE")
    where = {"location_id": location_id.lower(), "evse_uid": evse["uid"]}  # CiStrings
    hook = ADMIN_HOOKS["charge_point_answers"]
    assert pair.run(hook.handler(pair.cpo, {**where, "answer": "NOTHING"}))["timeout"] == 2
    start = {"command": "START_SESSION", **where, "connector_id": evse["connectors"][0]["id"]}
    answer, sent = pair.send(start, wait=3)
    assert (answer["result"], sent.response["timeout"], _result(sent)) == ("ACCEPTED", 2, "TIMEOUT")
    assert 0.9 < sent.results[0].at - (sent.answered_at or 0) < 2
    assert lifecycle(pair.cpo).active_sessions() == [] and evse["status"] == "AVAILABLE"
    pair.run(hook.handler(pair.cpo, {**where, "answer": "NORMALLY"}))
    answer, sent = pair.send(start)
    assert (sent.response["timeout"], _result(sent)) == (30, "ACCEPTED")


def test_a_charge_point_that_supports_no_command_gives_not_supported(pair: Pair) -> None:
    location_id, evse = _evse(pair.cpo, "UNLOCK_CAPABLE")
    where = {"location_id": location_id, "evse_uid": evse["uid"]}
    hook = ADMIN_HOOKS["charge_point_answers"]
    pair.run(hook.handler(pair.cpo, {**where, "answer": "not_supported", "timeout": "5"}))
    answer, sent = pair.send({"command": "UNLOCK_CONNECTOR", **where, "connector_id": evse["connectors"][0]["id"]})
    assert (answer["result"], sent.response["timeout"], _result(sent)) == ("ACCEPTED", 5, "NOT_SUPPORTED")
    for wrong in ({**where, "evse_uid": "NO-SUCH-EVSE"}, {**where, "answer": "SOMETIMES"}, {**where, "timeout": "0"}):
        with pytest.raises(HookError):
            pair.run(hook.handler(pair.cpo, wrong))


def test_a_command_name_outside_commandtype_is_an_invalid_parameter(pair: Pair) -> None:
    peer = next(iter(pair.emsp.peers.values()))
    url = f"{peer.endpoint('commands', 'RECEIVER')}/REBOOT"
    exchange = pair.run(peer_client(pair.emsp, peer.token_out).request("POST", url, json_body={}))
    assert exchange.response_json()["status_code"] == 2001


def test_the_emsp_keeps_every_result_posted_to_a_response_url(pair: Pair) -> None:
    location_id, evse = _evse(pair.cpo, "RESERVABLE")
    _, sent = pair.send({"command": "RESERVE_NOW", "location_id": location_id, "evse_uid": evse["uid"]})
    peer = next(iter(pair.cpo.peers.values()))
    later = pair.run(peer_client(pair.cpo, peer.token_out).request("POST", sent.response_url,
                                                                    json_body={"result": "CANCELED_RESERVATION"}))
    assert later.response_json()["status_code"] == 1000
    assert [r.body["result"] for r in sent.results] == ["ACCEPTED", "CANCELED_RESERVATION"]
    nowhere = pair.run(peer_client(pair.cpo, peer.token_out).request("POST", f"{sent.response_url}X",
                                                                     json_body={"result": "ACCEPTED"}))
    assert (nowhere.status, nowhere.response_json()["status_code"]) == (404, 2000)


def test_the_cpo_cancels_a_reservation_on_the_reservations_response_url(pair: Pair) -> None:
    location_id, evse = _evse(pair.cpo, "RESERVABLE")
    _, sent = pair.send({"command": "RESERVE_NOW", "location_id": location_id, "evse_uid": evse["uid"],
                         "reservation_id": "R-9"})
    assert evse["status"] == "RESERVED"
    hook = ADMIN_HOOKS["cpo_cancels_reservation"]
    assert pair.run(hook.handler(pair.cpo, {"reservation_id": "R-9"}))["http_status"] == 200
    assert [r.body["result"] for r in sent.results] == ["ACCEPTED", "CANCELED_RESERVATION"]
    assert evse["status"] == "AVAILABLE"
    with pytest.raises(HookError):  # it is gone
        pair.run(hook.handler(pair.cpo, {"reservation_id": "R-9"}))
