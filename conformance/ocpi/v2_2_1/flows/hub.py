"""Flows for a Hub under test (transport_and_format_message_routing, mod_hub_client_info).

roamcert's platforms opposite the Hub (conformance/ocpi/hub_side.py: CPO-1, a platform holding CPO-2 and EMSP-2,
EMSP-1, the NSP) register with it, then send requests through it with their own token and routing headers. A flow
records what each platform sent, what each received from the Hub (the forwarded request, as its server recorded
it) and what the Hub answered; the checks of checks/hub.py judge the Hub from that.
"""

from __future__ import annotations

import copy
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

from conformance.core.errors import SetupFailed, SutUnreachable
from conformance.core.exchange import Exchange
from conformance.ocpi.context import Context
from conformance.ocpi.expect import Expect
from conformance.ocpi.headers import (
    OCPI_FROM_COUNTRY_CODE,
    OCPI_FROM_PARTY_ID,
    OCPI_TO_COUNTRY_CODE,
    OCPI_TO_PARTY_ID,
    next_url,
)
from conformance.ocpi.hub_side import HubSide, SidePlatform
from conformance.ocpi.v2_2_1.checks import hub as checks
from conformance.ocpi.v2_2_1.checks.hub import Address, Arrival, ListPage, Routed
from conformance.ocpi.v2_2_1.flows.registration import versions_offered_at
from simulators.ocpi.endpoint import OcpiError
from simulators.ocpi.party import Identity
from simulators.ocpi.v2_2_1.credentials import register_with

__all__ = ["broadcast_from_cpo", "broadcast_from_emsp", "client_info_list", "client_info_on_offline",
           "directed_get", "directed_push", "ensure_hub_side", "error_relayed", "foreign_sender", "get_all",
           "interface_not_offered", "not_connected", "open_routing_cdr", "read_credentials", "relayed_list",
           "unknown_receiver"]

_OK = frozenset({1000})
_SETTLE = 5.0  # seconds roamcert waits for a Hub on the network to deliver what it has accepted
_QUIET = 1.0  # and then for anything it should not deliver
_MAX_PAGES = 20
_CONFIGURATION = ("versions", "credentials", "hubclientinfo")


# -- registration -------------------------------------------------------------------------------------------

def ensure_hub_side(ctx: Context) -> HubSide:
    """roamcert's platforms, registered with the Hub through one token A each (once per run)."""
    side = ctx.harness.hub_side(ctx.sut_role)
    if side.registration_failed:
        raise SetupFailed(side.registration_failed)
    if side.registered:
        return side
    tokens = side.tokens_a()
    ctx.case.log.secrets.update(tokens)
    if len(tokens) < len(side.platforms):
        side.registration_failed = (f"a Hub under test needs {len(side.platforms)} tokens A (token_a and "
                                    f"extra_tokens_a), one for each of roamcert's platforms; the target gives "
                                    f"{len(tokens)}")
        raise SetupFailed(side.registration_failed)
    for platform, token in zip(side.platforms.values(), tokens, strict=False):
        try:
            ctx.harness.runtime.run(register_with(platform.party, side.hub.versions_url, token))
        except (OcpiError, SutUnreachable, KeyError, StopIteration, ValueError) as exc:
            side.registration_failed = f"{platform.node} could not register with the Hub: {exc}"
            raise SetupFailed(side.registration_failed) from exc
    side.registered = True
    first = next(iter(side.platforms.values())).peer
    if first is not None:  # the verdict names the Hub's connection registered (its modules are the hub cases')
        ctx.conn.token, ctx.conn.version = first.token_out, first.version
        ctx.conn.declared = list(first.endpoints)
        ctx.conn.versions_offered = versions_offered_at(ctx, side.hub.versions_url)
    return side


def _hub_address(platform: SidePlatform) -> Address | None:
    """The Hub's own party, as its Credentials named it."""
    roles = platform.peer.roles if platform.peer is not None else []
    for role in roles:
        if isinstance(role.get("country_code"), str) and isinstance(role.get("party_id"), str):
            return (role["country_code"].upper(), role["party_id"].upper())
    return None


