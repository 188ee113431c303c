"""The reference CPO and eMSP: conformant by default, faulty on request."""

from __future__ import annotations

from simulators.ocpi.party import Party
from simulators.ocpi.profiles import get_profile
from simulators.ocpi.seed.locations import seed_locations

__all__ = ["reference_party"]

IDENTITIES = {
    "CPO": ("NL", "RCP", "roamcert reference CPO"),
    "EMSP": ("NL", "REM", "roamcert reference eMSP"),
}


def reference_party(role: str, *, base_url: str, profile: str = "conformant") -> Party:
    """A reference platform for ``role`` (CPO or EMSP) with its seed data and the named fault profile."""
    role = role.upper()
    if role not in IDENTITIES:
        raise ValueError(f"no reference platform for role {role!r}; choose one of {', '.join(IDENTITIES)}")
    country_code, party_id, name = IDENTITIES[role]
    party = Party(role=role, country_code=country_code, party_id=party_id, name=name, base_url=base_url.rstrip("/"),
                  faults=get_profile(profile).faults())
    if role == "CPO":
        party.owned["locations"] = seed_locations(country_code=country_code, party_id=party_id)
    return party
