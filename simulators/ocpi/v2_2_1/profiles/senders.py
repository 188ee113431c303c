"""OCPI 2.2.1 fault profiles: what the reference CPO serves as Sender of Sessions, CDRs and Tariffs.
Each replaces behaviours of the reference platforms (simulators/behaviours.py).

The served lists are bent once, when the platform is seeded (simulators/ocpi/v2_2_1/served.py). A bent object is
a copy, so the seed's other objects stay as they were; the faults pick objects past the first page."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from simulators.behaviours import replace
from simulators.ocpi.v2_2_1 import pricing
from simulators.ocpi.v2_2_1.profiles._register import profile
from simulators.ocpi.v2_2_1.served import SERVED_CDRS, SERVED_SESSIONS, SERVED_TARIFFS, Objects, Serve

Wanted = Callable[[dict[str, Any]], bool]
Change = Callable[[dict[str, Any]], None]


def _switched(name: str) -> Callable[[tuple[str, ...]], tuple[str, ...]]:
    """Prices also read with the tariff engine's interpretation switch ``name``."""
    return lambda names: (*names, name)


def _bent_one(objects: Objects, wanted: Wanted, change: Change, *, skip: int = 0) -> Objects:
    """``objects`` with the first one (after ``skip`` matches) that ``wanted`` accepts replaced by a copy ``change``
    altered."""
    items = list(objects)
    for index, item in enumerate(items):
        if wanted(item):
            if skip:
                skip -= 1
                continue
            altered = copy.deepcopy(item)
            change(altered)
            items[index] = altered
            break
    return items


def _bend_one(wanted: Wanted, change: Change, *, skip: int = 0) -> Callable[[Serve], Serve]:
    """A replacement serving one object bent (:func:`_bent_one`) among those the behaviour in force serves."""
    return lambda served: lambda objects: _bent_one(served(objects), wanted, change, skip=skip)


def _regular(cdr: dict[str, Any]) -> bool:
    return not cdr.get("credit")


def _more_energy(delta: float) -> Change:
    def more(cdr: dict[str, Any]) -> None:
        cdr["total_energy"] = round(cdr["total_energy"] + delta, 4)

    return more


def _duplicate_id(served: Serve) -> Serve:
    """The 17th regular CDR takes the id of the third."""

    def bent(objects: Objects) -> Objects:
        items = served(objects)
        taken = [c["id"] for c in items if _regular(c)][2]
        return _bent_one(items, _regular, lambda c: c.update(id=taken), skip=16)

    return bent


def _evse_unknown(cdr: dict[str, Any]) -> None:
    cdr["cdr_location"]["evse_uid"] = "RC-NO-SUCH-EVSE"


def _min_above_max(tariff: dict[str, Any]) -> None:
    tariff["min_price"] = {k: round(v + 10.0, 2) for k, v in tariff["max_price"].items()}


def _withheld(served: Serve) -> Serve:
    """The Tariff in the middle of the list is left out."""

    def bent(objects: Objects) -> Objects:
        items = list(served(objects))
        if items:
            del items[len(items) // 2]
        return items

    return bent


profile("cdr_time_includes_parking", "CDRs bill TIME on wall-clock time, parking included.", roles=("CPO",),
        trips=("ocpi.cdrs.price",), replaces=[replace(pricing.SWITCHES, _switched("time_includes_parking"))])

profile("cdr_step_size_per_period", "CDRs round to the step_size in every charging period instead of once over "
        "the session.", roles=("CPO",), trips=("ocpi.cdrs.price",),
        replaces=[replace(pricing.SWITCHES, _switched("step_size_per_period"))])

profile("session_completed_without_end", "A COMPLETED Session is served without end_date_time.", roles=("CPO",),
        trips=("ocpi.sessions.status_rules",),
        replaces=[replace(SERVED_SESSIONS, _bend_one(lambda s: s["status"] == "COMPLETED",
                                                     lambda s: s.pop("end_date_time"), skip=12))])

profile("session_periods_out_of_order", "A Session's charging periods are served in reverse time order.",
        roles=("CPO",), trips=("ocpi.sessions.charging_periods",),
        replaces=[replace(SERVED_SESSIONS, _bend_one(lambda s: len(s.get("charging_periods", [])) > 1,
                                                     lambda s: s["charging_periods"].reverse(), skip=10))])

profile("session_location_unknown", "An ACTIVE Session names a Location the CPO does not serve.", roles=("CPO",),
        trips=("ocpi.sessions.location_refs",),
        replaces=[replace(SERVED_SESSIONS, _bend_one(lambda s: s["status"] == "ACTIVE",
                                                     lambda s: s.update(location_id="RC-NO-SUCH-LOCATION")))])

profile("cdr_total_energy_wrong", "A CDR's total_energy is 1.5 kWh more than its charging periods hold.",
        roles=("CPO",), trips=("ocpi.cdrs.totals_consistent",),
        replaces=[replace(SERVED_CDRS, _bend_one(_regular, _more_energy(1.5), skip=11))])

def _other_token(cdr: dict[str, Any]) -> None:
    cdr["cdr_token"] = {**cdr["cdr_token"], "uid": "RC-NOT-THE-SESSION-TOKEN"}


# A session_id naming a Session the CPO no longer lists is allowed; one naming a listed Session started with
# another Token is not.
profile("cdr_session_token_mismatch", "A CDR names a served Session but carries another Token than that Session.",
        roles=("CPO",), trips=("ocpi.cdrs.session_link",),
        replaces=[replace(SERVED_CDRS, _bend_one(_regular, _other_token, skip=13))])

profile("cdr_evse_unknown", "A CDR at a served Location names an EVSE that Location does not have.",
        roles=("CPO",), trips=("ocpi.cdrs.location_refs",),
        replaces=[replace(SERVED_CDRS, _bend_one(_regular, _evse_unknown, skip=14))])

profile("credit_cdr_without_reference", "The Credit CDR is served without credit_reference_id.", roles=("CPO",),
        trips=("ocpi.cdrs.credit",),
        replaces=[replace(SERVED_CDRS, _bend_one(lambda c: not _regular(c), lambda c: c.pop("credit_reference_id")))])

profile("cdr_session_only_dimension", "A CDR's charging period carries STATE_OF_CHARGE, a Sessions-only dimension.",
        roles=("CPO",), trips=("ocpi.cdrs.dimensions",),
        replaces=[replace(SERVED_CDRS, _bend_one(_regular, lambda c: c["charging_periods"][0]["dimensions"].append(
            {"type": "STATE_OF_CHARGE", "volume": 80.0}), skip=15))])

profile("tariff_min_above_max", "A Tariff's min_price is above its max_price.", roles=("CPO",),
        trips=("ocpi.tariffs.consistent",),
        replaces=[replace(SERVED_TARIFFS, _bend_one(lambda t: "max_price" in t, _min_above_max))])

profile("tariff_withheld", "A Tariff that Connectors name is left out of the Tariffs Sender's list.",
        roles=("CPO",), trips=("ocpi.tariffs.connector_refs",), replaces=[replace(SERVED_TARIFFS, _withheld)])

profile("cdr_duplicate_id", "Two of the CDRs the CPO serves share one id.", roles=("CPO",),
        trips=("ocpi.cdrs.unique_ids", "ocpi.pagination.traversal"), replaces=[replace(SERVED_CDRS, _duplicate_id)])
