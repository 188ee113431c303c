"""What the reference eMSP's Receiver interfaces for Sessions, Tariffs and CDRs share: reading a pushed
object, validating it, and the keys it is stored under (transport_and_format_client_owned_object_push)."""

from __future__ import annotations

from typing import Any

from conformance.ocpi.schemas import errors as schema_errors
from conformance.ocpi.types import ci_equal
from simulators.ocpi.endpoint import Call, OcpiError

__all__ = ["VERSION", "object_key", "pushed_object", "rewritten_reference", "unknown"]

VERSION = "2.2.1"


def object_key(country_code: Any, party_id: Any, object_id: Any) -> tuple[str, str, str]:
    """Country code, party id and object id are CiStrings: objects are kept under their upper-cased values."""
    return (str(country_code).upper(), str(party_id).upper(), str(object_id).upper())


def rewritten_reference(reference: Any) -> str:
    """An authorization_reference of the eMSP's own making in place of the one a CPO pushed (a fault profile's:
    the eMSP no longer finds the authorization it gave)."""
    text = str(reference)
    return text if text.startswith("RW-") else f"RW-{text}"[:36]


def unknown(what: str) -> OcpiError:
    return OcpiError(2003, f"Unknown {what}", 404)


def pushed_object(call: Call, schema: str, *, partial: bool = False, validate: bool = True,
                  id_param: str | None = None, require_last_updated: bool = True) -> dict[str, Any]:
    """The request body as a ``schema`` object, or OcpiError 2001.

    ``partial`` reads a PATCH body (which must carry last_updated unless ``require_last_updated`` is false);
    ``id_param`` names the URL segment holding the object's id, which the body's id, country_code and
    party_id must then agree with; ``validate=False`` skips those rules and the schema (a fault profile's).
    """
    body = call.body
    if not isinstance(body, dict):
        raise OcpiError(2001, "The request body must be a JSON object", 400)
    if partial and require_last_updated and "last_updated" not in body:
        raise OcpiError(2001, "A PATCH must contain last_updated", 400)
    if not validate:
        return body
    problems = schema_errors(VERSION, schema, body, partial=partial)
    if problems:
        raise OcpiError(2001, f"Invalid {schema}: " + "; ".join(problems[:5]), 400)
    if id_param is not None:
        for field, param in (("id", id_param), ("country_code", "country_code"), ("party_id", "party_id")):
            if field in body and not ci_equal(body[field], call.path(param)):
                raise OcpiError(2001, f"{schema} {field} {body[field]!r} differs from the URL's "
                                      f"{call.path(param)!r}", 400)
    return body
