"""OCPI 2.2.1 fault profiles of the reference hub (docs/hub.md, "Fault points"): each replaces one of the hub's
routing, forwarding, Hub Client Info or GET All behaviours, and trips the check of a Hub under test that shows it
(conformance/ocpi/v2_2_1/checks/hub.py)."""

from __future__ import annotations

import uuid
from typing import Any

from starlette.requests import Request

from conformance.ocpi.headers import OCPI_FROM_COUNTRY_CODE, OCPI_FROM_PARTY_ID, ROUTING_FROM_HEADERS
from simulators.behaviours import replace, set_to
from simulators.ocpi import pagination
from simulators.ocpi.endpoint import Call
from simulators.ocpi.pagination import Window
from simulators.ocpi.party import CREDENTIALS, CredentialsOf, Party, Peer
from simulators.ocpi.v2_2_1.hub import clientinfo, forwarding, get_all, routing
from simulators.ocpi.v2_2_1.hub.clientinfo import AnnouncedTo, PushHeaders
from simulators.ocpi.v2_2_1.hub.forwarding import Forwarded, ForwardHeaders, LinkRewrite, RelayedHeaders
from simulators.ocpi.v2_2_1.hub.get_all import Sources
from simulators.ocpi.v2_2_1.hub.routing import Entitled, HubErrors, OpenReceiver, OwnedSender, ReceiverOf
from simulators.ocpi.v2_2_1.hub.table import Address, Connected, hub_address, parties, parties_of
from simulators.ocpi.v2_2_1.profiles._register import profile

_HUB = ("HUB",)

# -- routing ----------------------------------------------------------------------------------------------------


def _another_of_its_role(receiver: ReceiverOf) -> ReceiverOf:
    """The party of the named party's role registered first, whichever party the to-headers name."""

    def wrong(hub: Party, to: Address) -> Connected | None:
        named = receiver(hub, to)
        if named is None:
            return None
        return next((p for p in parties(hub) if p.role == named.role and p.address != named.address), named)

    return wrong


def _all_but_last(entitled: Entitled) -> Entitled:
    return lambda hub, module, interface, sender: entitled(hub, module, interface, sender)[:-1]


def _every_other_platform(entitled: Entitled) -> Entitled:
    def everyone(hub: Party, module: str, interface: str, sender: Connected) -> list[Connected]:
        return [p for p in parties(hub) if p.peer is not sender.peer and p.peer.endpoint(module, interface)]

    return everyone


def _no_content_routing(open_receiver: OpenReceiver) -> OpenReceiver:
    return lambda module, body: None


profile("hub_wrong_receiver", "The hub forwards a request to another party of the addressed party's role.",
        roles=_HUB, trips=("ocpi.hub.delivered_to_addressee",),
        replaces=[replace(routing.RECEIVER, _another_of_its_role)])

profile("hub_broadcast_missing", "A Broadcast Push leaves out one of the parties it concerns.", roles=_HUB,
        trips=("ocpi.hub.broadcast_reach",), replaces=[replace(routing.ENTITLED, _all_but_last)])

profile("hub_broadcast_over_broad", "A Broadcast Push reaches every party of the other platforms, of any role.",
        roles=_HUB, trips=("ocpi.hub.broadcast_reach",), replaces=[replace(routing.ENTITLED, _every_other_platform)])

profile("hub_open_routing_to_all", "An Open Routing Request is not routed by its content: it goes to every party "
        "of an opposite role.", roles=_HUB, trips=("ocpi.hub.open_routing",),
        replaces=[replace(routing.OPEN_RECEIVER, _no_content_routing)])

profile("hub_4001_for_not_connected", "A party that is not connected is answered 4001 (unknown) instead of 4003.",
        roles=_HUB, trips=("ocpi.hub.not_connected",),
        replaces=[set_to(routing.HUB_ERRORS, HubErrors(not_connected=4001))])

