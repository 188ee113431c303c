"""Named fault profiles for the reference partners.

A profile is a named factory returning :class:`Faults`; the conformant profile
returns the defaults. Each non-conformant profile states which check ids it is
meant to trip, so the self-test can prove every check fails on its fault.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = ["PROFILES", "Faults", "Profile", "get_profile", "profile"]


@dataclass(frozen=True)
class Faults:
    # transport
    link_header: bool = True
    link_relative: bool = False
    total_count_delta: int = 0
    x_limit_header: bool = True
    ignore_limit: bool = False
    ignore_date_from: bool = False
    date_to_inclusive: bool = False
    echo_request_id: bool = True
    echo_correlation_id: bool = True
    envelope_timestamp: bool = True
    timestamp_with_offset: bool = False
    drop_field: str | None = None  # required Location field removed from served objects
    unknown_id_success: bool = False
    error_without_envelope: bool = False
    error_with_success_code: bool = False
    link_drops_filters: bool = False
    ignore_offset: bool = False
    stale_location_last_updated: bool = False
    object_get_returns_first: bool = False
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
    accept_invalid_push: bool = False
    patch_without_last_updated_ok: bool = False
    no_parent_last_updated: bool = False
    lose_pushed_field: str | None = None
    # tokens
    authorize_valid_refused: bool = False  # the reference eMSP answers BLOCKED for every token
    authorize_without_reference: bool = False  # an ALLOWED AuthorizationInfo lacks authorization_reference
    authorize_ignores_location: bool = False  # LocationReferences neither honoured nor echoed
    authorize_invalid_allowed: bool = False  # an invalid token is answered ALLOWED
    authorize_unknown_allowed: bool = False  # an unknown token is answered ALLOWED with a made-up Token
    token_field_lost: bool = False  # the reference CPO stores pushed Tokens without visual_number
    token_patch_ignored: bool = False  # a Token PATCH is acknowledged but not applied
    token_type_ignored: bool = False  # Tokens are stored by uid only, whatever their type
    token_invalid_accepted: bool = False  # pushed Tokens are not validated
    token_patch_without_last_updated_ok: bool = False
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
    client_info_field_lost: bool = False  # a pushed ClientInfo is stored without its role
    client_info_update_ignored: bool = False  # a ClientInfo once stored is never replaced
    client_info_invalid_accepted: bool = False
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
    session_patch_needs_kwh: bool = False  # (eMSP) a Session PATCH without kwh is refused with 2001
    session_patch_status_ignored: bool = False  # (eMSP) the status a Session PATCH carries is not applied
    emsp_reference_rewritten: bool = False  # (eMSP) Sessions, CDRs kept with an authorization_reference of its own
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
    x_limit_is_count: bool = False  # X-Limit gives the number of objects on the page, not the upper limit
    served_cdr_duplicate_id: bool = False  # a served CDR takes the id of another CDR of the same CPO
    authorize_judges_location_state: bool = False  # real-time authorization refuses at EVSEs pushed as not free
    # sessions/tariffs/cdrs receivers
    session_invalid_accepted: bool = False
    session_patch_without_last_updated_ok: bool = False
    session_patch_ignored: bool = False
    session_periods_dropped: bool = False  # charging_periods are not stored
    session_patch_replaces_periods: bool = False  # charging_periods of a PATCH replace instead of being added
    session_put_merges: bool = False  # a PUT on a stored Session updates it instead of replacing it
    tariff_invalid_accepted: bool = False
    tariff_restrictions_lost: bool = False
    tariff_delete_ignored: bool = False
    cdr_invalid_accepted: bool = False
    cdr_location_header: str = "absolute"  # on a CDR POST: "absolute", "relative" or "none"
    cdr_numbers_rounded: bool = False  # stored CDRs have every number rounded to 2 decimals
    cdr_created_status: int = 201  # HTTP status of a CDR POST that created the CDR
    # as a client (when the reference registers with a partner)
    client_plain_token: bool = False
    client_no_request_ids: bool = False
    client_no_content_type: bool = False
    client_token_b_unusable: bool = False


@dataclass(frozen=True)
class Profile:
    name: str
    description: str
    factory: Callable[[], Faults]
    roles: frozenset[str]  # party roles the profile applies to
    trips: frozenset[str] = field(default_factory=frozenset)  # check ids it must make fail
    shows_in: frozenset[str] = field(default_factory=frozenset)  # modules where a general check it trips fails

    def faults(self) -> Faults:
        return self.factory()


PROFILES: dict[str, Profile] = {}


def profile(
    name: str, description: str, *, roles: tuple[str, ...] = ("CPO", "EMSP"), trips: tuple[str, ...] = (),
    shows_in: tuple[str, ...] = ()
) -> Callable[[Callable[[], Faults]], Callable[[], Faults]]:
    """Register a fault profile; ``shows_in`` names the modules whose scenarios show a fault that trips only
    general checks (ocpi.status.expected, ...) in one module's flows, for the self-test to run."""

    def register(factory: Callable[[], Faults]) -> Callable[[], Faults]:
        if name in PROFILES:
            raise ValueError(f"fault profile {name!r} registered twice")
        PROFILES[name] = Profile(name, description, factory, frozenset(roles), frozenset(trips),
                                 frozenset(shows_in))
        return factory

    return register


def get_profile(name: str) -> Profile:
    try:
        return PROFILES[name]
    except KeyError:
        known = ", ".join(sorted(PROFILES))
        raise KeyError(f"unknown fault profile {name!r}; known profiles: {known}") from None


@profile("conformant", "Behaves as the specification says; passes every scenario.")
def conformant() -> Faults:
    return Faults()


# roamcert's own partner platform: it also accepts unencoded tokens (as the spec's note allows for
# compatibility), so a SUT's encoding mistake is reported by a check instead of breaking the flow.
@profile("lenient_partner", "Conformant, but also accepts credentials tokens sent without Base64 encoding.")
def lenient_partner() -> Faults:
    return Faults(accept_plain_token=True)


@profile("missing_link_header", "Paginated responses never carry a Link header.", roles=("CPO",),
         trips=("ocpi.pagination.link_next",))
def missing_link_header() -> Faults:
    return Faults(link_header=False)


@profile("relative_link_header", "The Link header's next URL is relative, so it cannot be followed as given.",
         roles=("CPO",), trips=("ocpi.pagination.link_next",))
def relative_link_header() -> Faults:
    return Faults(link_relative=True)


