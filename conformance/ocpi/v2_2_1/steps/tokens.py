"""Steps for the Tokens module: an eMSP as Sender (pulls, real-time authorization), a CPO as Receiver."""

from __future__ import annotations

from typing import Any

from pytest_bdd import given, parsers, then, when

from conformance.core.case import Case
from conformance.ocpi.context import Context
from conformance.ocpi.v2_2_1.flows import tokens as flows
from conformance.ocpi.v2_2_1.steps.verify import verify

# -- an eMSP as Sender


when("roamcert pulls the eMSP's Tokens page by page")(flows.pull_pages)


@then("every page is a valid paginated list of Tokens")
def pages_valid(case: Case) -> None:
    verify(case, "ocpi.pagination.headers", "ocpi.pagination.link_next", "ocpi.schema.data", "ocpi.envelope.shape")


@then("the pages together hold X-Total-Count distinct Tokens")
def totals(case: Case) -> None:
    verify(case, "ocpi.pagination.traversal")


given("roamcert knows the eMSP's Tokens", target_fixture="known_tokens")(flows.known)


@when(parsers.parse("roamcert pulls {limit:d} Tokens from offset {offset:d}"))
def window(ctx: Context, known_tokens: list[dict[str, Any]], limit: int, offset: int) -> None:
    flows.windows(ctx, known_tokens, offset, limit)


@then(parsers.parse("the page holds the Tokens at positions {first:d} to {last:d} of the full list"))
def window_ok(case: Case, first: int, last: int) -> None:
    verify(case, "ocpi.pagination.offset", "ocpi.pagination.limit")


@when("roamcert pulls Tokens with date_from and date_to filters")
def date_filters(ctx: Context, known_tokens: list[dict[str, Any]]) -> None:
    flows.date_filters(ctx, known_tokens)


@then("only Tokens last updated inside each window are returned")
def date_ok(case: Case) -> None:
    verify(case, "ocpi.pagination.date_filter", "ocpi.pagination.link_filters")


@when("roamcert asks the eMSP to authorize one of its valid Tokens")
def authorize_valid(ctx: Context, known_tokens: list[dict[str, Any]]) -> None:
    flows.authorize_valid(ctx, known_tokens)


@then("the eMSP answers ALLOWED with an AuthorizationInfo for that Token")
def valid_allowed(case: Case) -> None:
    verify(case, "ocpi.tokens.authorize_valid", "ocpi.schema.data")


@then("the answer carries an authorization reference")
def valid_reference(case: Case) -> None:
    verify(case, "ocpi.tokens.authorize_reference")


@when("roamcert asks the eMSP to authorize one of its valid Tokens at a Location and two of its EVSEs")
def authorize_at_location(ctx: Context, known_tokens: list[dict[str, Any]]) -> None:
    flows.authorize_at_location(ctx, known_tokens)


@then("an ALLOWED answer names that Location and only EVSEs that were asked about")
def location_ok(case: Case) -> None:
    verify(case, "ocpi.tokens.authorize_location", "ocpi.schema.data")


@when("roamcert asks the eMSP to authorize one of its invalid Tokens")
def authorize_invalid(ctx: Context, known_tokens: list[dict[str, Any]]) -> None:
    flows.authorize_invalid(ctx, known_tokens)


@then("the eMSP does not allow the Token to charge")
def invalid_refused(case: Case) -> None:
    verify(case, "ocpi.tokens.authorize_invalid", "ocpi.schema.data")


when("roamcert asks the eMSP to authorize a Token it never issued")(flows.authorize_unknown)


@then(parsers.parse("the eMSP answers HTTP 404 with status code {code:d} and no data"))
def unknown_refused(case: Case, code: int) -> None:
    verify(case, "ocpi.tokens.authorize_unknown", "ocpi.status.expected", "ocpi.status.unknown_object")


# -- a CPO as Receiver


when("roamcert pushes one of its Tokens")(flows.push_token)

given("roamcert has pushed an RFID Token", target_fixture="pushed_token")(flows.push_token)


@then("the CPO returns the Token as pushed")
def token_stored(case: Case) -> None:
    verify(case, "ocpi.tokens.receiver_stored")


@when("roamcert invalidates the Token by PATCH")
def patch_token(ctx: Context, pushed_token: dict[str, Any]) -> None:
    flows.patch_token(ctx, pushed_token)


@then("the CPO returns the Token invalidated and otherwise unchanged")
def token_patched(case: Case) -> None:
    verify(case, "ocpi.tokens.receiver_patched")


@when("roamcert pushes an APP_USER Token with the same uid")
def token_types(ctx: Context, pushed_token: dict[str, Any]) -> None:
    flows.token_types(ctx, pushed_token)


@then("the CPO returns each Token by its type, and the RFID Token when no type is given")
def token_types_ok(case: Case) -> None:
    verify(case, "ocpi.tokens.receiver_type")


when("roamcert pushes a Token lacking required fields")(flows.refuse_token)


@then(parsers.parse("the CPO refuses the Token with status code {code:d} and does not store it"))
def token_refused(case: Case, code: int) -> None:
    verify(case, "ocpi.status.expected", "ocpi.tokens.receiver_invalid_not_stored")
