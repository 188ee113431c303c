"""Checks of the HubClientInfo module (mod_hub_client_info): a party connected to a Hub, under test as Receiver,
keeps the ClientInfo objects roamcert pushes as the Hub would. Evaluated by
conformance/ocpi/v2_2_1/flows/hubclientinfo.py."""

from __future__ import annotations

from collections.abc import Iterator

from conformance.core.checks import Problem
from conformance.ocpi.v2_2_1.checks._compare import data_of
from conformance.ocpi.v2_2_1.checks._receiver import ReadBacks, Refusal, readbacks_problems, status_code_of
from conformance.ocpi.v2_2_1.checks._registrar import evidence_check
from conformance.ocpi.v2_2_1.checks._util import short

HCI = "mod_hub_client_info"


@evidence_check("ocpi.hubclientinfo.stored")
def stored(evidence: ReadBacks) -> Iterator[Problem]:
    yield from readbacks_problems(evidence)


@evidence_check("ocpi.hubclientinfo.status_updated")
def status_updated(evidence: ReadBacks) -> Iterator[Problem]:
    """Every later ClientInfo of the same party replaced the one before."""
    yield from readbacks_problems(evidence)


@evidence_check("ocpi.hubclientinfo.invalid_refused")
def invalid_refused(evidence: Refusal) -> Iterator[Problem]:
    """A ClientInfo without role and with a status outside ConnectionStatus was refused (2xxx) and not stored."""
    push, back = evidence.push, evidence.back
    code = status_code_of(push)
    if not isinstance(code, int) or not 2000 <= code < 3000:
        yield Problem("A ClientInfo without role and with status ONLINE was accepted", "a 2xxx status_code (2001)",
                      f"HTTP {push.status}, status_code {short(code)}")
    if back is not None and back.status is not None and back.status < 300 and isinstance(data_of(back), dict):
        yield Problem(f"The invalid {evidence.what} was stored", f"no such {evidence.what}",
                      f"HTTP {back.status} with {short(data_of(back))}", evidence=(back.id,))