@profile("wrong_total_count", "X-Total-Count is two higher than the number of matching objects.", roles=("CPO",),
         trips=("ocpi.pagination.traversal",))
def wrong_total_count() -> Faults:
    return Faults(total_count_delta=2)


@profile("missing_x_limit", "Paginated responses omit the X-Limit header.", roles=("CPO",),
         trips=("ocpi.pagination.headers",))
def missing_x_limit() -> Faults:
    return Faults(x_limit_header=False)


@profile("limit_ignored", "The limit parameter is ignored; the server's maximum is always returned.",
         roles=("CPO", "EMSP"), trips=("ocpi.pagination.limit",))
def limit_ignored() -> Faults:
    return Faults(ignore_limit=True)


@profile("date_from_ignored", "The date_from filter is ignored.", roles=("CPO",),
         trips=("ocpi.pagination.date_filter",))
def date_from_ignored() -> Faults:
    return Faults(ignore_date_from=True)


@profile("date_to_inclusive", "date_to is applied inclusively instead of exclusively.", roles=("CPO",),
         trips=("ocpi.pagination.date_filter",))
def date_to_inclusive() -> Faults:
    return Faults(date_to_inclusive=True)


@profile("no_request_id_echo", "Responses do not echo X-Request-ID.", trips=("ocpi.headers.request_id",))
def no_request_id_echo() -> Faults:
    return Faults(echo_request_id=False)


@profile("no_correlation_id_echo", "Responses do not echo X-Correlation-ID.",
         trips=("ocpi.headers.correlation_id",))
def no_correlation_id_echo() -> Faults:
    return Faults(echo_correlation_id=False)


@profile("envelope_without_timestamp", "The response envelope lacks its timestamp.",
         trips=("ocpi.envelope.shape",))
def envelope_without_timestamp() -> Faults:
    return Faults(envelope_timestamp=False)


# OCPI 2.2.1 allows a DateTime without zone designator (it means UTC); an offset such as +01:00 is not allowed.
@profile("timestamps_with_offset", "DateTime values carry a +01:00 offset instead of being UTC.",
         roles=("CPO",), trips=("ocpi.schema.data",))
def timestamps_with_offset() -> Faults:
    return Faults(timestamp_with_offset=True)


@profile("missing_required_field", "Served Locations lack the required `time_zone` field.", roles=("CPO",),
         trips=("ocpi.schema.data",))
def missing_required_field() -> Faults:
    return Faults(drop_field="time_zone")


@profile("unknown_id_success", "A GET of an unknown Location, EVSE or Connector answers 1000 with no data.",
         trips=("ocpi.status.unknown_object", "ocpi.status.not_found_http"))
def unknown_id_success() -> Faults:
    return Faults(unknown_id_success=True)


@profile("error_without_envelope", "Error responses carry a plain-text body instead of the OCPI envelope.",
         trips=("ocpi.envelope.on_error",))
def error_without_envelope() -> Faults:
    return Faults(error_without_envelope=True)


@profile("plain_token_accepted", "A credentials token sent without Base64 encoding is accepted.",
         trips=("ocpi.auth.base64_token",))
def plain_token_accepted() -> Faults:
    return Faults(accept_plain_token=True)


@profile("missing_token_accepted", "Requests without an Authorization header are served.",
         trips=("ocpi.auth.missing_token",))
def missing_token_accepted() -> Faults:
    return Faults(accept_missing_token=True)


@profile("token_a_accepted_everywhere", "CREDENTIALS_TOKEN_A opens every module, not only versions and "
         "credentials.", trips=("ocpi.auth.token_a_scope",))
def token_a_accepted_everywhere() -> Faults:
    return Faults(accept_token_a_everywhere=True)


@profile("old_token_kept", "After a credentials PUT the previous token still works.",
         trips=("ocpi.credentials.update_rotates_token",))
def old_token_kept() -> Faults:
    return Faults(keep_old_token_after_update=True)


@profile("second_post_accepted", "A second credentials POST from a registered party is accepted.",
         trips=("ocpi.credentials.post_when_registered",))
def second_post_accepted() -> Faults:
    return Faults(allow_second_post=True)


@profile("versions_failure_ignored", "Registration succeeds even when the client's versions URL cannot be read.",
         trips=("ocpi.credentials.client_unreachable", "ocpi.credentials.client_unreachable_code"))
def versions_failure_ignored() -> Faults:
    return Faults(ignore_versions_failure=True)


@profile("invalid_push_accepted", "Pushed Locations that break the schema are stored and acknowledged with 1000.",
         roles=("EMSP",), trips=("ocpi.status.expected", "ocpi.locations.receiver_invalid_not_stored"))
def invalid_push_accepted() -> Faults:
    return Faults(accept_invalid_push=True)


@profile("patch_without_last_updated_accepted", "A PATCH lacking last_updated is applied.", roles=("EMSP",),
         trips=("ocpi.status.expected",))
def patch_without_last_updated_accepted() -> Faults:
    return Faults(patch_without_last_updated_ok=True)


@profile("parent_last_updated_stale", "Pushing an EVSE or Connector leaves the parent's last_updated unchanged.",
         roles=("EMSP",), trips=("ocpi.locations.receiver_parent_last_updated",))
def parent_last_updated_stale() -> Faults:
    return Faults(no_parent_last_updated=True)


@profile("pushed_field_lost", "The receiver drops `directions` from stored Locations.", roles=("EMSP",),
         trips=("ocpi.locations.receiver_stored",))
def pushed_field_lost() -> Faults:
    return Faults(lose_pushed_field="directions")


@profile("client_plain_token", "As a client, sends the credentials token without Base64 encoding.",
         trips=("ocpi.request.authorization",))
def client_plain_token() -> Faults:
    return Faults(client_plain_token=True)


@profile("client_no_request_ids", "As a client, sends no X-Request-ID or X-Correlation-ID.",
         trips=("ocpi.request.ids",))
def client_no_request_ids() -> Faults:
    return Faults(client_no_request_ids=True)


@profile("error_with_success_code", "HTTP error responses carry status_code 1000.", trips=("ocpi.status.consistent",))
def error_with_success_code() -> Faults:
    return Faults(error_with_success_code=True)


@profile("link_drops_filters", "The next Link loses date_from and date_to.", roles=("CPO",),
         trips=("ocpi.pagination.link_filters",))
def link_drops_filters() -> Faults:
    return Faults(link_drops_filters=True)


