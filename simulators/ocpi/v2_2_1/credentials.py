"""The credentials module, both as server and as the client that registers (credentials.asciidoc)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from starlette.routing import BaseRoute

from conformance.core.errors import SutUnreachable
from conformance.core.exchange import Exchange
from conformance.ocpi.client import OcpiClient
from conformance.ocpi.headers import LINK, next_url
from conformance.ocpi.schemas import errors as schema_errors
from simulators.behaviours import Behaviour
from simulators.ocpi.admin import HookError, admin_hook
from simulators.ocpi.endpoint import Call, Handler, OcpiError, Reply, ocpi_route
from simulators.ocpi.modules import MODULES, ModuleImpl
from simulators.ocpi.party import Party, Peer, host_of

__all__ = ["ACCEPT_TOKEN_B", "ADOPT", "CLIENT", "DELETE", "HUB_PARTIES", "NO_MUTUAL_VERSION", "POST", "PUT",
           "REGISTERED", "TOKEN_C", "Adopt", "ClientManners", "Endpoints", "HubParties", "IssueTokenC",
           "NoMutualVersion", "OpenToken", "Registered", "accept_registration", "fetch_peer_endpoints",
           "pre_registered_peer", "read_hub_client_info", "register_with", "sender_routes"]

VERSION = "2.2.1"

T = TypeVar("T")
Endpoints = tuple[str, list[dict[str, Any]]]  # (the version chosen, its endpoints)
NoMutualVersion = Callable[[], Endpoints]
Adopt = Callable[[Call, dict[str, Any]], Awaitable[Endpoints]]
IssueTokenC = Callable[[Call], tuple[str, str]]
OpenToken = Callable[[Party, str], None]
Registered = Callable[[Party, Peer, str], Awaitable[None]]


@dataclass(frozen=True)
class ClientManners:
    """How the platform's client side writes its requests (transport_and_format_request_headers)."""

    base64_token: bool = True  # the Authorization token Base64-encoded
    request_ids: bool = True  # X-Request-ID and X-Correlation-ID sent
    content_type: bool = True  # Content-Type on requests with a JSON body
    json_object: bool = True  # a request body is the JSON object itself (False: wrapped in a one-element list)


class _BodyInList(OcpiClient):
    """A client that sends every JSON body wrapped in a one-element list: valid JSON, but not the object that every
    OCPI request body is (the fault of a client whose serialiser wraps single objects)."""

    async def request(self, method: str, url: str, *, json_body: Any = None, **options: Any) -> Exchange:
        return await super().request(method, url, json_body=None if json_body is None else [json_body], **options)


def _point(name: str, conformant: T) -> Behaviour[T]:
    return Behaviour("OCPI", VERSION, "credentials", name, conformant)


def peer_client(party: Party, token: str) -> OcpiClient:
    """The platform's client side, as its behaviours shape it."""
    if party.http_factory is None:
        raise OcpiError(3001, "This platform has no outbound HTTP client configured")
    manners = party.behaviours(CLIENT)
    return (OcpiClient if manners.json_object else _BodyInList)(
        party.http_factory(),
        party.log,
        version=VERSION,
        token=token,
        base64_token=manners.base64_token,
        request_ids=manners.request_ids,
        content_type=manners.content_type,
        direction="callback",
        hosts=party.hosts,
    )


async def ask_peer(party: Party, peer: Peer, method: str, url: str, *, json_body: Any = None,
                   params: dict[str, str | int] | None = None, who: str = "the peer",
                   what: str = "", headers: Mapping[str, str] | None = None) -> tuple[Exchange, Any]:
    """A trigger hook's request to a peer (with ``headers``: its routing headers, simulators/ocpi/v2_2_1/
    addressing.py): the exchange and its JSON answer (None when it is not JSON); a peer that does not answer
    becomes the hook's error (HTTP 502), naming ``who`` did not answer ``what``."""
    try:
        exchange = await peer_client(party, peer.token_out).request(method, url, json_body=json_body, params=params,
                                                                    headers=headers)
    except SutUnreachable as exc:
        raise HookError(f"{who} did not answer{' the ' + what if what else ''}: {exc}", 502) from None
    try:
        return exchange, exchange.response_json()
    except ValueError:
        return exchange, None


