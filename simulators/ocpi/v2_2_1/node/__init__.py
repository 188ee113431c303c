"""A reference node of a roaming network as the Open Charging Network runs one (docs/network.md): a reference
hub for its own parties, plus node-to-node forwarding by the registry."""

from simulators.ocpi.v2_2_1.node import custom as _custom  # registers /ocpi/custom/... on nodes
from simulators.ocpi.v2_2_1.node import inbound as _inbound  # registers POST /ocn/message on nodes
from simulators.ocpi.v2_2_1.node.builder import reference_node
from simulators.ocpi.v2_2_1.node.state import NodeState, node_state

__all__ = ["NodeState", "node_state", "reference_node"]

del _custom, _inbound
