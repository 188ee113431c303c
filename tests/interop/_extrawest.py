"""Shared glue for serving the third-party OCPI implementation ``extrawest-ocpi`` (import name ``py_ocpi``).

extrawest-ocpi is a FastAPI library: ``py_ocpi.get_application(version_numbers, roles, crud, modules,
authenticator)`` builds the OCPI routes, and the application supplies the storage (a ``Crud``) and the token
check (an ``Authenticator``). This module supplies both, in memory, and nothing else: every HTTP answer,
status code, header and envelope is extrawest-ocpi's own.

What the glue decides (and what is therefore *not* a property of extrawest-ocpi):
  * which tokens A exist (``--token-a``, repeatable); a token A is single use: it is thrown away once a
    registration with it succeeded (credentials.asciidoc: "The CREDENTIALS_TOKEN_A can then be thrown away");
  * the token C handed out at registration and on credentials PUT (a fresh UUID; the previous one is retired);
  * the Locations served by the CPO (roamcert's seed data under our own country code and party id), and how a
    list request's ``date_from`` (inclusive), ``date_to`` (exclusive), ``offset`` and ``limit`` select them;
  * the Locations an eMSP stores when they are pushed to it;
  * with ``--tokens`` (CPO only), that extrawest-ocpi's own tokens module (Receiver) is served too, and the
    Tokens pushed to it are kept in memory by (country_code, party_id, uid).

extrawest-ocpi reads its settings (host, scheme, prefix) from the environment when it is first imported, so
``configure()`` must run before anything from ``py_ocpi`` is imported. extrawest-ocpi pins pydantic 1,
FastAPI 0.101 and httpx 0.24, which clash with roamcert's own requirements: install it in a separate virtual
environment (see tests/interop/test_extrawest.py) and run the app with that environment's Python.
"""

from __future__ import annotations

import argparse
import copy
import ipaddress
import os
import sys
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

__all__ = ["DEFAULT_TOKENS_A", "main"]

DEFAULT_TOKENS_A = ("interop-token-a-1", "interop-token-a-2", "interop-token-a-3", "interop-token-a-4")
COUNTRY_CODE = "NL"
PARTY_IDS = {"CPO": "EXW", "EMSP": "EXE"}
PREFIX = "ocpi"


def _parse_stamp(value: Any) -> datetime:
    if isinstance(value, datetime):
        stamp = value
    else:
        text = str(value)
        stamp = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
    return stamp if stamp.tzinfo is not None else stamp.replace(tzinfo=UTC)


@dataclass
class Client:
    """A platform that registered with us (we are the credentials Receiver)."""

    token_b: str  # the token we would use to call it
    url: str
    roles: list[dict[str, Any]]
    endpoints: list[dict[str, Any]]


@dataclass
class Store:
    role: str  # CPO or EMSP: the role this server holds
    versions_url: str
    tokens_a: set[str]
    locations: list[dict[str, Any]] = field(default_factory=list)  # CPO: owned, in a fixed order
    received: dict[tuple[str, str, str], dict[str, Any]] = field(default_factory=dict)  # EMSP: pushed to us
    tokens: dict[tuple[str, str, str], dict[str, Any]] = field(default_factory=dict)  # CPO with --tokens: pushed
    clients: dict[str, Client] = field(default_factory=dict)  # token C -> client

    def our_credentials(self, token_c: str) -> dict[str, Any]:
        return {
            "token": token_c,
            "url": self.versions_url,
            "roles": [{
                "role": self.role,
                "business_details": {"name": f"extrawest-ocpi interop {self.role}"},
                "party_id": PARTY_IDS[self.role],
                "country_code": COUNTRY_CODE,
            }],
        }


