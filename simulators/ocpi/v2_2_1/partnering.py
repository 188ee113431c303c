"""What a reference platform does with its peers on its own initiative, as a real back-end of its role would: an
eMSP or an NSP pulls the Locations and Tariffs of the CPOs it is registered with (a full GET, following every
``Link`` rel="next"); a CPO pushes its Locations and Tariffs, an eMSP its Tokens, to each peer that declared the
module's Receiver interface (transport_and_format_client_owned_object_push).

Through a hub (a peer reporting role HUB) a pull is a GET All via the hub and a push a Broadcast Push, unless the
hook names one party (``{to_country_code, to_party_id}``): then only that party is asked or pushed to, directly or
through the hub behind which it sits (simulators/ocpi/v2_2_1/addressing.py writes the routing headers).

Each is a trigger hook (``/admin/pull``, ``/admin/push``), so a person, a target's action or a test starts it.
Pulled objects are kept as pushed ones are (simulators/ocpi/v2_2_1/receiving.py: under the owner's country code,
party id and id), so the platform's Receiver GETs serve what it pulled. A pull is bounded: at most ``max_pages``
pages per peer, and only on hosts the platform may call.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from conformance.core.errors import SutUnreachable
from conformance.ocpi.headers import LINK, next_url
from conformance.ocpi.routing import Address, opposite_roles
from conformance.ocpi.urls import join
from simulators.ocpi.admin import HookError, admin_hook
from simulators.ocpi.party import Party, Peer
from simulators.ocpi.v2_2_1.addressing import payload_address, reachable, request_routing
from simulators.ocpi.v2_2_1.credentials import ask_peer, peer_client
from simulators.ocpi.v2_2_1.receiving import object_key

__all__ = ["PULLED_MODULES", "PUSHED_MODULES", "Pulled", "Pushed", "pull", "push"]

# The lists each role fetches from its CPOs, and the objects each role owns and pushes (terminology: the module
# table of which role is Sender and which Receiver).
PULLED_MODULES = {"EMSP": ("locations", "tariffs"), "NSP": ("locations", "tariffs")}
PUSHED_MODULES = {"CPO": ("locations", "tariffs"), "EMSP": ("tokens",)}
_MAX_PAGES = 100


@dataclass
class Pulled:
    module: str
    peers: int = 0
    pages: int = 0
    objects: int = 0
    problems: list[str] = field(default_factory=list)

    def describe(self) -> dict[str, Any]:
        return {"module": self.module, "peers": self.peers, "pages": self.pages, "objects": self.objects,
                "problems": self.problems}


@dataclass
class Pushed:
    module: str
    peers: int = 0
    objects: int = 0
    refused: list[str] = field(default_factory=list)

    def describe(self) -> dict[str, Any]:
        return {"module": self.module, "peers": self.peers, "objects": self.objects, "refused": self.refused}


def _module(payload: dict[str, Any], allowed: Mapping[str, tuple[str, ...]], party: Party, what: str) -> str:
    modules = sorted({m for role in party.roles for m in allowed.get(role, ())})
    module = str(payload.get("module", "")).lower()
    if module not in modules:
        raise HookError(f"'module' must be one of {', '.join(modules) or '(none: this platform ' + what + ')'}")
    return module


def _role(party: Party, roles: Mapping[str, tuple[str, ...]], module: str) -> str:
    """The platform's party that pulls or pushes ``module``."""
    return next(role for role in party.roles if module in roles.get(role, ()))


def _targets(party: Party, module: str, interface: str, roles: frozenset[str],
             to: Address | None) -> list[tuple[Peer, str, Address | None]]:
    """Each peer declaring ``module``'s ``interface`` (the party addressed: None, the peer's own or all behind a
    hub), or only the peer through which ``to`` is reached, with ``to`` addressed."""
    found: list[tuple[Peer, str, Address | None]] = []
    if to is None:
        for peer in party.peers.values():
            url = peer.endpoint(module, interface)
            if url is not None:
                found.append((peer, url, None))
        return found
    for role in sorted(roles):
        for route in reachable(party, role, to, module=module, interface=interface):
            url = route.peer.endpoint(module, interface)
            if url is not None and not any(peer is route.peer for peer, _, _ in found):
                found.append((route.peer, url, route.address))
    return found