profile("hub_4000_for_unknown_receiver", "An unknown OCPI-to address is answered 4000 instead of 4001.", roles=_HUB,
        trips=("ocpi.hub.unknown_receiver",), replaces=[set_to(routing.HUB_ERRORS, HubErrors(unknown_receiver=4000))])

profile("hub_errors_as_server_errors", "The hub's own routing failures are answered 3000 instead of a 4xxx code.",
        roles=_HUB, trips=("ocpi.hub.error_family",), replaces=[set_to(routing.HUB_ERRORS, HubErrors(generic=3000))])


def _unchecked_sender(owned: OwnedSender) -> OwnedSender:
    """The from-headers taken at their word: any party registered with the hub, whichever platform calls."""

    def unchecked(peer: Peer, sender: Address) -> Connected | None:
        found = owned(peer, sender)
        if found is not None:
            return found
        # taken for a party of the caller's platform, of the role of the caller's first party
        return Connected(sender, next((p.role for p in parties_of(peer)), "EMSP"), peer)

    return unchecked


profile("hub_from_not_checked", "The hub does not check that the OCPI-from party belongs to the calling platform.",
        roles=_HUB, trips=("ocpi.hub.sender_verified",), replaces=[replace(routing.OWNED_SENDER, _unchecked_sender)])

# -- forwarding -------------------------------------------------------------------------------------------------


def _without_from(headers: ForwardHeaders) -> ForwardHeaders:
    def dropped(incoming: Request | None, to: Address, sender: Address) -> dict[str, str]:
        return {k: v for k, v in headers(incoming, to, sender).items() if k not in ROUTING_FROM_HEADERS}

    return dropped


def _swapped(headers: ForwardHeaders) -> ForwardHeaders:
    return lambda incoming, to, sender: {**headers(incoming, sender, to)} | {
        k: v for k, v in headers(incoming, to, sender).items() if k.startswith("X-")}


def _same_request_id(headers: ForwardHeaders) -> ForwardHeaders:
    def copied(incoming: Request | None, to: Address, sender: Address) -> dict[str, str]:
        made = headers(incoming, to, sender)
        if incoming is not None and incoming.headers.get("x-request-id"):
            made["X-Request-ID"] = incoming.headers["x-request-id"]
        return made

    return copied


def _new_correlation_id(headers: ForwardHeaders) -> ForwardHeaders:
    return lambda incoming, to, sender: {**headers(incoming, to, sender), "X-Correlation-ID": str(uuid.uuid4())}


def _from_the_hub(relayed: RelayedHeaders) -> RelayedHeaders:
    def from_hub(hub: Party, forwarded: Forwarded, receiver_url: str, hub_url: str, requester: Address,
                 receiver: Address) -> dict[str, str]:
        headers = relayed(hub, forwarded, receiver_url, hub_url, requester, receiver)
        us = hub_address(hub)
        return {**headers, OCPI_FROM_COUNTRY_CODE: us.country_code, OCPI_FROM_PARTY_ID: us.party_id}

    return from_hub


def _link_unchanged(link: LinkRewrite) -> LinkRewrite:
    return lambda value, receiver_url, hub_url: value


profile("hub_drops_from_headers", "Forwarded requests carry no OCPI-from headers.", roles=_HUB,
        trips=("ocpi.hub.forwarded_routing_headers",), replaces=[replace(forwarding.FORWARD_HEADERS, _without_from)])

profile("hub_swaps_routing_headers", "Forwarded requests name the sender in OCPI-to and the receiver in OCPI-from.",
        roles=_HUB, trips=("ocpi.hub.forwarded_routing_headers",),
        replaces=[replace(forwarding.FORWARD_HEADERS, _swapped)])

profile("hub_keeps_request_id", "Forwarded requests carry the X-Request-ID of the incoming request.", roles=_HUB,
        trips=("ocpi.hub.request_id_renewed",), replaces=[replace(forwarding.FORWARD_HEADERS, _same_request_id)])

