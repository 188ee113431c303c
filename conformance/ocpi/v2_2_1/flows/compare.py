"""Comparing what roamcert pushed with what a Receiver returns now lives with the checks that judge it
(checks/_compare.py); kept here for the flows that still import it from flows (flows/charging.py)."""

from __future__ import annotations

from conformance.ocpi.v2_2_1.checks._compare import CI_KEYS, differences

__all__ = ["CI_KEYS", "differences"]