async def pull(party: Party, module: str, *, max_pages: int = _MAX_PAGES, to: Address | None = None) -> Pulled:
    """GET the whole ``module`` list of every peer declaring its Sender interface (through a hub: a GET All via
    the hub), or of the one party ``to``, and keep each object."""
    pulled = Pulled(module)
    kept = party.received.setdefault(module, {})
    role = _role(party, PULLED_MODULES, module)
    for peer, url, addressed in _targets(party, module, "SENDER", frozenset({"CPO"}), to):
        pulled.peers += 1
        client = peer_client(party, peer.token_out)
        headers = request_routing(party, peer, role, addressed)
        page_url: str | None = url
        for _ in range(max_pages):
            if page_url is None:
                break
            try:
                exchange = await client.request("GET", page_url, headers=headers)
            except SutUnreachable as exc:
                pulled.problems.append(f"GET {page_url}: {exc}")
                break
            pulled.pages += 1
            try:
                body = exchange.response_json()
            except ValueError:
                body = None
            data = body.get("data") if isinstance(body, dict) and body.get("status_code") == 1000 else None
            if not isinstance(data, list):
                pulled.problems.append(f"GET {page_url}: HTTP {exchange.status} without a list of objects")
                break
            for obj in data:
                if isinstance(obj, dict) and {"country_code", "party_id", "id"} <= obj.keys():
                    kept[object_key(obj["country_code"], obj["party_id"], obj["id"])] = obj
                    pulled.objects += 1
            page_url = next_url(exchange.response_header(LINK))
        else:
            if page_url is not None:
                pulled.problems.append(f"{url}: stopped after {max_pages} page(s), more remained")
    return pulled


def _address(module: str, obj: dict[str, Any]) -> tuple[str, dict[str, str | int] | None]:
    """The path below the Receiver's URL an owned object is PUT to, and its query (a Token's type)."""
    if module == "tokens":
        query: dict[str, str | int] = {"type": str(obj.get("type", "RFID"))}
        return f"{obj['country_code']}/{obj['party_id']}/{obj['uid']}", query
    return f"{obj['country_code']}/{obj['party_id']}/{obj['id']}", None


async def push(party: Party, module: str, *, to: Address | None = None) -> Pushed:
    """PUT every owned ``module`` object to every peer declaring the module's Receiver interface (through a hub: a
    Broadcast Push), or to the one party ``to``."""
    pushed = Pushed(module)
    owned = [o for o in party.owned.get(module, []) if isinstance(o, dict)]
    role = _role(party, PUSHED_MODULES, module)
    for peer, url, addressed in _targets(party, module, "RECEIVER", opposite_roles(role), to):
        pushed.peers += 1
        headers = request_routing(party, peer, role, addressed)
        for obj in owned:
            path, params = _address(module, obj)
            target = join(url, path)
            _, answer = await ask_peer(party, peer, "PUT", target, json_body=obj, params=params, who="the peer",
                                       what=f"PUT of {module}", headers=headers)
            code = answer.get("status_code") if isinstance(answer, dict) else None
            if code == 1000:
                pushed.objects += 1
            else:
                pushed.refused.append(f"PUT {target}: status_code {code}")
    return pushed


@admin_hook("pull", "fetch every object of a module from the CPOs this platform is registered with: "
            "{module: locations|tariffs, max_pages, to_country_code, to_party_id (one CPO only)}",
            roles=tuple(PULLED_MODULES))
async def _pull(party: Party, payload: dict[str, Any]) -> dict[str, Any]:
    module = _module(payload, PULLED_MODULES, party, "pulls nothing")
    pages = payload.get("max_pages", _MAX_PAGES)
    if not isinstance(pages, int) or isinstance(pages, bool) or pages < 1:
        raise HookError("'max_pages' must be a positive integer")
    if party.http_factory is None:
        raise HookError("this platform has no outbound HTTP client", 500)
    return (await pull(party, module, max_pages=pages, to=payload_address(payload))).describe()


@admin_hook("push", "push every object this platform owns of a module to each peer's Receiver: "
            "{module: locations|tariffs (CPO), tokens (eMSP), to_country_code, to_party_id (one party only)}",
            roles=tuple(PUSHED_MODULES))
async def _push(party: Party, payload: dict[str, Any]) -> dict[str, Any]:
    module = _module(payload, PUSHED_MODULES, party, "pushes nothing")
    return (await push(party, module, to=payload_address(payload))).describe()
