"""The registry of OCPI module implementations, keyed by (protocol, version, module, interface role).

Module files register themselves at import time. A party's /versions and
version-details answers are derived from this registry, never hand-listed.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from starlette.routing import BaseRoute

if TYPE_CHECKING:
    from simulators.ocpi.party import Party

__all__ = ["MODULES", "PLATFORM_ROUTES", "ModuleImpl", "ModuleRegistry", "load_versions"]

RouteFactory = Callable[["Party"], list[BaseRoute]]


@dataclass(frozen=True)
class ModuleImpl:
    protocol: str
    version: str
    module: str  # ModuleID
    role: str  # InterfaceRole: SENDER or RECEIVER
    party_roles: frozenset[str]  # party roles (CPO, EMSP, ...) that implement this side
    routes: RouteFactory

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.protocol, self.version, self.module, self.role)


class ModuleRegistry:
    def __init__(self) -> None:
        self._impls: dict[tuple[str, str, str, str], ModuleImpl] = {}

    def register(self, impl: ModuleImpl) -> None:
        if impl.key in self._impls:
            raise ValueError(f"module implementation {impl.key} registered twice")
        self._impls[impl.key] = impl

    def for_party(self, protocol: str, version: str, party_roles: tuple[str, ...]) -> list[ModuleImpl]:
        """The implementations a platform holding ``party_roles`` offers (each module side once)."""
        return [
            impl
            for key, impl in sorted(self._impls.items())
            if key[0] == protocol and key[1] == version and impl.party_roles & set(party_roles)
        ]

    def versions(self, protocol: str) -> list[str]:
        return sorted({key[1] for key in self._impls if key[0] == protocol})

    def extended(self, *impls: ModuleImpl) -> ModuleRegistry:
        """A registry with this one's implementations and ``impls`` (a platform that also offers a module its
        partners agreed on, one OCPI does not define)."""
        extended = ModuleRegistry()
        extended._impls = dict(self._impls)
        for impl in impls:
            extended.register(impl)
        return extended


MODULES = ModuleRegistry()

# Routes a version package adds to every platform beside its modules' (its OpenAPI documents): each factory is
# given the platform and returns the routes it serves, none when the platform does not speak that version.
PLATFORM_ROUTES: list[RouteFactory] = []


@cache
def load_versions() -> None:
    """Import every version package of simulators.ocpi (``v2_2_1``, ...) and each module file in it, so that they
    register their interfaces, trigger hooks and reference platforms (a new version needs no edit here)."""
    import simulators.ocpi as ocpi

    for package in pkgutil.iter_modules(ocpi.__path__):
        if package.ispkg and re.fullmatch(r"v\d+(_\d+)*", package.name):
            loaded = importlib.import_module(f"{ocpi.__name__}.{package.name}")
            for module in pkgutil.iter_modules(loaded.__path__):
                importlib.import_module(f"{loaded.__name__}.{module.name}")
