"""The fault flags of the reference partners that are not yet behaviours (simulators/behaviours.py).

Being replaced: each flag read by an ``if`` in a handler becomes a Behaviour of its module, and the profile that
set it a replacement of that behaviour. A profile that still needs flags names them (``legacy=Faults(...)``).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

__all__ = ["LEGACY", "Faults", "legacy_faults"]


@dataclass(frozen=True)
class Faults:
    # transport
    timestamp_with_offset: bool = False
    drop_field: str | None = None  # required Location field removed from served objects
    unknown_id_success: bool = False
    stale_location_last_updated: bool = False
    object_get_returns_first: bool = False
    # receiver behaviour
    accept_invalid_push: bool = False
    patch_without_last_updated_ok: bool = False
    no_parent_last_updated: bool = False
    lose_pushed_field: str | None = None
    # tokens
    authorize_valid_refused: bool = False  # the reference eMSP answers BLOCKED for every token
    authorize_without_reference: bool = False  # an ALLOWED AuthorizationInfo lacks authorization_reference
    authorize_ignores_location: bool = False  # LocationReferences neither honoured nor echoed
    authorize_invalid_allowed: bool = False  # an invalid token is answered ALLOWED
    authorize_unknown_allowed: bool = False  # an unknown token is answered ALLOWED with a made-up Token
    token_field_lost: bool = False  # the reference CPO stores pushed Tokens without visual_number
    token_patch_ignored: bool = False  # a Token PATCH is acknowledged but not applied
    token_type_ignored: bool = False  # Tokens are stored by uid only, whatever their type
    token_invalid_accepted: bool = False  # pushed Tokens are not validated
    token_patch_without_last_updated_ok: bool = False
    # charging profiles, charging preferences, hub client info
    client_info_field_lost: bool = False  # a pushed ClientInfo is stored without its role
    client_info_update_ignored: bool = False  # a ClientInfo once stored is never replaced
    client_info_invalid_accepted: bool = False
    # charging lifecycle (sessions started at the charger, pushes, whitelist)
    session_patch_needs_kwh: bool = False  # (eMSP) a Session PATCH without kwh is refused with 2001
    session_patch_status_ignored: bool = False  # (eMSP) the status a Session PATCH carries is not applied
    emsp_reference_rewritten: bool = False  # (eMSP) Sessions, CDRs kept with an authorization_reference of its own
    # requirement inventory (checks added for MUST statements of the existing modules)
    authorize_judges_location_state: bool = False  # real-time authorization refuses at EVSEs pushed as not free
    # sessions/tariffs/cdrs receivers
    session_invalid_accepted: bool = False
    session_patch_without_last_updated_ok: bool = False
    session_patch_ignored: bool = False
    session_periods_dropped: bool = False  # charging_periods are not stored
    session_patch_replaces_periods: bool = False  # charging_periods of a PATCH replace instead of being added
    session_put_merges: bool = False  # a PUT on a stored Session updates it instead of replacing it
    tariff_invalid_accepted: bool = False
    tariff_restrictions_lost: bool = False
    tariff_delete_ignored: bool = False
    cdr_invalid_accepted: bool = False
    cdr_location_header: str = "absolute"  # on a CDR POST: "absolute", "relative" or "none"
    cdr_numbers_rounded: bool = False  # stored CDRs have every number rounded to 2 decimals
    cdr_created_status: int = 201  # HTTP status of a CDR POST that created the CDR


#: profile name -> the flags it sets (profiles not yet made of behaviours only).
LEGACY: dict[str, Faults] = {}


def legacy_faults(names: str) -> Faults:
    """The flags of one profile, or of several joined by '+' (each flag a profile changes is kept)."""
    merged = Faults()
    default = Faults()
    for name in names.split("+"):
        changed = LEGACY.get(name.strip(), default)
        merged = replace(merged, **{f.name: getattr(changed, f.name) for f in fields(Faults)
                                    if getattr(changed, f.name) != getattr(default, f.name)})
    return merged