def read_credentials(ctx: Context) -> None:
    """Each platform GETs the Hub's Credentials: the Hub reports itself, as role HUB only."""
    side = ensure_hub_side(ctx)
    answers = []
    for platform in side.platforms.values():
        assert platform.peer is not None
        url = platform.peer.endpoint("credentials")
        if url is None:
            raise SetupFailed("the Hub's version details list no credentials endpoint")
        answers.append(_call(ctx, platform, "GET", url, {}, Expect(schema="Credentials", status_codes=_OK)))
    ctx.case.evaluate(checks.credentials_role, checks.Credentials(tuple(answers)))


# -- sending through the Hub, and what arrived ------------------------------------------------------------

def _address(identity: Identity) -> Address:
    return (identity.country_code.upper(), identity.party_id.upper())


def _routing(sender: Identity, to: Address | None) -> dict[str, str]:
    headers = {OCPI_FROM_COUNTRY_CODE: sender.country_code, OCPI_FROM_PARTY_ID: sender.party_id}
    if to is not None:
        headers.update({OCPI_TO_COUNTRY_CODE: to[0], OCPI_TO_PARTY_ID: to[1]})
    return headers


def _call(ctx: Context, platform: SidePlatform, method: str, url: str, headers: dict[str, str], expect: Expect, *,
          body: Any = None, params: dict[str, str | int] | None = None) -> Exchange:
    client = ctx.harness.client(platform.token)
    exchange: Exchange = ctx.harness.runtime.run(client.request(
        method, url, json_body=body, params=params, headers=headers, correlation_id=str(uuid.uuid4())))
    ctx.case.check_response(exchange, replace(expect, sut_is_hub=True))
    return exchange


def _hub_endpoint(platform: SidePlatform, module: str, interface: str) -> str:
    url = platform.peer.endpoint(module, interface) if platform.peer is not None else None
    if url is None:
        raise SetupFailed(f"the Hub's version details list no {module} {interface} endpoint")
    return url


def _configuration(platform: SidePlatform, url: str) -> bool:
    party = platform.party
    path = urlsplit(url).path
    own = [urlsplit(party.versions_url()).path, urlsplit(party.version_url(party.speaks)).path]
    own += [urlsplit(party.module_url(party.speaks, m, i)).path for m in _CONFIGURATION
            for i in ("SENDER", "RECEIVER")]
    return path.rstrip("/") in own or any(path.startswith(p + "/") for p in own[2:])


def _inbound(ctx: Context, side: HubSide, mark: int, *, configuration: bool) -> list[tuple[SidePlatform, Exchange]]:
    found = []
    for x in ctx.case.log.exchanges[mark:]:
        if x.direction != "inbound":
            continue
        platform = next((p for p in side.platforms.values() if x.url.startswith(p.party.base_url + "/")), None)
        if platform is not None and _configuration(platform, x.url) == configuration:
            found.append((platform, x))
    return found


def _arrivals(ctx: Context, side: HubSide, mark: int, module: str, interface: str, rest: str) -> list[Arrival]:
    out = []
    for platform, x in _inbound(ctx, side, mark, configuration=False):
        party = platform.party
        url = party.module_url(party.speaks, module, interface) + (f"/{rest}" if rest else "")
        out.append(Arrival(platform.node, tuple(_address(i) for i in party.identities), x, url))
    return out


def _settle(ctx: Context, side: HubSide, mark: int, arrived: Callable[[], bool]) -> None:
    """A Hub on the network may deliver after it answered: wait for what is due, then a moment for the rest."""
    if side.hub.inprocess:
        return  # the reference hub delivers before it answers
    deadline = time.monotonic() + _SETTLE
    while not arrived() and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(_QUIET)


