"""Registers an OCPI 2.2.1 fault profile."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from simulators.behaviours import PROFILES, Profile, Replacement
from simulators.ocpi.v2_2_1 import VERSION

__all__ = ["profile"]


def profile(name: str, description: str, *, roles: tuple[str, ...] = ("CPO", "EMSP"), trips: tuple[str, ...] = (),
            shows_in: tuple[str, ...] = (), replaces: Iterable[Replacement[Any]] = (),
            module: str | None = None, topology: str = "direct") -> Profile:
    """Register a fault profile: the behaviours it ``replaces`` (its module is that of the first, unless given),
    the check ids it ``trips``, and ``shows_in`` the modules whose scenarios show a fault that trips only general
    checks (ocpi.status.expected, ...), for the self-test to run; ``topology`` "hub" when the fault shows only with
    the platform behind roamcert's hub."""
    replacements = tuple(replaces)
    owner = module or (replacements[0].point.module if replacements else "transport")
    return PROFILES.register(Profile(name=name, description=description, protocol="OCPI", version=VERSION,
                                     module=owner, roles=frozenset(roles), replacements=replacements,
                                     trips=frozenset(trips), shows_in=frozenset(shows_in),
                                     topology=topology))
