"""Which price component is active, per dimension, at one moment (mod_tariffs_tariff_object).

For each dimension, the first Tariff Element in list order that has a price component of that dimension
and whose restrictions all hold is active. Reservation time is priced only by elements with a
``reservation`` restriction (RESERVATION for any reservation, RESERVATION_EXPIRES for one that expired,
tried first then), and charging and parking only by elements without one.
"""

from __future__ import annotations

from dataclasses import dataclass

from conformance.tariffs.model import Dimension, PriceComponent, Tariff, TariffElement
from conformance.tariffs.restrictions import Moment, holds
from conformance.tariffs.switches import Switches

__all__ = ["RESERVATION_DIMENSIONS", "SESSION_DIMENSIONS", "Pick", "candidates", "select"]

SESSION_DIMENSIONS = (Dimension.FLAT, Dimension.ENERGY, Dimension.TIME, Dimension.PARKING_TIME)
RESERVATION_DIMENSIONS = (Dimension.FLAT, Dimension.TIME)  # a reservation has only these (TariffRestrictions)


@dataclass(frozen=True)
class Pick:
    element: TariffElement
    component: PriceComponent


def _reservation(element: TariffElement) -> str | None:
    return None if element.restrictions is None else element.restrictions.reservation


def candidates(tariff: Tariff, *, reservation: bool, expired: bool, switches: Switches) -> tuple[TariffElement, ...]:
    """The elements that may price session time (``reservation`` False) or reservation time, in the order
    they are tried."""
    if not reservation:
        return tuple(e for e in tariff.elements if _reservation(e) is None)
    allowed = ("RESERVATION", "RESERVATION_EXPIRES") if expired else ("RESERVATION",)
    own = [e for e in tariff.elements if _reservation(e) in allowed]
    if expired:  # mod_tariffs_reservation_restriction_type NOTE: the expiry element wins
        own.sort(key=lambda e: _reservation(e) != "RESERVATION_EXPIRES")
    if switches.reservation_uses_session_elements:
        own += [e for e in tariff.elements if _reservation(e) is None]
    return tuple(own)


def select(elements: tuple[TariffElement, ...], dimensions: tuple[Dimension, ...], moment: Moment,
           switches: Switches, missing: list[tuple[int, str]]) -> dict[Dimension, Pick]:
    """The active price component per dimension; ``missing`` collects (element index, unreported reading)."""
    verdicts: dict[int, bool] = {}
    picks: dict[Dimension, Pick] = {}
    for dimension in dimensions:
        for element in elements:
            component = element.component(dimension)
            if component is None:
                continue
            verdict = verdicts.get(element.index)
            if verdict is None:
                if element.restrictions is None:
                    verdict = True
                else:
                    unreported: list[str] = []
                    verdict = holds(element.restrictions, moment, switches, unreported)
                    missing.extend((element.index, m) for m in unreported)
                verdicts[element.index] = verdict
            if verdict:
                picks[dimension] = Pick(element, component)
                break
    return picks
