"""A platform under test across roamcert's roaming network (target ``topology = "network"``, docs/network.md): a
request of roamcert's leaves its party at node B, crosses to node A as a message node B signed, and reaches the
SUT from node A; only node A's exchanges with the SUT are in the case's log; the SUT's requests reach roamcert's
party across both nodes, judged knowing every party the registry lists."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from conformance.core.case import Case
from conformance.core.checks import run_checks
from conformance.network import registry_messages as m
from conformance.network.message import MESSAGE_PATH, NetworkMessage, node_signer
from conformance.ocpi.context import Context
from conformance.ocpi.harness import Harness
from conformance.ocpi.target import reference_target
from conformance.ocpi.v2_2_1.flows.actions import perform
from conformance.ocpi.v2_2_1.flows.http import send
from tests.unit.registered import registered_harness

ROLES = ("CPO", "EMSP")


@pytest.fixture(scope="module")
def harness() -> Iterator[Harness]:
    with registered_harness(reference_target(roles=ROLES, topology="network"), ROLES) as built:
        yield built


def _context(harness: Harness, role: str) -> Context:
    return Context(harness, Case(nodeid=f"via-network-{role}", log=harness.begin_case()), role)


def test_a_request_crosses_both_nodes_and_only_node_a_to_the_sut_is_judged(harness: Harness) -> None:
    link = harness.hub_link
    assert link is not None and link.home is not None and link.listing is not None
    ctx = _context(harness, "CPO")
    url = ctx.conn.endpoint("locations", "SENDER")
    assert url is not None
    exchange = send(ctx, "GET", url, token=ctx.conn.token)
    assert exchange.status == 200 and exchange.direction == "outbound"
    assert exchange.url.startswith(url)  # node A's hop to the SUT: the judged exchange
    messages = [x for x in link.internal.exchanges if x.url == link.hub.base_url + MESSAGE_PATH
                and x.direction == "callback"]
    assert len(messages) == 1  # node B sent it on to node A as one message
    sent = messages[0]
    assert node_signer(sent.raw_request_body or b"", str(sent.request_header("OCN-Signature"))) \
        == m.address_of(link.listing.keys[link.home.base_url])  # signed by node B's operator
    carried = NetworkMessage.from_json(sent.raw_request_body or b"")
    assert (carried.receiver, carried.method) == (("NL", "RCP"), "GET")
    assert carried.correlation_id == exchange.request_header("X-Correlation-ID")
    case_urls = [x.url for x in ctx.case.log.exchanges]
    assert case_urls and all(u.startswith(url) for u in case_urls)  # nothing of node B, the message or registry
    assert not any(MESSAGE_PATH in u or "/roamcert-node-b/" in u or "/roamcert-registry" in u for u in case_urls)


def test_the_registry_lists_both_nodes_roamcerts_parties_on_b_and_the_suts_on_a(harness: Harness) -> None:
    link = harness.hub_link
    assert link is not None and link.home is not None and link.listing is not None
    store = link.listing.store
    domains = {str(n["domain"]) for n in store.nodes()}
    assert domains == {link.hub.base_url, link.home.base_url}
    node_of = {(p["country_code"], p["party_id"]): p["operator"] for p in store.parties()}
    operator = {base: m.address_of(key) for base, key in link.listing.keys.items() if base.startswith("http")}
    assert node_of[("NL", "RCP")] == node_of[("NL", "REM")] == operator[link.hub.base_url]  # the SUT's
    assert node_of[("NL", "RCX")] == node_of[("NL", "REX")] == operator[link.home.base_url]  # roamcert's
    assert len(set(link.listing.keys.values())) == len(link.listing.keys)  # each its own key


def test_the_suts_request_crosses_both_nodes_and_knows_every_listed_party(harness: Harness) -> None:
    link = harness.hub_link
    assert link is not None
    ctx = _context(harness, "CPO")
    partner = ctx.partner_identity
    perform(ctx, "push", {"module": "locations", "to_country_code": partner.country_code,
                          "to_party_id": partner.party_id})
    pushed = [x for x in ctx.case.log.exchanges if x.direction == "inbound" and "/locations/" in x.url]
    assert pushed, "the SUT's push reached node A"
    assert all(x.url.startswith(link.hub.base_url) for x in pushed)
    reached = [x for x in link.internal.exchanges if x.direction == "inbound" and "/locations/" in x.url
               and x.request_header("X-Correlation-ID") == pushed[0].request_header("X-Correlation-ID")]
    assert reached, "node B delivered it to roamcert's eMSP"
    expect = harness.request_expect()
    assert expect.via_hub is not None and (partner.country_code, partner.party_id) in expect.via_hub.known
    findings = [f for f in run_checks(pushed[0], expect, "request") if f.check_id == "ocpi.routing.via_hub"]
    assert findings and all(f.outcome.name == "PASS" for f in findings)