def _route(ctx: Context, platform: SidePlatform, sender: Identity, method: str, module: str, interface: str, *,
           to: Address | None, rest: str = "", body: Any = None, params: dict[str, str | int] | None = None,
           receivers: Iterable[Address] = (), forwarded_from: Address | None = None, what: str = "",
           expect: Expect | None = None) -> Routed:
    """``sender`` sends one request through the Hub; what the Hub answered and delivered to roamcert."""
    side = ctx.harness.hub_side(ctx.sut_role)
    url = _hub_endpoint(platform, module, interface) + (f"/{rest}" if rest else "")
    mark = len(ctx.case.log.exchanges)
    sent = _call(ctx, platform, method, url, _routing(sender, to), expect or Expect(status_codes=_OK), body=body,
                 params=params)
    due = tuple(receivers)
    _settle(ctx, side, mark, lambda: {checks.to_of(a.exchange) for a in
                                      _arrivals(ctx, side, mark, module, interface, rest)} >= set(due))
    arrivals = tuple(_arrivals(ctx, side, mark, module, interface, rest))
    return Routed(sent, _address(sender), due, arrivals, forwarded_from or _address(sender),
                  what or f"The {method} {module} request of {sender.country_code}/{sender.party_id}")


def _judge_forwarding(ctx: Context, routed: Routed) -> None:
    for check in (checks.forwarded_routing_headers, checks.request_id_renewed, checks.correlation_id_kept):
        ctx.case.evaluate(check, routed)


def _relayed(ctx: Context, routed: Routed, receiver: Address) -> None:
    arrival = next((a for a in routed.arrivals if checks.to_of(a.exchange) == receiver), None)
    ctx.case.evaluate(checks.answer_relayed, checks.Relayed(routed.sent, arrival, routed.sender, receiver))


# -- what roamcert's parties send ---------------------------------------------------------------------------

def _party(side: HubSide, slug: str, role: str) -> tuple[SidePlatform, Identity]:
    platform = side[slug]
    return platform, platform.party.identity(role)


def _token_push(side: HubSide, slug: str) -> tuple[str, dict[str, Any], dict[str, str | int]]:
    token = copy.deepcopy(side[slug].party.owned["tokens"][0])
    return f"{token['country_code']}/{token['party_id']}/{token['uid']}", token, {"type": token["type"]}


def _location_push(side: HubSide, slug: str) -> tuple[str, dict[str, Any]]:
    location = copy.deepcopy(side[slug].party.owned["locations"][0])
    return f"{location['country_code']}/{location['party_id']}/{location['id']}", location


def directed_push(ctx: Context, sender_slug: str, sender_role: str, receiver_slug: str, receiver_role: str) -> None:
    """A push addressed to one party: an eMSP's Token to a CPO, a CPO's Location to an eMSP."""
    side = ensure_hub_side(ctx)
    platform, sender = _party(side, sender_slug, sender_role)
    receiver = _address(side[receiver_slug].party.identity(receiver_role))
    if sender_role == "EMSP":
        rest, body, params = _token_push(side, sender_slug)
        module: str = "tokens"
    else:
        (rest, body), params, module = _location_push(side, sender_slug), {}, "locations"
    routed = _route(ctx, platform, sender, "PUT", module, "RECEIVER", to=receiver, rest=rest, body=body,
                    params=params or None, receivers=(receiver,))
    ctx.case.evaluate(checks.delivered_to_addressee, routed)
    _judge_forwarding(ctx, routed)
    _relayed(ctx, routed, receiver)


def directed_get(ctx: Context) -> None:
    """EMSP-1 GETs one Location of CPO-2 (on the platform holding two parties): the answer comes back as given."""
    side = ensure_hub_side(ctx)
    platform, sender = _party(side, "emsp1", "EMSP")
    owner = side["dual"].party
    location = owner.owned["locations"][0]
    receiver = _address(owner.identity("CPO"))
    routed = _route(ctx, platform, sender, "GET", "locations", "SENDER", to=receiver, rest=str(location["id"]),
                    receivers=(receiver,), expect=Expect(schema="Location", status_codes=_OK))
    ctx.case.evaluate(checks.delivered_to_addressee, routed)
    _judge_forwarding(ctx, routed)
    _relayed(ctx, routed, receiver)


def error_relayed(ctx: Context) -> None:
    """EMSP-1 GETs a Location CPO-1 does not have: CPO-1's client error reaches EMSP-1 as CPO-1 gave it."""
    side = ensure_hub_side(ctx)
    platform, sender = _party(side, "emsp1", "EMSP")
    receiver = _address(side["cpo1"].party.identity("CPO"))
    routed = _route(ctx, platform, sender, "GET", "locations", "SENDER", to=receiver,
                    rest=f"NOSUCH{uuid.uuid4().hex[:8].upper()}", receivers=(receiver,),
                    expect=Expect(status_codes=frozenset({2003}), resource_exists=False))
    ctx.case.evaluate(checks.delivered_to_addressee, routed)
    _relayed(ctx, routed, receiver)