def build_crud(store: Store) -> Any:
    from py_ocpi.core.crud import Crud
    from py_ocpi.core.enums import ModuleID

    def is_credentials(module: Any) -> bool:
        return module == ModuleID.credentials_and_registration

    def key(country_code: Any, party_id: Any, location_id: Any) -> tuple[str, str, str]:
        return str(country_code).casefold(), str(party_id).casefold(), str(location_id).casefold()

    class MemoryCrud(Crud):
        async def get(self, module, role, id, *args, **kwargs):
            if is_credentials(module):
                token = kwargs.get("auth_token")
                return store.our_credentials(token) if token in store.clients else None
            if module == ModuleID.locations:
                if store.role == "CPO":
                    wanted = str(id).casefold()
                    return next((loc for loc in store.locations if str(loc["id"]).casefold() == wanted), None)
                return store.received.get(key(kwargs.get("country_code"), kwargs.get("party_id"), id))
            if module == ModuleID.tokens:
                return store.tokens.get(key(kwargs.get("country_code"), kwargs.get("party_id"), id))
            return None

        async def list(self, module, role, filters, *args, **kwargs):
            if module != ModuleID.locations:
                return [], 0, True
            low = _parse_stamp(filters["date_from"]) if filters.get("date_from") else None
            high = _parse_stamp(filters["date_to"]) if filters.get("date_to") else None
            chosen = [loc for loc in store.locations
                      if (low is None or _parse_stamp(loc["last_updated"]) >= low)
                      and (high is None or _parse_stamp(loc["last_updated"]) < high)]
            offset, limit = int(filters.get("offset") or 0), int(filters.get("limit") or 0)
            page = chosen[offset:offset + limit] if limit > 0 else chosen[offset:]
            return page, len(chosen), offset + len(page) >= len(chosen)

        async def create(self, module, role, data, *args, **kwargs):
            if is_credentials(module):
                offered = data["credentials"]
                token_c = str(uuid.uuid4())
                store.clients[token_c] = Client(token_b=offered["token"], url=offered["url"],
                                                roles=offered.get("roles") or [], endpoints=data["endpoints"])
                store.tokens_a.discard(kwargs.get("auth_token"))  # a token A serves one registration
                return store.our_credentials(token_c)
            if module == ModuleID.locations:
                store.received[key(kwargs.get("country_code"), kwargs.get("party_id"), data["id"])] = data
                return data
            if module == ModuleID.tokens:
                store.tokens[key(kwargs.get("country_code"), kwargs.get("party_id"), data["uid"])] = data
            return data

        async def update(self, module, role, data, id, *args, **kwargs):
            if is_credentials(module):
                old = kwargs.get("auth_token")
                client = store.clients.pop(old, None)
                offered = data["credentials"]
                token_c = str(uuid.uuid4())
                store.clients[token_c] = Client(token_b=offered["token"], url=offered["url"],
                                                roles=offered.get("roles") or [],
                                                endpoints=data["endpoints"] or (client.endpoints if client else []))
                return store.our_credentials(token_c)
            if module == ModuleID.locations:
                store.received[key(kwargs.get("country_code"), kwargs.get("party_id"), id)] = data
                return data
            if module == ModuleID.tokens:
                store.tokens[key(kwargs.get("country_code"), kwargs.get("party_id"), id)] = data
            return data

        async def delete(self, module, role, id, *args, **kwargs):
            if is_credentials(module):
                store.clients.pop(kwargs.get("auth_token"), None)
            elif module == ModuleID.locations:
                store.received.pop(key(kwargs.get("country_code"), kwargs.get("party_id"), id), None)

        async def do(self, module, role, action, *args, data=None, **kwargs):
            return None

    return MemoryCrud()


def build_authenticator(store: Store) -> type:
    from py_ocpi.core.authentication.authenticator import Authenticator

    class MemoryAuthenticator(Authenticator):
        """Tokens A: the configured ones not yet used; tokens C: those of the registered clients."""

        @classmethod
        async def get_valid_token_c(cls) -> list[str]:
            return list(store.clients)

        @classmethod
        async def get_valid_token_a(cls) -> list[str]:
            return sorted(store.tokens_a)

    return MemoryAuthenticator  # extrawest-ocpi's dependency override instantiates it per request


