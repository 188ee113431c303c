"""Where an OCPI flow acts: one object for what every flow and step used to take as four arguments."""

from __future__ import annotations

from dataclasses import dataclass

from conformance.core.case import Case
from conformance.ocpi.harness import Connection, Harness

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
