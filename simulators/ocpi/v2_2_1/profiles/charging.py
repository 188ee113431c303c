"""OCPI 2.2.1 fault profiles: a whole charge: the charger, its pushes and its CDR.
Each replaces behaviours of the reference platforms (simulators/behaviours.py)."""

from __future__ import annotations

import copy
import dataclasses
import math
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from conformance.ocpi.types import ci_equal, format_datetime, parse_datetime
from simulators.behaviours import replace, set_to
from simulators.ocpi.party import Party
from simulators.ocpi.v2_2_1 import charger, lifecycle, pricing
from simulators.ocpi.v2_2_1.lifecycle import Push, Pusher
from simulators.ocpi.v2_2_1.profiles._register import profile

# -- the charger ----------------------------------------------------------------------------------------------

Asks = Callable[[str | None], bool]


Read = Callable[[dict[str, Any]], charger.Answer]


def _offline_whitelisted(asks: Asks) -> Asks:
    return lambda whitelist: whitelist != "ALLOWED_OFFLINE" and asks(whitelist)


def _reference_dropped(read: Read) -> Read:
    return lambda info: dataclasses.replace(read(info), reference=None)


def _answer_ignored(read: Read) -> Read:
    return lambda info: dataclasses.replace(read(info), allowed=True)


# -- the pushes of a charge (only the pushed copy is bent: the CPO's own Sender lists keep the charge as it was,
# as a back-end whose push code has a bug would) ----------------------------------------------------------------

PLUG_IN = timedelta(minutes=1)  # how long before its charge the Session is created


def _after(change: Callable[[Party, Push], Push | None]) -> Callable[[Pusher], Pusher]:
    """A replacement that changes the push the behaviour in force makes (one it does not send stays unsent)."""

    def by(pushed: Pusher) -> Pusher:
        def bent(party: Party, push: Push) -> Push | None:
            made = pushed(party, push)
            return None if made is None else change(party, made)

        return bent

    return by


def _evse_status_silent(party: Party, push: Push) -> Push | None:
    return None


def _evse_patch_silent(party: Party, push: Push) -> Push | None:
    return None if push.method == "PATCH" else push


def _patch_without_last_updated(party: Party, push: Push) -> Push | None:
    if push.method != "PATCH":
        return push
    return dataclasses.replace(push, body={k: v for k, v in push.body.items() if k != "last_updated"})


def _put_as_patch(party: Party, push: Push) -> Push | None:
    if push.method == "PATCH" and len(push.segments) == 4:  # an EVSE's: a PUT with only the changed fields
        return dataclasses.replace(push, method="PUT")
    return push


def _other_party(party_id: str) -> str:
    return party_id[:2] + ("X" if party_id[2:].upper() != "X" else "Y")


def _owner_mismatch(party: Party, push: Push) -> Push | None:
    if len(push.segments) < 2:
        return push
    segments = push.segments
    return dataclasses.replace(push, segments=(segments[0], _other_party(segments[1]), *segments[2:]))


def _start_at_plug_in(party: Party, push: Push) -> Push | None:
    body = push.body
    if push.method != "PUT" or body.get("status") != "PENDING" or not isinstance(body.get("start_date_time"), str):
        return push
    start = format_datetime(parse_datetime(body["start_date_time"]) - PLUG_IN)
    return dataclasses.replace(push, body={**body, "start_date_time": start})


def _left_active(party: Party, push: Push) -> Push | None:
    return None if push.method == "PATCH" and push.body.get("status") == "COMPLETED" else push


def _evse_id(party: Party, session: dict[str, Any]) -> str | None:
    for location in party.owned.get("locations", []):
        if ci_equal(location.get("id"), session.get("location_id")):
            for evse in location.get("evses") or []:
                if ci_equal(evse.get("uid"), session.get("evse_uid")):
                    found = evse.get("evse_id")
                    return found if isinstance(found, str) else None
    return None


def _session_evse_id(party: Party, push: Push) -> Push | None:
    evse_id = _evse_id(party, push.body) if push.method == "PUT" else None
    return dataclasses.replace(push, body={**push.body, "evse_uid": evse_id}) if evse_id else push


def _patch_all_periods(party: Party, push: Push) -> Push | None:
    if push.method != "PATCH" or "charging_periods" not in push.body or not push.segments:
        return push
    held = next((s for s in party.owned.get("sessions", []) if ci_equal(s.get("id"), push.segments[-1])), None)
    if held is None:
        return push
    return dataclasses.replace(push, body={**push.body,
                                           "charging_periods": copy.deepcopy(held.get("charging_periods") or [])})


