"""Steps on real-time authorization against the state of a Location (an eMSP under test)."""

from __future__ import annotations

from typing import Any

from pytest_bdd import then, when

from conformance.core.case import Case
from conformance.ocpi.context import Context
from conformance.ocpi.v2_2_1.flows import authorization as flows
from conformance.ocpi.v2_2_1.steps.verify import verify


@when("roamcert asks the eMSP to authorize a valid Token at a Location it pushed open, then pushed closed")
def closed_location(ctx: Context, known_tokens: list[dict[str, Any]]) -> None:
    flows.authorize_at_closed_location(ctx, known_tokens)


@then("the eMSP answers the same for the closed Location as for the open one")
def same_answer(case: Case) -> None:
    verify(case, "ocpi.tokens.authorize_regardless_of_state", "ocpi.schema.data")