def _data(exchange: Any) -> Any:
    if exchange.status is None or exchange.status >= 400:
        raise ValueError(f"HTTP {exchange.status}")
    body = exchange.response_json()
    if not isinstance(body, dict) or body.get("status_code") != 1000:
        raise ValueError(f"OCPI status {body.get('status_code') if isinstance(body, dict) else '?'}")
    return body.get("data")


def _no_mutual_version() -> Endpoints:
    raise OcpiError(3002, "No mutual OCPI version")


async def fetch_peer_endpoints(party: Party, versions_url: str, token: str) -> Endpoints:
    """GET the peer's versions and version details; raises OcpiError(3001/3002) as the spec names them."""
    client = peer_client(party, token)
    try:
        versions = _data(await client.request("GET", versions_url))
    except (SutUnreachable, ValueError) as exc:
        raise OcpiError(3001, f"Could not read the versions at {versions_url}: {exc}") from exc
    mutual = [v for v in versions or [] if isinstance(v, dict) and v.get("version") in party.versions]
    if not mutual:
        return party.behaviours(NO_MUTUAL_VERSION)()
    chosen = max(mutual, key=lambda v: tuple(int(p) for p in str(v["version"]).split(".")))
    try:
        details = _data(await client.request("GET", str(chosen["url"])))
    except (SutUnreachable, ValueError) as exc:
        raise OcpiError(3001, f"Could not read the version details at {chosen['url']}: {exc}") from exc
    endpoints = details.get("endpoints") if isinstance(details, dict) else None
    if not isinstance(endpoints, list):
        raise OcpiError(3001, "The version details carry no endpoints list")
    if not any(isinstance(e, dict) and e.get("identifier") == "credentials" for e in endpoints):
        raise OcpiError(3003, "The version details list no credentials endpoint")
    return str(chosen["version"]), endpoints


def _valid_credentials(body: Any) -> dict[str, Any]:
    problems = schema_errors(VERSION, "Credentials", body)
    if problems:
        raise OcpiError(2001, "Invalid Credentials object: " + "; ".join(problems[:5]))
    assert isinstance(body, dict)
    return body


async def _adopt(call: Call, body: dict[str, Any]) -> Endpoints:
    """Read the client's versions and endpoints with the token its Credentials carry (token B)."""
    return await fetch_peer_endpoints(call.party, str(body["url"]), str(body["token"]))


def _issue_token_c(call: Call) -> tuple[str, str]:
    """(token stored for the peer, token handed out): a new token C, the same on both sides."""
    token = call.party.new_token("C")
    return token, token


async def accept_registration(call: Call) -> Reply:
    """Register the caller: adopt its endpoints, issue token C, retire the token A it came with."""
    party = call.party
    body = _valid_credentials(call.body)
    version, endpoints = await party.behaviours(ADOPT)(call, body)
    token_c, handed_out = party.behaviours(TOKEN_C)(call)
    if call.token in party.tokens_a:
        party.tokens_a.discard(call.token)
    party.add_peer(Peer(token_in=token_c, token_out=str(body["token"]), versions_url=str(body["url"]),
                        version=version, endpoints=endpoints, roles=list(body.get("roles", []))))
    return Reply(data=party.credentials(handed_out))


async def _post(call: Call) -> Reply:
    if call.token_kind == "peer":
        raise OcpiError(2000, "Already registered: use PUT to update or DELETE to unregister", 405)
    return await accept_registration(call)


async def _put(call: Call) -> Reply:
    party = call.party
    if call.peer is None:
        raise OcpiError(2000, "Not registered: use POST to register", 405)
    body = _valid_credentials(call.body)
    version, endpoints = await party.behaviours(ADOPT)(call, body)
    peer = call.peer
    peer.token_out, peer.versions_url = str(body["token"]), str(body["url"])
    peer.version, peer.endpoints, peer.roles = version, endpoints, list(body.get("roles", []))
    party.rotate(peer, party.new_token("C"))
    return Reply(data=party.credentials(peer.token_in))


