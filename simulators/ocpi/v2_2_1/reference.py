"""The OCPI 2.2.1 reference platforms: a CPO, an eMSP, an SCSP, or one platform holding several; conformant by
default. Ask for one through simulators/ocpi/references.py."""

from __future__ import annotations

from simulators.ocpi.party import Identity, Party
from simulators.ocpi.profiles import PROFILES
from simulators.ocpi.references import (
    IDENTITIES,
    parse_roles,
    reference_builder,
    reference_node_builder,
    reference_party,
)
from simulators.ocpi.v2_2_1 import VERSION
from simulators.ocpi.v2_2_1 import durable as _durable  # noqa: F401  (registers what a served reference keeps)
from simulators.ocpi.v2_2_1 import durable_cpo as _durable_cpo  # noqa: F401  (and what its CPO keeps of its own)
from simulators.ocpi.v2_2_1.hub import HUB_ROLE, reference_hub
from simulators.ocpi.v2_2_1.node import reference_node
from simulators.ocpi.v2_2_1.pricing import CUT_PERIODS, cdr_pricer
from simulators.ocpi.v2_2_1.seed.cdrs import seed_cdrs
from simulators.ocpi.v2_2_1.seed.locations import seed_locations
from simulators.ocpi.v2_2_1.seed.sessions import seed_sessions
from simulators.ocpi.v2_2_1.seed.tariffs import seed_tariffs
from simulators.ocpi.v2_2_1.seed.tokens import seed_tokens
from simulators.ocpi.v2_2_1.served import SERVED

__all__ = ["IDENTITIES", "build_reference", "parse_roles", "reference_party"]

reference_node_builder(VERSION)(reference_node)  # a node of a roaming network (docs/network.md)


@reference_builder(VERSION)
def build_reference(identities: tuple[Identity, ...], base_url: str, profile: str, seed: bool) -> Party:
    """An OCPI 2.2.1 reference platform of ``identities`` with (unless ``seed`` is false) its seed data, and the
    named fault profile; the identity HUB alone is the reference hub (a hub holds no other role)."""
    if HUB_ROLE in (identity.role for identity in identities):
        if len(identities) > 1:
            raise ValueError("a hub reports itself only as role HUB (credentials_credentials_object): it shares its "
                             "platform with no other role")
        return reference_hub(base_url, identity=identities[0], profile=profile)
    party = Party(identities=identities, base_url=base_url, behaviours=PROFILES.compose(profile),
                  speaks=VERSION)
    if seed and "CPO" in party.roles:
        cpo = party.identity("CPO")
        locations = seed_locations(country_code=cpo.country_code, party_id=cpo.party_id)
        tariffs = seed_tariffs(country_code=cpo.country_code, party_id=cpo.party_id)
        party.owned["locations"] = locations
        party.owned["tariffs"] = tariffs
        party.owned["cdrs"] = seed_cdrs(locations, tariffs, cdr_pricer(party.behaviours),
                                        country_code=cpo.country_code, party_id=cpo.party_id,
                                        cut=party.behaviours(CUT_PERIODS))
        party.owned["sessions"] = seed_sessions(party.owned["cdrs"])
        for module, served in SERVED.items():
            party.owned[module] = party.behaviours(served)(party.owned[module])
    if seed and "EMSP" in party.roles:
        emsp = party.identity("EMSP")
        party.owned["tokens"] = seed_tokens(country_code=emsp.country_code, party_id=emsp.party_id)
    return party
