"""OCPI 2.2.1 fault profiles: ChargingProfiles and charging preferences.
Each replaces behaviours of the reference platforms (simulators/behaviours.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from simulators.behaviours import replace, set_to
from simulators.ocpi.endpoint import Call, OcpiError, Reply
from simulators.ocpi.party import Party, Peer
from simulators.ocpi.v2_2_1 import chargingprofiles_receiver as receiver
from simulators.ocpi.v2_2_1 import chargingprofiles_sender as sender
from simulators.ocpi.v2_2_1 import sessions_preferences as preferences
from simulators.ocpi.v2_2_1.ongoing import Place
from simulators.ocpi.v2_2_1.profiles._register import profile

# -- the CPO's Receiver interface (chargingprofiles_receiver) -------------------------------------------------------


def _unknown_session_accepted(judge: receiver.Judge) -> receiver.Judge:
    return lambda call, session: "ACCEPTED" if session is None else judge(call, session)


def _invalid_accepted(check: receiver.CheckSet) -> receiver.CheckSet:
    def unchecked(body: Any, problems: list[str]) -> None:
        if not problems:  # a body breaking the schema goes through; only a valid one is checked
            check(body, problems)

    return unchecked


def _kept(profiles: dict[str, dict[str, Any]], key: str) -> bool:
    return key in profiles  # the profile stays; the clear is reported done all the same


def _not_posted(call: Call, url: str, schema: str, result: dict[str, Any]) -> None:
    return None


def _without(schema: str) -> Callable[[receiver.PostResult], receiver.PostResult]:
    """No ``schema`` result is POSTed."""

    def replacement(post: receiver.PostResult) -> receiver.PostResult:
        def posted(call: Call, url: str, name: str, result: dict[str, Any]) -> None:
            if name != schema:
                post(call, url, name, result)

        return posted

    return replacement


def _without_profile(post: receiver.PostResult) -> receiver.PostResult:
    def posted(call: Call, url: str, schema: str, result: dict[str, Any]) -> None:
        post(call, url, schema, {k: v for k, v in result.items() if k != "profile"})

    return posted


def _nobody(party: Party, session: dict[str, Any]) -> list[Peer]:
    return []


def _everybody(party: Party, session: dict[str, Any]) -> list[Peer]:
    return list({id(p): p for p in party.peers.values()}.values())  # one platform may hold several roles


# -- the Sender interface (chargingprofiles_sender) ---------------------------------------------------------------

def _relative(response_url: sender.ResponseUrl) -> sender.ResponseUrl:
    return lambda party, request_id: response_url(party, request_id).removeprefix(party.base_url)


def _no_duration(duration: str) -> dict[str, str | int]:
    return {}


def _results_with_data(acknowledge: sender.Acknowledge) -> sender.Acknowledge:
    def with_data(schema: str, body: Any) -> Reply:
        reply = acknowledge(schema, body)
        return Reply(data={"received": schema}) if schema in sender.RESULT_SCHEMAS.values() else reply

    return with_data


def _active_profile_refused(acknowledge: sender.Acknowledge) -> sender.Acknowledge:
    def refused(schema: str, body: Any) -> Reply:
        reply = acknowledge(schema, body)  # an invalid one is refused for what is wrong with it
        if schema == "ActiveChargingProfile":
            raise OcpiError(2001, "Invalid ActiveChargingProfile: refused", 400)
        return reply

    return refused


# -- charging preferences (sessions_preferences) -----------------------------------------------------------------

def _without_refusal(refusal: preferences.Refusal,
                     ) -> Callable[[tuple[preferences.Refusal, ...]], tuple[preferences.Refusal, ...]]:
    return lambda refusals: tuple(r for r in refusals if r is not refusal)


def _any_profile(party: Party, place: Place, profile_type: str) -> bool:
    return True


profile("charging_profile_results_not_sent", "The CPO ACCEPTs charging profile requests but never POSTs their "
        "results.", roles=("CPO",), trips=("ocpi.chargingprofiles.active_profile_result",
                                          "ocpi.chargingprofiles.set_result"),
        replaces=[set_to(receiver.POST_RESULT, _not_posted)])

profile("active_profile_result_without_profile", "An ACCEPTED ActiveChargingProfileResult carries no profile.",
        roles=("CPO",), trips=("ocpi.chargingprofiles.active_profile_result",),
        replaces=[replace(receiver.POST_RESULT, _without_profile)])

profile("charging_profile_clear_ignored", "Clearing a charging profile is ACCEPTED but the profile stays active.",
        roles=("CPO",), trips=("ocpi.chargingprofiles.cleared_max_capacity",),
        replaces=[set_to(receiver.CLEAR, _kept)])

profile("charging_profile_unknown_session_accepted", "A charging profile for an unknown Session is ACCEPTED.",
        roles=("CPO",), trips=("ocpi.chargingprofiles.unknown_session",),
        replaces=[replace(receiver.JUDGE, _unknown_session_accepted)])

profile("charging_profile_invalid_accepted", "A body breaking the SetChargingProfile schema is ACCEPTED.",
        roles=("CPO",), trips=("ocpi.chargingprofiles.invalid_refused", "ocpi.status.expected"),
        replaces=[replace(receiver.CHECK_SET, _invalid_accepted)])

profile("active_profile_change_not_pushed", "A local change of a Session's ActiveChargingProfile is not sent to "
        "the Senders that set a profile on it.", roles=("CPO",), trips=("ocpi.chargingprofiles.push_on_change",),
        replaces=[set_to(receiver.RECIPIENTS, _nobody)])

profile("active_profile_pushed_to_all", "Changes of an ActiveChargingProfile go to every Sender, also those "
        "that never set a profile on the Session.", roles=("CPO",),
        trips=("ocpi.chargingprofiles.no_push_without_profile",), replaces=[set_to(receiver.RECIPIENTS, _everybody)])

profile("active_profile_push_too_short", "A pushed ActiveChargingProfile covers one minute only.", roles=("CPO",),
        trips=("ocpi.chargingprofiles.push_duration",), replaces=[set_to(receiver.PUSH_DURATION, 60)])

profile("charging_profile_relative_response_url", "The Sender's response_url has no scheme and host.",
        roles=("SCSP",), trips=("ocpi.chargingprofiles.sender_set_request",
                                "ocpi.chargingprofiles.sender_get_request",
                                "ocpi.chargingprofiles.sender_clear_request"),
        replaces=[replace(sender.RESPONSE_URL, _relative)])

profile("active_profile_get_without_duration", "The Sender asks for the ActiveChargingProfile without a duration.",
        roles=("SCSP",), trips=("ocpi.chargingprofiles.sender_get_request",),
        replaces=[set_to(sender.GET_QUERY, _no_duration)])

profile("charging_profile_result_ack_with_data", "The Sender answers the results POSTed to its response_url "
        "with a data field.", roles=("SCSP",), trips=("ocpi.chargingprofiles.sender_result_ack",),
        replaces=[replace(sender.ACKNOWLEDGE, _results_with_data)])

profile("active_profile_refused", "The Sender answers an ActiveChargingProfile PUT with 2001.", roles=("SCSP",),
        trips=("ocpi.chargingprofiles.sender_active_profile_ack", "ocpi.status.expected"),
        replaces=[replace(sender.ACKNOWLEDGE, _active_profile_refused)])

profile("preferences_any_profile_accepted", "Charging preferences of every ProfileType are ACCEPTED, with a Tariff "
        "for it at the Connector or not.", roles=("CPO",), trips=("ocpi.sessions.preferences_tariff",),
        replaces=[set_to(preferences.SUPPORTED, _any_profile)])

profile("preferences_answer_wrapped", "The ChargingPreferencesResponse comes wrapped in an object.", roles=("CPO",),
        trips=("ocpi.sessions.preferences_answer", "ocpi.schema.data"),
        replaces=[replace(preferences.REPLY, lambda reply: lambda answer: {"response": reply(answer)})])

profile("preferences_invalid_accepted", "Charging preferences breaking the schema are ACCEPTED.", roles=("CPO",),
        trips=("ocpi.sessions.preferences_invalid", "ocpi.status.expected"),
        replaces=[replace(preferences.REFUSALS, _without_refusal(preferences.refuse_invalid))])

profile("preferences_unknown_session_accepted", "Charging preferences for an unknown Session are ACCEPTED.",
        roles=("CPO",), trips=("ocpi.sessions.preferences_unknown_session", "ocpi.status.unknown_object"),
        replaces=[replace(preferences.REFUSALS, _without_refusal(preferences.refuse_unknown_session))])

profile("preferences_capability_ignored", "EVSEs without CHARGING_PREFERENCES_CAPABLE take charging preferences.",
        roles=("CPO",), trips=("ocpi.sessions.preferences_not_capable",),
        replaces=[replace(preferences.REFUSALS, _without_refusal(preferences.refuse_not_capable))])

profile("charging_profile_clear_without_result", "Clearing a charging profile is ACCEPTED but no ClearProfileResult "
        "is POSTed.", roles=("CPO",), trips=("ocpi.chargingprofiles.clear_result",),
        replaces=[replace(receiver.POST_RESULT, _without("ClearProfileResult"))])
