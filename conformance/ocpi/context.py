"""Where an OCPI flow acts: one object for what every flow and step used to take as four arguments."""

from __future__ import annotations

from dataclasses import dataclass

from conformance.core.case import Case
from conformance.ocpi.harness import Connection, Harness
from simulators.ocpi.party import Identity, Party

__all__ = ["Context"]


@dataclass(frozen=True)
class Context:
    """The harness of the run, the test case that is running, and the party role of the SUT it faces."""

    harness: Harness
    case: Case
    sut_role: str

    @property
    def conn(self) -> Connection:
        """roamcert's connection to the SUT platform holding ``sut_role`` (registered or not yet)."""
        return self.harness.connection(self.sut_role)

    @property
    def partner(self) -> Party:
        """roamcert's platform facing the SUT: the node the topology links to the SUT's."""
        return self.harness.partner(self.sut_role)

    @property
    def partner_identity(self) -> Identity:
        """The party roamcert plays opposite the SUT (its CPO when the SUT is an eMSP)."""
        return self.harness.partner_identity(self.sut_role)
