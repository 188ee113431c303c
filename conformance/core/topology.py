"""A run's topology: named nodes and the links between them.

A node is one platform on the roaming network: a system under test, one of roamcert's own parties, and (from the
hub and network issues on) a hub, a network node or a clearing house. Each holds one or several parties (a role,
and where known its country code and party id) and speaks one protocol version. A link says two nodes talk to each
other directly. The SUT may be anywhere in the graph; several SUT platforms may take part in one run.

The topology is data: protocol packages build it from the target and their actors, then look nodes up by name,
kind or party role instead of keeping one partner per role.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Link", "Node", "NodeKind", "PartyRef", "Topology", "TopologyError"]


class TopologyError(ValueError):
    """The topology is inconsistent: a name twice, a link to no node, a lookup that finds nothing or too much."""


class NodeKind(enum.StrEnum):
    SUT = "SUT"  # a platform under test
    ROAMCERT = "ROAMCERT"  # one of roamcert's own platforms, facing the SUT
    HUB = "HUB"
    NETWORK_NODE = "NETWORK_NODE"
    CLEARING_HOUSE = "CLEARING_HOUSE"


@dataclass(frozen=True)
class PartyRef:
    """A party a node holds: its role, and its identity where known."""

    role: str
    country_code: str | None = None
    party_id: str | None = None

    def __str__(self) -> str:
        who = f" {self.country_code}/{self.party_id}" if self.country_code and self.party_id else ""
        return f"{self.role}{who}"


@dataclass(frozen=True)
class Node:
    name: str
    kind: NodeKind
    protocol: str
    version: str
    parties: tuple[PartyRef, ...]
    address: str | None = None  # where it is reached (a versions URL, a SOAP endpoint), when it is reached at all

    @property
    def roles(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(p.role for p in self.parties))

    def describe(self) -> dict[str, Any]:
        return {"name": self.name, "kind": self.kind.value, "protocol": self.protocol, "version": self.version,
                "parties": [str(p) for p in self.parties], "address": self.address}


@dataclass(frozen=True)
class Link:
    a: str
    b: str

    def touches(self, name: str) -> bool:
        return name in (self.a, self.b)

    def other(self, name: str) -> str:
        return self.b if name == self.a else self.a


@dataclass
class Topology:
    nodes: dict[str, Node] = field(default_factory=dict)
    links: list[Link] = field(default_factory=list)

    def add(self, node: Node) -> Node:
        if node.name in self.nodes:
            raise TopologyError(f"two nodes are named {node.name!r}")
        self.nodes[node.name] = node
        return node

    def link(self, a: str, b: str) -> Link:
        for name in (a, b):
            if name not in self.nodes:
                raise TopologyError(f"a link names the node {name!r}, which the topology does not hold")
        made = Link(a, b)
        if not any({x.a, x.b} == {a, b} for x in self.links):
            self.links.append(made)
        return made

    def __iter__(self) -> Iterator[Node]:
        return iter(self.nodes.values())

    def of_kind(self, kind: NodeKind) -> list[Node]:
        return [n for n in self if n.kind is kind]

    def holding(self, role: str, kind: NodeKind) -> Node:
        """The one node of ``kind`` holding a party with ``role``."""
        found = [n for n in self.of_kind(kind) if role in n.roles]
        if len(found) != 1:
            raise TopologyError(f"{len(found) or 'no'} {kind.value} node(s) hold the role {role}"
                                + (f": {', '.join(n.name for n in found)}" if found else ""))
        return found[0]

    def linked(self, name: str, kind: NodeKind | None = None) -> list[Node]:
        """The nodes linked to ``name`` (of ``kind``, when given)."""
        return [self.nodes[x.other(name)] for x in self.links if x.touches(name)
                and (kind is None or self.nodes[x.other(name)].kind is kind)]

    def describe(self) -> dict[str, Any]:
        """The topology as it may appear in a results file or a report."""
        return {"nodes": [n.describe() for n in self], "links": [[x.a, x.b] for x in self.links]}

    @classmethod
    def of(cls, nodes: Iterable[Node], links: Iterable[tuple[str, str]] = ()) -> Topology:
        made = cls()
        for node in nodes:
            made.add(node)
        for a, b in links:
            made.link(a, b)
        return made