@profile("offset_ignored", "The offset parameter is ignored; every page starts at the first object.",
         roles=("CPO", "EMSP"), trips=("ocpi.pagination.offset", "ocpi.pagination.traversal"))
def offset_ignored() -> Faults:
    return Faults(ignore_offset=True)


@profile("stale_location_last_updated", "A Location's last_updated is older than its newest EVSE's.",
         roles=("CPO",), trips=("ocpi.locations.last_updated_tree",))
def stale_location_last_updated() -> Faults:
    return Faults(stale_location_last_updated=True)


@profile("object_get_returns_first", "GET of one Location, EVSE or Connector returns the first one regardless "
         "of the id asked for.", roles=("CPO",), trips=("ocpi.locations.sender_object",))
def object_get_returns_first() -> Faults:
    return Faults(object_get_returns_first=True)


@profile("versions_relative_url", "The versions list gives a relative URL for the version it speaks.",
         trips=("ocpi.versions.mutual",))
def versions_relative_url() -> Faults:
    return Faults(versions_relative_url=True)


@profile("details_relative_urls", "The version details give relative endpoint URLs.",
         trips=("ocpi.versions.details",))
def details_relative_urls() -> Faults:
    return Faults(details_relative_urls=True)


@profile("unknown_token_accepted", "Any credentials token is accepted.", trips=("ocpi.auth.unknown_token",))
def unknown_token_accepted() -> Faults:
    return Faults(accept_unknown_token=True)


@profile("version_mismatch_ignored", "Registration succeeds although the client offers no mutual version.",
         trips=("ocpi.credentials.no_mutual_version", "ocpi.credentials.no_mutual_version_code"))
def version_mismatch_ignored() -> Faults:
    return Faults(ignore_version_mismatch=True)


@profile("wrong_registration_error_codes", "Failed registrations are answered with 3000 instead of 3001/3002.",
         trips=("ocpi.credentials.client_unreachable_code", "ocpi.credentials.no_mutual_version_code"))
def wrong_registration_error_codes() -> Faults:
    return Faults(wrong_registration_error_codes=True)


@profile("token_a_returned_as_c", "Registration answers with token A as the new token.",
         trips=("ocpi.credentials.registration",))
def token_a_returned_as_c() -> Faults:
    return Faults(return_token_a_as_c=True)


@profile("callback_with_token_a", "During registration the server reads the client's versions with token A.",
         trips=("ocpi.credentials.callback_with_token_b",))
def callback_with_token_a() -> Faults:
    return Faults(callback_with_token_a=True)


@profile("broken_token_c", "The token C handed out at registration does not open anything.",
         trips=("ocpi.credentials.token_c_works",))
def broken_token_c() -> Faults:
    return Faults(issue_broken_token=True)


@profile("long_token_c", "Issued tokens are 80 characters long.", trips=("ocpi.credentials.token_printable",))
def long_token_c() -> Faults:
    return Faults(issue_long_token=True)


@profile("unregistered_methods_accepted", "PUT and DELETE credentials succeed before registration.",
         trips=("ocpi.credentials.put_when_unregistered", "ocpi.credentials.delete_when_unregistered"))
def unregistered_methods_accepted() -> Faults:
    return Faults(unregistered_methods_ok=True)


@profile("delete_keeps_token", "After DELETE credentials the token still works.",
         trips=("ocpi.credentials.unregister",))
def delete_keeps_token() -> Faults:
    return Faults(delete_keeps_token=True)


@profile("client_no_content_type", "As a client, sends JSON bodies without Content-Type.",
         trips=("ocpi.request.content_type",))
def client_no_content_type() -> Faults:
    return Faults(client_no_content_type=True)


@profile("client_token_b_unusable", "As a client, sends a token B that does not open its own versions.",
         trips=("ocpi.credentials.client_flow",))
def client_token_b_unusable() -> Faults:
    return Faults(client_token_b_unusable=True)


@profile("credentials_wrong_role", "The platform's Credentials name its parties with role OTHER.",
         trips=("ocpi.credentials.roles",))
def credentials_wrong_role() -> Faults:
    return Faults(credentials_wrong_role=True)


@profile("cdr_time_includes_parking", "CDRs bill TIME on wall-clock time, parking included.", roles=("CPO",),
         trips=("ocpi.cdrs.price",))
def cdr_time_includes_parking() -> Faults:
    return Faults(cdr_switches=("time_includes_parking",))


@profile("cdr_step_size_per_period", "CDRs round to the step_size in every charging period instead of once over "
         "the session.", roles=("CPO",), trips=("ocpi.cdrs.price",))
def cdr_step_size_per_period() -> Faults:
    return Faults(cdr_switches=("step_size_per_period",))


# -- the eMSP as Receiver of Sessions, Tariffs and CDRs

@profile("session_invalid_accepted", "Pushed Sessions that break the schema are stored and acknowledged with 1000.",
         roles=("EMSP",), trips=("ocpi.status.expected", "ocpi.sessions.receiver_invalid_not_stored"))
def session_invalid_accepted() -> Faults:
    return Faults(session_invalid_accepted=True)


@profile("session_patch_without_last_updated_accepted", "A Session PATCH lacking last_updated is applied.",
         roles=("EMSP",), trips=("ocpi.status.expected", "ocpi.sessions.receiver_patch_last_updated"))
def session_patch_without_last_updated_accepted() -> Faults:
    return Faults(session_patch_without_last_updated_ok=True)


@profile("session_patch_ignored", "Session PATCHes are acknowledged with 1000 but not applied.", roles=("EMSP",),
         trips=("ocpi.sessions.receiver_patched",))
def session_patch_ignored() -> Faults:
    return Faults(session_patch_ignored=True)


@profile("session_patch_replaces_periods", "The charging_periods of a Session PATCH replace the stored ones instead "
         "of being added to them.", roles=("EMSP",), trips=("ocpi.sessions.receiver_patched",))
def session_patch_replaces_periods() -> Faults:
    return Faults(session_patch_replaces_periods=True)


@profile("session_charging_periods_dropped", "Sessions are stored without their charging_periods.", roles=("EMSP",),
         trips=("ocpi.sessions.receiver_stored", "ocpi.sessions.receiver_patched"))
def session_charging_periods_dropped() -> Faults:
    return Faults(session_periods_dropped=True)


@profile("session_put_merges", "A PUT of a stored Session updates it field by field and keeps the stored "
         "charging_periods it omits, instead of replacing the Session.", roles=("EMSP",),
         trips=("ocpi.sessions.receiver_replaced",))
