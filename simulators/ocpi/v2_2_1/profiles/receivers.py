"""OCPI 2.2.1 fault profiles: Sessions, CDRs, Tariffs and Hub client info as Receiver.
Each replaces behaviours of the reference platforms (simulators/behaviours.py): mostly the steps every Receiver
shares (simulators/ocpi/v2_2_1/receiving.py), for the kind of object the profile is about."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, cast

from simulators.behaviours import replace, set_to
from simulators.ocpi.endpoint import Call, OcpiError, Reply
from simulators.ocpi.v2_2_1 import cdrs_receiver, tariffs_receiver
from simulators.ocpi.v2_2_1.profiles._register import profile
from simulators.ocpi.v2_2_1.receiving import (
    KEPT,
    PATCH,
    PUT,
    REFUSED,
    RULES,
    STORED,
    Kept,
    Patch,
    Put,
    Rules,
    for_kinds,
)

__all__ = ["always_200", "dropping", "ids_unchecked", "invalid_accepted", "patch_ignored", "refused_with_400"]

RulesOf = Callable[[str], Rules]
Created = Callable[[Call, str], Reply]

# -- shared by the Receivers of every module (also used by the Locations and Tokens profiles) -------------------


def invalid_accepted(rules: RulesOf) -> RulesOf:
    """Neither the schema nor the ids the URL names are checked."""
    return lambda kind: dataclasses.replace(rules(kind), valid=False)


def ids_unchecked(rules: RulesOf) -> RulesOf:
    """A pushed object is stored under the URL's ids whatever ids its body carries."""
    return lambda kind: dataclasses.replace(rules(kind), ids=False)


def always_200(stored: Callable[[str, bool], int]) -> Callable[[str, bool], int]:
    """A push taken is answered HTTP 200, a newly created object too."""
    return lambda kind, created: 200


def refused_with_400(refused: Callable[[str], int]) -> Callable[[str], int]:
    """A push refused with 2001 comes with HTTP 400 Bad Request."""
    return lambda kind: 400


def dropping(field: str) -> Callable[[Kept], Kept]:
    """``field`` is left out of what is kept."""
    return lambda kept: lambda kind, obj: {k: v for k, v in kept(kind, obj).items() if k != field}


def patch_ignored(patch: Patch) -> Patch:
    """A PATCH is acknowledged but leaves the object as stored."""
    return lambda kind, stored, pushed: stored


# -- Sessions ---------------------------------------------------------------------------------------------------


def _status_ignored(patch: Patch) -> Patch:
    return lambda kind, stored, pushed: patch(kind, stored, {k: v for k, v in pushed.items() if k != "status"})


def _periods_replaced(patch: Patch) -> Patch:
    def replaced(kind: str, stored: dict[str, Any], pushed: dict[str, Any]) -> dict[str, Any]:
        merged = patch(kind, stored, pushed)
        periods = pushed.get("charging_periods")
        return {**merged, "charging_periods": periods} if periods else merged

    return replaced


def _needs_kwh(patch: Patch) -> Patch:
    def needs_kwh(kind: str, stored: dict[str, Any], pushed: dict[str, Any]) -> dict[str, Any]:
        if "kwh" not in pushed:
            raise OcpiError(2001, "A Session PATCH must carry kwh", 400)
        return patch(kind, stored, pushed)

    return needs_kwh


def _put_merges(put: Put) -> Put:
    def merges(kind: str, stored: dict[str, Any] | None, pushed: dict[str, Any]) -> dict[str, Any]:
        new = put(kind, stored, pushed)
        if stored is None:
            return new
        periods = new.get("charging_periods") or stored.get("charging_periods") or []
        return {**stored, **new, "charging_periods": periods}

    return merges


def _rewritten(reference: Any) -> str:
    """An authorization_reference of the eMSP's own making in place of the one a CPO pushed: the eMSP no longer
    finds the authorization it gave."""
    text = str(reference)
    return text if text.startswith("RW-") else f"RW-{text}"[:36]


def _reference_rewritten(kept: Kept) -> Kept:
    def rewritten(kind: str, obj: dict[str, Any]) -> dict[str, Any]:
        out = kept(kind, obj)
        reference = out.get("authorization_reference")
        return {**out, "authorization_reference": _rewritten(reference)} if reference else out

    return rewritten


