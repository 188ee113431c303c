"""How a fault profile bends the Sessions, CDRs and Tariffs the reference CPO serves.

Applied once, when the platform is seeded, to the lists its Sender interfaces serve. A bent object is a copy:
the seed's other objects (the Tariffs a CDR embeds, the CDR a Session was derived from) stay as they were, so
each fault breaks exactly the consistency it is named after. The faults pick objects past the first page.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from simulators.ocpi.faults import Faults

__all__ = ["bend_senders"]

Objects = list[dict[str, Any]]


def _bend_one(items: Objects, wanted: Callable[[dict[str, Any]], bool], change: Callable[[dict[str, Any]], None],
              *, skip: int = 0) -> None:
    """Replace the first object (after ``skip`` matches) that ``wanted`` accepts by a copy ``change`` altered."""
    for index, item in enumerate(items):
        if wanted(item):
            if skip:
                skip -= 1
                continue
            bent = copy.deepcopy(item)
            change(bent)
            items[index] = bent
            return


def _sessions(faults: Faults, sessions: Objects) -> None:
    if faults.served_session_without_end:
        _bend_one(sessions, lambda s: s["status"] == "COMPLETED", lambda s: s.pop("end_date_time"), skip=12)
    if faults.served_session_periods_reversed:
        _bend_one(sessions, lambda s: len(s.get("charging_periods", [])) > 1,
                  lambda s: s["charging_periods"].reverse(), skip=10)
    if faults.served_session_location_unknown:
        _bend_one(sessions, lambda s: s["status"] == "ACTIVE",
                  lambda s: s.update(location_id="RC-NO-SUCH-LOCATION"))


def _cdrs(faults: Faults, cdrs: Objects) -> None:
    def regular(cdr: dict[str, Any]) -> bool:
        return not cdr.get("credit")

    if faults.served_cdr_energy_delta:
        def more_energy(cdr: dict[str, Any]) -> None:
            cdr["total_energy"] = round(cdr["total_energy"] + faults.served_cdr_energy_delta, 4)

        _bend_one(cdrs, regular, more_energy, skip=11)
    if faults.served_cdr_unknown_session:
        _bend_one(cdrs, regular, lambda c: c.update(session_id="RC-NO-SUCH-SESSION"), skip=13)
    if faults.served_cdr_evse_unknown:
        _bend_one(cdrs, regular, lambda c: c["cdr_location"].update(evse_uid="RC-NO-SUCH-EVSE"), skip=14)
    if faults.served_credit_without_reference:
        _bend_one(cdrs, lambda c: bool(c.get("credit")), lambda c: c.pop("credit_reference_id"))
    if faults.served_cdr_duplicate_id:
        taken = [c["id"] for c in cdrs if regular(c)][2]
        _bend_one(cdrs, regular, lambda c: c.update(id=taken), skip=16)
    if faults.served_cdr_session_only_dimension:
        _bend_one(cdrs, regular, lambda c: c["charging_periods"][0]["dimensions"].append(
            {"type": "STATE_OF_CHARGE", "volume": 80.0}), skip=15)


def _tariffs(faults: Faults, tariffs: Objects) -> None:
    if faults.served_tariff_min_above_max:
        def inverted(tariff: dict[str, Any]) -> None:
            bound = tariff["max_price"]
            tariff["min_price"] = {k: round(v + 10.0, 2) for k, v in bound.items()}

        _bend_one(tariffs, lambda t: "max_price" in t, inverted)
    if faults.served_tariff_withheld and tariffs:
        del tariffs[len(tariffs) // 2]


def bend_senders(faults: Faults, owned: dict[str, Objects]) -> None:
    """Apply ``faults`` to the served lists in ``owned`` (sessions, cdrs, tariffs), in place."""
    _sessions(faults, owned.get("sessions", []))
    _cdrs(faults, owned.get("cdrs", []))
    _tariffs(faults, owned.get("tariffs", []))
