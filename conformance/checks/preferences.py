"""Checks of charging preferences (mod_sessions_set_charging_preferences): a CPO under test as Sessions Sender
takes the driver's ChargingPreferences for an ongoing Session from roamcert's eMSP. Concluded by
conformance/flows/preferences.py."""

from __future__ import annotations

from conformance.checks.registry import declare
from conformance.findings import Severity

SES = "mod_sessions"

ANSWER = declare("ocpi.sessions.preferences_answer", requirements=["OCPI-2.2.1-SES-PREF-01"],
                 spec=f"{SES}#{SES}_cpo_put_method",
                 title="Charging preferences for an ongoing Session are answered with 1000 and a "
                       "ChargingPreferencesResponse value")
TARIFF = declare("ocpi.sessions.preferences_tariff", requirements=["OCPI-2.2.1-SES-PREF-02"],
                 spec=f"{SES}#{SES}_charging_preferences_object",
                 title="A ProfileType is accepted only at a Connector that offers a Tariff for it")
INVALID = declare("ocpi.sessions.preferences_invalid", requirements=["OCPI-2.2.1-SES-PREF-03"],
                  spec=f"{SES}#{SES}_cpo_post_request_body",
                  title="A body that is not a valid ChargingPreferences object is refused with 2001")
UNKNOWN_SESSION = declare("ocpi.sessions.preferences_unknown_session", requirements=["OCPI-2.2.1-SES-PREF-04"],
                          spec=f"{SES}#{SES}_cpo_post_request_parameters",
                          title="Charging preferences for a Session the CPO does not know are not accepted")
NOT_CAPABLE = declare("ocpi.sessions.preferences_not_capable", requirements=["OCPI-2.2.1-SES-PREF-05"],
                      spec=f"{SES}#{SES}_charging_preferences_response_enum", severity=Severity.RECOMMENDED,
                      title="Charging preferences at an EVSE without CHARGING_PREFERENCES_CAPABLE are answered "
                            "HTTP 404 with 2001")
