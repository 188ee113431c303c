"""A reference node of a roaming network: a reference hub for the parties connected to it, which passes the
requests for any other party to that party's node as the registry lists it, and takes such requests from the
other nodes."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import httpx

from conformance.network.registry_client import RegistryClient
from simulators.behaviours import Behaviours, Replacement
from simulators.ocpi.party import Identity, Party
from simulators.ocpi.v2_2_1.hub import reference_hub
from simulators.ocpi.v2_2_1.hub.delivery import BEYOND, Beyond
from simulators.ocpi.v2_2_1.node.outbound import elsewhere
from simulators.ocpi.v2_2_1.node.points import REGISTRY_MAX_AGE
from simulators.ocpi.v2_2_1.node.services import copy_to_services
from simulators.ocpi.v2_2_1.node.signatures import check_signature
from simulators.ocpi.v2_2_1.node.state import NodeState

__all__ = ["reference_node"]


def reference_node(base_url: str, *, key: str, registry_url: str, identity: Identity, profile: str = "conformant",
                   timeout: float = 5.0, registry_max_age: float = 1.0, signatures: bool = False,
                   faults: Iterable[Replacement[Any]] = ()) -> Party:
    """A node at ``base_url`` (the domain it is listed under in the registry at ``registry_url``), its messages
    signed with the operator's ``key``, reporting itself as the hub party ``identity``; with ``signatures`` it
    forwards only requests their sender signed; ``faults`` replace node behaviours (simulators/ocpi/v2_2_1/node/
    points.py) beyond what ``profile`` replaces. Its outbound HTTP client (``party.http_factory``) also reads the
    registry."""
    node = reference_hub(base_url, identity=identity, profile=profile, timeout=timeout)
    node.behaviours = node.behaviours + Behaviours(faults)

    def http() -> httpx.AsyncClient:
        if node.http_factory is None:
            raise RuntimeError("the node has no outbound HTTP client (set party.http_factory)")
        client: httpx.AsyncClient = node.http_factory()
        return client

    registry = RegistryClient(http, registry_url, max_age=node.behaviours(REGISTRY_MAX_AGE)(registry_max_age))
    node.state["node"] = NodeState(key=key, domain=base_url.rstrip("/"), registry=registry,
                                   signatures_required=signatures)
    node.state[BEYOND] = Beyond(vet=check_signature, elsewhere=elsewhere, copies=copy_to_services)
    return node