def session_put_merges() -> Faults:
    return Faults(session_put_merges=True)


@profile("tariff_invalid_accepted", "Pushed Tariffs that break the schema are stored and acknowledged with 1000.",
         roles=("EMSP",), trips=("ocpi.status.expected", "ocpi.tariffs.receiver_invalid_not_stored"))
def tariff_invalid_accepted() -> Faults:
    return Faults(tariff_invalid_accepted=True)


@profile("tariff_restrictions_lost", "Stored Tariffs lose the restrictions of their elements.", roles=("EMSP",),
         trips=("ocpi.tariffs.receiver_stored",))
def tariff_restrictions_lost() -> Faults:
    return Faults(tariff_restrictions_lost=True)


@profile("tariff_delete_ignored", "A Tariff DELETE is acknowledged with 1000 but the Tariff is kept.",
         roles=("EMSP",), trips=("ocpi.tariffs.receiver_deleted", "ocpi.status.unknown_object"))
def tariff_delete_ignored() -> Faults:
    return Faults(tariff_delete_ignored=True)


@profile("cdr_invalid_accepted", "POSTed CDRs that break the schema are stored and acknowledged with 1000.",
         roles=("EMSP",), trips=("ocpi.status.expected", "ocpi.cdrs.receiver_invalid_not_stored"))
def cdr_invalid_accepted() -> Faults:
    return Faults(cdr_invalid_accepted=True)


@profile("cdr_location_header_missing", "The answer to a CDR POST carries no Location header.", roles=("EMSP",),
         trips=("ocpi.cdrs.receiver_location_header",))
def cdr_location_header_missing() -> Faults:
    return Faults(cdr_location_header="none")


@profile("cdr_location_header_relative", "The Location header of a CDR POST answer is a relative URL.",
         roles=("EMSP",), trips=("ocpi.cdrs.receiver_location_header",))
def cdr_location_header_relative() -> Faults:
    return Faults(cdr_location_header="relative")


@profile("cdr_stored_altered", "Stored CDRs have every number (volumes, amounts) rounded to 2 decimals.",
         roles=("EMSP",), trips=("ocpi.cdrs.receiver_stored",))
def cdr_stored_altered() -> Faults:
    return Faults(cdr_numbers_rounded=True)


@profile("cdr_created_with_200", "A CDR POST that creates the CDR is answered HTTP 200 instead of 201.",
         roles=("EMSP",), trips=("ocpi.cdrs.receiver_created",))
def cdr_created_with_200() -> Faults:
    return Faults(cdr_created_status=200)


# -- sessions/cdrs/tariffs senders --------------------------------------------------------------------------

@profile("session_completed_without_end", "A COMPLETED Session is served without end_date_time.", roles=("CPO",),
         trips=("ocpi.sessions.status_rules",))
def session_completed_without_end() -> Faults:
    return Faults(served_session_without_end=True)


@profile("session_periods_out_of_order", "A Session's charging periods are served in reverse time order.",
         roles=("CPO",), trips=("ocpi.sessions.charging_periods",))
def session_periods_out_of_order() -> Faults:
    return Faults(served_session_periods_reversed=True)


@profile("session_location_unknown", "An ACTIVE Session names a Location the CPO does not serve.", roles=("CPO",),
         trips=("ocpi.sessions.location_refs",))
def session_location_unknown() -> Faults:
    return Faults(served_session_location_unknown=True)


@profile("cdr_total_energy_wrong", "A CDR's total_energy is 1.5 kWh more than its charging periods hold.",
         roles=("CPO",), trips=("ocpi.cdrs.totals_consistent",))
def cdr_total_energy_wrong() -> Faults:
    return Faults(served_cdr_energy_delta=1.5)


@profile("cdr_unknown_session", "A CDR's session_id names a Session the CPO does not serve.", roles=("CPO",),
         trips=("ocpi.cdrs.session_link",))
def cdr_unknown_session() -> Faults:
    return Faults(served_cdr_unknown_session=True)


@profile("cdr_evse_unknown", "A CDR at a served Location names an EVSE that Location does not have.",
         roles=("CPO",), trips=("ocpi.cdrs.location_refs",))
def cdr_evse_unknown() -> Faults:
    return Faults(served_cdr_evse_unknown=True)


@profile("credit_cdr_without_reference", "The Credit CDR is served without credit_reference_id.", roles=("CPO",),
         trips=("ocpi.cdrs.credit",))
def credit_cdr_without_reference() -> Faults:
    return Faults(served_credit_without_reference=True)


@profile("cdr_session_only_dimension", "A CDR's charging period carries STATE_OF_CHARGE, a Sessions-only dimension.",
         roles=("CPO",), trips=("ocpi.cdrs.dimensions",))
def cdr_session_only_dimension() -> Faults:
    return Faults(served_cdr_session_only_dimension=True)


@profile("tariff_min_above_max", "A Tariff's min_price is above its max_price.", roles=("CPO",),
         trips=("ocpi.tariffs.consistent",))
def tariff_min_above_max() -> Faults:
    return Faults(served_tariff_min_above_max=True)


@profile("tariff_withheld", "A Tariff that Connectors name is left out of the Tariffs Sender's list.",
         roles=("CPO",), trips=("ocpi.tariffs.connector_refs",))
def tariff_withheld() -> Faults:
    return Faults(served_tariff_withheld=True)


# -- tokens -------------------------------------------------------------------------------------------------

@profile("authorize_valid_token_refused", "Real-time authorization answers BLOCKED even for a valid Token.",
         roles=("EMSP",), trips=("ocpi.tokens.authorize_valid",))
def authorize_valid_token_refused() -> Faults:
    return Faults(authorize_valid_refused=True)


@profile("authorize_without_reference", "An ALLOWED real-time authorization carries no authorization_reference.",
         roles=("EMSP",), trips=("ocpi.tokens.authorize_reference",))
def authorize_without_reference() -> Faults:
    return Faults(authorize_without_reference=True)


@profile("authorize_ignores_location", "Real-time authorization ignores the LocationReferences it is given: "
         "no restriction applied, no location echoed.", roles=("EMSP",), trips=("ocpi.tokens.authorize_location",))
def authorize_ignores_location() -> Faults:
    return Faults(authorize_ignores_location=True)


@profile("authorize_invalid_token_allowed", "Real-time authorization answers ALLOWED for an invalid Token.",
         roles=("EMSP",), trips=("ocpi.tokens.authorize_invalid",))
