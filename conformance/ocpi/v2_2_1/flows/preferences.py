"""Flows for charging preferences at a CPO under test (mod_sessions_set_charging_preferences).

roamcert, as eMSP, sends its driver's ChargingPreferences for an ongoing Session of one of its Tokens
(conformance/ocpi/v2_2_1/flows/ongoing.py) at an EVSE that takes them (CHARGING_PREFERENCES_CAPABLE): a plain REGULAR
request, then each smart-charging ProfileType, which the CPO may only accept where the Connector offers a Tariff
for it; an invalid body, a Session the CPO does not know, and a Session at an EVSE that does not take
preferences.
"""

from __future__ import annotations

import secrets
from datetime import UTC, timedelta
from typing import Any
from urllib.parse import quote

from conformance.core.errors import SetupFailed
from conformance.core.exchange import Exchange
from conformance.ocpi.context import Context
from conformance.ocpi.expect import Expect
from conformance.ocpi.types import format_datetime
from conformance.ocpi.v2_2_1.checks import preferences as pc
from conformance.ocpi.v2_2_1.flows.http import data_of, join, send
from conformance.ocpi.v2_2_1.flows.ongoing import Ongoing, ongoing_session
from conformance.ocpi.v2_2_1.flows.pull import SenderPull, sender_url

__all__ = ["CAPABILITY", "capable_session", "incapable_session", "invalid_preferences", "profile_types",
           "regular_preferences", "unknown_session"]

CAPABILITY = pc.CAPABILITY
_OK = frozenset({1000})


def capable_session(ctx: Context) -> Ongoing:
    return ongoing_session(ctx, capable=CAPABILITY)


def incapable_session(ctx: Context) -> Ongoing:
    return ongoing_session(ctx, lacking=CAPABILITY)


def _preferences(ctx: Context, profile_type: str) -> dict[str, Any]:
    """The driver leaves in four hours and wants 12.5 kWh by then."""
    now = ctx.partner.clock().astimezone(UTC).replace(microsecond=0)
    return {"profile_type": profile_type, "departure_time": format_datetime(now + timedelta(hours=4)),
            "energy_need": 12.5, "discharge_allowed": False}


def _put(ctx: Context, session_id: str, body: Any, expect: Expect) -> Exchange:
    url = join(sender_url(ctx.conn, "sessions"), quote(session_id, safe=""), "charging_preferences")
    return send(ctx, "PUT", url, expect, token=ctx.conn.token, json_body=body)


def _send(ctx: Context, session: Ongoing, profile_type: str) -> Exchange:
    return _put(ctx, session.id, _preferences(ctx, profile_type),
                Expect(schema="ChargingPreferencesResponse", status_codes=_OK))


def regular_preferences(ctx: Context, session: Ongoing) -> None:
    x = _send(ctx, session, "REGULAR")
    ctx.case.evaluate(pc.answer, pc.PreferencesAnswers((("REGULAR", x),)))


def _tariff_types(ctx: Context, session: Ongoing) -> dict[str, str]:
    """The Tariffs the session's Connector names, by id, with their type (REGULAR when they give none)."""
    ids = [i for i in (session.connector or {}).get("tariff_ids") or [] if isinstance(i, str)]
    if session.connector is None:
        raise SetupFailed(f"the CPO's Location does not describe connector {session.session.get('connector_id')}")
    if ctx.conn.endpoint("tariffs", "SENDER") is None:
        return {i: "(no Tariffs interface)" for i in ids}
    items, _, _ = SenderPull(ctx, module="tariffs", schema="Tariff").traverse()
    types = {str(t.get("id")).upper(): str(t.get("type") or "REGULAR") for t in items if isinstance(t, dict)}
    return {i: types.get(i.upper(), "(not served)") for i in ids}


def profile_types(ctx: Context, session: Ongoing) -> None:
    """Preferences of every ProfileType; each one ACCEPTED needs a Tariff of that type at the Connector."""
    answers = tuple((kind, _send(ctx, session, kind))
                    for kind in ("CHEAP", "FAST", "GREEN", "REGULAR"))
    ctx.case.evaluate(pc.answer, pc.PreferencesAnswers(answers))
    # the Tariffs are only pulled when an answer was ACCEPTED: only then do they matter
    accepted = any(data_of(x) == "ACCEPTED" for _, x in answers)
    tariffs = _tariff_types(ctx, session) if accepted else {}
    ctx.case.evaluate(pc.tariff, pc.TariffsOffered(answers, tariffs))


def invalid_preferences(ctx: Context, session: Ongoing) -> None:
    body = {**_preferences(ctx, "REGULAR"), "profile_type": "TURBO", "energy_need": "lots"}
    x = _put(ctx, session.id, body, Expect(status_codes=frozenset({2001}), resource_exists=True))
    ctx.case.evaluate(pc.invalid, pc.PreferencesAnswer(x))


def unknown_session(ctx: Context) -> None:
    session_id = f"RC-NO-SUCH-SESSION-{secrets.token_hex(4).upper()}"
    x = _put(ctx, session_id, _preferences(ctx, "REGULAR"),
             Expect(resource_exists=False))
    ctx.case.evaluate(pc.unknown_session, pc.PreferencesAnswer(x))


def not_capable(ctx: Context, session: Ongoing) -> None:
    x = _put(ctx, session.id, _preferences(ctx, "REGULAR"), Expect())
    ctx.case.evaluate(pc.not_capable, pc.PreferencesAnswer(x, evse_uid=str(session.session.get("evse_uid"))))
