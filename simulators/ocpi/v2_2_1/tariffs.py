"""The Tariffs module: the CPO's Sender interface (mod_tariffs_cpo_interface)."""

from __future__ import annotations

from simulators.ocpi.v2_2_1.pulled import register_list_sender

register_list_sender("tariffs", frozenset({"CPO"}))