def configure(host: str, port: int, scheme: str) -> str:
    """Point extrawest-ocpi's settings at this server; returns our versions URL. Call before importing py_ocpi."""
    if "py_ocpi" in sys.modules:
        raise RuntimeError("configure() must run before py_ocpi is imported")
    authority = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    os.environ["OCPI_HOST"] = authority
    os.environ["PROTOCOL"] = scheme
    os.environ["OCPI_PREFIX"] = PREFIX
    os.environ.setdefault("ENVIRONMENT", "production")
    os.environ["COUNTRY_CODE"] = COUNTRY_CODE
    return f"{scheme}://{authority}/{PREFIX}/versions"


class SlashTolerant:
    """ASGI wrapper: a request for a published endpoint URL without its trailing slash is served as if it had it.

    extrawest-ocpi publishes module URLs with a trailing slash (``.../credentials/``, ``.../locations/``) and
    answers the same path without it with FastAPI's 307 redirect. A client that calls exactly the published
    URLs never sees that; this wrapper stands in for a reverse proxy that normalises the slash, for clients
    that drop it. Only the endpoint roots are rewritten; nothing else changes.
    """

    def __init__(self, app: Any, roots: set[str]) -> None:
        self.app = app
        self.roots = roots  # published endpoint paths, each ending with "/"

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope.get("type") == "http" and scope.get("path", "") + "/" in self.roots:
            scope = dict(scope, path=scope["path"] + "/",
                         raw_path=scope.get("raw_path", scope["path"].encode()) + b"/")
        await self.app(scope, receive, send)


def build_app(role: str, versions_url: str, tokens_a: list[str], locations: int,
              slash_tolerant: bool = False, tokens: bool = False) -> Any:
    import py_ocpi
    from py_ocpi.core.adapter import BaseAdapter
    from py_ocpi.core.enums import ModuleID, RoleEnum
    from py_ocpi.modules.versions.enums import VersionNumber

    store = Store(role=role, versions_url=versions_url, tokens_a=set(tokens_a))
    if role == "CPO":
        from simulators.ocpi.v2_2_1.seed.locations import seed_locations

        seeds = seed_locations(country_code=COUNTRY_CODE, party_id=PARTY_IDS["CPO"], count=locations)
        store.locations = [fitted for fitted in (_fit(BaseAdapter, loc) for loc in seeds) if fitted is not None]
    modules = [ModuleID.credentials_and_registration, ModuleID.locations]
    if tokens:
        if role != "CPO":
            raise ValueError("--tokens serves the tokens Receiver of a CPO")
        modules.append(ModuleID.tokens)
    app = py_ocpi.get_application(
        version_numbers=[VersionNumber.v_2_2_1],
        roles=[RoleEnum.cpo if role == "CPO" else RoleEnum.emsp],
        crud=build_crud(store),
        modules=modules,
        authenticator=build_authenticator(store),
    )
    app.state.interop_store = store
    if not slash_tolerant:
        return app
    from urllib.parse import urlsplit

    from py_ocpi.core.endpoints import ENDPOINTS

    published = ENDPOINTS[VersionNumber.v_2_2_1][RoleEnum.cpo if role == "CPO" else RoleEnum.emsp]
    roots = {urlsplit(str(published[m].url)).path for m in modules}
    return SlashTolerant(app, {r for r in roots if r.endswith("/")})


