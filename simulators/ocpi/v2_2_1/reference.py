"""The reference platforms: a CPO, an eMSP, or one platform holding both; conformant by default."""

from __future__ import annotations

from collections.abc import Iterable

from simulators.ocpi.party import Identity, Party
from simulators.ocpi.profiles import get_profile
from simulators.ocpi.v2_2_1.pricing import cdr_pricer
from simulators.ocpi.v2_2_1.seed.cdrs import seed_cdrs
from simulators.ocpi.v2_2_1.seed.locations import seed_locations
from simulators.ocpi.v2_2_1.seed.sessions import seed_sessions
from simulators.ocpi.v2_2_1.seed.tariffs import seed_tariffs
from simulators.ocpi.v2_2_1.seed.tokens import seed_tokens
from simulators.ocpi.v2_2_1.sender_faults import bend_senders

__all__ = ["IDENTITIES", "parse_roles", "reference_party"]

IDENTITIES = {
    "CPO": Identity("CPO", "NL", "RCP", "roamcert reference CPO"),
    "EMSP": Identity("EMSP", "NL", "REM", "roamcert reference eMSP"),
    "SCSP": Identity("SCSP", "NL", "RSC", "roamcert reference SCSP"),
}


def parse_roles(roles: str | Iterable[str]) -> tuple[str, ...]:
    """'CPO', 'cpo+emsp' or ['CPO', 'EMSP'] -> ('CPO', 'EMSP'), checked against the roles we can play."""
    names = roles.replace("+", ",").split(",") if isinstance(roles, str) else list(roles)
    parsed = tuple(dict.fromkeys(name.strip().upper() for name in names if name.strip()))
    unknown = [role for role in parsed if role not in IDENTITIES]
    if not parsed or unknown:
        raise ValueError(f"no reference platform for role(s) {unknown or list(names)}; "
                         f"choose from {', '.join(IDENTITIES)}")
    return parsed


def reference_party(roles: str | Iterable[str], *, base_url: str, profile: str = "conformant",
                    seed: bool = True) -> Party:
    """A reference platform holding ``roles`` with (unless ``seed`` is false) its seed data, and the named
    fault profile."""
    identities = tuple(IDENTITIES[role] for role in parse_roles(roles))
    party = Party(identities=identities, base_url=base_url.rstrip("/"), faults=get_profile(profile).faults())
    if seed and "CPO" in party.roles:
        cpo = party.identity("CPO")
        locations = seed_locations(country_code=cpo.country_code, party_id=cpo.party_id)
        tariffs = seed_tariffs(country_code=cpo.country_code, party_id=cpo.party_id)
        party.owned["locations"] = locations
        party.owned["tariffs"] = tariffs
        party.owned["cdrs"] = seed_cdrs(locations, tariffs, cdr_pricer(party.faults),
                                        country_code=cpo.country_code, party_id=cpo.party_id,
                                        split_periods=not party.faults.cdr_periods_unsplit)
        party.owned["sessions"] = seed_sessions(party.owned["cdrs"])
        bend_senders(party.faults, party.owned)
    if seed and "EMSP" in party.roles:
        emsp = party.identity("EMSP")
        party.owned["tokens"] = seed_tokens(country_code=emsp.country_code, party_id=emsp.party_id)
    return party
