"""The CDRs module: the CPO's Sender interface (mod_cdrs_cpo_interface)."""

from __future__ import annotations

from simulators.ocpi.v2_2_1.pulled import register_list_sender

register_list_sender("cdrs", frozenset({"CPO"}))
