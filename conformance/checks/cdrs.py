"""Checks on CDRs (mod_cdrs)."""

from __future__ import annotations

from conformance.checks.registry import declare

PRICE = declare("ocpi.cdrs.price", requirements=["OCPI-2.2.1-CDR-01"], spec="mod_cdrs#mod_cdrs_cdr_object",
                title="Every CDR's costs are what the CPO's own tariffs give for its charging periods "
                      "(recomputed by roamcert's reference tariff engine)")
PERIOD_PER_PRICE_CHANGE = declare(
    "ocpi.cdrs.period_per_price_change", requirements=["OCPI-2.2.1-CDR-S-08"],
    spec="mod_cdrs#mod_cdrs_charging_period",
    title="A CDR starts a new charging period where its price changes by the clock (time of day, day, session "
          "duration), within a minute")