# -- Tariffs ----------------------------------------------------------------------------------------------------


def _restrictions_lost(kept: Kept) -> Kept:
    def lost(kind: str, tariff: dict[str, Any]) -> dict[str, Any]:
        out = kept(kind, tariff)
        elements = out.get("elements")
        if not isinstance(elements, list):
            return out
        return {**out, "elements": [{k: v for k, v in element.items() if k != "restrictions"}
                                    if isinstance(element, dict) else element for element in elements]}

    return lost


def _tariff_kept(tariff: dict[str, Any]) -> dict[str, Any]:
    return tariff


# -- CDRs -------------------------------------------------------------------------------------------------------


def _rounded(node: Any) -> Any:
    """Every number rounded to 2 decimals (OCPI numbers carry up to 4)."""
    if isinstance(node, float):
        return round(node, 2)
    if isinstance(node, dict):
        return {k: _rounded(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_rounded(item) for item in node]
    return node


def _numbers_rounded(kept: Kept) -> Kept:
    return lambda kind, cdr: cast(dict[str, Any], _rounded(kept(kind, cdr)))


def _without_location_header(created: Created) -> Created:
    def without(call: Call, location: str) -> Reply:
        reply = created(call, location)
        return dataclasses.replace(reply, headers={k: v for k, v in reply.headers.items() if k != "Location"})

    return without


def _relative_location_header(created: Created) -> Created:
    return lambda call, location: created(call, location.removeprefix(call.party.base_url))


def _created_with_200(created: Created) -> Created:
    return lambda call, location: dataclasses.replace(created(call, location), http_status=200)


# -- Hub client info --------------------------------------------------------------------------------------------


def _update_ignored(put: Put) -> Put:
    return lambda kind, stored, pushed: put(kind, stored, pushed) if stored is None else stored


profile("session_invalid_accepted", "Pushed Sessions that break the schema are stored and acknowledged with 1000.",
        roles=("EMSP",), trips=("ocpi.sessions.receiver_invalid_not_stored",),
        replaces=[replace(RULES, for_kinds(invalid_accepted, "Session"))])

profile("session_patch_ignored", "Session PATCHes are acknowledged with 1000 but not applied.", roles=("EMSP",),
        trips=("ocpi.sessions.receiver_patched",), replaces=[replace(PATCH, for_kinds(patch_ignored, "Session"))])

profile("session_patch_replaces_periods", "The charging_periods of a Session PATCH replace the stored ones instead "
        "of being added to them.", roles=("EMSP",), trips=("ocpi.sessions.receiver_patched",),
        replaces=[replace(PATCH, for_kinds(_periods_replaced, "Session"))])

profile("session_charging_periods_dropped", "Sessions are stored without their charging_periods.", roles=("EMSP",),
        trips=("ocpi.sessions.receiver_stored", "ocpi.sessions.receiver_patched"),
        replaces=[replace(KEPT, for_kinds(dropping("charging_periods"), "Session"))])

profile("session_put_merges", "A PUT of a stored Session updates it field by field and keeps the stored "
        "charging_periods it omits, instead of replacing the Session.", roles=("EMSP",),
        trips=("ocpi.sessions.receiver_replaced",), replaces=[replace(PUT, for_kinds(_put_merges, "Session"))])

profile("tariff_invalid_accepted", "Pushed Tariffs that break the schema are stored and acknowledged with 1000.",
        roles=("EMSP",), trips=("ocpi.tariffs.receiver_invalid_not_stored",),
        replaces=[replace(RULES, for_kinds(invalid_accepted, "Tariff"))])

profile("tariff_restrictions_lost", "Stored Tariffs lose the restrictions of their elements.", roles=("EMSP",),
        trips=("ocpi.tariffs.receiver_stored",), replaces=[replace(KEPT, for_kinds(_restrictions_lost, "Tariff"))])

profile("tariff_delete_ignored", "A Tariff DELETE is acknowledged with 1000 but the Tariff is kept.",
        roles=("EMSP",), trips=("ocpi.tariffs.receiver_deleted", "ocpi.status.unknown_object"),
        replaces=[set_to(tariffs_receiver.DELETE, _tariff_kept)])

profile("cdr_invalid_accepted", "POSTed CDRs that break the schema are stored and acknowledged with 1000.",
        roles=("EMSP",), trips=("ocpi.cdrs.receiver_invalid_not_stored",),
        replaces=[replace(RULES, for_kinds(invalid_accepted, "CDR"))])

profile("cdr_location_header_missing", "The answer to a CDR POST carries no Location header.", roles=("EMSP",),
        trips=("ocpi.cdrs.receiver_location_header",),
        replaces=[replace(cdrs_receiver.CREATED, _without_location_header)])

profile("cdr_location_header_relative", "The Location header of a CDR POST answer is a relative URL.",
        roles=("EMSP",), trips=("ocpi.cdrs.receiver_location_header",),
        replaces=[replace(cdrs_receiver.CREATED, _relative_location_header)])

profile("cdr_stored_altered", "Stored CDRs have every number (volumes, amounts) rounded to 2 decimals.",
        roles=("EMSP",), trips=("ocpi.cdrs.receiver_stored",),
        replaces=[replace(KEPT, for_kinds(_numbers_rounded, "CDR"))])

profile("cdr_created_with_200", "A CDR POST that creates the CDR is answered HTTP 200 instead of 201.",
        roles=("EMSP",), trips=("ocpi.cdrs.receiver_created",),
        replaces=[replace(cdrs_receiver.CREATED, _created_with_200)])

profile("client_info_field_lost", "A pushed ClientInfo is kept without its role.", roles=("EMSP",),
        trips=("ocpi.hubclientinfo.stored",), replaces=[replace(KEPT, for_kinds(dropping("role"), "ClientInfo"))])

profile("client_info_update_ignored", "A ClientInfo once kept is never replaced by a later one.", roles=("CPO",),
        trips=("ocpi.hubclientinfo.status_updated",),
        replaces=[replace(PUT, for_kinds(_update_ignored, "ClientInfo"))])

profile("client_info_invalid_accepted", "A pushed body breaking the ClientInfo schema is kept.", roles=("SCSP",),
        trips=("ocpi.hubclientinfo.invalid_refused", "ocpi.status.expected"),
        replaces=[replace(RULES, for_kinds(invalid_accepted, "ClientInfo"))])

profile("session_patch_needs_kwh", "A Session PATCH without kwh (one that only changes the status) is refused with "
        "2001.", roles=("EMSP",), trips=("ocpi.status.expected",), shows_in=("sessions",),
        replaces=[replace(PATCH, for_kinds(_needs_kwh, "Session"))])

profile("session_patch_status_ignored", "The status a Session PATCH carries is acknowledged but not applied.",
        roles=("EMSP",), trips=("ocpi.sessions.emsp_charge_kept",),
        replaces=[replace(PATCH, for_kinds(_status_ignored, "Session"))])

profile("emsp_reference_rewritten", "Sessions and CDRs are kept with an authorization_reference of the eMSP's own "
        "instead of the one pushed.", roles=("EMSP",), trips=("ocpi.tokens.emsp_reference_linked",),
        replaces=[replace(KEPT, for_kinds(_reference_rewritten, "Session", "CDR"))])

profile("push_created_with_200", "A PUT that creates a Session, Tariff or Location is answered HTTP 200 instead "
        "of 201.", roles=("EMSP",), trips=("ocpi.status.created",),
        replaces=[replace(STORED, for_kinds(always_200, "Session", "Tariff", "Location"))])

profile("push_refused_with_http_400", "A pushed Session, Tariff or CDR that is refused with 2001 comes with HTTP 400.",
        roles=("EMSP",), trips=("ocpi.status.refusal_http",),
        replaces=[replace(REFUSED, for_kinds(refused_with_400, "Session", "Tariff", "CDR"))])

profile("session_id_mismatch_accepted", "A Session PUT to the URL of another session id is stored under the URL's id.",
        roles=("EMSP",), trips=("ocpi.receiver.id_mismatch",),
        replaces=[replace(RULES, for_kinds(ids_unchecked, "Session"))])
