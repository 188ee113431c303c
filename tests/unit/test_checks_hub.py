"""The checks of a Hub under test on hand-made exchanges: what the spec leaves to the Hub is not held against it
(an answer to a Broadcast Push without routing headers, other parties' objects in a GET All), what it rules out
is named."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from conformance.core.exchange import Exchange, ExchangeLog
from conformance.core.findings import Outcome
from conformance.ocpi.v2_2_1.checks import hub
from conformance.ocpi.v2_2_1.checks.hub import Arrival, GetAll, ListPage, Routed

LOG = ExchangeLog()
HUB = ("NL", "RHB")
CPO, EMSP, NSP, CPO2 = ("NL", "RCP"), ("NL", "REM"), ("NL", "RNS"), ("NL", "RC2")
LOCATION = {"country_code": "NL", "party_id": "RCP", "id": "LOC1", "last_updated": "2026-01-01T00:00:00Z"}


def _routing(to: tuple[str, str], sender: tuple[str, str]) -> list[tuple[str, str]]:
    return [("OCPI-to-country-code", to[0]), ("OCPI-to-party-id", to[1]),
            ("OCPI-from-country-code", sender[0]), ("OCPI-from-party-id", sender[1])]


def _x(direction: str, url: str, request: list[tuple[str, str]], body: Any, answer: Any,
       response: Sequence[tuple[str, str]] = ()) -> Exchange:
    return LOG.record(direction=direction, method="PUT", url=url, request_headers=request,
                      request_body=json.dumps(body), status=200, response_headers=list(response),
                      response_body=json.dumps(answer), elapsed_ms=1.0)


def _arrival(party: tuple[str, str], slug: str, request_id: str) -> Arrival:
    url = f"http://partner.test/hub/{slug}/ocpi/x/2.2.1/receiver/locations/NL/RCP/LOC1"
    x = _x("inbound", url, [*_routing(party, HUB), ("X-Request-ID", request_id), ("X-Correlation-ID", "c1")],
           LOCATION, {"status_code": 1000})
    return Arrival(f"roamcert-hub-{slug}", (party,), x, url)


def _broadcast(*arrivals: Arrival) -> Routed:
    sent = _x("outbound", "http://hub.test/ocpi/hub/2.2.1/receiver/locations/NL/RCP/LOC1",
              [*_routing(HUB, CPO), ("X-Request-ID", "r0"), ("X-Correlation-ID", "c1")], LOCATION,
              {"status_code": 1000})  # the Hub's answer names no one: its routing headers are optional here
    return Routed(sent, CPO, (EMSP, NSP), arrivals, HUB, "The Broadcast Push")


def test_a_broadcast_to_every_entitled_party_passes_without_routing_headers_on_the_answer() -> None:
    routed = _broadcast(_arrival(EMSP, "emsp1", "r1"), _arrival(NSP, "nsp", "r2"))
    findings = hub.broadcast_reach.judge(routed) + hub.request_id_renewed.judge(routed)
    assert [f.outcome for f in findings] == [Outcome.PASS, Outcome.PASS]


def test_a_broadcast_reaching_a_cpo_or_missing_a_party_is_named() -> None:
    routed = _broadcast(_arrival(EMSP, "emsp1", "r1"), _arrival(CPO2, "dual", "r0"))
    messages = [f.message for f in hub.broadcast_reach.judge(routed)]
    assert any("did not reach NL/RNS" in m for m in messages)
    assert any("not meant for: roamcert-hub-dual" in m for m in messages)
    renewed = hub.request_id_renewed.judge(routed)
    assert [f.outcome for f in renewed] == [Outcome.FAIL] and renewed[0].actual == "r0"


def _page(items: list[dict[str, Any]]) -> ListPage:
    x = _x("outbound", "http://hub.test/ocpi/hub/2.2.1/sender/locations", [], None,
           {"status_code": 1000, "data": items}, [*_routing(EMSP, HUB), ("X-Total-Count", str(len(items))),
                                                   ("X-Limit", "10")])
    return ListPage(x, "http://hub.test/ocpi/hub/2.2.1/sender/locations")


def test_get_all_keeps_other_parties_objects_but_names_duplicates() -> None:
    other = {**LOCATION, "country_code": "DE", "party_id": "XYZ"}  # a party connected to the Hub, not roamcert's
    due = frozenset({("NL", "RCP", "LOC1")})
    ours = frozenset({CPO, EMSP, NSP, CPO2})
    fine = GetAll((_page([LOCATION, other]),), due, ours, EMSP, HUB)
    assert [f.outcome for f in hub.get_all.judge(fine)] == [Outcome.PASS]
    twice = GetAll((_page([LOCATION, LOCATION]),), due, ours, EMSP, HUB)
    assert [f.outcome for f in hub.get_all.judge(twice)] == [Outcome.FAIL]
