"""Request checks on the objects a SUT pushes to roamcert (transport_and_format_client_owned_object_push): every
PUT or PATCH it sends to a Receiver interface of roamcert's platform (Locations, Sessions, Tariffs, Tokens) and
every ActiveChargingProfile it PUTs to roamcert's Charging Profiles interface.

They run on every request the SUT makes during a test case (tag "request"), whatever the scenario, so a push the
SUT makes of its own accord (a Tariff, a Location update) is judged as well as those a scenario causes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from conformance.core.checks import Problem
from conformance.core.exchange import Exchange
from conformance.ocpi.expect import Expect
from conformance.ocpi.schemas import errors as schema_errors
from conformance.ocpi.types import ci_equal
from conformance.ocpi.v2_2_1.checks._registrar import check
from conformance.ocpi.v2_2_1.checks._util import short

__all__ = ["Pushed", "pushed"]

TF = "transport_and_format"
# roamcert's own module URLs (simulators/ocpi/party.py::Party.module_url): /ocpi/<roles>/<version>/<interface>/<module>
_OWN_MODULE_PATH = re.compile(r"/ocpi/[^/]+/(?P<version>\d+(?:\.\d+)+)/(?P<interface>receiver|sender)/"
                              r"(?P<module>[a-z_]+)(?P<rest>(?:/[^/]+)*)/?$")
_PUSHED_MODULES = frozenset({"locations", "sessions", "tariffs", "tokens"})  # Receiver interfaces of pushed objects
_LOCATION_LEVELS = {3: ("Location", "id"), 4: ("EVSE", "uid"), 5: ("Connector", "id")}


@dataclass(frozen=True)
class Pushed:
    """A PUT or PATCH the SUT sent to one of roamcert's interfaces that take pushed objects."""

    module: str
    method: str
    segments: tuple[str, ...]  # the URL path after the module's URL: country_code, party_id, object id(s)
    params: dict[str, str]
    body: Any

    @property
    def schema(self) -> str | None:
        """The object the URL addresses, and so the object a PUT there carries whole."""
        if self.module == "chargingprofiles":
            return "ActiveChargingProfile" if len(self.segments) == 1 else None
        if self.module == "locations":
            level = _LOCATION_LEVELS.get(len(self.segments))
            return level[0] if level else None
        if len(self.segments) != 3:
            return None
        return {"sessions": "Session", "tariffs": "Tariff", "tokens": "Token"}[self.module]

    @property
    def id_field(self) -> str | None:
        """The field of the body that the URL's last segment names."""
        if self.module == "locations":
            level = _LOCATION_LEVELS.get(len(self.segments))
            return level[1] if level else None
        if self.module in ("sessions", "tariffs") and len(self.segments) == 3:
            return "id"
        if self.module == "tokens" and len(self.segments) == 3:
            return "uid"
        return None


def pushed(x: Exchange) -> Pushed | None:
    """The push an inbound exchange is, or None when it is no PUT/PATCH to an interface taking pushed objects."""
    if x.direction != "inbound" or x.method not in ("PUT", "PATCH"):
        return None
    parts = urlsplit(x.url)
    found = _OWN_MODULE_PATH.search(parts.path)
    if found is None:
        return None
    module, interface = found["module"], found["interface"]
    if not ((interface == "receiver" and module in _PUSHED_MODULES)
            or (interface == "sender" and module == "chargingprofiles" and x.method == "PUT")):
        return None
    segments = tuple(unquote(s) for s in found["rest"].split("/") if s)
    try:
        body = x.request_json()
    except ValueError:
        body = None
    return Pushed(module, x.method, segments, dict(parse_qsl(parts.query)), body)


def _is_put(x: Exchange, e: Expect) -> bool:
    push = pushed(x)
    return push is not None and push.method == "PUT" and push.schema is not None


def _is_client_owned(x: Exchange, e: Expect) -> bool:
    push = pushed(x)
    return push is not None and push.module in _PUSHED_MODULES and len(push.segments) >= 3


def _is_patch(x: Exchange, e: Expect) -> bool:
    push = pushed(x)
    return push is not None and push.method == "PATCH" and push.module in ("locations", "sessions", "tokens")


def _label(push: Pushed) -> str:
    what = push.schema or push.module
    article = "an" if what[0] in "AEIOU" else "a"
    return f"The {push.method} of {article} {what} to .../{push.module}/{'/'.join(push.segments)}"


@check("ocpi.request.put_whole_object", tags=["request"], applies=_is_put)
def put_whole_object(x: Exchange, e: Expect) -> Iterator[Problem]:
    push = pushed(x)
    assert push is not None and push.schema is not None  # see _is_put
    if not isinstance(push.body, dict):
        yield Problem(f"{_label(push)} carries no {push.schema} object", f"a whole {push.schema}", short(push.body))
        return
    for message in schema_errors("2.2.1", push.schema, push.body)[:5]:
        yield Problem(f"{_label(push)} is not a whole, valid {push.schema}: {message}", f"a whole {push.schema}",
                      None)


def _owner_problems(push: Pushed) -> Iterator[Problem]:
    body = push.body if isinstance(push.body, dict) else {}
    for index, key in enumerate(("country_code", "party_id")):
        if key in body and not ci_equal(body[key], push.segments[index]):
            yield Problem(f"{_label(push)}: the URL's {key} is not the one the object carries",
                          f"{key} {short(body[key])} in the URL", short(push.segments[index]),
                          spec=f"{TF}#{TF}_client_owned_object_push")
    field = push.id_field
    if field and field in body and not ci_equal(body[field], push.segments[-1]):
        yield Problem(f"{_label(push)}: the URL names another object than the one pushed ({field})",
                      f"{short(body[field])} as the URL's last segment", short(push.segments[-1]),
                      spec=f"{TF}#{TF}_errors")
    if push.module == "tokens" and "type" in body:
        named = push.params.get("type", "RFID")  # the Token's type, RFID when the URL gives none
        if body["type"] != named:
            yield Problem(f"{_label(push)}: the URL's type is not the Token's", f"type={short(body['type'])}",
                          f"type={named}" if "type" in push.params else "no type (meaning RFID)",
                          spec="mod_tokens#mod_tokens_cpo_put_request_parameters")


@check("ocpi.request.push_owner", tags=["request"], applies=_is_client_owned)
def push_owner(x: Exchange, e: Expect) -> Iterator[Problem]:
    push = pushed(x)
    assert push is not None  # see _is_client_owned
    yield from _owner_problems(push)


@check("ocpi.request.patch_last_updated", tags=["request"], applies=_is_patch)
def patch_last_updated(x: Exchange, e: Expect) -> Iterator[Problem]:
    push = pushed(x)
    assert push is not None  # see _is_patch
    spec = {"sessions": "mod_sessions#mod_sessions_patch_method",
            "tokens": "mod_tokens#mod_tokens_patch_method"}.get(push.module)
    body = push.body
    if not isinstance(body, dict) or "last_updated" not in body:
        yield Problem(f"{_label(push)} carries no last_updated", "last_updated: <DateTime>",
                      "(absent)" if isinstance(body, dict) else short(body), spec=spec)
        return
    for message in schema_errors("2.2.1", "types.json#/$defs/DateTime", body["last_updated"], root="$.last_updated"):
        yield Problem(f"{_label(push)}: last_updated is no DateTime: {message}", "last_updated: <DateTime>",
                      short(body["last_updated"]), spec=spec)
