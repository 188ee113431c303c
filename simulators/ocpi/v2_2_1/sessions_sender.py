"""The Sessions module: the CPO's Sender interface (mod_sessions_cpo_interface): the GET of its Sessions, and
the PUT of a driver's charging preferences for one of them (sessions_preferences.py)."""

from __future__ import annotations

from simulators.ocpi.v2_2_1.pulled import register_list_sender
from simulators.ocpi.v2_2_1.sessions_preferences import preference_routes

register_list_sender("sessions", frozenset({"CPO"}), more=preference_routes)
