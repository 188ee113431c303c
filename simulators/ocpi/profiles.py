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
    # sessions/cdrs/tariffs senders (applied to what the reference CPO serves: simulators/ocpi/sender_faults.py)
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
    # charging profiles, charging preferences, hub client info
    # charging lifecycle (sessions started at the charger, pushes, whitelist)
    # requirement inventory (checks added for MUST statements of the existing modules)
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

    def faults(self) -> Faults:
        return self.factory()


PROFILES: dict[str, Profile] = {}


def profile(
    name: str, description: str, *, roles: tuple[str, ...] = ("CPO", "EMSP"), trips: tuple[str, ...] = ()
) -> Callable[[Callable[[], Faults]], Callable[[], Faults]]:
    def register(factory: Callable[[], Faults]) -> Callable[[], Faults]:
        if name in PROFILES:
            raise ValueError(f"fault profile {name!r} registered twice")
        PROFILES[name] = Profile(name, description, factory, frozenset(roles), frozenset(trips))
        return factory

    return register


def get_profile(name: str) -> Profile:
    try:
        return PROFILES[name]
    except KeyError:
        known = ", ".join(sorted(PROFILES))
        raise KeyError(f"unknown fault profile {name!r}; known profiles: {known}") from None


@profile("conformant", "Behaves as OCPI 2.2.1 specifies; passes every scenario.")
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
         roles=("CPO",), trips=("ocpi.pagination.limit",))
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
         roles=("CPO",), trips=("ocpi.pagination.offset", "ocpi.pagination.traversal"))
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


@profile("versions_relative_url", "The versions list gives a relative URL for 2.2.1.",
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
