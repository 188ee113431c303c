"""Interop: roamcert's reference hub (docs/hub.md) between two platforms of a third-party OCPI 2.2.1 library.

extrawest-ocpi serves a CPO (NL/EXW, with its tokens module: ``--tokens``) and an eMSP (NL/EXE), each in its own
process (tests/interop/extrawest_cpo.py, extrawest_emsp.py). The hub, under uvicorn in this process, registers
with each of them as credentials client with their tokens A; a roamcert platform holding a CPO (NL/RCP) and an
eMSP (NL/REM) registers with the hub. Then, every request addressed by routing headers and crossing the hub:

  * the roamcert eMSP reads extrawest's CPO's Locations (the list, then one of them);
  * the roamcert CPO pushes one of its Locations to extrawest's eMSP, and reads it back from it;
  * the roamcert eMSP pushes one of its Tokens to extrawest's CPO, and reads it back from it.

Skipped without extrawest-ocpi, like tests/interop/test_extrawest.py (same venv and $EXTRAWEST_PYTHON).
"""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conformance.core.exchange import Exchange
from conformance.core.runtime import Network
from simulators.ocpi.app import build_app
from simulators.ocpi.party import Party
from simulators.ocpi.references import reference_party
from simulators.ocpi.v2_2_1.credentials import peer_client, register_with
from simulators.ocpi.v2_2_1.hub import reference_hub
from tests.interop.test_extrawest import APP_PYTHON, REPO, TOKENS_A, _free_port, _stop, _wait_listening

pytestmark = pytest.mark.skipif(
    APP_PYTHON is None,
    reason="extrawest-ocpi is not installed (python -m venv /tmp/extrawest-venv && "
           "/tmp/extrawest-venv/bin/pip install extrawest-ocpi uvicorn, or set EXTRAWEST_PYTHON)",
)

EXW, EXE, RCP, REM = ("NL", "EXW"), ("NL", "EXE"), ("NL", "RCP"), ("NL", "REM")