def authorize_invalid_token_allowed() -> Faults:
    return Faults(authorize_invalid_allowed=True)


@profile("authorize_unknown_token_allowed", "Real-time authorization of an unknown Token answers ALLOWED with a "
         "made-up Token instead of 2004.", roles=("EMSP",), trips=("ocpi.tokens.authorize_unknown",))
def authorize_unknown_token_allowed() -> Faults:
    return Faults(authorize_unknown_allowed=True)


@profile("token_stored_altered", "Pushed Tokens are stored without their visual_number.", roles=("CPO",),
         trips=("ocpi.tokens.receiver_stored",))
def token_stored_altered() -> Faults:
    return Faults(token_field_lost=True)


@profile("token_patch_ignored", "A Token PATCH is acknowledged with 1000 but not applied.", roles=("CPO",),
         trips=("ocpi.tokens.receiver_patched",))
def token_patch_ignored() -> Faults:
    return Faults(token_patch_ignored=True)


@profile("token_type_ignored", "Tokens are stored and looked up by uid alone: the type parameter is ignored.",
         roles=("CPO",), trips=("ocpi.tokens.receiver_type",))
def token_type_ignored() -> Faults:
    return Faults(token_type_ignored=True)


@profile("token_invalid_accepted", "Pushed Tokens that break the schema are stored and acknowledged with 1000.",
         roles=("CPO",), trips=("ocpi.status.expected", "ocpi.tokens.receiver_invalid_not_stored"))
def token_invalid_accepted() -> Faults:
    return Faults(token_invalid_accepted=True)


@profile("token_patch_without_last_updated_ok", "A Token PATCH without last_updated is accepted and applied.",
         roles=("CPO",), trips=("ocpi.tokens.receiver_patch_last_updated",))
def token_patch_without_last_updated_ok() -> Faults:
    return Faults(token_patch_without_last_updated_ok=True)


# -- requirement inventory: checks added for MUST statements of the existing modules ------------------------

@profile("custom_status_codes", "Errors are answered with status codes from the custom ranges (2003 becomes 2903).",
         roles=("CPO", "EMSP"), trips=("ocpi.status.standard_code",))
def custom_status_codes() -> Faults:
    return Faults(custom_status_codes=True)


@profile("invalid_json_accepted", "A request body that is not JSON is answered HTTP 200 (with status_code 2000).",
         roles=("CPO", "EMSP"), trips=("ocpi.status.invalid_json",))
def invalid_json_accepted() -> Faults:
    return Faults(invalid_json_status=200)


@profile("routing_headers_on_configuration", "Answers from versions and credentials carry OCPI-from routing headers.",
         roles=("CPO", "EMSP"), trips=("ocpi.routing.configuration_modules",))
def routing_headers_on_configuration() -> Faults:
    return Faults(routing_headers_on_configuration=True)


@profile("x_limit_is_count", "X-Limit gives the number of objects on the page instead of the server's upper limit.",
         roles=("CPO",), trips=("ocpi.pagination.x_limit",))
def x_limit_is_count() -> Faults:
    return Faults(x_limit_is_count=True)


# -- commands (both sides) -----------------------------------------------------------------------------------

@profile("command_response_without_timeout", "The CommandResponse carries no timeout.", roles=("CPO",),
         trips=("ocpi.commands.response",))
def command_response_without_timeout() -> Faults:
    return Faults(command_response_without_timeout=True)


@profile("command_result_never_sent", "Commands are ACCEPTED, but no CommandResult is ever POSTed to the "
         "response_url (timeout announced: 1 s).", roles=("CPO",), trips=("ocpi.commands.result_posted",))
def command_result_never_sent() -> Faults:
    return Faults(command_result_never_sent=True, command_timeout=1)


@profile("command_result_late", "The CommandResult comes 1.5 s after a CommandResponse that announced 1 s.",
         roles=("CPO",), trips=("ocpi.commands.result_in_time",))
def command_result_late() -> Faults:
    return Faults(command_timeout=1, command_result_delay=1.5)


@profile("command_start_without_session", "START_SESSION results in ACCEPTED, but no Session starts.",
         roles=("CPO",), trips=("ocpi.commands.start_session",))
def command_start_without_session() -> Faults:
    return Faults(command_start_without_session=True)


@profile("command_token_checked", "START_SESSION and RESERVE_NOW with a Token the eMSP never pushed are REJECTED.",
         roles=("CPO",), trips=("ocpi.commands.start_token_not_checked", "ocpi.commands.reserve_token_not_checked"))
def command_token_checked() -> Faults:
    return Faults(command_token_checked=True)


@profile("command_token_authorized", "The CPO asks the eMSP in real time about the Token of START_SESSION and "
         "RESERVE_NOW, and refuses the command unless it is ALLOWED.", roles=("CPO",),
         trips=("ocpi.commands.start_no_realtime_authorization", "ocpi.commands.reserve_no_realtime_authorization"))
def command_token_authorized() -> Faults:
    return Faults(command_token_authorized=True)


@profile("command_session_token_altered", "The Session (and CDR) of a START_SESSION carry another contract_id than "
         "the command's Token.", roles=("CPO",), trips=("ocpi.commands.session_token",))
def command_session_token_altered() -> Faults:
    return Faults(command_session_token_altered=True)


@profile("command_stop_ignored", "STOP_SESSION results in ACCEPTED, but the Session goes on.", roles=("CPO",),
         trips=("ocpi.commands.stop_session",))
def command_stop_ignored() -> Faults:
    return Faults(command_stop_ignored=True)


@profile("command_unknown_session_accepted", "STOP_SESSION of an unknown Session is ACCEPTED (then REJECTED by the "
         "Charge Point) instead of UNKNOWN_SESSION.", roles=("CPO",), trips=("ocpi.commands.unknown_session",))
def command_unknown_session_accepted() -> Faults:
    return Faults(command_unknown_session_accepted=True)


@profile("command_cancel_ignored", "CANCEL_RESERVATION results in ACCEPTED, but the reservation stays.",
         roles=("CPO",), trips=("ocpi.commands.reservation_canceled",))
def command_cancel_ignored() -> Faults:
    return Faults(command_cancel_ignored=True)


@profile("command_unknown_reservation_accepted", "Canceling a reservation the CPO does not hold results in "
         "ACCEPTED.", roles=("CPO",), trips=("ocpi.commands.unknown_reservation",))
def command_unknown_reservation_accepted() -> Faults:
    return Faults(command_unknown_reservation_accepted=True)


