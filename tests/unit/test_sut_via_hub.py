"""A platform under test behind roamcert's reference hub (target ``topology = "hub"``, conformance/ocpi/via_hub.py):
roamcert's requests to the SUT leave its acting party addressed to the SUT's party and reach the SUT only through
the hub; the SUT's requests reach the party they address and no one else; only what the SUT sent and answered is
in the case's log."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conformance.core.case import Case
from conformance.core.checks import run_checks
from conformance.core.errors import ConfigurationError
from conformance.core.exchange import Exchange, ExchangeLog
from conformance.core.findings import Finding, Outcome
from conformance.core.topology import NodeKind
from conformance.ocpi.context import Context
from conformance.ocpi.expect import Expect
from conformance.ocpi.harness import Harness
from conformance.ocpi.target import load_target, reference_target
from conformance.ocpi.v2_2_1.flows import charging
from conformance.ocpi.v2_2_1.flows.actions import perform
from conformance.ocpi.v2_2_1.flows.http import send
from simulators.ocpi.party import Party
from simulators.ocpi.v2_2_1.seed.tokens import seed_tokens
from tests.unit.registered import registered_harness

ROLES = ("CPO", "EMSP", "NSP")
SUT = {"CPO": ("NL", "RCP"), "EMSP": ("NL", "REM"), "NSP": ("NL", "RNS")}  # the reference platforms' parties


@pytest.fixture(scope="module")
def harness() -> Iterator[Harness]:
    with registered_harness(reference_target(roles=ROLES, topology="hub"), ROLES) as built:
        yield built


def _context(harness: Harness, role: str) -> Context:
    return Context(harness, Case(nodeid=f"via-hub-{role}", log=harness.begin_case()), role)


def _internal(harness: Harness) -> ExchangeLog:
    assert harness.hub_link is not None
    return harness.hub_link.internal


def _receivers(harness: Harness, log: ExchangeLog) -> list[str]:
    """The roamcert platforms that received a request in ``log``, by node name."""
    found = []
    for x in log.exchanges:
        for name, party in harness.actors.items():
            if x.direction == "inbound" and x.url.startswith(party.version_url(party.speaks) + "/"):
                found.append(name)
    return found


def _routing(x: Exchange) -> tuple[tuple[str | None, str | None], tuple[str | None, str | None]]:
    return ((x.request_header("OCPI-from-country-code"), x.request_header("OCPI-from-party-id")),
            (x.request_header("OCPI-to-country-code"), x.request_header("OCPI-to-party-id")))


def _judge(x: Exchange, expect: Expect) -> list[Finding]:
    return [f for f in run_checks(x, expect, "request") if f.check_id == "ocpi.routing.via_hub"]


def _own(party: Party, role: str) -> tuple[str, str]:
    identity = party.identity(role)
    return identity.country_code, identity.party_id


def test_the_hub_stands_between_the_sut_and_roamcerts_platforms(harness: Harness) -> None:
    hub = harness.topology.of_kind(NodeKind.HUB)
    assert [n.name for n in hub] == ["roamcert-hub"]
    for role in ROLES:
        node = harness.sut_node(role).name
        assert [n.name for n in harness.topology.linked(node)] == ["roamcert-hub"]
        ctx = _context(harness, role)
        assert ctx.registrar is harness.hub_link.hub  # type: ignore[union-attr]
        assert ctx.partner is not ctx.registrar
        assert ctx.conn.token is not None and ctx.conn.peer is not None
    behind = {n.name for n in harness.topology.linked("roamcert-hub", NodeKind.ROAMCERT)}
    assert behind == {"roamcert-emsp", "roamcert-cpo", "roamcert-second-emsp", "roamcert-second-cpo"}
    own = {(p.country_code, p.party_id) for n in harness.topology if n.kind is not NodeKind.SUT for p in n.parties}
    assert len(own) == 5  # the hub and four parties of roamcert's
    assert not own & set(SUT.values())  # none shared with the SUT: the hub routes by party


# One request of roamcert's to each module the SUT offers (Senders: their list; Receivers: an object it lacks).
REQUESTS = [
    ("CPO", "locations", "SENDER", ""), ("CPO", "tariffs", "SENDER", ""), ("CPO", "sessions", "SENDER", ""),
    ("CPO", "cdrs", "SENDER", ""), ("CPO", "tokens", "RECEIVER", "/NL/REX/NO-SUCH-TOKEN"),
    ("EMSP", "tokens", "SENDER", ""), ("EMSP", "locations", "RECEIVER", "/NL/RCX/NO-SUCH-LOCATION"),
    ("EMSP", "tariffs", "RECEIVER", "/NL/RCX/NO-SUCH-TARIFF"), ("EMSP", "sessions", "RECEIVER", "/NL/RCX/NOPE"),
    ("EMSP", "cdrs", "RECEIVER", "/NO-SUCH-CDR"), ("NSP", "locations", "RECEIVER", "/NL/RCX/NO-SUCH-LOCATION"),
    ("NSP", "tariffs", "RECEIVER", "/NL/RCX/NO-SUCH-TARIFF"),
]


@pytest.mark.parametrize(("role", "module", "interface", "below"), REQUESTS)
def test_a_request_to_the_sut_reaches_it_through_the_hub_only(harness: Harness, role: str, module: str,
                                                              interface: str, below: str) -> None:
    ctx = _context(harness, role)
    url = (ctx.conn.endpoint(module, interface) or "") + below
    judged = send(ctx, "GET", url, Expect(), token=ctx.conn.token)
    acting = _own(ctx.partner, {"CPO": "EMSP"}.get(role, "CPO"))
    # the exchange judged is the hub's hop to the SUT: the SUT's URL, the hub's token, routed from the acting party
    assert judged in ctx.case.log.exchanges and judged.direction == "outbound"  # as peer to peer
    assert judged.url == url and judged.status in (200, 404)  # a Receiver lacks the object asked
    assert _routing(judged) == (acting, SUT[role])
    assert [x.url for x in ctx.case.log.exchanges] == [url]  # it reached the SUT once, and no other SUT platform
    # roamcert's own hop: its acting party called the hub at the same module, with its own token there
    internal = _internal(harness).exchanges
    hops = [x for x in internal if x.direction == "outbound"]
    assert len(hops) == 1 and [x.direction for x in internal] == ["inbound", "outbound"]  # as the hub saw it, too
    assert hops[0].url.startswith(harness.hub_link.hub.module_url("2.2.1", module, interface))  # type: ignore
    assert _routing(hops[0]) == (acting, SUT[role])
    assert hops[0].request_header("X-Correlation-ID") == judged.request_header("X-Correlation-ID")
    assert _receivers(harness, _internal(harness)) == []  # none of roamcert's platforms received anything


def test_configuration_modules_are_the_hubs_own_calls(harness: Harness) -> None:
    ctx = _context(harness, "CPO")
    judged = send(ctx, "GET", ctx.conn.platform.versions_url, Expect(), token=ctx.conn.token)
    assert judged.direction == "outbound" and _routing(judged) == ((None, None), (None, None))
    assert _internal(harness).exchanges == []


def test_a_push_addressed_to_one_party_reaches_that_party_only(harness: Harness) -> None:
    ctx = _context(harness, "CPO")
    perform(ctx, "push", {"module": "tariffs", "to_country_code": "NL", "to_party_id": "REX"})
    sent = [x for x in ctx.case.log.exchanges if x.direction == "inbound"]
    assert sent and all(_routing(x) == (SUT["CPO"], ("NL", "REX")) for x in sent)
    assert all("/roamcert-hub/" in x.url for x in sent)  # the SUT called the hub, its peer
    assert set(_receivers(harness, _internal(harness))) == {"roamcert-emsp"}
    assert not [x for x in ctx.case.log.exchanges if x.direction == "callback"]  # no other SUT platform reached
    partner = ctx.partner
    assert partner.received.get("tariffs")


def test_a_broadcast_push_reaches_every_emsp_and_nsp_and_no_cpo(harness: Harness) -> None:
    ctx = _context(harness, "CPO")
    perform(ctx, "push", {"module": "locations"})
    sent = [x for x in ctx.case.log.exchanges if x.direction == "inbound"]
    assert sent and all(_routing(x) == (SUT["CPO"], ("NL", "RHB")) for x in sent)
    assert set(_receivers(harness, _internal(harness))) == {"roamcert-emsp", "roamcert-second-emsp"}
    forwarded = {x.url.split("/ocpi/")[0] for x in ctx.case.log.exchanges if x.direction == "callback"}
    assert forwarded == {"http://reference-emsp.roamcert.test", "http://reference-nsp.roamcert.test"}


def test_request_checks_judge_the_suts_requests_and_not_roamcerts_own_hops(harness: Harness) -> None:
    ctx = _context(harness, "CPO")
    perform(ctx, "push", {"module": "tariffs", "to_country_code": "NL", "to_party_id": "RE2"})
    ctx.case.check_requests(harness.request_expect())
    judged = {f.evidence for f in ctx.case.findings if f.check_id == "ocpi.routing.via_hub"}
    assert judged and all(f.outcome is Outcome.PASS for f in ctx.case.findings
                          if f.check_id == "ocpi.routing.via_hub")
    inbound = {x.id for x in ctx.case.log.exchanges if x.direction == "inbound"}
    assert {i for ids in judged for i in ids} == inbound
    assert not {x.id for x in _internal(harness).exchanges} & {x.id for x in ctx.case.log.exchanges}


def test_the_routing_check_fails_a_request_without_routing_headers(harness: Harness) -> None:
    ctx = _context(harness, "CPO")
    perform(ctx, "push", {"module": "tariffs", "to_country_code": "NL", "to_party_id": "REX"})
    sent = next(x for x in ctx.case.log.exchanges if x.direction == "inbound")
    expect = harness.request_expect()
    assert all(f.outcome is Outcome.PASS for f in _judge(sent, expect))
    for name in ("OCPI-from-party-id", "OCPI-to-country-code"):
        stripped = _with_headers(sent, [(k, v) for k, v in sent.raw_request_headers if k.lower() != name.lower()])
        assert any(f.outcome is Outcome.FAIL for f in _judge(stripped, expect)), name
    stranger = _with_headers(sent, [(k, "ZZZ" if k.lower() == "ocpi-to-party-id" else v)
                                    for k, v in sent.raw_request_headers])
    assert any(f.outcome is Outcome.FAIL for f in _judge(stranger, expect))
    posing = _with_headers(sent, [(k, "RNS" if k.lower() == "ocpi-from-party-id" else v)
                                  for k, v in sent.raw_request_headers])  # another SUT platform's party
    assert any(f.outcome is Outcome.FAIL for f in _judge(posing, expect))


def _with_headers(x: Exchange, headers: list[tuple[str, str]]) -> Exchange:
    return dataclasses.replace(x, raw_request_headers=headers)


def _target_file(tmp_path: Path, topology: str) -> Path:
    path = tmp_path / "target.toml"
    path.write_text(f'[ocpi]\ntopology = "{topology}"\n[[ocpi.platform]]\nroles = ["CPO"]\n'
                    'versions_url = "https://cpo.example/ocpi/versions"\ntoken_a = "A"\n')
    return path


def test_a_target_file_chooses_the_topology(tmp_path: Path) -> None:
    assert load_target(_target_file(tmp_path, "hub")).via_hub
    assert not load_target(_target_file(tmp_path, "direct")).via_hub
    with pytest.raises(ConfigurationError, match="topology"):
        load_target(_target_file(tmp_path, "mesh"))


def _hook(harness: Harness, role: str, name: str, payload: dict[str, str]) -> dict[str, str]:
    """Call an admin hook of the reference platform under test, returning its answer."""
    parts = urlsplit(harness.target.platforms[role].versions_url)
    response = harness.runtime.run(harness.network.client().post(f"{parts.scheme}://{parts.netloc}/admin/{name}",
                                                                 json=payload))
    assert response.status_code == 200, response.text
    answer: dict[str, str] = response.json()
    return answer


def test_a_charge_with_the_second_emsps_token_reaches_that_emsp_only(harness: Harness) -> None:
    """Real-time authorization, the Session and the CDR of a charge go to the eMSP owning the Token (roamcert's
    second eMSP, on a platform of its own), through the hub, and to no one else."""
    second = harness.actors["roamcert-second-emsp"]
    token = next(t for t in seed_tokens(country_code="NL", party_id="RE2") if t["valid"])
    second.owned["tokens"] = [token]
    ctx = _context(harness, "CPO")
    started = _hook(harness, "CPO", "present_token", {"uid": token["uid"], "type": token["type"],
                                                      "location_id": "LOC0001", "evse_uid": "LOC0001-1",
                                                      "country_code": "NL", "party_id": "RE2"})
    assert started.get("asked") and started.get("session_id"), started
    _hook(harness, "CPO", "stop_charging", {"session_id": started["session_id"]})
    sent = [x for x in ctx.case.log.exchanges if x.direction == "inbound"]
    modules = {urlsplit(x.url).path.split("/")[6] for x in sent}  # /roamcert-hub/ocpi/hub/2.2.1/<iface>/<module>
    assert {"tokens", "sessions", "cdrs"} <= modules
    assert all(_routing(x) == (SUT["CPO"], ("NL", "RE2")) for x in sent)
    assert set(_receivers(harness, _internal(harness))) == {"roamcert-second-emsp"}
    assert not [x for x in ctx.case.log.exchanges if x.direction == "callback"]  # no other SUT platform reached
    assert [s["id"] for s in second.received.get("sessions", {}).values()] == [started["session_id"]]
    assert second.received.get("cdrs")
    assert not harness.actors["roamcert-emsp"].received.get("cdrs")


def _answer(x: Exchange) -> list[Finding]:
    return [f for f in run_checks(x, Expect(), "response") if f.check_id == "ocpi.routing.answer"]


def _with_response_headers(x: Exchange, headers: list[tuple[str, str]]) -> Exchange:
    return dataclasses.replace(x, raw_response_headers=headers)


def test_the_suts_answer_through_the_hub_is_addressed_back_to_the_party_that_asked(harness: Harness) -> None:
    ctx = _context(harness, "CPO")
    judged = send(ctx, "GET", ctx.conn.endpoint("locations", "SENDER") or "", Expect(), token=ctx.conn.token)
    answered = ((judged.response_header("OCPI-from-country-code"), judged.response_header("OCPI-from-party-id")),
                (judged.response_header("OCPI-to-country-code"), judged.response_header("OCPI-to-party-id")))
    assert answered == (SUT["CPO"], ("NL", "REX"))  # from the party asked, to roamcert's eMSP that asked
    assert [f.outcome for f in _answer(judged)] == [Outcome.PASS]
    assert [f.outcome for f in ctx.case.findings if f.check_id == "ocpi.routing.answer"] == [Outcome.PASS]
    routing = {"ocpi-from-country-code", "ocpi-from-party-id", "ocpi-to-country-code", "ocpi-to-party-id"}
    bare = _with_response_headers(judged, [(k, v) for k, v in judged.raw_response_headers
                                           if k.lower() not in routing])
    assert [(f.outcome, f.message.split(" lacks ")[1][:18]) for f in _answer(bare)] == [
        (Outcome.FAIL, "both OCPI-to heade"), (Outcome.FAIL, "both OCPI-from hea")]
    swapped = _with_response_headers(judged, [(k.replace("-from-", "-TMP-").replace("-to-", "-from-")
                                               .replace("-TMP-", "-to-"), v) for k, v in judged.raw_response_headers])
    assert [f.outcome for f in _answer(swapped)] == [Outcome.FAIL, Outcome.FAIL]  # to the SUT, from roamcert
    unrouted = dataclasses.replace(bare, raw_request_headers=[(k, v) for k, v in judged.raw_request_headers
                                                              if k.lower() not in routing])
    assert _answer(unrouted) == []  # peer to peer between single parties: nothing to judge


def _answered(x: Exchange) -> tuple[tuple[str | None, str | None], tuple[str | None, str | None]]:
    return ((x.response_header("OCPI-from-country-code"), x.response_header("OCPI-from-party-id")),
            (x.response_header("OCPI-to-country-code"), x.response_header("OCPI-to-party-id")))


def test_each_party_of_a_two_party_platform_is_judged_on_its_own_requests_and_answers() -> None:
    """One platform under test holding a CPO (NL/RCP) and an eMSP (NL/REM) behind the hub: roamcert addresses each
    party in turn and each answers as itself; each party's own pushes name it as sender; an answer given as the
    platform's other party, and a request naming a party the platform never declared, are findings."""
    with registered_harness(reference_target(roles=("CPO", "EMSP"), combined=True, topology="hub"),
                            ("CPO", "EMSP")) as built:
        for role, other, module, interface in (("CPO", "EMSP", "locations", "SENDER"),
                                               ("EMSP", "CPO", "tokens", "SENDER")):
            ctx = _context(built, role)
            judged = send(ctx, "GET", ctx.conn.endpoint(module, interface) or "", Expect(), token=ctx.conn.token)
            assert _routing(judged)[1] == SUT[role] and _answered(judged)[0] == SUT[role], role
            assert [f.outcome for f in ctx.case.findings if f.check_id == "ocpi.routing.answer"] == [Outcome.PASS]
            as_other = _with_response_headers(judged, [(k, SUT[other][1] if k.lower() == "ocpi-from-party-id" else v)
                                                       for k, v in judged.raw_response_headers])
            assert [f.outcome for f in _answer(as_other)] == [Outcome.FAIL], role  # answered as its other party
        expect = built.request_expect()
        for role, module, to in (("CPO", "tariffs", ("NL", "REX")), ("EMSP", "tokens", ("NL", "RCX"))):
            ctx = _context(built, role)
            perform(ctx, "push", {"module": module, "to_country_code": to[0], "to_party_id": to[1]})
            sent = [x for x in ctx.case.log.exchanges if x.direction == "inbound"]
            assert sent and {_routing(x) for x in sent} == {(SUT[role], to)}, role  # each party sends as itself
            assert {f.outcome for x in sent for f in _judge(x, expect)} == {Outcome.PASS}
            undeclared = _with_headers(sent[0], [(k, "RNS" if k.lower() == "ocpi-from-party-id" else v)
                                                 for k, v in sent[0].raw_request_headers])
            assert {f.outcome for f in _judge(undeclared, expect)} == {Outcome.FAIL}, role


@pytest.mark.parametrize(("to", "counted"), [(("NL", "REX"), True), (("NL", "RE2"), False), (None, True)])
def test_a_suts_push_counts_for_roamcerts_emsp_only_when_the_hub_forwarded_it_there(
        harness: Harness, to: tuple[str, str] | None, counted: bool) -> None:
    """The charging flows read the SUT's pushes by the hub's record of whom it forwarded them to: one addressed to
    roamcert's second eMSP calls the same URL at the hub but is not the acting eMSP's; a Broadcast Push is."""
    ctx = _context(harness, "CPO")
    perform(ctx, "push", {"module": "locations", **({"to_country_code": to[0], "to_party_id": to[1]} if to else {})})
    sent = [x for x in ctx.case.log.exchanges if x.direction == "inbound"]
    assert sent and all("/receiver/locations/" in x.url for x in sent)
    assert bool(charging._inbound(ctx, 0)) is counted
