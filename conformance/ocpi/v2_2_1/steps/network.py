"""Steps for a node under test: roamcert's network joins it, and requests cross it to and from node R."""

from __future__ import annotations

from pytest_bdd import given, then, when

from conformance.core.case import Case
from conformance.ocpi.context import Context
from conformance.ocpi.node_side import NodeSide
from conformance.ocpi.v2_2_1.flows import network as flows
from conformance.ocpi.v2_2_1.steps.verify import verify


@given("roamcert's network has joined the node under test", target_fixture="node_side")
def joined(ctx: Context) -> NodeSide:
    return flows.ensure_node_side(ctx)


when("roamcert's CPO on the node under test pushes a Location to the eMSP on node R")(flows.location_across)
when("the eMSP on node R GETs a Location of roamcert's CPO on the node under test")(flows.message_for_cpo)
when("a message for roamcert's CPO arrives signed by a key that is not node R's operator")(flows.forged_message)


@then("node R takes a message signed by the node's operator, carrying the request, and the eMSP's answer returns")
def crossed(case: Case) -> None:
    verify(case, "ocpi.network.message_signed", "ocpi.network.message_carried", "ocpi.network.answer_returned")


@then("the CPO receives the request and its answer returns to the eMSP")
def delivered(case: Case) -> None:
    verify(case, "ocpi.network.message_delivered")


@then("the node refuses the message and nothing reaches the CPO")
def refused(case: Case) -> None:
    verify(case, "ocpi.network.forged_refused")
