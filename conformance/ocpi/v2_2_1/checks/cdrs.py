"""Checks on CDRs (mod_cdrs)."""

from __future__ import annotations

from conformance.ocpi.v2_2_1.checks._registrar import declare

PRICE = declare("ocpi.cdrs.price")
PERIOD_PER_PRICE_CHANGE = declare("ocpi.cdrs.period_per_price_change")
