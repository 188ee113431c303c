"""The reference hub: a Party whose routes and version details come from the hub's own module registry."""

from __future__ import annotations

from simulators.behaviours import PROFILES, Behaviours
from simulators.ocpi.modules import load_versions
from simulators.ocpi.party import Identity, Party
from simulators.ocpi.references import IDENTITIES
from simulators.ocpi.v2_2_1 import VERSION
from simulators.ocpi.v2_2_1.hub.credentials import CONNECTED_WHEN_REGISTERED
from simulators.ocpi.v2_2_1.hub.registry import HUB_MODULES, HUB_ROLE
from simulators.ocpi.v2_2_1.hub.table import HubState

__all__ = ["HUB", "reference_hub"]

HUB = IDENTITIES[HUB_ROLE]


def reference_hub(base_url: str, *, identity: Identity = HUB, profile: str = "conformant",
                  timeout: float = 5.0) -> Party:
    """A hub at ``base_url`` reporting itself as the one party ``identity`` of role HUB (credentials: a Hub
    reports itself only as role Hub), answering 4002 when a forwarded request takes more than ``timeout`` s."""
    if identity.role != HUB_ROLE:
        raise ValueError(f"a hub reports itself as role {HUB_ROLE}, not {identity.role}")
    load_versions()  # the fault profiles of every version are registered
    behaviours = Behaviours([CONNECTED_WHEN_REGISTERED]) + PROFILES.compose(profile)  # the hub's own, then faults
    hub = Party(identities=(identity,), base_url=base_url.rstrip("/"), behaviours=behaviours,
                speaks=VERSION, modules=HUB_MODULES)
    hub.state["hub"] = HubState(timeout=timeout)
    return hub
