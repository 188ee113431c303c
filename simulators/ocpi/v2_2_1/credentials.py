"""The credentials module, both as server and as the client that registers (credentials.asciidoc)."""

from __future__ import annotations

from typing import Any

from starlette.routing import BaseRoute

from conformance.core.errors import SutUnreachable
from conformance.ocpi.client import OcpiClient
from conformance.ocpi.schemas import errors as schema_errors
from simulators.ocpi.admin import HookError, admin_hook
from simulators.ocpi.endpoint import Call, OcpiError, Reply, ocpi_route
from simulators.ocpi.modules import MODULES, ModuleImpl
from simulators.ocpi.party import Party, Peer

__all__ = ["fetch_peer_endpoints", "register_with", "sender_routes"]

VERSION = "2.2.1"


def peer_client(party: Party, token: str) -> OcpiClient:
    """The platform's client side, as its fault profile shapes it."""
    if party.http_factory is None:
        raise OcpiError(3001, "This platform has no outbound HTTP client configured")
    faults = party.faults
    return OcpiClient(
        party.http_factory(),
        party.log,
        version=VERSION,
        token=token,
        base64_token=not faults.client_plain_token,
        request_ids=not faults.client_no_request_ids,
        content_type=not faults.client_no_content_type,
        direction="callback",
    )


def _data(exchange: Any) -> Any:
    if exchange.status is None or exchange.status >= 400:
        raise ValueError(f"HTTP {exchange.status}")
    body = exchange.response_json()
    if not isinstance(body, dict) or body.get("status_code") != 1000:
        raise ValueError(f"OCPI status {body.get('status_code') if isinstance(body, dict) else '?'}")
    return body.get("data")


async def fetch_peer_endpoints(party: Party, versions_url: str, token: str) -> tuple[str, list[dict[str, Any]]]:
    """GET the peer's versions and version details; raises OcpiError(3001/3002) as the spec names them."""
    client = peer_client(party, token)
    try:
        versions = _data(await client.request("GET", versions_url))
    except (SutUnreachable, ValueError) as exc:
        raise OcpiError(3001, f"Could not read the versions at {versions_url}: {exc}") from exc
    mutual = [v for v in versions or [] if isinstance(v, dict) and v.get("version") in party.versions]
    if not mutual:
        if party.faults.ignore_version_mismatch:
            return VERSION, []
        raise OcpiError(3002, "No mutual OCPI version")
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
        raise OcpiError(2001, "Invalid Credentials object: " + "; ".join(problems[:5]), 400)
    assert isinstance(body, dict)
    return body


async def _adopt(call: Call, body: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
    party = call.party
    faults = party.faults
    token = str(call.token) if faults.callback_with_token_a and call.token else str(body["token"])
    try:
        return await fetch_peer_endpoints(party, str(body["url"]), token)
    except OcpiError as exc:
        if faults.ignore_versions_failure:
            return VERSION, []
        if faults.wrong_registration_error_codes:
            raise OcpiError(3000, exc.message) from exc
        raise


def _issue_token_c(call: Call) -> tuple[str, str]:
    """(token stored for the peer, token handed out), as the fault profile has it."""
    party = call.party
    faults = party.faults
    if faults.return_token_a_as_c and call.token:
        return call.token, call.token
    token = party.new_token("C")
    if faults.issue_long_token:
        token = (token * 4)[:80]
    return token, (token + "-broken" if faults.issue_broken_token else token)


def sender_routes(party: Party) -> list[BaseRoute]:
    async def get(call: Call) -> Reply:
        if call.peer is None:
            return Reply(data=party.credentials(call.token or ""))
        return Reply(data=party.credentials(call.peer.token_in))

    async def post(call: Call) -> Reply:
        if call.token_kind == "peer" and not party.faults.allow_second_post:
            raise OcpiError(2000, "Already registered: use PUT to update or DELETE to unregister", 405)
        body = _valid_credentials(call.body)
        version, endpoints = await _adopt(call, body)
        token_c, handed_out = _issue_token_c(call)
        if call.token in party.tokens_a:
            party.tokens_a.discard(call.token)
        party.add_peer(Peer(token_in=token_c, token_out=str(body["token"]), versions_url=str(body["url"]),
                            version=version, endpoints=endpoints, roles=list(body.get("roles", []))))
        return Reply(data=party.credentials(handed_out))

    async def put(call: Call) -> Reply:
        if call.peer is None and party.faults.unregistered_methods_ok:
            return Reply(data=party.credentials(call.token or ""))
        if call.peer is None:
            raise OcpiError(2000, "Not registered: use POST to register", 405)
        body = _valid_credentials(call.body)
        version, endpoints = await _adopt(call, body)
        peer = call.peer
        peer.token_out, peer.versions_url = str(body["token"]), str(body["url"])
        peer.version, peer.endpoints, peer.roles = version, endpoints, list(body.get("roles", []))
        party.rotate(peer, party.new_token("C"))
        return Reply(data=party.credentials(peer.token_in))

    async def delete(call: Call) -> Reply:
        if call.peer is None and party.faults.unregistered_methods_ok:
            return Reply(with_data=False)
        if call.peer is None:
            raise OcpiError(2000, "Not registered", 405)
        if not party.faults.delete_keeps_token:
            party.remove_peer(call.peer)
        return Reply(with_data=False)

    url = party.module_url(VERSION, "credentials", "SENDER").removeprefix(party.base_url)
    return [
        ocpi_route(party, url, get, module="credentials", methods=["GET"]),
        ocpi_route(party, url, post, module="credentials", methods=["POST"], name="credentials_post"),
        ocpi_route(party, url, put, module="credentials", methods=["PUT"], name="credentials_put"),
        ocpi_route(party, url, delete, module="credentials", methods=["DELETE"], name="credentials_delete"),
    ]


async def register_with(party: Party, versions_url: str, token_a: str) -> Peer:
    """Act as credentials Sender: register this platform with another one."""
    version, endpoints = await fetch_peer_endpoints(party, versions_url, token_a)
    url = next(str(e["url"]) for e in endpoints if e.get("identifier") == "credentials")
    token_b = party.new_token("B")
    if not party.faults.client_token_b_unusable:
        party.tokens_a.add(token_b)  # the peer calls our versions back with B before the POST returns
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
    return peer


MODULES.register(ModuleImpl("OCPI", VERSION, "credentials", "SENDER", frozenset({"CPO", "EMSP", "SCSP"}),
                            sender_routes))


@admin_hook("register", "register with a partner: {versions_url, token} (the partner's token A)")
async def _register(party: Party, payload: dict[str, Any]) -> dict[str, Any]:
    if not payload.get("versions_url") or not payload.get("token"):
        raise HookError('body must be {"versions_url": ..., "token": ...}')
    try:
        peer = await register_with(party, str(payload["versions_url"]), str(payload["token"]))
    except OcpiError as exc:
        raise HookError(f"{exc.message} (status_code {exc.status_code})", 502) from None
    return {"registered": True, "version": peer.version}
