"""Steps for an eMSP as Receiver of Sessions, Tariffs and CDRs."""

from __future__ import annotations

from typing import Any

from pytest_bdd import given, parsers, then, when

from conformance.core.case import Case
from conformance.ocpi.context import Context
from conformance.ocpi.v2_2_1.flows import receivers as flows
from conformance.ocpi.v2_2_1.steps.verify import verify

# -- Sessions


when("roamcert pushes a Session that has just started")(flows.push_session)

given("roamcert has pushed a Session that has just started", target_fixture="session_stages")(flows.push_session)


@then("the eMSP returns the Session as pushed")
def session_stored(case: Case) -> None:
    verify(case, "ocpi.sessions.receiver_stored")


@when("roamcert patches in the Session's next charging period, then completes it")
def patch_session(ctx: Context, session_stages: list[dict[str, Any]]) -> None:
    flows.patch_session(ctx, session_stages)


@then("the eMSP returns the Session with each PATCH applied and its charging periods added")
def session_patched(case: Case) -> None:
    verify(case, "ocpi.sessions.receiver_patched")


@when("roamcert pushes the completed Session again, without charging periods or meter_id")
def replace_session(ctx: Context, session_stages: list[dict[str, Any]]) -> None:
    flows.replace_session(ctx, session_stages)


@then("the eMSP returns the second Session as pushed, with nothing left of the first")
def session_replaced(case: Case) -> None:
    verify(case, "ocpi.sessions.receiver_replaced")


when("roamcert pushes a Session lacking required fields")(flows.refuse_session)


@then(parsers.parse("the eMSP refuses the Session with status code {code:d} and does not store it"))
def session_refused(case: Case, code: int) -> None:
    verify(case, "ocpi.status.expected", "ocpi.sessions.receiver_invalid_not_stored")


when("roamcert gets a Session it never pushed")(flows.unknown_session)


# -- Tariffs


@when("roamcert pushes a Tariff, then a dearer version of it")
def push_tariff(ctx: Context) -> None:
    flows.push_tariff(ctx, "TARIFF-AC-STD", update=True)


@given("roamcert has pushed a Tariff", target_fixture="pushed_tariff")
def tariff_pushed(ctx: Context) -> dict[str, Any]:
    return flows.push_tariff(ctx, "TARIFF-DC-HPC")


@then(parsers.re("the (?:eMSP|NSP) returns the Tariff as pushed each time"))
def tariff_stored(case: Case) -> None:
    verify(case, "ocpi.tariffs.receiver_stored")


@when("roamcert deletes the Tariff")
def delete_tariff(ctx: Context, pushed_tariff: dict[str, Any]) -> None:
    flows.delete_tariff(ctx, pushed_tariff)


@then(parsers.re("the (?:eMSP|NSP) no longer returns the Tariff"))
def tariff_deleted(case: Case) -> None:
    verify(case, "ocpi.tariffs.receiver_deleted", "ocpi.status.unknown_object", "ocpi.status.not_found_http")


when("roamcert pushes a Tariff lacking required fields")(flows.refuse_tariff)


@then(parsers.re(r"the (?:eMSP|NSP) refuses the Tariff with status code (?P<code>\d+) and does not store it"),
      converters={"code": int})
def tariff_refused(case: Case, code: int) -> None:
    verify(case, "ocpi.status.expected", "ocpi.tariffs.receiver_invalid_not_stored")


# -- CDRs


when("roamcert posts a CDR priced from its own Tariffs")(flows.post_cdr)


@then("the eMSP answers with a Location header giving the URL of the stored CDR")
def cdr_location(case: Case) -> None:
    verify(case, "ocpi.cdrs.receiver_location_header")


@then("a GET of that URL returns the CDR as posted")
def cdr_stored(case: Case) -> None:
    verify(case, "ocpi.cdrs.receiver_stored")


@then("the eMSP answered the new CDR with HTTP 201 Created")
def cdr_created(case: Case) -> None:
    verify(case, "ocpi.cdrs.receiver_created")


when("roamcert posts a CDR lacking required fields")(flows.refuse_cdr)


@then(parsers.parse("the eMSP refuses the CDR with status code {code:d} and does not store it"))
def cdr_refused(case: Case, code: int) -> None:
    verify(case, "ocpi.status.expected", "ocpi.cdrs.receiver_invalid_not_stored")


# -- every Receiver of Client Owned Objects


@then(parsers.parse("a {what} pushed to the URL of another {field} is refused"))
def id_mismatch_refused(case: Case, what: str, field: str) -> None:
    verify(case, "ocpi.receiver.id_mismatch")
