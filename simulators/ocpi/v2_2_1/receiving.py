"""What the reference platforms' Receiver interfaces share: reading a pushed object, validating it, the keys it
is stored under, and what a PUT or PATCH leaves stored (transport_and_format_client_owned_object_push).

Each shared step is a behaviour (simulators/behaviours.py) called with the kind of object pushed ("Location",
"EVSE", "Connector", "Session", "CDR", "Tariff", "Token", "ClientInfo"), so a fault profile replaces it for the
kinds it is about and leaves the other Receivers conformant.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from conformance.ocpi.schemas import errors as schema_errors
from conformance.ocpi.types import ci_equal
from simulators.behaviours import Behaviour
from simulators.ocpi.endpoint import Call, OcpiError
from simulators.ocpi.v2_2_1 import VERSION

__all__ = ["KEPT", "PATCH", "PUT", "REFUSED", "RULES", "STORED", "VERSION", "Kept", "Patch", "Put", "Rules",
           "for_kinds", "object_key", "pushed_object", "unknown"]

T = TypeVar("T")
Step = TypeVar("Step", bound=Callable[..., Any])


@dataclass(frozen=True)
class Rules:
    """What a Receiver requires of a pushed object before it stores it."""

    valid: bool = True  # the object (a PATCH: the fields it carries) matches its schema and the ids in the URL
    stamped: bool = True  # a PATCH carries last_updated (a Receiver may refuse one lacking it; none is bound to)
    ids: bool = True  # the ids the body carries are those the URL names (transport_and_format_errors)


Kept = Callable[[str, dict[str, Any]], dict[str, Any]]  # (kind, object) -> the object kept
Put = Callable[[str, dict[str, Any] | None, dict[str, Any]], dict[str, Any]]  # (kind, stored, pushed) -> stored
Patch = Callable[[str, dict[str, Any], dict[str, Any]], dict[str, Any]]  # (kind, stored, pushed) -> stored

# List fields whose items a PATCH adds to those stored instead of replacing them (mod_sessions_patch_method).
_ADDED = {"Session": "charging_periods"}


def _rules(kind: str) -> Rules:
    return Rules()


def _kept(kind: str, obj: dict[str, Any]) -> dict[str, Any]:
    return obj


def _put(kind: str, stored: dict[str, Any] | None, pushed: dict[str, Any]) -> dict[str, Any]:
    """A PUT replaces the stored object whole."""
    return pushed


def _patch(kind: str, stored: dict[str, Any], pushed: dict[str, Any]) -> dict[str, Any]:
    """A PATCH replaces the fields it carries and leaves the others as stored; a list field of _ADDED is extended
    by the items it carries (a PATCH carrying none, or an empty list, leaves it as stored)."""
    added = _ADDED.get(kind)
    items = (pushed.get(added) or []) if added else []
    merged = {**stored, **{k: v for k, v in pushed.items() if k != added}}
    if added and items:
        merged[added] = [*stored.get(added, []), *items]
    return merged


def _stored_status(kind: str, created: bool) -> int:
    """The HTTP status of a push taken: 201 for an object newly created, 200 for one updated (status_codes)."""
    return 201 if created else 200


def _refused_status(kind: str) -> int:
    """The HTTP status of a push refused: a valid JSON request that reached the OCPI layer gets no HTTP error
    status, the refusal is in the status_code (status_codes)."""
    return 200


def _point(name: str, conformant: T) -> Behaviour[T]:
    # Client Owned Object pushes are a transport rule (transport_and_format_client_owned_object_push).
    return Behaviour("OCPI", VERSION, "transport", f"receiving.{name}", conformant)


RULES = _point("rules", _rules)  # what a pushed object of a kind must meet
KEPT = _point("kept", _kept)  # what a Receiver keeps of an object it stores
PUT = _point("put", _put)  # the object a PUT leaves stored
PATCH = _point("patch", _patch)  # the object a PATCH leaves stored
STORED = _point("stored", _stored_status)  # the HTTP status of a push taken, by whether it created the object
REFUSED = _point("refused", _refused_status)  # the HTTP status of a push refused with 2001


def for_kinds(by: Callable[[Step], Step], *kinds: str) -> Callable[[Step], Step]:
    """A fault profile's replacement ``by`` of a step called with the kind of object first (the shared steps
    here), for objects of ``kinds`` only: the Receivers of the other kinds keep the step in force."""

    def scoped(step: Step) -> Step:
        replaced = by(step)

        def chosen(kind: str, *args: Any) -> Any:
            return (replaced if kind in kinds else step)(kind, *args)

        return cast(Step, chosen)

    return scoped


def object_key(country_code: Any, party_id: Any, object_id: Any) -> tuple[str, str, str]:
    """Country code, party id and object id are CiStrings: objects are kept under their upper-cased values."""
    return (str(country_code).upper(), str(party_id).upper(), str(object_id).upper())


def unknown(what: str) -> OcpiError:
    return OcpiError(2003, f"Unknown {what}", 404)


def pushed_object(call: Call, schema: str, *, partial: bool = False, id_param: str | None = None) -> dict[str, Any]:
    """The request body as a ``schema`` object, or OcpiError 2001.

    ``partial`` reads a PATCH body (which must carry last_updated); ``id_param`` names the URL segment holding
    the object's id, which the body's id, country_code and party_id must then agree with. The RULES in force for
    ``schema`` may waive the last_updated rule, or the schema and the ids (a fault profile's).
    """
    body = call.body
    http = call.party.behaviours(REFUSED)(schema)
    if not isinstance(body, dict):
        raise OcpiError(2001, "The request body must be a JSON object", http)
    rules = call.party.behaviours(RULES)(schema)
    if partial and rules.stamped and "last_updated" not in body:
        raise OcpiError(2001, "A PATCH must contain last_updated", http)
    if not rules.valid:
        return body
    problems = schema_errors(VERSION, schema, body, partial=partial)
    if problems:
        raise OcpiError(2001, f"Invalid {schema}: " + "; ".join(problems[:5]), http)
    if id_param is not None and rules.ids:
        for field, param in (("id", id_param), ("country_code", "country_code"), ("party_id", "party_id")):
            if field in body and not ci_equal(body[field], call.path(param)):
                raise OcpiError(2001, f"{schema} {field} {body[field]!r} differs from the URL's "
                                      f"{call.path(param)!r}", http)
    return body
