"""OCPI 2.2.1 fault profiles: ChargingProfiles and charging preferences.
Each replaces behaviours of the reference platforms (simulators/behaviours.py)."""

from __future__ import annotations

from simulators.ocpi.faults import Faults
from simulators.ocpi.v2_2_1.profiles._register import profile

profile("charging_profile_results_not_sent", "The CPO ACCEPTs charging profile requests but never POSTs their "
        "results.", roles=("CPO",), trips=("ocpi.chargingprofiles.active_profile_result",
                                          "ocpi.chargingprofiles.set_result"),
                                          legacy=Faults(profile_results_not_sent=True))

profile("active_profile_result_without_profile", "An ACCEPTED ActiveChargingProfileResult carries no profile.",
        roles=("CPO",), trips=("ocpi.chargingprofiles.active_profile_result",),
        legacy=Faults(profile_active_result_without_profile=True))

profile("charging_profile_clear_ignored", "Clearing a charging profile is ACCEPTED but the profile stays active.",
        roles=("CPO",), trips=("ocpi.chargingprofiles.cleared_max_capacity",),
        legacy=Faults(profile_clear_ignored=True))

profile("charging_profile_unknown_session_accepted", "A charging profile for an unknown Session is ACCEPTED.",
        roles=("CPO",), trips=("ocpi.chargingprofiles.unknown_session",),
        legacy=Faults(profile_unknown_session_accepted=True))

profile("charging_profile_invalid_accepted", "A body breaking the SetChargingProfile schema is ACCEPTED.",
        roles=("CPO",), trips=("ocpi.chargingprofiles.invalid_refused", "ocpi.status.expected"),
        legacy=Faults(profile_invalid_accepted=True))

profile("active_profile_change_not_pushed", "A local change of a Session's ActiveChargingProfile is not sent to "
        "the Senders that set a profile on it.", roles=("CPO",), trips=("ocpi.chargingprofiles.push_on_change",),
        legacy=Faults(profile_change_not_pushed=True))

profile("active_profile_pushed_to_all", "Changes of an ActiveChargingProfile go to every Sender, also those "
        "that never set a profile on the Session.", roles=("CPO",),
        trips=("ocpi.chargingprofiles.no_push_without_profile",), legacy=Faults(profile_pushed_to_all=True))

profile("active_profile_push_too_short", "A pushed ActiveChargingProfile covers one minute only.", roles=("CPO",),
        trips=("ocpi.chargingprofiles.push_duration",), legacy=Faults(profile_push_seconds=60))

profile("charging_profile_relative_response_url", "The Sender's response_url has no scheme and host.",
        roles=("SCSP",), trips=("ocpi.chargingprofiles.sender_set_request",
                                "ocpi.chargingprofiles.sender_get_request",
                                "ocpi.chargingprofiles.sender_clear_request"),
                                legacy=Faults(profile_relative_response_url=True))

profile("active_profile_get_without_duration", "The Sender asks for the ActiveChargingProfile without a duration.",
        roles=("SCSP",), trips=("ocpi.chargingprofiles.sender_get_request",),
        legacy=Faults(profile_get_without_duration=True))

profile("charging_profile_result_ack_with_data", "The Sender answers the results POSTed to its response_url "
        "with a data field.", roles=("SCSP",), trips=("ocpi.chargingprofiles.sender_result_ack",),
        legacy=Faults(profile_result_ack_with_data=True))

profile("active_profile_refused", "The Sender answers an ActiveChargingProfile PUT with 2001.", roles=("SCSP",),
        trips=("ocpi.chargingprofiles.sender_active_profile_ack", "ocpi.status.expected"),
        legacy=Faults(profile_active_refused=True))

profile("preferences_any_profile_accepted", "Charging preferences of every ProfileType are ACCEPTED, with a Tariff "
        "for it at the Connector or not.", roles=("CPO",), trips=("ocpi.sessions.preferences_tariff",),
        legacy=Faults(preferences_any_profile=True))

profile("preferences_answer_wrapped", "The ChargingPreferencesResponse comes wrapped in an object.", roles=("CPO",),
        trips=("ocpi.sessions.preferences_answer", "ocpi.schema.data"), legacy=Faults(preferences_answer_wrapped=True))

profile("preferences_invalid_accepted", "Charging preferences breaking the schema are ACCEPTED.", roles=("CPO",),
        trips=("ocpi.sessions.preferences_invalid", "ocpi.status.expected"),
        legacy=Faults(preferences_invalid_accepted=True))

profile("preferences_unknown_session_accepted", "Charging preferences for an unknown Session are ACCEPTED.",
        roles=("CPO",), trips=("ocpi.sessions.preferences_unknown_session", "ocpi.status.unknown_object"),
        legacy=Faults(preferences_unknown_session_accepted=True))

profile("preferences_capability_ignored", "EVSEs without CHARGING_PREFERENCES_CAPABLE take charging preferences.",
        roles=("CPO",), trips=("ocpi.sessions.preferences_not_capable",),
        legacy=Faults(preferences_capability_ignored=True))

profile("charging_profile_clear_without_result", "Clearing a charging profile is ACCEPTED but no ClearProfileResult "
        "is POSTed.", roles=("CPO",), trips=("ocpi.chargingprofiles.clear_result",),
        legacy=Faults(profile_clear_without_result=True))
