"""Checks of the ChargingProfiles module (mod_charging_profiles): a CPO as Receiver (its answers, the results it
POSTs to roamcert's response_url, the ActiveChargingProfile updates it PUTs to roamcert's Sender interface) and a
Sender (an SCSP or an eMSP) under test (its requests to roamcert's CPO and how it takes results and updates).
Each is concluded by a flow (conformance/flows/chargingprofiles.py, chargingprofiles_sender.py)."""

from __future__ import annotations

from conformance.checks.registry import declare

CP = "mod_charging_profiles"

ACTIVE_RESULT = declare("ocpi.chargingprofiles.active_profile_result", requirements=["OCPI-2.2.1-CP-R-01"],
                        spec=f"{CP}#{CP}_cpo_get_method",
                        title="A GET of the ActiveChargingProfile is ACCEPTED and an ActiveChargingProfileResult, "
                              "with the profile when ACCEPTED, is POSTed to the response_url")
SET_RESULT = declare("ocpi.chargingprofiles.set_result", requirements=["OCPI-2.2.1-CP-R-02"],
                     spec=f"{CP}#{CP}_cpo_put_method",
                     title="A SetChargingProfile is ACCEPTED and a ChargingProfileResult is POSTed to its "
                           "response_url")
CLEAR_RESULT = declare("ocpi.chargingprofiles.clear_result", requirements=["OCPI-2.2.1-CP-R-03"],
                       spec=f"{CP}#{CP}_cpo_delete_method",
                       title="A DELETE of the ChargingProfile is ACCEPTED and a ClearProfileResult is POSTed to "
                             "the response_url")
UNKNOWN_SESSION = declare("ocpi.chargingprofiles.unknown_session", requirements=["OCPI-2.2.1-CP-R-04"],
                          spec=f"{CP}#{CP}_responsetype_enum",
                          title="A request about a Session the CPO does not know is answered UNKNOWN_SESSION and "
                                "no result follows")
INVALID_REFUSED = declare("ocpi.chargingprofiles.invalid_refused", requirements=["OCPI-2.2.1-CP-R-05"],
                          spec=f"{CP}#{CP}_set_charging_profile_object",
                          title="A body that is not a valid SetChargingProfile is refused with 2001 and no result "
                                "follows")
PUSH_ON_CHANGE = declare("ocpi.chargingprofiles.push_on_change",
                         requirements=["OCPI-2.2.1-CP-R-06", "OCPI-2.2.1-CP-R-07", "OCPI-2.2.1-CP-R-08",
                                       "OCPI-2.2.1-CP-R-09"],
                         spec=f"{CP}#{CP}_msp_put_method",
                         title="When the ActiveChargingProfile of a Session roamcert set a profile on changes "
                               "without roamcert asking, the CPO PUTs the new ActiveChargingProfile to roamcert")
NO_PUSH_WITHOUT_PROFILE = declare("ocpi.chargingprofiles.no_push_without_profile",
                                  requirements=["OCPI-2.2.1-CP-R-10"], spec=f"{CP}#{CP}_msp_put_method",
                                  title="No ActiveChargingProfile is PUT to roamcert for a Session it never set a "
                                        "profile on")
PUSH_DURATION = declare("ocpi.chargingprofiles.push_duration", requirements=["OCPI-2.2.1-CP-R-11"],
                        spec=f"{CP}#{CP}_msp_put_method",
                        title="A pushed ActiveChargingProfile covers a useful time: at least 5 minutes when it "
                              "states a duration")
CLEARED_MAX_CAPACITY = declare("ocpi.chargingprofiles.cleared_max_capacity", requirements=["OCPI-2.2.1-CP-R-12"],
                               spec=f"{CP}#{CP}_cpo_put_request_body",
                               title="With its profile cleared, a Session's ActiveChargingProfile shows the "
                                     "EVSE's maximum capacity")

SENDER_SET_REQUEST = declare("ocpi.chargingprofiles.sender_set_request", requirements=["OCPI-2.2.1-CP-S-01"],
                             spec=f"{CP}#{CP}_set_charging_profile_object",
                             title="The Sender's PUT carries a valid SetChargingProfile with an absolute "
                                   "response_url")
SENDER_GET_REQUEST = declare("ocpi.chargingprofiles.sender_get_request", requirements=["OCPI-2.2.1-CP-S-02"],
                             spec=f"{CP}#{CP}_msp_get_request_parameters",
                             title="The Sender's GET of the ActiveChargingProfile carries a duration and an "
                                   "absolute response_url")
SENDER_CLEAR_REQUEST = declare("ocpi.chargingprofiles.sender_clear_request", requirements=["OCPI-2.2.1-CP-S-03"],
                               spec=f"{CP}#{CP}_msp_delete_request_parameters",
                               title="The Sender's DELETE carries an absolute response_url")
SENDER_RESULT_ACK = declare("ocpi.chargingprofiles.sender_result_ack", requirements=["OCPI-2.2.1-CP-S-04"],
                            spec=f"{CP}#{CP}_msp_post_method",
                            title="The Sender takes the result POSTed to its response_url: status 1000, no data")
SENDER_ACTIVE_ACK = declare("ocpi.chargingprofiles.sender_active_profile_ack", requirements=["OCPI-2.2.1-CP-S-05"],
                            spec=f"{CP}#{CP}_msp_put_method",
                            title="The Sender takes an ActiveChargingProfile PUT on its interface: status 1000, "
                                  "no data")