@contextlib.contextmanager
def _extrawest(role: str, tmp_path: Path, *extra: str) -> Iterator[str]:
    """extrawest-ocpi serving ``role`` on a free loopback port; yields its versions URL."""
    assert APP_PYTHON is not None
    port = _free_port()
    log = tmp_path / f"extrawest-{role.lower()}.log"
    argv = [APP_PYTHON, "-m", f"tests.interop.extrawest_{role.lower()}", "--port", str(port), *extra]
    for token in TOKENS_A:
        argv += ["--token-a", token]
    with log.open("wb") as out:
        process = subprocess.Popen(argv, cwd=REPO, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        _wait_listening(process, port, log)
        yield f"http://127.0.0.1:{port}/ocpi/versions"
    finally:
        _stop(process)


def _routing(to: tuple[str, str], sender: tuple[str, str]) -> dict[str, str]:
    return {"OCPI-from-country-code": sender[0], "OCPI-from-party-id": sender[1],
            "OCPI-to-country-code": to[0], "OCPI-to-party-id": to[1]}


def _modelled_by_extrawest(location: dict[str, Any]) -> dict[str, Any]:
    """A roamcert Location minus the optional fields extrawest-ocpi's models cannot represent (the same ones
    tests/interop/_extrawest.py leaves out of its own seed: energy_mix, state, EVSE status_schedule)."""
    fitted = {k: v for k, v in location.items() if k not in ("energy_mix", "state")}
    fitted["evses"] = [{k: v for k, v in evse.items() if k != "status_schedule"} for evse in location["evses"]]
    return fitted


def _data(exchange: Exchange) -> Any:
    body = exchange.response_json()
    assert exchange.status == 200 and body["status_code"] == 1000, (exchange.url, exchange.status, body)
    return body["data"]


def _one(exchange: Exchange) -> Any:
    """The object a GET of one object answered. extrawest-ocpi answers a one-element list holding it (its known
    deviation ocpi.locations.sender_object in extrawest_deviations.toml): the hub relays the answer unchanged."""
    data = _data(exchange)
    (found,) = data if isinstance(data, list) else [data]
    return found


def _forwarded_to(hub: Party, url_part: str) -> list[Exchange]:
    return [x for x in hub.log.exchanges if x.direction == "callback" and url_part in x.url]


def test_locations_and_a_token_cross_the_reference_hub_between_extrawest_platforms(tmp_path: Path) -> None:
    async def scenario(cpo_versions: str, emsp_versions: str) -> None:
        network = Network(timeout=15.0)
        hub = reference_hub(f"http://127.0.0.1:{_free_port()}", timeout=10.0)
        roamcert = reference_party("cpo+emsp", base_url=f"http://127.0.0.1:{_free_port()}")
        try:
            for party in (hub, roamcert):
                party.http_factory = network.client
                await network.serve(build_app(party), "127.0.0.1", int(party.base_url.rsplit(":", 1)[1]))
            await register_with(hub, cpo_versions, TOKENS_A[0])
            await register_with(hub, emsp_versions, TOKENS_A[0])
            await register_with(roamcert, hub.versions_url(), hub.issue_token_a())
            clients = hub.state["hub"].clients
            assert {key: (clients[key]["role"], clients[key]["status"]) for key in (EXW, EXE)} == {
                EXW: ("CPO", "CONNECTED"), EXE: ("EMSP", "CONNECTED")}
            (hub_peer,) = roamcert.peers.values()
            client = peer_client(roamcert, hub_peer.token_out)

            def url(module: str, interface: str, rest: str = "") -> str:
                endpoint = hub_peer.endpoint(module, interface)
                assert endpoint is not None, f"the hub offers no {module} {interface}"
                return f"{endpoint.rstrip('/')}/{rest}" if rest else endpoint

            # extrawest's CPO's Locations, read by the roamcert eMSP through the hub
            listed = _data(await client.request("GET", url("locations", "SENDER"), headers=_routing(EXW, REM)))
            # CiStrings: extrawest-ocpi answers them lower-cased
            assert listed and {(loc["country_code"].upper(), loc["party_id"].upper()) for loc in listed} == {EXW}
            wanted = listed[0]
            one = _one(await client.request("GET", url("locations", "SENDER", wanted["id"]),
                                            headers=_routing(EXW, REM), correlation_id="exw-location"))
            assert one["id"] == wanted["id"] and one["last_updated"] == wanted["last_updated"]
            (asked,) = [x for x in _forwarded_to(hub, f"/{wanted['id']}") if x.method == "GET"]
            assert asked.request_header("X-Correlation-ID") == "exw-location"
            # the to-header as the hub knows the party: as extrawest reported it, lower-cased
            assert (asked.request_header("OCPI-from-party-id"), str(asked.request_header("OCPI-to-party-id")).upper()) \
                == ("REM", "EXW")

            # one of the roamcert CPO's Locations, pushed to extrawest's eMSP through the hub and read back
            location = _modelled_by_extrawest(roamcert.owned["locations"][0])
            path = f"NL/RCP/{location['id']}"
            pushed = await client.request("PUT", url("locations", "RECEIVER", path), json_body=location,
                                          headers=_routing(EXE, RCP))
            assert pushed.response_json()["status_code"] == 1000, pushed.response_json()
            back = _one(await client.request("GET", url("locations", "RECEIVER", path), headers=_routing(EXE, RCP)))
            assert (back["id"].upper(), back["name"]) == (location["id"].upper(), location["name"])  # id: CiString
            assert len(_forwarded_to(hub, f"/{path}")) == 2

            # one of the roamcert eMSP's Tokens, pushed to extrawest's CPO (its tokens Receiver) and read back
            token = dict(roamcert.owned["tokens"][0])
            path = f"NL/REM/{token['uid']}"
            pushed = await client.request("PUT", url("tokens", "RECEIVER", path), json_body=token,
                                          params={"type": token["type"]}, headers=_routing(EXW, REM))
            assert pushed.response_json()["status_code"] == 1000, pushed.response_json()
            stored = _one(await client.request("GET", url("tokens", "RECEIVER", path), params={"type": token["type"]},
                                               headers=_routing(EXW, REM)))
            assert (stored["uid"].upper(), stored["contract_id"].upper(), stored["issuer"]) == (
                token["uid"].upper(), token["contract_id"].upper(), token["issuer"])  # uid, contract_id: CiStrings
        finally:
            await network.aclose()

    with _extrawest("CPO", tmp_path, "--tokens") as cpo, _extrawest("EMSP", tmp_path) as emsp:
        asyncio.run(scenario(cpo, emsp))
