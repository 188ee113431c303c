"""The fault profiles of the reference OCPI platforms, registered by each version package
(simulators/ocpi/v2_2_1/profiles/) in the registry of simulators/behaviours.py."""

from __future__ import annotations

from simulators.behaviours import PROFILES, Profile
from simulators.ocpi.modules import load_versions

__all__ = ["PROFILES", "get_profile"]


def get_profile(name: str) -> Profile:
    load_versions()
    try:
        return PROFILES[name]
    except KeyError:
        known = ", ".join(sorted(PROFILES))
        raise KeyError(f"unknown fault profile {name!r}; known profiles: {known}") from None


load_versions()  # the version packages register their profiles; whoever imports PROFILES sees them all
