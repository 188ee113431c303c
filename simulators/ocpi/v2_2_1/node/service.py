"""A reference third-party service of a roaming network: a platform of role OTHER that receives, as copies from
the nodes, the requests of the parties that granted it (a settlement service receiving CDRs, say). It offers
the reference Receiver interfaces of the modules it asks permission for, and keeps what reaches it."""

from __future__ import annotations

from dataclasses import replace

from simulators.behaviours import PROFILES
from simulators.ocpi.modules import MODULES, ModuleRegistry, load_versions
from simulators.ocpi.party import Identity, Party
from simulators.ocpi.v2_2_1 import VERSION

__all__ = ["reference_service"]


def reference_service(identity: Identity, base_url: str, interfaces: tuple[tuple[str, str], ...]) -> Party:
    """The service ``identity`` at ``base_url``, offering the reference implementation of each (module,
    interface) in ``interfaces`` (from the platforms that implement it)."""
    load_versions()
    offered = ModuleRegistry()
    known = MODULES.for_party("OCPI", VERSION, ("CPO", "EMSP", "NSP", "SCSP"))
    for module, interface in (*interfaces, *((i.module, i.role) for i in known if i.module == "credentials")):
        impl = next((i for i in known if (i.module, i.role) == (module, interface)), None)
        if impl is None:
            raise ValueError(f"no reference implementation of {module} {interface}")
        offered.register(replace(impl, party_roles=frozenset({identity.role})))
    return Party(identities=(identity,), base_url=base_url.rstrip("/"), behaviours=PROFILES.compose("conformant"),
                 speaks=VERSION, modules=offered)
