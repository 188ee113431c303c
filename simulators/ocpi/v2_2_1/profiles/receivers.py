"""OCPI 2.2.1 fault profiles: Sessions, CDRs, Tariffs and Hub client info as Receiver.
Each replaces behaviours of the reference platforms (simulators/behaviours.py)."""

from __future__ import annotations

from simulators.ocpi.faults import Faults
from simulators.ocpi.v2_2_1.profiles._register import profile

profile("session_invalid_accepted", "Pushed Sessions that break the schema are stored and acknowledged with 1000.",
        roles=("EMSP",), trips=("ocpi.status.expected", "ocpi.sessions.receiver_invalid_not_stored"),
        legacy=Faults(session_invalid_accepted=True))

profile("session_patch_without_last_updated_accepted", "A Session PATCH lacking last_updated is applied.",
        roles=("EMSP",), trips=("ocpi.status.expected", "ocpi.sessions.receiver_patch_last_updated"),
        legacy=Faults(session_patch_without_last_updated_ok=True))

profile("session_patch_ignored", "Session PATCHes are acknowledged with 1000 but not applied.", roles=("EMSP",),
        trips=("ocpi.sessions.receiver_patched",), legacy=Faults(session_patch_ignored=True))

profile("session_patch_replaces_periods", "The charging_periods of a Session PATCH replace the stored ones instead "
        "of being added to them.", roles=("EMSP",), trips=("ocpi.sessions.receiver_patched",),
        legacy=Faults(session_patch_replaces_periods=True))

profile("session_charging_periods_dropped", "Sessions are stored without their charging_periods.", roles=("EMSP",),
        trips=("ocpi.sessions.receiver_stored", "ocpi.sessions.receiver_patched"),
        legacy=Faults(session_periods_dropped=True))

profile("session_put_merges", "A PUT of a stored Session updates it field by field and keeps the stored "
        "charging_periods it omits, instead of replacing the Session.", roles=("EMSP",),
        trips=("ocpi.sessions.receiver_replaced",), legacy=Faults(session_put_merges=True))

profile("tariff_invalid_accepted", "Pushed Tariffs that break the schema are stored and acknowledged with 1000.",
        roles=("EMSP",), trips=("ocpi.status.expected", "ocpi.tariffs.receiver_invalid_not_stored"),
        legacy=Faults(tariff_invalid_accepted=True))

profile("tariff_restrictions_lost", "Stored Tariffs lose the restrictions of their elements.", roles=("EMSP",),
        trips=("ocpi.tariffs.receiver_stored",), legacy=Faults(tariff_restrictions_lost=True))

profile("tariff_delete_ignored", "A Tariff DELETE is acknowledged with 1000 but the Tariff is kept.",
        roles=("EMSP",), trips=("ocpi.tariffs.receiver_deleted", "ocpi.status.unknown_object"),
        legacy=Faults(tariff_delete_ignored=True))

profile("cdr_invalid_accepted", "POSTed CDRs that break the schema are stored and acknowledged with 1000.",
        roles=("EMSP",), trips=("ocpi.status.expected", "ocpi.cdrs.receiver_invalid_not_stored"),
        legacy=Faults(cdr_invalid_accepted=True))

profile("cdr_location_header_missing", "The answer to a CDR POST carries no Location header.", roles=("EMSP",),
        trips=("ocpi.cdrs.receiver_location_header",), legacy=Faults(cdr_location_header="none"))

profile("cdr_location_header_relative", "The Location header of a CDR POST answer is a relative URL.",
        roles=("EMSP",), trips=("ocpi.cdrs.receiver_location_header",), legacy=Faults(cdr_location_header="relative"))

profile("cdr_stored_altered", "Stored CDRs have every number (volumes, amounts) rounded to 2 decimals.",
        roles=("EMSP",), trips=("ocpi.cdrs.receiver_stored",), legacy=Faults(cdr_numbers_rounded=True))

profile("cdr_created_with_200", "A CDR POST that creates the CDR is answered HTTP 200 instead of 201.",
        roles=("EMSP",), trips=("ocpi.cdrs.receiver_created",), legacy=Faults(cdr_created_status=200))

profile("client_info_field_lost", "A pushed ClientInfo is kept without its role.", roles=("EMSP",),
        trips=("ocpi.hubclientinfo.stored",), legacy=Faults(client_info_field_lost=True))

profile("client_info_update_ignored", "A ClientInfo once kept is never replaced by a later one.", roles=("CPO",),
        trips=("ocpi.hubclientinfo.status_updated",), legacy=Faults(client_info_update_ignored=True))

profile("client_info_invalid_accepted", "A pushed body breaking the ClientInfo schema is kept.", roles=("SCSP",),
        trips=("ocpi.hubclientinfo.invalid_refused", "ocpi.status.expected"),
        legacy=Faults(client_info_invalid_accepted=True))

profile("session_patch_needs_kwh", "A Session PATCH without kwh (one that only changes the status) is refused with "
        "2001.", roles=("EMSP",), trips=("ocpi.status.expected",), shows_in=("sessions",),
        legacy=Faults(session_patch_needs_kwh=True))

profile("session_patch_status_ignored", "The status a Session PATCH carries is acknowledged but not applied.",
        roles=("EMSP",), trips=("ocpi.sessions.emsp_charge_kept",), legacy=Faults(session_patch_status_ignored=True))

profile("emsp_reference_rewritten", "Sessions and CDRs are kept with an authorization_reference of the eMSP's own "
        "instead of the one pushed.", roles=("EMSP",), trips=("ocpi.tokens.emsp_reference_linked",),
        legacy=Faults(emsp_reference_rewritten=True))
