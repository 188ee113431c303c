"""Checks on what the SUT sends to roamcert's partner platform, besides its headers (auth.py): the credentials token
it uses where, and the body of its requests.

They run on every request the SUT makes during a test case (tag "request"): registration, pushes, real-time
authorisations, command and charging-profile results, whatever caused them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from conformance.core.checks import Problem
from conformance.core.exchange import Exchange
from conformance.ocpi.auth import decode_token
from conformance.ocpi.expect import Expect
from conformance.ocpi.v2_2_1.checks._registrar import check
from conformance.ocpi.v2_2_1.checks._util import short

__all__: list[str] = []

# roamcert's own versions, version details and credentials URLs (simulators/ocpi/party.py): the only modules
# CREDENTIALS_TOKEN_A opens (transport_and_format_authorization_header).
_TOKEN_A_PATH = re.compile(r"/ocpi/[^/]+/(versions|\d+(\.\d+)+(/[a-z]+/credentials)?)/?$")
_JSON_TYPES = {list: "an array", str: "a string", int: "a number", float: "a number", bool: "a boolean",
               type(None): "null"}


def _token(x: Exchange) -> str | None:
    """The credentials token of the request's Authorization header, decoded, or as sent when it is not Base64."""
    decoded, raw = decode_token(x.request_header("Authorization"))
    return decoded if decoded is not None else raw


def _token_a_elsewhere(x: Exchange, e: Expect) -> bool:
    if x.direction != "inbound" or not e.tokens_a or _TOKEN_A_PATH.search(urlsplit(x.url).path):
        return False
    return _token(x) in e.tokens_a


@check("ocpi.request.token_a_scope", tags=["request"], applies=_token_a_elsewhere)
def token_a_scope(x: Exchange, e: Expect) -> Iterator[Problem]:
    yield Problem(f"The SUT called {x.method} {x.url} with CREDENTIALS_TOKEN_A, which serves the registration "
                  "(versions and credentials) only; afterwards the token roamcert's credentials carry is due",
                  "the token roamcert handed out in its credentials", "token A")


def _has_body(x: Exchange, e: Expect) -> bool:
    return x.direction == "inbound" and bool(x.raw_request_body)


@check("ocpi.request.json_body", tags=["request"], applies=_has_body)
def json_body(x: Exchange, e: Expect) -> Iterator[Problem]:
    try:
        body = x.request_json()
    except ValueError as exc:  # json.JSONDecodeError and UnicodeDecodeError are ValueErrors
        where = f" ({exc.msg} at character {exc.pos})" if isinstance(exc, json.JSONDecodeError) else ""
        yield Problem(f"The body of {x.method} {x.url} is not valid JSON{where}", "a JSON object",
                      short(x.request_body))
        return
    if not isinstance(body, dict):
        kind = _JSON_TYPES.get(type(body), type(body).__name__)
        yield Problem(f"The body of {x.method} {x.url} is {kind}, not the JSON object the module defines for it",
                      "a JSON object", f"{kind}: {short(x.request_body, 120)}")
