"""What a system under test declared about itself, next to what a run tested: the part of the verdict that says
what was seen and what was not.

A protocol package reads the declaration (for OCPI: the versions list and the version details) and hands one
:class:`Declaration` per SUT platform to the results writer; the catalogue of the protocol version says which
module interfaces a party role usually implements. Nothing here knows a protocol.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["EXERCISED", "VERSION_NOT_OFFERED", "Declaration", "Interface", "platform_record"]

#: The run's verdict when a SUT platform does not offer the protocol version under test at all.
VERSION_NOT_OFFERED = "VERSION_NOT_OFFERED"
#: Test case outcomes that show an interface was exercised (the SUT was judged on it).
EXERCISED = frozenset({"PASS", "FAIL"})

Interface = tuple[str, str]  # (module, interface role), e.g. ("locations", "SENDER")


@dataclass(frozen=True)
class Declaration:
    """One SUT platform as the run saw it."""

    platform: str  # its node name in the run's topology
    roles: tuple[str, ...]  # the party roles the target says it holds
    version: str  # the protocol version under test
    versions_offered: tuple[str, ...] | None  # the versions it lists (None: never read)
    interfaces: tuple[Interface, ...] | None  # what it declares for the version under test (None: never read)
    connection: str  # how roamcert reached its modules: "registered", "pre-registered" or "none"

    @property
    def version_offered(self) -> bool | None:
        """Whether it offers the version under test (None: its versions were never read)."""
        return None if self.versions_offered is None else self.version in self.versions_offered


def _listed(interfaces: Iterable[Interface]) -> list[dict[str, str]]:
    return [{"module": module, "interface_role": role} for module, role in interfaces]


def platform_record(declaration: Declaration, tested: Mapping[Interface, Counter[str]],
                    usual: Mapping[str, Sequence[Interface]]) -> dict[str, Any]:
    """The summary's entry for one platform: what it declared, what was tested (test case outcomes per module
    interface, for the party roles it holds), what it declared but no test case exercised, and what its roles
    usually implement but it did not declare."""
    declared = declaration.interfaces
    exercised = {key for key, counts in tested.items() if EXERCISED & set(counts)}
    usual_for = list(dict.fromkeys(i for role in declaration.roles for i in usual.get(role, ())))
    return {
        "platform": declaration.platform,
        "roles": list(declaration.roles),
        "version": declaration.version,
        "versions_offered": None if declaration.versions_offered is None else list(declaration.versions_offered),
        "version_offered": declaration.version_offered,
        "connection": declaration.connection,
        "declared": None if declared is None else _listed(declared),
        "tested": [{"module": module, "interface_role": role, "outcomes": dict(sorted(tested[(module, role)].items()))}
                   for module, role in sorted(tested)],
        "declared_not_tested": None if declared is None else _listed(i for i in declared if i not in exercised),
        "usual_not_declared": None if declared is None else _listed(i for i in usual_for if i not in declared),
    }