def _broadcast(ctx: Context, slug: str, role: str, receivers: tuple[tuple[str, str], ...]) -> None:
    side = ensure_hub_side(ctx)
    platform, sender = _party(side, slug, role)
    hub = _hub_address(platform)
    if hub is None:
        raise SetupFailed("the Hub's Credentials name no party to address a Broadcast Push to")
    if role == "EMSP":
        rest, body, params = _token_push(side, slug)
        module: str = "tokens"
    else:
        (rest, body), params, module = _location_push(side, slug), {}, "locations"
    due = tuple(_address(side[s].party.identity(r)) for s, r in receivers)
    routed = _route(ctx, platform, sender, "PUT", module, "RECEIVER", to=hub, rest=rest, body=body,
                    params=params or None, receivers=due, forwarded_from=hub,
                    what=f"The Broadcast Push ({module}) of {sender.country_code}/{sender.party_id}")
    ctx.case.evaluate(checks.broadcast_reach, routed)
    _judge_forwarding(ctx, routed)


def broadcast_from_cpo(ctx: Context) -> None:
    """CPO-1 pushes a Location to the Hub: every eMSP and the NSP of roamcert's receive it, CPO-2 does not."""
    _broadcast(ctx, "cpo1", "CPO", (("emsp1", "EMSP"), ("dual", "EMSP"), ("nsp", "NSP")))


def broadcast_from_emsp(ctx: Context) -> None:
    """EMSP-1 pushes a Token to the Hub: both CPOs receive it; EMSP-2 and the NSP do not."""
    _broadcast(ctx, "emsp1", "EMSP", (("cpo1", "CPO"), ("dual", "CPO")))


def open_routing_cdr(ctx: Context) -> None:
    """CPO-1 POSTs a CDR without OCPI-to headers; its cdr_token names EMSP-2, which alone must receive it."""
    side = ensure_hub_side(ctx)
    platform, sender = _party(side, "cpo1", "CPO")
    emsp = side["dual"].party.identity("EMSP")
    cdr = copy.deepcopy(platform.party.owned["cdrs"][0])
    cdr["id"] = f"HUB{uuid.uuid4().hex[:12].upper()}"
    cdr["cdr_token"] = {**cdr["cdr_token"], "country_code": emsp.country_code, "party_id": emsp.party_id}
    receiver = _address(emsp)
    routed = _route(ctx, platform, sender, "POST", "cdrs", "RECEIVER", to=None, body=cdr, receivers=(receiver,),
                    what=f"The CDR {cdr['id']} for {emsp.country_code}/{emsp.party_id} (Open Routing Request)")
    ctx.case.evaluate(checks.open_routing, routed)
    _judge_forwarding(ctx, routed)
    _relayed(ctx, routed, receiver)


# -- lists ----------------------------------------------------------------------------------------------------

def _next(x: Exchange) -> str | None:
    return next_url(x.response_header("Link"))


def _pages(ctx: Context, platform: SidePlatform, url: str, headers: dict[str, str], params: dict[str, str | int],
           schema: str) -> tuple[ListPage, ...]:
    """Every page of a list at the Hub, following its Links (at most _MAX_PAGES)."""
    pages: list[ListPage] = []
    page_url: str | None = url
    query: dict[str, str | int] | None = params
    while page_url is not None and len(pages) < _MAX_PAGES:
        x = _call(ctx, platform, "GET", page_url, headers, Expect(schema=schema, many=True, status_codes=_OK),
                  params=query)
        pages.append(ListPage(x, url))
        if x.status != 200:
            break
        page_url, query = _next(x), None
        if page_url is not None and not page_url.startswith(url.rstrip("/")):
            break  # the Hub's token goes to the Hub's endpoint only; the check names the Link that points away
    return tuple(pages)


def _keys(items: Iterable[dict[str, Any]]) -> frozenset[tuple[str, str, str]]:
    return frozenset((str(i["country_code"]).upper(), str(i["party_id"]).upper(), str(i["id"])) for i in items)