async def _delete(call: Call) -> Reply:
    if call.peer is None:
        raise OcpiError(2000, "Not registered", 405)
    call.party.remove_peer(call.peer)
    return Reply(with_data=False)


def _accept_token_b(party: Party, token: str) -> None:
    party.tokens_a.add(token)


CLIENT: Behaviour[ClientManners] = _point("client", ClientManners())  # how the platform's own requests are written
# when the peer offers no version we speak
NO_MUTUAL_VERSION: Behaviour[NoMutualVersion] = _point("no_mutual_version", _no_mutual_version)
ADOPT: Behaviour[Adopt] = _point("adopt", _adopt)  # reading a registering client's versions and endpoints
TOKEN_C: Behaviour[IssueTokenC] = _point("token_c", _issue_token_c)  # the token C issued at registration
POST: Behaviour[Handler] = _point("post", _post)  # the credentials handlers of the server side
PUT: Behaviour[Handler] = _point("put", _put)
DELETE: Behaviour[Handler] = _point("delete", _delete)
# token B opens our versions while we register with a peer (it calls them back with B)
ACCEPT_TOKEN_B: Behaviour[OpenToken] = _point("accept_token_b", _accept_token_b)


def sender_routes(party: Party) -> list[BaseRoute]:
    async def get(call: Call) -> Reply:
        if call.peer is None:
            return Reply(data=party.credentials(call.token or ""))
        return Reply(data=party.credentials(call.peer.token_in))

    def behaving(point: Behaviour[Handler]) -> Handler:
        async def handle(call: Call) -> Reply:
            return await party.behaviours(point)(call)

        return handle

    url = party.module_url(VERSION, "credentials", "SENDER").removeprefix(party.base_url)
    return [
        ocpi_route(party, url, get, module="credentials", methods=["GET"]),
        ocpi_route(party, url, behaving(POST), module="credentials", methods=["POST"], name="credentials_post"),
        ocpi_route(party, url, behaving(PUT), module="credentials", methods=["PUT"], name="credentials_put"),
        ocpi_route(party, url, behaving(DELETE), module="credentials", methods=["DELETE"], name="credentials_delete"),
    ]


async def _registered(party: Party, peer: Peer, token_a: str) -> None:
    """Once registered, the platform calls the peer with the token the peer handed out; token A is done with."""


# what the platform does once registered with a peer (given the peer and the token A it registered with)
REGISTERED: Behaviour[Registered] = _point("registered", _registered)

HubParties = Callable[[Party, Peer], Awaitable[None]]
HUB_CLIENT_INFO = "hubclientinfo"
_MAX_CLIENT_INFO_PAGES = 20


async def _hub_parties(party: Party, peer: Peer) -> None:
    """A peer that reports role HUB (credentials_credentials_object) names the parties behind it in its Hub Client
    Info: the platform GETs the list once registered (mod_hub_client_info_hub_get; its pushes then keep it up to
    date) and keeps each ClientInfo as a pushed one is kept. Configuration modules carry no routing headers."""
    await read_hub_client_info(party, peer)


async def read_hub_client_info(party: Party, peer: Peer, *, headers: dict[str, str] | None = None) -> None:
    """GET the Hub Client Info list of ``peer`` (a hub), every page, with ``headers`` added to each request, and
    keep each ClientInfo; nothing when ``peer`` is no hub or offers no such Sender."""
    url = peer.endpoint(HUB_CLIENT_INFO, "SENDER")
    if not any(str(role.get("role", "")).upper() == "HUB" for role in peer.roles) or url is None:
        return
    kept = party.received.setdefault(HUB_CLIENT_INFO, {})
    client = peer_client(party, peer.token_out)
    page: str | None = url
    for _ in range(_MAX_CLIENT_INFO_PAGES):
        if page is None:
            return
        try:
            exchange = await client.request("GET", page, headers=headers)
            infos = _data(exchange)
        except (SutUnreachable, ValueError):  # recorded in the log; the hub's pushes may still tell
            return
        for info in infos if isinstance(infos, list) else []:
            if isinstance(info, dict) and isinstance(info.get("country_code"), str) \
                    and isinstance(info.get("party_id"), str):
                kept[(info["country_code"].upper(), info["party_id"].upper())] = info
        page = next_url(exchange.response_header(LINK))


