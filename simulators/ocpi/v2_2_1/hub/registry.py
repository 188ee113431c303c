"""The hub's own module registry: the hub offers every functional module on both sides, under the same
(protocol, version, module, interface role) keys as the platforms' implementations, so it keeps them apart."""

from __future__ import annotations

from simulators.ocpi.modules import ModuleRegistry

__all__ = ["FUNCTIONAL_MODULES", "HUB_MODULES", "HUB_ROLE", "INTERFACES"]

HUB_ROLE = "HUB"
HUB_MODULES = ModuleRegistry()
# The modules whose requests are routed (transport_and_format_message_routing_headers); versions, credentials and
# hubclientinfo are configuration modules between a platform and the hub, never routed.
FUNCTIONAL_MODULES = ("cdrs", "chargingprofiles", "commands", "locations", "sessions", "tariffs", "tokens")
INTERFACES = ("SENDER", "RECEIVER")