def get_all(ctx: Context) -> None:
    """EMSP-1 GETs all Locations via the Hub (OCPI-to: the Hub), page by page: those of CPO-1 and CPO-2."""
    side = ensure_hub_side(ctx)
    platform, sender = _party(side, "emsp1", "EMSP")
    hub = _hub_address(platform)
    url = _hub_endpoint(platform, "locations", "SENDER")
    pages = _pages(ctx, platform, url, _routing(sender, hub), {"limit": 25}, "Location")
    due = _keys(side["cpo1"].party.owned["locations"]) | _keys(side["dual"].party.owned["locations"])
    ours = frozenset(_address(i) for p in side.platforms.values() for i in p.identities)
    evidence = checks.GetAll(pages, due, ours, _address(sender), hub)
    ctx.case.evaluate(checks.get_all, evidence)
    ctx.case.evaluate(checks.get_all_paginated, evidence)


def relayed_list(ctx: Context) -> None:
    """EMSP-1 GETs CPO-1's Locations list through the Hub (OCPI-to: CPO-1), page by page, by the Hub's Links."""
    side = ensure_hub_side(ctx)
    platform, sender = _party(side, "emsp1", "EMSP")
    cpo = side["cpo1"].party
    url = _hub_endpoint(platform, "locations", "SENDER")
    pages = _pages(ctx, platform, url, _routing(sender, _address(cpo.identity("CPO"))), {"limit": 10}, "Location")
    receiver_endpoint = cpo.module_url(cpo.speaks, "locations", "SENDER")
    ctx.case.evaluate(checks.link_rewritten, checks.RelayedList(pages, receiver_endpoint))


# -- errors and isolation ------------------------------------------------------------------------------------

def _refused(ctx: Context, slug: str, role: str, to: Address, due: frozenset[int], why: str,
             sender: Identity | None = None) -> checks.HubError:
    side = ensure_hub_side(ctx)
    platform, own = _party(side, slug, role)
    rest, body, params = _token_push(side, slug)
    routed = _route(ctx, platform, sender or own, "PUT", "tokens", "RECEIVER", to=to, rest=rest, body=body,
                    params=params, expect=Expect(status_codes=due))
    return checks.HubError(routed.sent, due, why, routed.arrivals)


def unknown_receiver(ctx: Context) -> None:
    """EMSP-1 pushes a Token to a party no Hub knows (ZZ/ZZZ): 4001, nothing forwarded."""
    evidence = _refused(ctx, "emsp1", "EMSP", ("ZZ", "ZZZ"), frozenset({4001}), "addressed to an unknown party")
    ctx.case.evaluate(checks.unknown_receiver, evidence)


def interface_not_offered(ctx: Context) -> None:
    """EMSP-1 pushes a Token to the NSP, whose platform offers no Tokens Receiver: a 4xxx Hub error."""
    side = ensure_hub_side(ctx)
    nsp = _address(side["nsp"].party.identity("NSP"))
    evidence = _refused(ctx, "emsp1", "EMSP", nsp, frozenset({4000, 4001, 4002, 4003}),
                        "to a party whose platform offers no such interface")
    ctx.case.evaluate(checks.error_family, evidence)


def foreign_sender(ctx: Context) -> None:
    """EMSP-1 calls with its own token but names EMSP-2 (another platform's party) in its OCPI-from headers."""
    side = ensure_hub_side(ctx)
    other = side["dual"].party.identity("EMSP")
    cpo = _address(side["cpo1"].party.identity("CPO"))
    refusals = frozenset(range(2000, 2100)) | frozenset(range(4000, 4100))
    evidence = _refused(ctx, "emsp1", "EMSP", cpo, refusals,
                        f"whose OCPI-from headers name {other.country_code}/{other.party_id}, a party of another "
                        "platform", sender=other)
    ctx.case.evaluate(checks.sender_verified, evidence)


# -- a party that goes offline ---------------------------------------------------------------------------------