# what the platform learns of a hub it registered with: the parties behind it
HUB_PARTIES: Behaviour[HubParties] = _point("hub_parties", _hub_parties)


async def register_with(party: Party, versions_url: str, token_a: str) -> Peer:
    """Act as credentials Sender: register this platform with another one."""
    version, endpoints = await fetch_peer_endpoints(party, versions_url, token_a)
    url = next(str(e["url"]) for e in endpoints if e.get("identifier") == "credentials")
    token_b = party.new_token("B")
    party.behaviours(ACCEPT_TOKEN_B)(party, token_b)  # the peer calls our versions back with B before the POST returns
    client = peer_client(party, token_a)
    try:
        exchange = await client.request("POST", url, json_body=party.credentials(token_b))
    finally:
        party.tokens_a.discard(token_b)
    try:
        data = _data(exchange)
    except ValueError as exc:
        raise OcpiError(3001, f"Registration POST to {url} failed: {exc}") from exc
    peer = Peer(token_in=token_b, token_out=str(data["token"]), versions_url=str(data["url"]), version=version,
                endpoints=endpoints, roles=list(data.get("roles", [])))
    party.add_peer(peer)
    await party.behaviours(REGISTERED)(party, peer, token_a)
    await party.behaviours(HUB_PARTIES)(party, peer)
    return peer


def pre_registered_peer(party: Party, versions_url: str, token_in: str, token_out: str) -> Peer:
    """A peer registered out of band: it calls with ``token_in``, this platform calls it with ``token_out`` at
    ``versions_url``. Its endpoints and roles are read when it first calls (and again at the next call while
    that fails), since it need not be up when this platform starts."""
    peer = Peer(token_in=token_in, token_out=token_out, versions_url=versions_url)

    async def learn() -> None:
        try:
            version, endpoints = await fetch_peer_endpoints(party, versions_url, token_out)
            url = next(str(e["url"]) for e in endpoints if isinstance(e, dict) and e.get("identifier") == "credentials")
            data = _data(await peer_client(party, token_out).request("GET", url))
        except (OcpiError, SutUnreachable, ValueError, StopIteration):
            peer.first_call = learn  # not reachable yet: try again at its next call
            return
        roles = data.get("roles") if isinstance(data, dict) else None
        peer.version, peer.endpoints = version, endpoints
        peer.roles = [r for r in roles if isinstance(r, dict)] if isinstance(roles, list) else []
        await party.behaviours(HUB_PARTIES)(party, peer)

    peer.first_call = learn
    party.issued.add(token_in)
    party.add_peer(peer)
    return peer


MODULES.register(ModuleImpl("OCPI", VERSION, "credentials", "SENDER", frozenset({"CPO", "EMSP", "SCSP", "NSP"}),
                            sender_routes))


@admin_hook("register", "register with a partner: {versions_url, token} (the partner's token A)")
async def _register(party: Party, payload: dict[str, Any]) -> dict[str, Any]:
    if not payload.get("versions_url") or not payload.get("token"):
        raise HookError('body must be {"versions_url": ..., "token": ...}')
    if not party.may_call(str(payload["versions_url"])):
        raise HookError(f"{host_of(str(payload['versions_url'])) or payload['versions_url']!r} is not a host this "
                        "server may call (see `roamcert serve --allow-host`)", 403)
    try:
        peer = await register_with(party, str(payload["versions_url"]), str(payload["token"]))
    except OcpiError as exc:
        raise HookError(f"{exc.message} (status_code {exc.status_code})", 502) from None
    return {"registered": True, "version": peer.version}
