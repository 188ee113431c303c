"""Checks of charging preferences (mod_sessions_set_charging_preferences): a CPO under test as Sessions Sender
takes the driver's ChargingPreferences for an ongoing Session from roamcert's eMSP. Concluded by
conformance/ocpi/v2_2_1/flows/preferences.py."""

from __future__ import annotations

from conformance.ocpi.v2_2_1.checks._registrar import declare

SES = "mod_sessions"

ANSWER = declare("ocpi.sessions.preferences_answer")
TARIFF = declare("ocpi.sessions.preferences_tariff")
INVALID = declare("ocpi.sessions.preferences_invalid")
UNKNOWN_SESSION = declare("ocpi.sessions.preferences_unknown_session")
NOT_CAPABLE = declare("ocpi.sessions.preferences_not_capable")
