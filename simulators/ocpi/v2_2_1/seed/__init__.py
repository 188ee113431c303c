"""Deterministic seed data for roamcert's reference CPO simulator."""

from simulators.ocpi.v2_2_1.seed.locations import seed_locations, seed_tariff_ids

__all__ = ["seed_locations", "seed_tariff_ids"]
