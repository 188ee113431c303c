"""Steps for the HubClientInfo module: a party connected to a Hub, under test as Receiver."""

from __future__ import annotations

from pytest_bdd import parsers, then, when

from conformance.core.case import Case
from conformance.ocpi.v2_2_1.flows import hubclientinfo as flows
from conformance.ocpi.v2_2_1.steps.verify import verify

when("roamcert, as a Hub would, pushes a ClientInfo of a PLANNED party")(flows.push_client_info)


@then("the SUT returns the ClientInfo as pushed")
def stored(case: Case) -> None:
    verify(case, "ocpi.hubclientinfo.stored", "ocpi.schema.data")


when("roamcert pushes the ClientInfo of a party that connects, goes OFFLINE and is SUSPENDED")(flows.status_changes)


@then("the SUT returns each status as it was pushed")
def updated(case: Case) -> None:
    verify(case, "ocpi.hubclientinfo.status_updated", "ocpi.hubclientinfo.stored")


when("roamcert pushes a ClientInfo without role and with an unknown status")(flows.refuse_client_info)


@then(parsers.parse("the SUT refuses the ClientInfo with status code {code:d} and does not store it"))
def refused(case: Case, code: int) -> None:
    verify(case, "ocpi.hubclientinfo.invalid_refused", "ocpi.status.expected")
