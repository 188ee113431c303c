"""The Tokens module: the CPO's Receiver interface (mod_tokens_cpo_interface).

Tokens are Client Owned Objects pushed by the eMSP; a Token is identified by its owner's country code and party
id, its uid and its type (the ``type`` URL parameter, RFID when omitted), all compared case-insensitively but the
type (an enum).
"""

from __future__ import annotations

import copy
from typing import Any

from starlette.routing import BaseRoute

from conformance.ocpi.types import ci_equal
from simulators.behaviours import Behaviour
from simulators.ocpi.endpoint import Call, OcpiError, Reply, ocpi_route
from simulators.ocpi.modules import MODULES, ModuleImpl
from simulators.ocpi.party import Party
from simulators.ocpi.v2_2_1.receiving import KEPT, PATCH, PUT, RULES, STORED, VERSION, pushed_object, unknown

__all__ = ["TYPE", "receiver_routes"]

MODULE = "tokens"
TOKEN_TYPES = frozenset({"AD_HOC_USER", "APP_USER", "OTHER", "RFID"})


def _token_type(call: Call) -> str:
    value = call.params.get("type") or "RFID"
    if value not in TOKEN_TYPES:
        raise OcpiError(2001, f"Unknown TokenType {value!r}")
    return value


TYPE = Behaviour("OCPI", VERSION, MODULE, "receiver.type", _token_type)  # the TokenType a Token is kept under


def receiver_routes(party: Party) -> list[BaseRoute]:
    tokens = party.received.setdefault(MODULE, {})

    def key(call: Call) -> tuple[str, str, str, str]:
        return (call.path("country_code").upper(), call.path("party_id").upper(), call.path("token_uid").upper(),
                party.behaviours(TYPE)(call))

    def stored(call: Call) -> dict[str, Any]:
        token = tokens.get(key(call))
        if token is None:
            raise unknown(f"token {call.path('token_uid')}")
        return token

    def agrees(call: Call, body: dict[str, Any]) -> None:
        """The Token's own uid, type, country code and party id are those the URL names."""
        rules = party.behaviours(RULES)("Token")
        if not (rules.valid and rules.ids):
            return
        for field, value in (("uid", call.path("token_uid")), ("country_code", call.path("country_code")),
                             ("party_id", call.path("party_id"))):
            if field in body and not ci_equal(body[field], value):
                raise OcpiError(2001, f"Token {field} {body[field]!r} differs from the URL's {value!r}")
        if "type" in body and body["type"] != _token_type(call):
            raise OcpiError(2001, f"Token type {body['type']!r} differs from the type parameter "
                                  f"{_token_type(call)!r}")

    async def get(call: Call) -> Reply:
        return Reply(data=stored(call))

    async def put(call: Call) -> Reply:
        body = copy.deepcopy(pushed_object(call, "Token"))
        agrees(call, body)
        old = tokens.get(key(call))
        tokens[key(call)] = party.behaviours(KEPT)("Token", party.behaviours(PUT)("Token", old, body))
        return Reply(http_status=party.behaviours(STORED)("Token", old is None), with_data=False)

    async def patch(call: Call) -> Reply:
        body = copy.deepcopy(pushed_object(call, "Token", partial=True))
        agrees(call, body)
        tokens[key(call)] = party.behaviours(KEPT)("Token", party.behaviours(PATCH)("Token", stored(call), body))
        return Reply(with_data=False)

    base = party.module_url(VERSION, MODULE, "RECEIVER").removeprefix(party.base_url)
    path = f"{base}/{{country_code}}/{{party_id}}/{{token_uid}}"
    return [
        ocpi_route(party, path, get, module=MODULE, methods=["GET"]),
        ocpi_route(party, path, put, module=MODULE, methods=["PUT"]),
        ocpi_route(party, path, patch, module=MODULE, methods=["PATCH"]),
    ]


MODULES.register(ModuleImpl("OCPI", VERSION, MODULE, "RECEIVER", frozenset({"CPO"}), receiver_routes))
