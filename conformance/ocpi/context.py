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
    def registrar(self) -> Party:
        """roamcert's platform on the SUT's connection: it registers with the SUT (or the SUT with it) and holds
        the SUT as its peer. The partner peer to peer; roamcert's hub in topology "hub", while the partner, behind
        the hub, stays the party the flows act as and read what it received."""
        return self.harness.registrar(self.sut_role)

    def as_reached(self, url: str, module: str, interface: str) -> str:
        """A URL of the partner's ``module`` ``interface`` as the SUT reaches it: through roamcert's hub, the hub's
        endpoint of the same module and interface with the path below it kept (the hub forwards it there)."""
        registrar, partner = self.registrar, self.partner
        own = partner.module_url(partner.speaks, module, interface)
        if registrar is partner or not url.startswith(own):
            return url
        return registrar.module_url(registrar.speaks, module, interface) + url.removeprefix(own)

    def as_forwarded(self, url: str, module: str, interface: str) -> str:
        """A URL at roamcert's hub of ``module`` ``interface`` (one the SUT gave, such as a response_url) as the
        hub forwards it to the SUT: at the SUT's endpoint of the same module and interface, the path below kept."""
        registrar = self.registrar
        hub = registrar.module_url(registrar.speaks, module, interface)
        sut = self.conn.endpoint(module, interface)
        if registrar is self.partner or sut is None or not url.startswith(hub):
            return url
        return sut.rstrip("/") + url.removeprefix(hub)

    @property
    def partner_identity(self) -> Identity:
        """The party roamcert plays opposite the SUT (its CPO when the SUT is an eMSP)."""
        return self.harness.partner_identity(self.sut_role)