@profile("command_unknown_location_accepted", "A command at an unknown Location is ACCEPTED (then FAILED) instead "
         "of 2003.", roles=("CPO",), trips=("ocpi.commands.unknown_location",))
def command_unknown_location_accepted() -> Faults:
    return Faults(command_unknown_location_accepted=True)


@profile("command_invalid_body_accepted", "A command body that is not the command's object is ACCEPTED.",
         roles=("CPO",), trips=("ocpi.commands.invalid_body",))
def command_invalid_body_accepted() -> Faults:
    return Faults(command_invalid_body_accepted=True)


@profile("command_response_url_relative", "The eMSP's commands carry only the path of their response_url.",
         roles=("EMSP",), trips=("ocpi.commands.sender_response_url",))
def command_response_url_relative() -> Faults:
    return Faults(command_response_url_relative=True)


@profile("command_timeout_result_refused", "The eMSP's response_url answers 2001 to a CommandResult TIMEOUT.",
         roles=("EMSP",), trips=("ocpi.commands.sender_result_acknowledged",))
def command_timeout_result_refused() -> Faults:
    return Faults(command_results_refused=("TIMEOUT",))


@profile("command_start_without_token", "The eMSP's StartSession carries no token.", roles=("EMSP",),
         trips=("ocpi.commands.sender_body",))
def command_start_without_token() -> Faults:
    return Faults(command_start_without_token=True)


@profile("command_foreign_token", "The eMSP's StartSession and ReserveNow carry a Token of another eMSP.",
         roles=("EMSP",), trips=("ocpi.commands.sender_start_own_token", "ocpi.commands.sender_reserve_own_token"))
def command_foreign_token() -> Faults:
    return Faults(command_foreign_token=True)


@profile("command_response_url_shared", "The eMSP gives every command of a type the same response_url.",
         roles=("EMSP",), trips=("ocpi.commands.sender_unique_response_url",))
def command_response_url_shared() -> Faults:
    return Faults(command_response_url_shared=True)


@profile("command_response_url_single_use", "The eMSP's response_url refuses a second CommandResult (so a "
         "CANCELED_RESERVATION after the reservation's result).", roles=("EMSP",),
         trips=("ocpi.commands.sender_canceled_reservation",))
def command_response_url_single_use() -> Faults:
    return Faults(command_response_url_single_use=True)


@profile("cdr_duplicate_id", "Two of the CDRs the CPO serves share one id.", roles=("CPO",),
         trips=("ocpi.cdrs.unique_ids", "ocpi.pagination.traversal"))
def cdr_duplicate_id() -> Faults:
    return Faults(served_cdr_duplicate_id=True)


# -- charging profiles, charging preferences, hub client info ------------------------------------------------

@profile("charging_profile_results_not_sent", "The CPO ACCEPTs charging profile requests but never POSTs their "
         "results.", roles=("CPO",), trips=("ocpi.chargingprofiles.active_profile_result",
                                           "ocpi.chargingprofiles.set_result"))
def charging_profile_results_not_sent() -> Faults:
    return Faults(profile_results_not_sent=True)


@profile("active_profile_result_without_profile", "An ACCEPTED ActiveChargingProfileResult carries no profile.",
         roles=("CPO",), trips=("ocpi.chargingprofiles.active_profile_result",))
def active_profile_result_without_profile() -> Faults:
    return Faults(profile_active_result_without_profile=True)


@profile("charging_profile_clear_ignored", "Clearing a charging profile is ACCEPTED but the profile stays active.",
         roles=("CPO",), trips=("ocpi.chargingprofiles.cleared_max_capacity",))
def charging_profile_clear_ignored() -> Faults:
    return Faults(profile_clear_ignored=True)


@profile("charging_profile_unknown_session_accepted", "A charging profile for an unknown Session is ACCEPTED.",
         roles=("CPO",), trips=("ocpi.chargingprofiles.unknown_session",))
def charging_profile_unknown_session_accepted() -> Faults:
    return Faults(profile_unknown_session_accepted=True)


@profile("charging_profile_invalid_accepted", "A body breaking the SetChargingProfile schema is ACCEPTED.",
         roles=("CPO",), trips=("ocpi.chargingprofiles.invalid_refused", "ocpi.status.expected"))
def charging_profile_invalid_accepted() -> Faults:
    return Faults(profile_invalid_accepted=True)


@profile("active_profile_change_not_pushed", "A local change of a Session's ActiveChargingProfile is not sent to "
         "the Senders that set a profile on it.", roles=("CPO",), trips=("ocpi.chargingprofiles.push_on_change",))
def active_profile_change_not_pushed() -> Faults:
    return Faults(profile_change_not_pushed=True)


@profile("active_profile_pushed_to_all", "Changes of an ActiveChargingProfile go to every Sender, also those "
         "that never set a profile on the Session.", roles=("CPO",),
         trips=("ocpi.chargingprofiles.no_push_without_profile",))
def active_profile_pushed_to_all() -> Faults:
    return Faults(profile_pushed_to_all=True)


@profile("active_profile_push_too_short", "A pushed ActiveChargingProfile covers one minute only.", roles=("CPO",),
         trips=("ocpi.chargingprofiles.push_duration",))
def active_profile_push_too_short() -> Faults:
    return Faults(profile_push_seconds=60)


@profile("charging_profile_relative_response_url", "The Sender's response_url has no scheme and host.",
         roles=("SCSP",), trips=("ocpi.chargingprofiles.sender_set_request",
                                 "ocpi.chargingprofiles.sender_get_request",
                                 "ocpi.chargingprofiles.sender_clear_request"))
def charging_profile_relative_response_url() -> Faults:
    return Faults(profile_relative_response_url=True)


@profile("active_profile_get_without_duration", "The Sender asks for the ActiveChargingProfile without a duration.",
         roles=("SCSP",), trips=("ocpi.chargingprofiles.sender_get_request",))
def active_profile_get_without_duration() -> Faults:
    return Faults(profile_get_without_duration=True)


@profile("charging_profile_result_ack_with_data", "The Sender answers the results POSTed to its response_url "
         "with a data field.", roles=("SCSP",), trips=("ocpi.chargingprofiles.sender_result_ack",))
def charging_profile_result_ack_with_data() -> Faults:
    return Faults(profile_result_ack_with_data=True)


@profile("active_profile_refused", "The Sender answers an ActiveChargingProfile PUT with 2001.", roles=("SCSP",),
         trips=("ocpi.chargingprofiles.sender_active_profile_ack", "ocpi.status.expected"))
