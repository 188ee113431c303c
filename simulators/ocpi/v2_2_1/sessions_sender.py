"""The Sessions module: the CPO's Sender interface, the GET of its Sessions (mod_sessions_cpo_interface).

Setting charging preferences (the PUT of the Sender interface) is not simulated.
"""

from __future__ import annotations

from simulators.ocpi.v2_2_1.pulled import register_list_sender

register_list_sender("sessions", frozenset({"CPO"}))
