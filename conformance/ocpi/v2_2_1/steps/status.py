"""Steps on status codes: a body that is not JSON."""

from __future__ import annotations

from pytest_bdd import then, when

from conformance.core.case import Case
from conformance.ocpi.v2_2_1.flows import status as flows
from conformance.ocpi.v2_2_1.steps.verify import verify

when("roamcert sends the SUT a request whose body is not valid JSON")(flows.send_invalid_json)


@then("the SUT answers HTTP 400 Bad Request")
def bad_request(case: Case) -> None:
    verify(case, "ocpi.status.invalid_json")
