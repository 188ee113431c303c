"""The fault flags of the reference partners that are not yet behaviours (simulators/behaviours.py).

Being replaced: each flag read by an ``if`` in a handler becomes a Behaviour of its module, and the profile that
set it a replacement of that behaviour. A profile that still needs flags names them (``legacy=Faults(...)``).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

__all__ = ["LEGACY", "Faults", "legacy_faults"]


@dataclass(frozen=True)
class Faults:
    # transport
    echo_request_id: bool = True
    echo_correlation_id: bool = True
    envelope_timestamp: bool = True
    error_without_envelope: bool = False
    error_with_success_code: bool = False
    versions_relative_url: bool = False
    details_relative_urls: bool = False
    # CDR prices (the reference CPO prices its CDRs with the reference tariff engine)
    cdr_switches: tuple[str, ...] = ()  # tariff interpretation switches (other than the spec's) it prices with
    cdr_periods_unsplit: bool = False  # charging periods run on past price changes (no new period there)
    # sessions/cdrs/tariffs senders (applied to what the reference CPO serves: simulators/ocpi/v2_2_1/sender_faults.py)
    served_session_without_end: bool = False  # a COMPLETED Session lacks end_date_time
    served_session_periods_reversed: bool = False  # a Session's charging periods in reverse time order
    served_session_location_unknown: bool = False  # an ACTIVE Session names a Location the CPO does not serve
    served_cdr_energy_delta: float = 0.0  # added to one CDR's total_energy
    served_cdr_unknown_session: bool = False  # a CDR's session_id names no served Session
    served_cdr_evse_unknown: bool = False  # a CDR at a served Location names an EVSE it does not have
    served_credit_without_reference: bool = False  # the Credit CDR lacks credit_reference_id
    served_cdr_session_only_dimension: bool = False  # a CDR charging period carries STATE_OF_CHARGE
    served_tariff_min_above_max: bool = False  # a Tariff's min_price exceeds its max_price
    served_tariff_withheld: bool = False  # a Tariff that Connectors name is left out of the Tariffs list
    # authentication
    accept_plain_token: bool = False
    accept_missing_token: bool = False
    accept_token_a_everywhere: bool = False
    accept_unknown_token: bool = False
    keep_old_token_after_update: bool = False
    # credentials
    allow_second_post: bool = False
    ignore_versions_failure: bool = False
    ignore_version_mismatch: bool = False
    wrong_registration_error_codes: bool = False
    return_token_a_as_c: bool = False
    callback_with_token_a: bool = False
    issue_broken_token: bool = False
    issue_long_token: bool = False
    credentials_wrong_role: bool = False
    unregistered_methods_ok: bool = False
    delete_keeps_token: bool = False
    # receiver behaviour
    # tokens
    # commands (both sides)
    command_reserve_status_unchanged: bool = False  # a reservation leaves the EVSE's status as it was (not RESERVED)
    command_result_after_refusal: bool = False  # a CommandResult is POSTed also after an answer other than ACCEPTED
    command_silence_reported_failed: bool = False  # a Charge Point that never answers is reported FAILED, not TIMEOUT
    command_stop_session_own_key: bool = False  # the eMSP's StopSession names the Session by a key of its own
    command_timeout: int = 30  # the timeout (seconds) the reference CPO announces in its CommandResponse
    command_result_delay: float = 0.0  # seconds the reference CPO's Charge Point takes before the CommandResult
    command_result_never_sent: bool = False  # no CommandResult is ever POSTed to the response_url
    command_response_without_timeout: bool = False  # the CommandResponse lacks its timeout
    command_invalid_body_accepted: bool = False  # a body that is not the command's object is ACCEPTED
    command_token_checked: bool = False  # START_SESSION/RESERVE_NOW with a Token never pushed are REJECTED
    command_token_authorized: bool = False  # the CPO asks the eMSP in real time about a command's Token
    command_session_token_altered: bool = False  # the Session of a START_SESSION carries another contract_id
    command_start_without_session: bool = False  # START_SESSION answers ACCEPTED but no charge starts
    command_stop_ignored: bool = False  # STOP_SESSION answers ACCEPTED but the charge goes on
    command_unknown_session_accepted: bool = False  # STOP_SESSION of an unknown Session is ACCEPTED
    command_cancel_ignored: bool = False  # CANCEL_RESERVATION answers ACCEPTED but the reservation stays
    command_unknown_reservation_accepted: bool = False  # canceling an unknown reservation results in ACCEPTED
    command_unknown_location_accepted: bool = False  # a command at an unknown Location is ACCEPTED, then FAILED
    command_response_url_relative: bool = False  # the reference eMSP sends only the path of its response_url
    command_response_url_shared: bool = False  # one response_url for every command the eMSP sends
    command_results_refused: tuple[str, ...] = ()  # CommandResult values the eMSP's response_url answers 2001
    command_response_url_single_use: bool = False  # a second CommandResult on one response_url is refused
    command_start_without_token: bool = False  # the eMSP's StartSession lacks the token
    command_foreign_token: bool = False  # the eMSP's StartSession/ReserveNow use a Token of another eMSP
    # charging profiles, charging preferences, hub client info
    profile_results_not_sent: bool = False  # the CPO answers ACCEPTED but never POSTs the result
    profile_active_result_without_profile: bool = False  # an ACCEPTED ActiveChargingProfileResult lacks profile
    profile_unknown_session_accepted: bool = False  # a request for an unknown Session is ACCEPTED
    profile_invalid_accepted: bool = False  # a SetChargingProfile breaking the schema is ACCEPTED
    profile_change_not_pushed: bool = False  # a local change of the ActiveChargingProfile is not sent to Senders
    profile_pushed_to_all: bool = False  # changes go to every Sender, also those that never set a profile
    profile_push_seconds: int = 900  # duration of a pushed ActiveChargingProfile
    profile_clear_ignored: bool = False  # a clear is ACCEPTED but the profile stays active
    profile_clear_without_result: bool = False  # a clear is ACCEPTED but no ClearProfileResult follows
    profile_relative_response_url: bool = False  # as Sender: response_url given without scheme and host
    profile_get_without_duration: bool = False  # as Sender: the GET of the ActiveChargingProfile lacks duration
    profile_result_ack_with_data: bool = False  # as Sender: results are acknowledged with a data field
    profile_active_refused: bool = False  # as Sender: an ActiveChargingProfile PUT is answered 2001
    preferences_any_profile: bool = False  # every ProfileType is accepted, with a Tariff for it or not
    preferences_answer_wrapped: bool = False  # the answer is {"response": ...} instead of the enum value
    preferences_invalid_accepted: bool = False
    preferences_unknown_session_accepted: bool = False
    preferences_capability_ignored: bool = False  # EVSEs without CHARGING_PREFERENCES_CAPABLE take preferences
    # charging lifecycle (sessions started at the charger, pushes, whitelist)
    charger_refuses_invalid_unasked: bool = False  # an invalid Token is refused without the real-time request due
    charger_offline_whitelisted: bool = False  # ALLOWED_OFFLINE Tokens charge on the whitelist without asking the eMSP
    charger_refuses_offline: bool = False  # with no response from the eMSP, ALLOWED_OFFLINE Tokens are refused
    charger_ignores_valid: bool = False  # the charger lets an invalid pushed Token charge on its whitelist
    charger_never_asks: bool = False  # the charger never asks the eMSP in real time (whitelists every Token)
    charger_always_asks: bool = False  # the charger asks the eMSP in real time even for ALWAYS Tokens
    charger_asks_without_location: bool = False  # real-time requests name no Location (no LocationReferences)
    charger_drops_reference: bool = False  # a charge authorized in real time starts without its authorization_reference
    charger_ignores_answer: bool = False  # the charger starts the charge whatever the eMSP answered in real time
    charge_session_evse_id: bool = False  # pushed Sessions name the EVSE by its evse_id instead of its uid
    charge_evse_status_silent: bool = False  # the EVSE status changes of a charge are not pushed
    charge_session_left_active: bool = False  # the PATCH completing a Session is never sent
    charge_cdr_session_unknown: bool = False  # the CDR of a charge names a session_id other than its Session's
    charge_cdr_energy_rounded: bool = False  # the CDR of a charge bills whole kWh: total_energy rounded up
    charge_cdr_energy_cost_dropped: bool = False  # the CDR of a charge leaves its energy cost out of total_cost
    # requirement inventory (checks added for MUST statements of the existing modules)
    push_put_partial: bool = False  # the EVSE status changes are PUT with only status and last_updated
    push_owner_mismatch: bool = False  # Locations are pushed under a party_id in the URL other than their own
    push_patch_without_last_updated: bool = False  # the EVSE status PATCHes carry no last_updated
    charge_session_start_at_plug_in: bool = False  # the Session is created at plug-in, a minute before it is
    # pushed PENDING, and its start_date_time is not moved when it goes ACTIVE
    charge_session_patch_all_periods: bool = False  # the Session PATCHes repeat every charging period so far
    charge_evse_status_patch_silent: bool = False  # the Location is PUT once, its EVSE status changes never after
    reservation_session_left_open: bool = False  # a reservation canceled leaves its Session RESERVATION
    custom_status_codes: bool = False  # error status codes moved into the custom ranges (2003 -> 2903)
    invalid_json_status: int = 400  # HTTP status answering a request body that is not JSON
    routing_headers_on_configuration: bool = False  # versions/credentials answers carry OCPI-from/to headers
    served_cdr_duplicate_id: bool = False  # a served CDR takes the id of another CDR of the same CPO
    # sessions/tariffs/cdrs receivers
    # as a client (when the reference registers with a partner)
    client_plain_token: bool = False
    client_no_request_ids: bool = False
    client_no_content_type: bool = False
    client_token_b_unusable: bool = False


#: profile name -> the flags it sets (profiles not yet made of behaviours only).
LEGACY: dict[str, Faults] = {}


def legacy_faults(names: str) -> Faults:
    """The flags of one profile, or of several joined by '+' (each flag a profile changes is kept)."""
    merged = Faults()
    default = Faults()
    for name in names.split("+"):
        changed = LEGACY.get(name.strip(), default)
        merged = replace(merged, **{f.name: getattr(changed, f.name) for f in fields(Faults)
                                    if getattr(changed, f.name) != getattr(default, f.name)})
    return merged