def _cdr_session_unknown(party: Party, push: Push) -> Push | None:
    session_id = push.body.get("session_id")
    if push.method != "POST" or not isinstance(session_id, str):
        return push
    return dataclasses.replace(push, body={**copy.deepcopy(push.body), "session_id": f"{session_id}-TX"})


def _cdr_energy_rounded(party: Party, push: Push) -> Push | None:
    energy = push.body.get("total_energy")
    if push.method != "POST" or not isinstance(energy, int | float):
        return push
    return dataclasses.replace(push, body={**copy.deepcopy(push.body), "total_energy": float(math.floor(energy) + 1)})


def _less(amount: Any, part: Any) -> Any:
    if isinstance(amount, int | float) and isinstance(part, int | float):
        return round(amount - part, 4)
    return amount


def _cdr_energy_cost_dropped(party: Party, push: Push) -> Push | None:
    energy_cost, total_cost = push.body.get("total_energy_cost"), push.body.get("total_cost")
    if push.method != "POST" or not isinstance(energy_cost, dict) or not isinstance(total_cost, dict):
        return push
    dropped = {part: _less(amount, energy_cost.get(part)) for part, amount in total_cost.items()}
    return dataclasses.replace(push, body={**copy.deepcopy(push.body), "total_cost": dropped})


# -- the CDR --------------------------------------------------------------------------------------------------


def _uncut(periods: Sequence[dict[str, Any]], end: datetime, tariffs: Sequence[dict[str, Any]], *, time_zone: str,
           currency: str) -> list[dict[str, Any]]:
    return list(periods)


profile("charger_always_asks", "The charger asks the eMSP in real time even about Tokens whitelisted ALWAYS.",
        roles=("CPO",), trips=("ocpi.tokens.charge_whitelisted",),
        replaces=[set_to(charger.ASKS, lambda whitelist: True)])

profile("charger_never_asks", "The charger never asks the eMSP in real time: it whitelists every Token it holds.",
        roles=("CPO",), trips=("ocpi.tokens.charge_real_time", "ocpi.tokens.charge_reference"),
        replaces=[set_to(charger.ASKS, lambda whitelist: False)])

profile("charger_ignores_valid", "The charger lets a Token pushed as not valid charge on its whitelist.",
        roles=("CPO",), trips=("ocpi.tokens.charge_invalid_refused",),
        replaces=[set_to(charger.INVALID, lambda token: False)])

profile("charger_asks_without_location", "Real-time authorization requests name no Location or EVSE.",
        roles=("CPO",), trips=("ocpi.tokens.charge_location_named",),
        replaces=[set_to(charger.LOCATION_REFERENCES, lambda location_id, evse_uid: None)])

profile("charger_drops_reference", "A charge the eMSP allowed in real time is pushed without its "
        "authorization_reference.", roles=("CPO",), trips=("ocpi.tokens.charge_reference",),
        replaces=[replace(charger.ANSWER, _reference_dropped)])

profile("charger_ignores_answer", "The charger starts the charge whatever the eMSP answered in real time.",
        roles=("CPO",), trips=("ocpi.tokens.charge_refused_in_real_time",),
        replaces=[replace(charger.ANSWER, _answer_ignored)])

profile("charge_session_evse_id", "Pushed Sessions name the EVSE by its evse_id instead of its uid.", roles=("CPO",),
        trips=("ocpi.sessions.charge_pushed",), replaces=[replace(lifecycle.PUSHED_SESSIONS, _after(_session_evse_id))])

profile("charge_evse_status_silent", "The EVSE status changes of a charge are not pushed.", roles=("CPO",),
        trips=("ocpi.locations.charge_evse_status",),
        replaces=[replace(lifecycle.PUSHED_LOCATIONS, _after(_evse_status_silent))])

profile("charge_session_left_active", "When a charge ends, the Session is never PATCHed to COMPLETED.",
        roles=("CPO",), trips=("ocpi.sessions.charge_updated",),
        replaces=[replace(lifecycle.PUSHED_SESSIONS, _after(_left_active))])

profile("charge_cdr_session_unknown", "The CDR posted after a charge names a session_id other than its Session's.",
        roles=("CPO",), trips=("ocpi.cdrs.session_link",),
        replaces=[replace(lifecycle.PUSHED_CDRS, _after(_cdr_session_unknown))])