profile("hub_new_correlation_id", "Forwarded requests carry a new X-Correlation-ID.", roles=_HUB,
        trips=("ocpi.hub.correlation_id_kept",), replaces=[replace(forwarding.FORWARD_HEADERS, _new_correlation_id)])

profile("hub_answers_from_itself", "A relayed answer names the hub, not the receiving party, in OCPI-from.",
        roles=_HUB, trips=("ocpi.hub.answer_relayed",), replaces=[replace(forwarding.RELAYED_HEADERS, _from_the_hub)])

profile("hub_link_not_rewritten", "A relayed list keeps the receiver's next-page Link, pointing at the receiver.",
        roles=_HUB, trips=("ocpi.hub.link_rewritten",), replaces=[replace(forwarding.LINK, _link_unchanged)])

# -- GET All ----------------------------------------------------------------------------------------------------


def _last_source_left_out(sources: Sources) -> Sources:
    return lambda hub, module, requester: sources(hub, module, requester)[:-1]


def _no_link(call: Call, window: Window) -> None:
    return None


def _first_source_twice(sources: Sources) -> Sources:
    def twice(hub: Party, module: str, requester: Connected) -> list[Connected]:
        found = sources(hub, module, requester)
        return found + found[:1]

    return twice


profile("hub_get_all_leaks", "GET All passes one Sender's list on twice, as a hub does that reads a platform once "
        "per party it holds without keeping each party's own objects: the client gets those objects twice.",
        roles=_HUB, trips=("ocpi.hub.get_all",), replaces=[replace(get_all.SOURCES, _first_source_twice)])

profile("hub_get_all_incomplete", "GET All leaves out the last connected Sender.", roles=_HUB,
        trips=("ocpi.hub.get_all",), replaces=[replace(get_all.SOURCES, _last_source_left_out)])

profile("hub_get_all_without_link", "Lists the hub serves itself carry no next-page Link.", roles=_HUB,
        trips=("ocpi.hub.get_all_paginated",), replaces=[set_to(pagination.NEXT_LINK, _no_link)])

# -- Hub Client Info, credentials -------------------------------------------------------------------------------


def _told_nobody(announced: AnnouncedTo) -> AnnouncedTo:
    return lambda hub, info: []


def _routed_pushes(headers: PushHeaders) -> PushHeaders:
    def routed(hub: Party) -> dict[str, str]:
        us = hub_address(hub)
        return {**headers(hub), OCPI_FROM_COUNTRY_CODE: us.country_code, OCPI_FROM_PARTY_ID: us.party_id}

    return routed


def _never_in_window(in_window: Any) -> Any:
    return lambda moment, date_from, date_to: False


def _with_a_cpo(credentials: CredentialsOf) -> CredentialsOf:
    def more(party: Party, token: str) -> dict[str, Any]:
        made = credentials(party, token)
        hub = made["roles"][0]
        return {**made, "roles": [*made["roles"], {**hub, "role": "CPO"}]}

    return more


profile("hub_client_info_not_pushed", "The hub pushes no ClientInfo change to the connected parties.", roles=_HUB,
        trips=("ocpi.hub.client_info_pushed",), replaces=[replace(clientinfo.ANNOUNCED_TO, _told_nobody)])

profile("hub_routes_client_info", "The hub's ClientInfo pushes carry OCPI-from routing headers.", roles=_HUB,
        trips=("ocpi.routing.configuration_modules",), replaces=[replace(clientinfo.PUSH_HEADERS, _routed_pushes)])

profile("hub_client_info_list_empty", "The hub's ClientInfo list (and every list it serves itself) is empty.",
        roles=_HUB, trips=("ocpi.hub.client_info_list",), replaces=[replace(pagination.IN_WINDOW, _never_in_window)])

profile("hub_reports_other_roles", "The hub's Credentials name a CPO role beside its HUB role.", roles=_HUB,
        trips=("ocpi.hub.credentials_role",), replaces=[replace(CREDENTIALS, _with_a_cpo)])
