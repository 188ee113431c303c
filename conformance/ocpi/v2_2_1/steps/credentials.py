"""Steps for the credentials module and token handling."""

from __future__ import annotations

import pytest
from pytest_bdd import given, parsers, then, when

from conformance.core.case import Case
from conformance.core.errors import NotApplicable
from conformance.ocpi.context import Context
from conformance.ocpi.v2_2_1.flows import credentials as flows
from conformance.ocpi.v2_2_1.flows.registration import register, sut_registers
from conformance.ocpi.v2_2_1.steps.verify import verify

when("roamcert posts its credentials with a versions URL where nothing listens")(flows.client_unreachable)

when("roamcert posts its credentials offering only OCPI 2.0")(flows.no_mutual_version)


@then("the SUT refuses the registration")
def refused(case: Case) -> None:
    verify(case, "ocpi.credentials.client_unreachable", "ocpi.credentials.no_mutual_version")


@then(parsers.parse("the refusal carries status code {code:d}"))
def refusal_code(case: Case, code: int) -> None:
    verify(case, {3001: "ocpi.credentials.client_unreachable_code",
                  3002: "ocpi.credentials.no_mutual_version_code"}[code])


when("roamcert sends PUT and DELETE to the credentials endpoint with token A")(flows.unregistered_methods)


@then("both are answered with HTTP 405")
def both_405(case: Case) -> None:
    verify(case, "ocpi.credentials.put_when_unregistered", "ocpi.credentials.delete_when_unregistered")


@when("roamcert registers with the SUT using token A")
def registers(ctx: Context) -> None:
    conn = ctx.harness.connection(ctx.sut_role)
    if conn.token is not None:
        pytest.skip("roamcert registered with this platform earlier in the run (through another of its roles); "
                    "registration is per platform")
    register(ctx)


@then("the SUT offers OCPI 2.2.1 with usable version details")
def offers_version(case: Case) -> None:
    verify(case, "ocpi.versions.mutual", "ocpi.versions.details")


@then("the SUT issues a working token C after reading roamcert's versions with token B")
def issues_token_c(case: Case) -> None:
    verify(case, "ocpi.credentials.registration", "ocpi.credentials.callback_with_token_b",
           "ocpi.credentials.token_c_works")


when("roamcert posts its credentials again with token C")(flows.post_when_registered)


@then("the second POST is answered with HTTP 405")
def second_post_405(case: Case) -> None:
    verify(case, "ocpi.credentials.post_when_registered")


when("roamcert updates its credentials with a new token B")(flows.rotate)


@then("the SUT answers a new token and refuses the previous one")
def rotated(case: Case) -> None:
    verify(case, "ocpi.credentials.update_rotates_token")


@when("the operator makes the SUT register with roamcert's versions URL and a token A")
def sut_register(ctx: Context) -> None:
    sut_registers(ctx)


@then("the SUT read roamcert's versions with token A and offered a working token B")
def sut_flow(case: Case) -> None:
    verify(case, "ocpi.credentials.client_flow")


@then("every request of the SUT carried a Base64 token, request ids and a JSON content type")
def sut_requests(ctx: Context) -> None:
    ctx.case.check_requests(ctx.harness.request_expect())
    verify(ctx.case, "ocpi.request.authorization", "ocpi.request.ids", "ocpi.request.content_type")


when("roamcert deletes its credentials")(flows.unregister)


@then("the SUT refuses token C from then on")
def refuses_after_delete(case: Case) -> None:
    verify(case, "ocpi.credentials.unregister")


@given("the SUT publishes functional module endpoints roamcert can call", target_fixture="probe_urls")
def probe_urls(ctx: Context) -> list[str]:
    urls = flows.module_probe_urls(ctx)
    if not urls:
        raise NotApplicable("the SUT's version details declare no functional module endpoint roamcert can GET "
                            "without changing anything (a Sender list, or an object on a Receiver)")
    return urls


@when("roamcert calls each of them with token C, without a token, with an unknown token, with token C unencoded "
      "and with token A")
def auth_probes(ctx: Context, probe_urls: list[str]) -> None:
    flows.auth_probes(ctx, probe_urls)


when("roamcert calls the versions and version details endpoints with token C, without a token, with an unknown "
     "token and with token C unencoded")(flows.versions_auth_probes)


@then("every URL answers as the endpoint published there")
def served(case: Case) -> None:
    verify(case, "ocpi.versions.endpoint_served")


@then("each of these requests is refused with HTTP 401")
def refused_401(case: Case) -> None:
    verify(case, "ocpi.auth.missing_token", "ocpi.auth.unknown_token", "ocpi.auth.base64_token",
           "ocpi.auth.token_a_scope")
