"""Checks of the ChargingProfiles module (mod_charging_profiles): a CPO as Receiver (its answers, the results it
POSTs to roamcert's response_url, the ActiveChargingProfile updates it PUTs to roamcert's Sender interface) and a
Sender (an SCSP or an eMSP) under test (its requests to roamcert's CPO and how it takes results and updates).
Each is concluded by a flow (conformance/ocpi/v2_2_1/flows/chargingprofiles.py, chargingprofiles_sender.py)."""

from __future__ import annotations

from conformance.ocpi.v2_2_1.checks._registrar import declare

CP = "mod_charging_profiles"

ACTIVE_RESULT = declare("ocpi.chargingprofiles.active_profile_result")
SET_RESULT = declare("ocpi.chargingprofiles.set_result")
CLEAR_RESULT = declare("ocpi.chargingprofiles.clear_result")
UNKNOWN_SESSION = declare("ocpi.chargingprofiles.unknown_session")
INVALID_REFUSED = declare("ocpi.chargingprofiles.invalid_refused")
PUSH_ON_CHANGE = declare("ocpi.chargingprofiles.push_on_change")
NO_PUSH_WITHOUT_PROFILE = declare("ocpi.chargingprofiles.no_push_without_profile")
PUSH_DURATION = declare("ocpi.chargingprofiles.push_duration")
CLEARED_MAX_CAPACITY = declare("ocpi.chargingprofiles.cleared_max_capacity")

SENDER_SET_REQUEST = declare("ocpi.chargingprofiles.sender_set_request")
SENDER_GET_REQUEST = declare("ocpi.chargingprofiles.sender_get_request")
SENDER_CLEAR_REQUEST = declare("ocpi.chargingprofiles.sender_clear_request")
SENDER_RESULT_ACK = declare("ocpi.chargingprofiles.sender_result_ack")
SENDER_ACTIVE_ACK = declare("ocpi.chargingprofiles.sender_active_profile_ack")