def _fit(adapter: Any, location: dict[str, Any]) -> dict[str, Any] | None:
    """The seed Location, minus the optional fields extrawest-ocpi's models cannot represent.

    extrawest-ocpi 2025.7.16 models EVSE.status_schedule and EnergyMix.environ_impact as single objects
    (OCPI: lists, cardinality *), requires EnergyMix.energy_sources, supplier_name and energy_product_name
    (OCPI: optional) and caps Location.state at 20 characters (OCPI 2.2.1 errata: 45). A Location its models
    reject is answered with status_code 3000, so the CPO could not serve it at all. Dropping these optional
    fields leaves a valid OCPI 2.2.1 Location; one that still does not fit is left out.
    """
    from pydantic import ValidationError

    fitted = copy.deepcopy(location)
    for _ in range(3):
        try:
            adapter.location_adapter(fitted)
            return fitted
        except ValidationError as exc:
            for error in exc.errors():
                where = error["loc"]
                if where[0] in ("energy_mix", "state"):
                    fitted.pop(where[0], None)
                elif where[0] == "evses" and len(where) > 2 and where[2] == "status_schedule":
                    fitted["evses"][where[1]].pop("status_schedule", None)
    print(f"  left out seed Location {location['id']}: extrawest-ocpi's models reject it", file=sys.stderr)
    return None


def _loopback(host: str) -> str:
    try:
        ok = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        ok = False
    if not ok:
        raise SystemExit(f"--host {host}: this interop app listens on loopback addresses only")
    return host


def main(role: str, argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=f"python -m tests.interop.extrawest_{role.lower()}",
                                     description=f"Serve extrawest-ocpi as an OCPI 2.2.1 {role} "
                                                 "(credentials + locations), in memory.")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--host", default="127.0.0.1", help="a loopback address (default 127.0.0.1)")
    parser.add_argument("--token-a", action="append", default=[], metavar="TOKEN",
                        help=f"a CREDENTIALS_TOKEN_A to accept (repeatable; default {', '.join(DEFAULT_TOKENS_A)})")
    if role == "CPO":
        parser.add_argument("--locations", type=int, default=8, help="number of seed Locations (default 8)")
    if role == "CPO":
        parser.add_argument("--tokens", action="store_true",
                            help="also serve extrawest-ocpi's tokens module (Receiver), keeping pushed Tokens")
    parser.add_argument("--tls-cert", help="serve HTTPS with this certificate (PEM); needs --tls-key")
    parser.add_argument("--tls-key", help="private key (PEM) of --tls-cert")
    parser.add_argument("--slash-tolerant", action="store_true",
                        help="also serve the published endpoint URLs without their trailing slash (instead of "
                             "extrawest-ocpi's 307 redirect), as a normalising reverse proxy would")
    parser.add_argument("--log-level", default="warning", help="uvicorn log level (default warning)")
    args = parser.parse_args(argv)
    import importlib.util

    if importlib.util.find_spec("py_ocpi") is None:
        raise SystemExit(f"{sys.executable} cannot import py_ocpi: run this app with the Python of a virtual "
                         "environment holding extrawest-ocpi (python -m venv /tmp/extrawest-venv && "
                         "/tmp/extrawest-venv/bin/pip install extrawest-ocpi uvicorn)")
    host = _loopback(args.host)
    if bool(args.tls_cert) != bool(args.tls_key):
        parser.error("--tls-cert and --tls-key go together")
    scheme = "https" if args.tls_cert else "http"
    versions_url = configure(host, args.port, scheme)
    tokens_a = args.token_a or list(DEFAULT_TOKENS_A)
    tokens = bool(getattr(args, "tokens", False))
    app = build_app(role, versions_url, tokens_a, getattr(args, "locations", 0), args.slash_tolerant, tokens)

    import uvicorn

    print(f"extrawest-ocpi {role} (OCPI 2.2.1, credentials + locations{' + tokens' if tokens else ''})", flush=True)
    print(f"  versions URL: {versions_url}", flush=True)
    print(f"  tokens A:     {len(tokens_a)} configured", flush=True)
    if args.slash_tolerant:
        print("  endpoint URLs are also served without their trailing slash", flush=True)
    uvicorn.run(app, host=host, port=args.port, log_level=args.log_level,
                ssl_certfile=args.tls_cert, ssl_keyfile=args.tls_key)
    return 0