profile("charge_cdr_energy_rounded", "The CDR posted after a charge bills whole kWh: total_energy rounded up.",
        roles=("CPO",), trips=("ocpi.cdrs.charge_cdr",),
        replaces=[replace(lifecycle.PUSHED_CDRS, _after(_cdr_energy_rounded))])

profile("charge_cdr_energy_cost_dropped", "The CDR posted after a charge leaves its energy cost out of total_cost.",
        roles=("CPO",), trips=("ocpi.cdrs.price",),
        replaces=[replace(lifecycle.PUSHED_CDRS, _after(_cdr_energy_cost_dropped))])

profile("cdr_periods_span_price_changes", "Charging periods are not cut where the tariff's price changes (23:00, "
        "07:00, four hours into a session): the CDRs' totals are right, their periods are not.", roles=("CPO",),
        trips=("ocpi.cdrs.period_per_price_change",), replaces=[set_to(pricing.CUT_PERIODS, _uncut)])

profile("charger_refuses_invalid_unasked", "The charger refuses a Token pushed as not valid without asking the eMSP "
        "in real time, even when its whitelist (NEVER, ALLOWED_OFFLINE) calls for asking.", roles=("CPO",),
        trips=("ocpi.tokens.charge_invalid_asked",),
        replaces=[set_to(charger.REFUSES_UNASKED, lambda invalid, ask: invalid)])

profile("charger_offline_whitelisted", "The charger lets Tokens whitelisted ALLOWED_OFFLINE charge on its whitelist "
        "without asking the eMSP in real time, though the eMSP answers.", roles=("CPO",),
        trips=("ocpi.tokens.charge_allowed_offline_asked",), replaces=[replace(charger.ASKS, _offline_whitelisted)])

profile("charger_refuses_offline", "With no response from the eMSP to a real-time request, the charger refuses "
        "Tokens whitelisted ALLOWED_OFFLINE instead of letting them charge.", roles=("CPO",),
        trips=("ocpi.tokens.charge_allowed_offline_unanswered",),
        replaces=[set_to(charger.FALLS_BACK, lambda whitelist: False)])

profile("command_reserve_status_unchanged", "A reservation leaves its EVSE AVAILABLE: neither pushed nor listed as "
        "RESERVED.", roles=("CPO",), trips=("ocpi.commands.reserved_evse_status",),
        replaces=[set_to(lifecycle.RESERVED_EVSE_STATUS, None)])

profile("push_put_partial", "The EVSE status changes of a charge are sent by PUT carrying only status and "
        "last_updated, as if PUT were PATCH.", roles=("CPO",), trips=("ocpi.request.put_whole_object",),
        replaces=[replace(lifecycle.PUSHED_LOCATIONS, _after(_put_as_patch))])

profile("push_owner_mismatch", "Locations are pushed under a party_id in the URL other than the one they carry.",
        roles=("CPO",), trips=("ocpi.request.push_owner",),
        replaces=[replace(lifecycle.PUSHED_LOCATIONS, _after(_owner_mismatch))])

profile("push_patch_without_last_updated", "The EVSE status PATCHes of a charge carry no last_updated.",
        roles=("CPO",), trips=("ocpi.request.patch_last_updated",),
        replaces=[replace(lifecycle.PUSHED_LOCATIONS, _after(_patch_without_last_updated))])

profile("charge_session_start_at_plug_in", "The Session is created at plug-in, a minute before it is pushed PENDING, "
        "and its start_date_time stays there when it goes ACTIVE.", roles=("CPO",),
        trips=("ocpi.sessions.charge_start_time",),
        replaces=[replace(lifecycle.PUSHED_SESSIONS, _after(_start_at_plug_in))])

profile("charge_session_patch_all_periods", "Each Session PATCH repeats every charging period so far instead of only "
        "the new ones.", roles=("CPO",), trips=("ocpi.sessions.charge_periods_appended",),
        replaces=[replace(lifecycle.PUSHED_SESSIONS, _after(_patch_all_periods))])

profile("charge_evse_status_patch_silent", "The CPO PUTs its Location the first time an eMSP hears of it, but never "
        "pushes the EVSE's status changes after that.", roles=("CPO",),
        trips=("ocpi.locations.evse_status_pushed",),
        replaces=[replace(lifecycle.PUSHED_LOCATIONS, _after(_evse_patch_silent))])

profile("reservation_session_left_open", "A canceled reservation frees its EVSE but leaves its Session with status "
        "RESERVATION.", roles=("CPO",), trips=("ocpi.sessions.reservation_session",),
        replaces=[set_to(lifecycle.RESERVATION_ENDED_STATUS, None)])
