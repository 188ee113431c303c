"""Steps for a node under test given requests the registry cannot place."""

from __future__ import annotations

from pytest_bdd import then, when

from conformance.core.case import Case
from conformance.ocpi.v2_2_1.flows import network_errors as flows
from conformance.ocpi.v2_2_1.steps.verify import verify

when("roamcert's CPO on the node under test pushes a Location to a party no node lists")(flows.to_unlisted_party)


@then("the node answers 4001 and passes the request to no node and no party")
def unknown(case: Case) -> None:
    verify(case, "ocpi.network.unknown_party")
