"""The reference OCPI 2.2.1 Hub (docs/hub.md): platforms register with it through the credentials handshake, and
it routes their requests (transport_and_format_message_routing) and keeps them informed of each other
(mod_hub_client_info_module). Importing the package registers its module implementations and what a served hub
keeps in its store."""

from simulators.ocpi.v2_2_1.hub import clientinfo, credentials, durable, routes  # noqa: F401  (register them)
from simulators.ocpi.v2_2_1.hub.builder import HUB, reference_hub
from simulators.ocpi.v2_2_1.hub.registry import HUB_MODULES, HUB_ROLE
from simulators.ocpi.v2_2_1.hub.table import ExpectedParty

__all__ = ["HUB", "HUB_MODULES", "HUB_ROLE", "ExpectedParty", "reference_hub"]