def active_profile_refused() -> Faults:
    return Faults(profile_active_refused=True)


@profile("preferences_any_profile_accepted", "Charging preferences of every ProfileType are ACCEPTED, with a Tariff "
         "for it at the Connector or not.", roles=("CPO",), trips=("ocpi.sessions.preferences_tariff",))
def preferences_any_profile_accepted() -> Faults:
    return Faults(preferences_any_profile=True)


@profile("preferences_answer_wrapped", "The ChargingPreferencesResponse comes wrapped in an object.", roles=("CPO",),
         trips=("ocpi.sessions.preferences_answer", "ocpi.schema.data"))
def preferences_answer_wrapped() -> Faults:
    return Faults(preferences_answer_wrapped=True)


@profile("preferences_invalid_accepted", "Charging preferences breaking the schema are ACCEPTED.", roles=("CPO",),
         trips=("ocpi.sessions.preferences_invalid", "ocpi.status.expected"))
def preferences_invalid_accepted() -> Faults:
    return Faults(preferences_invalid_accepted=True)


@profile("preferences_unknown_session_accepted", "Charging preferences for an unknown Session are ACCEPTED.",
         roles=("CPO",), trips=("ocpi.sessions.preferences_unknown_session", "ocpi.status.unknown_object"))
def preferences_unknown_session_accepted() -> Faults:
    return Faults(preferences_unknown_session_accepted=True)


@profile("preferences_capability_ignored", "EVSEs without CHARGING_PREFERENCES_CAPABLE take charging preferences.",
         roles=("CPO",), trips=("ocpi.sessions.preferences_not_capable",))
def preferences_capability_ignored() -> Faults:
    return Faults(preferences_capability_ignored=True)


@profile("client_info_field_lost", "A pushed ClientInfo is kept without its role.", roles=("EMSP",),
         trips=("ocpi.hubclientinfo.stored",))
def client_info_field_lost() -> Faults:
    return Faults(client_info_field_lost=True)


@profile("client_info_update_ignored", "A ClientInfo once kept is never replaced by a later one.", roles=("CPO",),
         trips=("ocpi.hubclientinfo.status_updated",))
def client_info_update_ignored() -> Faults:
    return Faults(client_info_update_ignored=True)


@profile("client_info_invalid_accepted", "A pushed body breaking the ClientInfo schema is kept.", roles=("SCSP",),
         trips=("ocpi.hubclientinfo.invalid_refused", "ocpi.status.expected"))
def client_info_invalid_accepted() -> Faults:
    return Faults(client_info_invalid_accepted=True)


# -- a whole charge (the reference CPO's charger and lifecycle pushes; the eMSP keeping what a charge pushed) ---

@profile("charger_always_asks", "The charger asks the eMSP in real time even about Tokens whitelisted ALWAYS.",
         roles=("CPO",), trips=("ocpi.tokens.charge_whitelisted",))
def charger_always_asks() -> Faults:
    return Faults(charger_always_asks=True)


@profile("charger_never_asks", "The charger never asks the eMSP in real time: it whitelists every Token it holds.",
         roles=("CPO",), trips=("ocpi.tokens.charge_real_time", "ocpi.tokens.charge_reference"))
def charger_never_asks() -> Faults:
    return Faults(charger_never_asks=True)


@profile("charger_ignores_valid", "The charger lets a Token pushed as not valid charge on its whitelist.",
         roles=("CPO",), trips=("ocpi.tokens.charge_invalid_refused",))
def charger_ignores_valid() -> Faults:
    return Faults(charger_ignores_valid=True)


@profile("charger_asks_without_location", "Real-time authorization requests name no Location or EVSE.",
         roles=("CPO",), trips=("ocpi.tokens.charge_location_named",))
def charger_asks_without_location() -> Faults:
    return Faults(charger_asks_without_location=True)


@profile("charger_drops_reference", "A charge the eMSP allowed in real time is pushed without its "
         "authorization_reference.", roles=("CPO",), trips=("ocpi.tokens.charge_reference",))
def charger_drops_reference() -> Faults:
    return Faults(charger_drops_reference=True)


@profile("charger_ignores_answer", "The charger starts the charge whatever the eMSP answered in real time.",
         roles=("CPO",), trips=("ocpi.tokens.charge_refused_in_real_time",))
def charger_ignores_answer() -> Faults:
    return Faults(charger_ignores_answer=True)


@profile("charge_session_evse_id", "Pushed Sessions name the EVSE by its evse_id instead of its uid.", roles=("CPO",),
         trips=("ocpi.sessions.charge_pushed",))
def charge_session_evse_id() -> Faults:
    return Faults(charge_session_evse_id=True)


@profile("charge_evse_status_silent", "The EVSE status changes of a charge are not pushed.", roles=("CPO",),
         trips=("ocpi.locations.charge_evse_status",))
def charge_evse_status_silent() -> Faults:
    return Faults(charge_evse_status_silent=True)


@profile("charge_session_left_active", "When a charge ends, the Session is never PATCHed to COMPLETED.",
         roles=("CPO",), trips=("ocpi.sessions.charge_updated",))
def charge_session_left_active() -> Faults:
    return Faults(charge_session_left_active=True)


@profile("charge_cdr_session_unknown", "The CDR posted after a charge names a session_id other than its Session's.",
         roles=("CPO",), trips=("ocpi.cdrs.session_link",))
def charge_cdr_session_unknown() -> Faults:
    return Faults(charge_cdr_session_unknown=True)


@profile("charge_cdr_energy_rounded", "The CDR posted after a charge bills whole kWh: total_energy rounded up.",
         roles=("CPO",), trips=("ocpi.cdrs.charge_cdr",))
def charge_cdr_energy_rounded() -> Faults:
    return Faults(charge_cdr_energy_rounded=True)


@profile("charge_cdr_energy_cost_dropped", "The CDR posted after a charge leaves its energy cost out of total_cost.",
         roles=("CPO",), trips=("ocpi.cdrs.price",))
def charge_cdr_energy_cost_dropped() -> Faults:
    return Faults(charge_cdr_energy_cost_dropped=True)


@profile("session_patch_needs_kwh", "A Session PATCH without kwh (one that only changes the status) is refused with "
         "2001.", roles=("EMSP",), trips=("ocpi.status.expected",), shows_in=("sessions",))
def session_patch_needs_kwh() -> Faults:
    return Faults(session_patch_needs_kwh=True)


