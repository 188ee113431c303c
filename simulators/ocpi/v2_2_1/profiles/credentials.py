"""OCPI 2.2.1 fault profiles: the credentials handshake and versions.
Each replaces behaviours of the reference platforms (simulators/behaviours.py)."""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import replace as changed
from typing import Any

from conformance.core.errors import SutUnreachable
from conformance.ocpi.routing import opposite_roles, routing_headers
from simulators.behaviours import replace, set_to
from simulators.ocpi import versions
from simulators.ocpi.endpoint import Call, Handler, OcpiError, Reply
from simulators.ocpi.party import CREDENTIALS, ROTATE, CredentialsOf, Party, Peer, Rotate
from simulators.ocpi.v2_2_1 import VERSION, credentials
from simulators.ocpi.v2_2_1.addressing import hub_address, own_address, request_routing
from simulators.ocpi.v2_2_1.credentials import (
    Adopt,
    Endpoints,
    HubParties,
    IssueTokenC,
    NoMutualVersion,
    Registered,
    read_hub_client_info,
)
from simulators.ocpi.v2_2_1.profiles._register import profile

# The handshake's steps are behaviours of simulators/ocpi/v2_2_1/credentials.py; the Credentials object and the
# rotation of a peer's token are the platform's own (simulators/ocpi/party.py).


def _old_token_kept(rotate: Rotate) -> Rotate:
    def keeping(party: Party, peer: Peer, new_token_in: str) -> None:
        old = peer.token_in
        rotate(party, peer, new_token_in)
        party.retired_tokens.discard(old)
        party.peers[old] = peer  # the previous token still opens everything

    return keeping


# Modules whose Sender answers a GET, and the role serving it.
_SENDER_LISTS = {"cdrs": "CPO", "locations": "CPO", "sessions": "CPO", "tariffs": "CPO", "tokens": "EMSP"}


def _token_a_kept(registered: Registered) -> Registered:
    """Once registered, the platform pulls the peer's first Sender list with token A still."""

    async def with_token_a(party: Party, peer: Peer, token_a: str) -> None:
        await registered(party, peer, token_a)
        # A list this party reads (of a party of an opposite role: a hub offers every Sender), addressed as its
        # other requests are, so that the token is the only fault (behind a hub: a GET All via the hub).
        role = party.roles[0]
        lists = [e for e in peer.endpoints if e.get("identifier") in _SENDER_LISTS
                 and str(e.get("role", "")).upper() == "SENDER"
                 and _SENDER_LISTS[str(e["identifier"])] in opposite_roles(role)]
        url = str(lists[0]["url"]) if lists else None
        if url is not None:
            with contextlib.suppress(SutUnreachable):
                await credentials.peer_client(party, token_a).request(
                    "GET", url, headers=request_routing(party, peer, role))

    return with_token_a


def _unregistered_ok(answer: Handler) -> Callable[[Handler], Handler]:
    """A PUT or DELETE from a party not registered is answered as if it were."""

    def unregistered_ok(handler: Handler) -> Handler:
        async def handle(call: Call) -> Reply:
            return await (answer if call.peer is None else handler)(call)

        return handle

    return unregistered_ok


async def _own_credentials(call: Call) -> Reply:
    """Our Credentials, carrying the token the caller came with (nothing is read, nothing rotated)."""
    return Reply(data=call.party.credentials(call.token or ""))


async def _nothing(call: Call) -> Reply:
    return Reply(with_data=False)


def _keeping_token(delete: Handler) -> Handler:
    async def delete_keeping_token(call: Call) -> Reply:
        if call.peer is None:
            return await delete(call)
        return Reply(with_data=False)  # acknowledged, but the peer stays registered

    return delete_keeping_token


def _versions_failure_ignored(adopt: Adopt) -> Adopt:
    async def adopt_anyway(call: Call, body: dict[str, Any]) -> Endpoints:
        try:
            return await adopt(call, body)
        except OcpiError:
            return VERSION, []

    return adopt_anyway


def _code_3000(adopt: Adopt) -> Adopt:
    async def adopt_or_3000(call: Call, body: dict[str, Any]) -> Endpoints:
        try:
            return await adopt(call, body)
        except OcpiError as exc:
            raise OcpiError(3000, exc.message) from exc

    return adopt_or_3000


def _callback_with_token_a(adopt: Adopt) -> Adopt:
    """The client's versions are read with the token the POST came with, not the token B it carries."""

    def with_token_a(call: Call, body: dict[str, Any]) -> Awaitable[Endpoints]:
        return adopt(call, {**body, "token": call.token} if call.token else body)

    return with_token_a


def _token_a_as_c(issue: IssueTokenC) -> IssueTokenC:
    return lambda call: (call.token, call.token) if call.token else issue(call)


def _long(issue: IssueTokenC) -> IssueTokenC:
    def long(call: Call) -> tuple[str, str]:
        stored, handed_out = issue(call)
        return (stored * 4)[:80], (handed_out * 4)[:80]

    return long


def _broken(issue: IssueTokenC) -> IssueTokenC:
    def broken(call: Call) -> tuple[str, str]:
        stored, handed_out = issue(call)
        return stored, handed_out + "-broken"

    return broken


def _role_other(credentials_of: CredentialsOf) -> CredentialsOf:
    def role_other(party: Party, token: str) -> dict[str, Any]:
        ours = credentials_of(party, token)
        return {**ours, "roles": [{**role, "role": "OTHER"} for role in ours["roles"]]}

    return role_other


def _token_b_not_opened(party: Party, token: str) -> None:
    """Token B is sent in our Credentials, but never opens our versions for the peer's callback."""