def _offline(ctx: Context) -> tuple[HubSide, SidePlatform, Address, Exchange]:
    """The NSP stops answering; CPO-1 pushes a Location to it, which the Hub cannot deliver."""
    side = ensure_hub_side(ctx)
    nsp_platform = side["nsp"]
    nsp = _address(nsp_platform.party.identity("NSP"))
    platform, cpo = _party(side, "cpo1", "CPO")
    rest, body = _location_push(side, "cpo1")
    nsp_platform.online = False
    try:
        first = _route(ctx, platform, cpo, "PUT", "locations", "RECEIVER", to=nsp, rest=rest, body=body,
                       expect=Expect(status_codes=frozenset({4002, 4003})))
    except BaseException:
        nsp_platform.online = True  # the later cases need every platform answering
        raise
    return side, nsp_platform, nsp, first.sent


def _back_online(ctx: Context, side: HubSide, nsp_platform: SidePlatform) -> Exchange:
    """The NSP answers again and calls the Hub (a GET All of Locations), so the Hub hears from it."""
    nsp_platform.online = True
    sender = nsp_platform.party.identity("NSP")
    url = _hub_endpoint(nsp_platform, "locations", "SENDER")
    return _call(ctx, nsp_platform, "GET", url, _routing(sender, _hub_address(nsp_platform)),
                 Expect(schema="Location", many=True, status_codes=_OK), params={"limit": 1})


def not_connected(ctx: Context) -> None:
    """Once the Hub found the NSP unreachable, a request to it is answered 4003 and not forwarded."""
    side, nsp_platform, nsp, _ = _offline(ctx)
    try:
        platform, cpo = _party(side, "cpo1", "CPO")
        rest, body = _location_push(side, "cpo1")
        again = _route(ctx, platform, cpo, "PUT", "locations", "RECEIVER", to=nsp, rest=rest, body=body,
                       expect=Expect(status_codes=frozenset({4003})))
        ctx.case.evaluate(checks.not_connected, checks.HubError(again.sent, frozenset({4003}),
                                                                "to a party that is not connected", again.arrivals))
    finally:
        _back_online(ctx, side, nsp_platform)


def _pushes(ctx: Context, side: HubSide, mark: int) -> tuple[Arrival, ...]:
    found = []
    for platform, x in _inbound(ctx, side, mark, configuration=True):
        party = platform.party
        url = party.module_url(party.speaks, "hubclientinfo", "RECEIVER")
        if x.url.startswith(url + "/"):
            found.append(Arrival(platform.node, tuple(_address(i) for i in party.identities), x, url))
    return tuple(found)


def client_info_on_offline(ctx: Context) -> None:
    """The NSP goes offline, then comes back: each time the Hub PUTs its ClientInfo to roamcert's other platforms
    (OFFLINE, then CONNECTED)."""
    side = ensure_hub_side(ctx)
    others = tuple(p.node for slug, p in side.platforms.items() if slug != "nsp")
    mark = len(ctx.case.log.exchanges)
    side, nsp_platform, nsp, failed = _offline(ctx)
    try:
        _settle(ctx, side, mark, lambda: {a.platform for a in _pushes(ctx, side, mark)} >= set(others))
        ctx.case.evaluate(checks.client_info_pushed, checks.ClientInfoPushes(
            nsp, "OFFLINE", others, _pushes(ctx, side, mark), (failed.id,)))
    finally:
        back_mark = len(ctx.case.log.exchanges)
        back = _back_online(ctx, side, nsp_platform)
    _settle(ctx, side, back_mark, lambda: {a.platform for a in _pushes(ctx, side, back_mark)} >= set(others))
    ctx.case.evaluate(checks.client_info_pushed, checks.ClientInfoPushes(
        nsp, "CONNECTED", others, _pushes(ctx, side, back_mark), (back.id,)))


def client_info_list(ctx: Context) -> None:
    """EMSP-1 GETs the Hub's ClientInfo list: every party of roamcert's other platforms is there, CONNECTED."""
    side = ensure_hub_side(ctx)
    platform = side["emsp1"]
    url = _hub_endpoint(platform, "hubclientinfo", "SENDER")
    pages = _pages(ctx, platform, url, {}, {"limit": 50}, "ClientInfo")
    due = tuple(_address(i) for p in side.platforms.values() if p is not platform for i in p.identities)
    ctx.case.evaluate(checks.client_info_list, checks.ClientInfoList(tuple(p.exchange for p in pages), due))

