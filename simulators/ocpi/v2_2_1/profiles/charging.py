"""OCPI 2.2.1 fault profiles: a whole charge: the charger, its pushes and its CDR.
Each replaces behaviours of the reference platforms (simulators/behaviours.py)."""

from __future__ import annotations

from simulators.ocpi.faults import Faults
from simulators.ocpi.v2_2_1.profiles._register import profile

profile("charger_always_asks", "The charger asks the eMSP in real time even about Tokens whitelisted ALWAYS.",
        roles=("CPO",), trips=("ocpi.tokens.charge_whitelisted",), legacy=Faults(charger_always_asks=True))

profile("charger_never_asks", "The charger never asks the eMSP in real time: it whitelists every Token it holds.",
        roles=("CPO",), trips=("ocpi.tokens.charge_real_time", "ocpi.tokens.charge_reference"),
        legacy=Faults(charger_never_asks=True))

profile("charger_ignores_valid", "The charger lets a Token pushed as not valid charge on its whitelist.",
        roles=("CPO",), trips=("ocpi.tokens.charge_invalid_refused",), legacy=Faults(charger_ignores_valid=True))

profile("charger_asks_without_location", "Real-time authorization requests name no Location or EVSE.",
        roles=("CPO",), trips=("ocpi.tokens.charge_location_named",), legacy=Faults(charger_asks_without_location=True))

profile("charger_drops_reference", "A charge the eMSP allowed in real time is pushed without its "
        "authorization_reference.", roles=("CPO",), trips=("ocpi.tokens.charge_reference",),
        legacy=Faults(charger_drops_reference=True))

profile("charger_ignores_answer", "The charger starts the charge whatever the eMSP answered in real time.",
        roles=("CPO",), trips=("ocpi.tokens.charge_refused_in_real_time",), legacy=Faults(charger_ignores_answer=True))

profile("charge_session_evse_id", "Pushed Sessions name the EVSE by its evse_id instead of its uid.", roles=("CPO",),
        trips=("ocpi.sessions.charge_pushed",), legacy=Faults(charge_session_evse_id=True))

profile("charge_evse_status_silent", "The EVSE status changes of a charge are not pushed.", roles=("CPO",),
        trips=("ocpi.locations.charge_evse_status",), legacy=Faults(charge_evse_status_silent=True))

profile("charge_session_left_active", "When a charge ends, the Session is never PATCHed to COMPLETED.",
        roles=("CPO",), trips=("ocpi.sessions.charge_updated",), legacy=Faults(charge_session_left_active=True))

profile("charge_cdr_session_unknown", "The CDR posted after a charge names a session_id other than its Session's.",
        roles=("CPO",), trips=("ocpi.cdrs.session_link",), legacy=Faults(charge_cdr_session_unknown=True))

profile("charge_cdr_energy_rounded", "The CDR posted after a charge bills whole kWh: total_energy rounded up.",
        roles=("CPO",), trips=("ocpi.cdrs.charge_cdr",), legacy=Faults(charge_cdr_energy_rounded=True))

profile("charge_cdr_energy_cost_dropped", "The CDR posted after a charge leaves its energy cost out of total_cost.",
        roles=("CPO",), trips=("ocpi.cdrs.price",), legacy=Faults(charge_cdr_energy_cost_dropped=True))

profile("cdr_periods_span_price_changes", "Charging periods are not cut where the tariff's price changes (23:00, "
        "07:00, four hours into a session): the CDRs' totals are right, their periods are not.", roles=("CPO",),
        trips=("ocpi.cdrs.period_per_price_change",), legacy=Faults(cdr_periods_unsplit=True))

profile("charger_refuses_invalid_unasked", "The charger refuses a Token pushed as not valid without asking the eMSP "
        "in real time, even when its whitelist (NEVER, ALLOWED_OFFLINE) calls for asking.", roles=("CPO",),
        trips=("ocpi.tokens.charge_invalid_asked",), legacy=Faults(charger_refuses_invalid_unasked=True))

profile("charger_offline_whitelisted", "The charger lets Tokens whitelisted ALLOWED_OFFLINE charge on its whitelist "
        "without asking the eMSP in real time, though the eMSP answers.", roles=("CPO",),
        trips=("ocpi.tokens.charge_allowed_offline_asked",), legacy=Faults(charger_offline_whitelisted=True))

profile("charger_refuses_offline", "With no response from the eMSP to a real-time request, the charger refuses "
        "Tokens whitelisted ALLOWED_OFFLINE instead of letting them charge.", roles=("CPO",),
        trips=("ocpi.tokens.charge_allowed_offline_unanswered",), legacy=Faults(charger_refuses_offline=True))

profile("command_reserve_status_unchanged", "A reservation leaves its EVSE AVAILABLE: neither pushed nor listed as "
        "RESERVED.", roles=("CPO",), trips=("ocpi.commands.reserved_evse_status",),
        legacy=Faults(command_reserve_status_unchanged=True))

profile("push_put_partial", "The EVSE status changes of a charge are sent by PUT carrying only status and "
        "last_updated, as if PUT were PATCH.", roles=("CPO",), trips=("ocpi.request.put_whole_object",),
        legacy=Faults(push_put_partial=True))

profile("push_owner_mismatch", "Locations are pushed under a party_id in the URL other than the one they carry.",
        roles=("CPO",), trips=("ocpi.request.push_owner",), legacy=Faults(push_owner_mismatch=True))

profile("push_patch_without_last_updated", "The EVSE status PATCHes of a charge carry no last_updated.",
        roles=("CPO",), trips=("ocpi.request.patch_last_updated",), legacy=Faults(push_patch_without_last_updated=True))

profile("charge_session_start_at_plug_in", "The Session is created at plug-in, a minute before it is pushed PENDING, "
        "and its start_date_time stays there when it goes ACTIVE.", roles=("CPO",),
        trips=("ocpi.sessions.charge_start_time",), legacy=Faults(charge_session_start_at_plug_in=True))

profile("charge_session_patch_all_periods", "Each Session PATCH repeats every charging period so far instead of only "
        "the new ones.", roles=("CPO",), trips=("ocpi.sessions.charge_periods_appended",),
        legacy=Faults(charge_session_patch_all_periods=True))

profile("charge_evse_status_patch_silent", "The CPO PUTs its Location the first time an eMSP hears of it, but never "
        "pushes the EVSE's status changes after that.", roles=("CPO",),
        trips=("ocpi.locations.evse_status_pushed",), legacy=Faults(charge_evse_status_patch_silent=True))

profile("reservation_session_left_open", "A canceled reservation frees its EVSE but leaves its Session with status "
        "RESERVATION.", roles=("CPO",), trips=("ocpi.sessions.reservation_session",),
        legacy=Faults(reservation_session_left_open=True))
