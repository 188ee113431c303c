"""The reference hub: a Party whose routes and version details come from the hub's own module registry."""

from __future__ import annotations

from collections.abc import Iterable

from simulators.behaviours import PROFILES, Behaviours
from simulators.ocpi.modules import load_versions
from simulators.ocpi.party import Identity, Party
from simulators.ocpi.references import IDENTITIES
from simulators.ocpi.v2_2_1 import VERSION
from simulators.ocpi.v2_2_1.hub.clientinfo import plan
from simulators.ocpi.v2_2_1.hub.credentials import CONNECTED_WHEN_REGISTERED
from simulators.ocpi.v2_2_1.hub.registry import HUB_MODULES, HUB_ROLE
from simulators.ocpi.v2_2_1.hub.table import ExpectedParty, HubState

__all__ = ["HUB", "reference_hub"]

HUB = IDENTITIES[HUB_ROLE]


def reference_hub(base_url: str, *, identity: Identity = HUB, profile: str = "conformant",
                  timeout: float = 5.0, expected: Iterable[ExpectedParty] = (),
                  still_alive: float = 0.0) -> Party:
    """A hub at ``base_url`` reporting itself as the one party ``identity`` of role HUB (credentials: a Hub
    reports itself only as role Hub), answering 4002 when a forwarded request takes more than ``timeout`` s,
    listing the ``expected`` parties PLANNED until they register, and, while served (the app's lifespan), running
    the still-alive check every ``still_alive`` seconds (0: only when asked)."""
    if identity.role != HUB_ROLE:
        raise ValueError(f"a hub reports itself as role {HUB_ROLE}, not {identity.role}")
    if still_alive < 0:
        raise ValueError("the still-alive interval is 0 (none) or a number of seconds")
    load_versions()  # the fault profiles of every version are registered
    behaviours = Behaviours([CONNECTED_WHEN_REGISTERED]) + PROFILES.compose(profile)  # the hub's own, then faults
    hub = Party(identities=(identity,), base_url=base_url.rstrip("/"), behaviours=behaviours,
                speaks=VERSION, modules=HUB_MODULES)
    hub.state["hub"] = HubState(timeout=timeout, still_alive=still_alive)
    plan(hub, expected)
    return hub
