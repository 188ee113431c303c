"""Steps shared by every OCPI scenario: the SUT's role, registration, declared modules."""

from __future__ import annotations

import pytest
from pytest_bdd import given, parsers

from conformance.core.case import Case
from conformance.core.errors import NotApplicable
from conformance.ocpi.context import Context
from conformance.ocpi.harness import Connection, Harness
from conformance.ocpi.v2_2_1.flows.registration import ensure_registered


@given(parsers.parse("the system under test holds the party role {role}"), target_fixture="sut_role")
def sut_holds_role(harness: Harness, case: Case, role: str) -> str:
    role = role.strip().upper()
    case.meta["role"] = role
    if role not in harness.target.platforms:
        raise NotApplicable(f"the SUT does not hold the party role {role} (target roles: "
                            f"{', '.join(harness.target.roles)})")
    return role


@pytest.fixture
def ctx(harness: Harness, case: Case, sut_role: str) -> Context:
    """What every step after the SUT's role acts in (the role comes from the step before)."""
    return Context(harness, case, sut_role)


given("roamcert is registered with the SUT", target_fixture="conn")(ensure_registered)


@given(parsers.re(r"the SUT implements (?P<module>[a-z_]+) as (?P<interface>SENDER|RECEIVER)"))
def implements_as(conn: Connection, module: str, interface: str) -> None:
    if conn.endpoint(module, interface) is None:
        raise NotApplicable(f"the SUT's version details declare no {module} {interface} endpoint")