def _mismatch_ignored(no_mutual: NoMutualVersion) -> NoMutualVersion:
    return lambda: (VERSION, [])


def _hub_client_info_routed(conformant: HubParties) -> HubParties:
    """Registered with a hub, the platform GETs its Hub Client Info as if it were a functional module: addressed to
    the hub, from the platform's first party."""

    async def routed(party: Party, peer: Peer) -> None:
        sender = own_address(party, party.identities[0].role)
        await read_hub_client_info(party, peer, headers=routing_headers(hub_address(peer), sender))

    return routed


profile("old_token_kept", "After a credentials PUT the previous token still works.",
        trips=("ocpi.credentials.update_rotates_token",), replaces=[replace(ROTATE, _old_token_kept)])

profile("second_post_accepted", "A second credentials POST from a registered party is accepted.",
        trips=("ocpi.credentials.post_when_registered",),
        replaces=[set_to(credentials.POST, credentials.accept_registration)])

profile("versions_failure_ignored", "Registration succeeds even when the client's versions URL cannot be read.",
        trips=("ocpi.credentials.client_unreachable", "ocpi.credentials.client_unreachable_code"),
        replaces=[replace(credentials.ADOPT, _versions_failure_ignored)])

profile("client_plain_token", "As a client, sends the credentials token without Base64 encoding.",
        trips=("ocpi.request.authorization",),
        replaces=[replace(credentials.CLIENT, lambda manners: changed(manners, base64_token=False))])

profile("client_no_request_ids", "As a client, sends no X-Request-ID or X-Correlation-ID.",
        trips=("ocpi.request.ids",),
        replaces=[replace(credentials.CLIENT, lambda manners: changed(manners, request_ids=False))])

profile("version_mismatch_ignored", "Registration succeeds although the client offers no mutual version.",
        trips=("ocpi.credentials.no_mutual_version", "ocpi.credentials.no_mutual_version_code"),
        replaces=[replace(credentials.NO_MUTUAL_VERSION, _mismatch_ignored)])

profile("wrong_registration_error_codes", "Failed registrations are answered with 3000 instead of 3001/3002.",
        trips=("ocpi.credentials.client_unreachable_code", "ocpi.credentials.no_mutual_version_code"),
        replaces=[replace(credentials.ADOPT, _code_3000)])

profile("token_a_returned_as_c", "Registration answers with token A as the new token.",
        trips=("ocpi.credentials.registration",), replaces=[replace(credentials.TOKEN_C, _token_a_as_c)])

profile("callback_with_token_a", "During registration the server reads the client's versions with token A.",
        trips=("ocpi.credentials.callback_with_token_b",),
        replaces=[replace(credentials.ADOPT, _callback_with_token_a)])

profile("broken_token_c", "The token C handed out at registration does not open anything.",
        trips=("ocpi.credentials.token_c_works",), replaces=[replace(credentials.TOKEN_C, _broken)])

profile("long_token_c", "Issued tokens are 80 characters long.", trips=("ocpi.credentials.token_printable",),
        replaces=[replace(credentials.TOKEN_C, _long)])

profile("unregistered_methods_accepted", "PUT and DELETE credentials succeed before registration.",
        trips=("ocpi.credentials.put_when_unregistered", "ocpi.credentials.delete_when_unregistered"),
        replaces=[replace(credentials.PUT, _unregistered_ok(_own_credentials)),
                  replace(credentials.DELETE, _unregistered_ok(_nothing))])

profile("delete_keeps_token", "After DELETE credentials the token still works.",
        trips=("ocpi.credentials.unregister",), replaces=[replace(credentials.DELETE, _keeping_token)])

profile("client_no_content_type", "As a client, sends JSON bodies without Content-Type.",
        trips=("ocpi.request.content_type",),
        replaces=[replace(credentials.CLIENT, lambda manners: changed(manners, content_type=False))])

profile("client_token_a_kept", "As a client, goes on using token A after registering: pulls the peer's first "
        "Sender list with it.", trips=("ocpi.request.token_a_scope",), shows_in=("credentials",),
        replaces=[replace(credentials.REGISTERED, _token_a_kept)])

profile("client_body_in_list", "As a client, sends every JSON request body wrapped in a one-element list.",
        trips=("ocpi.request.json_body",), shows_in=("credentials",),
        replaces=[replace(credentials.CLIENT, lambda manners: changed(manners, json_object=False))])

profile("client_token_b_unusable", "As a client, sends a token B that does not open its own versions.",
        trips=("ocpi.credentials.client_flow",), replaces=[set_to(credentials.ACCEPT_TOKEN_B, _token_b_not_opened)])

profile("credentials_wrong_role", "The platform's Credentials name its parties with role OTHER.",
        trips=("ocpi.credentials.roles",), replaces=[replace(CREDENTIALS, _role_other)])

profile("details_refuse_token_a", "The version details refuse CREDENTIALS_TOKEN_A (HTTP 401): only a registered "
        "party may read them, so no one can register.", trips=("ocpi.versions.token_a",),
        replaces=[set_to(versions.DETAILS_OPEN, lambda call: call.token_kind != "token_a")])

profile("offers_only_2_2", "The versions endpoint offers only OCPI 2.2, not 2.2.1 (a server of another version).",
        trips=("ocpi.versions.mutual",), replaces=[set_to(versions.OFFERED, lambda party: ("2.2",))])

profile("hub_client_info_routed", "Registered with a hub, the platform sends its GET of the hub's client info list "
        "with OCPI-from/to routing headers.", roles=("CPO",), trips=("ocpi.routing.configuration_modules",),
        topology="hub", replaces=[replace(credentials.HUB_PARTIES, _hub_client_info_routed)])