@profile("session_patch_status_ignored", "The status a Session PATCH carries is acknowledged but not applied.",
         roles=("EMSP",), trips=("ocpi.sessions.emsp_charge_kept",))
def session_patch_status_ignored() -> Faults:
    return Faults(session_patch_status_ignored=True)


@profile("emsp_reference_rewritten", "Sessions and CDRs are kept with an authorization_reference of the eMSP's own "
         "instead of the one pushed.", roles=("EMSP",), trips=("ocpi.tokens.emsp_reference_linked",))
def emsp_reference_rewritten() -> Faults:
    return Faults(emsp_reference_rewritten=True)


@profile("authorize_judges_location_state", "Real-time authorization answers NOT_ALLOWED at a Location whose pushed "
         "EVSEs are none of them AVAILABLE.", roles=("EMSP",), trips=("ocpi.tokens.authorize_regardless_of_state",))
def authorize_judges_location_state() -> Faults:
    return Faults(authorize_judges_location_state=True)


@profile("charging_profile_clear_without_result", "Clearing a charging profile is ACCEPTED but no ClearProfileResult "
         "is POSTed.", roles=("CPO",), trips=("ocpi.chargingprofiles.clear_result",))
def charging_profile_clear_without_result() -> Faults:
    return Faults(profile_clear_without_result=True)


@profile("cdr_periods_span_price_changes", "Charging periods are not cut where the tariff's price changes (23:00, "
         "07:00, four hours into a session): the CDRs' totals are right, their periods are not.", roles=("CPO",),
         trips=("ocpi.cdrs.period_per_price_change",))
def cdr_periods_span_price_changes() -> Faults:
    return Faults(cdr_periods_unsplit=True)


@profile("charger_refuses_invalid_unasked", "The charger refuses a Token pushed as not valid without asking the eMSP "
         "in real time, even when its whitelist (NEVER, ALLOWED_OFFLINE) calls for asking.", roles=("CPO",),
         trips=("ocpi.tokens.charge_invalid_asked",))
def charger_refuses_invalid_unasked() -> Faults:
    return Faults(charger_refuses_invalid_unasked=True)


@profile("charger_offline_whitelisted", "The charger lets Tokens whitelisted ALLOWED_OFFLINE charge on its whitelist "
         "without asking the eMSP in real time, though the eMSP answers.", roles=("CPO",),
         trips=("ocpi.tokens.charge_allowed_offline_asked",))
def charger_offline_whitelisted() -> Faults:
    return Faults(charger_offline_whitelisted=True)


@profile("charger_refuses_offline", "With no response from the eMSP to a real-time request, the charger refuses "
         "Tokens whitelisted ALLOWED_OFFLINE instead of letting them charge.", roles=("CPO",),
         trips=("ocpi.tokens.charge_allowed_offline_unanswered",))
def charger_refuses_offline() -> Faults:
    return Faults(charger_refuses_offline=True)


@profile("command_reserve_status_unchanged", "A reservation leaves its EVSE AVAILABLE: neither pushed nor listed as "
         "RESERVED.", roles=("CPO",), trips=("ocpi.commands.reserved_evse_status",))
def command_reserve_status_unchanged() -> Faults:
    return Faults(command_reserve_status_unchanged=True)


@profile("command_result_after_refusal", "A CommandResult (REJECTED, NOT_SUPPORTED) is POSTed also to the response_url "
         "of a command answered otherwise than ACCEPTED.", roles=("CPO",),
         trips=("ocpi.commands.no_result_unless_accepted",))
def command_result_after_refusal() -> Faults:
    return Faults(command_result_after_refusal=True)


@profile("command_silence_reported_failed", "A command to a Charge Point that never answers results in FAILED instead "
         "of TIMEOUT.", roles=("CPO",), trips=("ocpi.commands.charge_point_timeout",))
def command_silence_reported_failed() -> Faults:
    return Faults(command_silence_reported_failed=True)


@profile("command_stop_session_own_key", "The eMSP's StopSession names the Session by a key of its own (the CPO's "
         "party and the Session id) instead of the Session's id.", roles=("EMSP",),
         trips=("ocpi.commands.sender_stop_session",))
def command_stop_session_own_key() -> Faults:
    return Faults(command_stop_session_own_key=True)


# -- pushes kept true: client owned object push, the Session over a charge or a reservation, EVSE status ------

@profile("push_put_partial", "The EVSE status changes of a charge are sent by PUT carrying only status and "
         "last_updated, as if PUT were PATCH.", roles=("CPO",), trips=("ocpi.request.put_whole_object",))
def push_put_partial() -> Faults:
    return Faults(push_put_partial=True)


@profile("push_owner_mismatch", "Locations are pushed under a party_id in the URL other than the one they carry.",
         roles=("CPO",), trips=("ocpi.request.push_owner",))
def push_owner_mismatch() -> Faults:
    return Faults(push_owner_mismatch=True)


@profile("push_patch_without_last_updated", "The EVSE status PATCHes of a charge carry no last_updated.",
         roles=("CPO",), trips=("ocpi.request.patch_last_updated",))
def push_patch_without_last_updated() -> Faults:
    return Faults(push_patch_without_last_updated=True)


@profile("charge_session_start_at_plug_in", "The Session is created at plug-in, a minute before it is pushed PENDING, "
         "and its start_date_time stays there when it goes ACTIVE.", roles=("CPO",),
         trips=("ocpi.sessions.charge_start_time",))
def charge_session_start_at_plug_in() -> Faults:
    return Faults(charge_session_start_at_plug_in=True)


@profile("charge_session_patch_all_periods", "Each Session PATCH repeats every charging period so far instead of only "
         "the new ones.", roles=("CPO",), trips=("ocpi.sessions.charge_periods_appended",))
def charge_session_patch_all_periods() -> Faults:
    return Faults(charge_session_patch_all_periods=True)


@profile("charge_evse_status_patch_silent", "The CPO PUTs its Location the first time an eMSP hears of it, but never "
         "pushes the EVSE's status changes after that.", roles=("CPO",),
         trips=("ocpi.locations.evse_status_pushed",))
def charge_evse_status_patch_silent() -> Faults:
    return Faults(charge_evse_status_patch_silent=True)


@profile("reservation_session_left_open", "A canceled reservation frees its EVSE but leaves its Session with status "
         "RESERVATION.", roles=("CPO",), trips=("ocpi.sessions.reservation_session",))
def reservation_session_left_open() -> Faults:
    return Faults(reservation_session_left_open=True)
