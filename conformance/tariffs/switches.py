"""Interpretation switches: the spec's reading by default, named alternatives that real implementations use.

Every field of :class:`Switches` is off (False) for the reading the OCPI 2.2.1 text supports; turning one
on selects the alternative described in :data:`SWITCHES` and in docs/tariff-interpretations.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields

__all__ = ["SWITCHES", "SwitchInfo", "Switches", "switches_from_names"]


@dataclass(frozen=True)
class Switches:
    untagged_periods_free: bool = False
    flat_fee_once: bool = False
    flat_fee_per_period: bool = False
    step_size_per_dimension: bool = False
    step_size_per_period: bool = False
    step_size_ignored: bool = False
    round_each_line: bool = False
    round_totals: bool = False
    absent_vat_is_zero: bool = False
    missing_dimension_matches: bool = False
    average_current_power: bool = False
    day_of_window_start: bool = False
    no_period_splitting: bool = False
    charging_before_parking: bool = False
    time_includes_parking: bool = False
    reservation_uses_session_elements: bool = False
    credit_negates_all_costs: bool = False
    price_cap_spread: bool = False
    time_from_dimensions: bool = False

    def __post_init__(self) -> None:
        for group in _EXCLUSIVE:
            chosen = [name for name in group if getattr(self, name)]
            if len(chosen) > 1:
                raise ValueError(f"switches {', '.join(chosen)} exclude each other (pick one of {', '.join(group)})")

    def names_on(self) -> tuple[str, ...]:
        return tuple(f.name for f in fields(self) if getattr(self, f.name))


_EXCLUSIVE = (
    ("flat_fee_once", "flat_fee_per_period"),
    ("step_size_per_dimension", "step_size_per_period", "step_size_ignored"),
    ("round_each_line", "round_totals"),
)


@dataclass(frozen=True)
class SwitchInfo:
    """What turning a switch on does: ``description`` of the alternative, ``spec`` the anchor of the text
    the default reading rests on, ``alternative`` who reads it that way and why."""

    name: str
    description: str
    spec: str
    alternative: str


_INFOS = (
    SwitchInfo("untagged_periods_free",
               "A charging period without tariff_id is free of charge (instead of priced with the first tariff).",
               "mod_cdrs#mod_cdrs_chargingperiod_class",
               "The literal text of ChargingPeriod.tariff_id: 'If not provided, no Tariff is relevant'."),
    SwitchInfo("flat_fee_once",
               "Only the first FLAT price component that becomes active is billed, once per session.",
               "mod_tariffs#mod_tariffs_tariff_example_16_reservation_2_euro_fee_5_euro_per_hour",
               "Implementations that treat FLAT as a single start fee per session."),
    SwitchInfo("flat_fee_per_period",
               "A FLAT price component is billed again in every charging period in which it is active.",
               "mod_tariffs#mod_tariffs_tariff_object",
               "Implementations that price each charging period on its own, start fee included."),
    SwitchInfo("step_size_per_dimension",
               "step_size rounds the session totals of ENERGY, TIME and PARKING_TIME each, TIME also when parking "
               "is billed.",
               "mod_cdrs#mod_cdrs_step_size",
               "The OCPI 2.1.1 reading, before the version this engine prices said TIME and PARKING_TIME are rounded "
               "once combined."),
    SwitchInfo("step_size_per_period",
               "step_size rounds the quantity of every charging period (every cost line) separately.",
               "mod_cdrs#mod_cdrs_step_size",
               "Implementations that price each charging period on its own; the spec text says it does NOT."),
    SwitchInfo("step_size_ignored",
               "step_size is ignored: quantities are billed as measured.",
               "mod_tariffs#mod_tariffs_pricecomponent_class",
               "OCPI 3.0 dropped step_size and advises users of the earlier versions to set it to 1; some parties "
               "ignore it."),
    SwitchInfo("round_each_line",
               "Every cost line is rounded to the currency's minor unit (half up) before summing.",
               "mod_tariffs#mod_tariffs_tariff_object",
               "Invoicing systems that print rounded lines; the spec leaves rounding to law and contracts."),
    SwitchInfo("round_totals",
               "The totals are rounded to the currency's minor unit (half up); lines stay exact.",
               "mod_tariffs#mod_tariffs_tariff_object",
               "Systems that round once, on the amounts they send."),
    SwitchInfo("absent_vat_is_zero",
               "A price component without vat is priced as 0 % VAT (incl_vat equals excl_vat).",
               "mod_tariffs#mod_tariffs_pricecomponent_class",
               "Systems that fill in incl_vat = excl_vat when no VAT is applicable."),
    SwitchInfo("missing_dimension_matches",
               "A current or power restriction whose value the charging period does not report counts as met.",
               "mod_tariffs#mod_tariffs_tariffrestrictions_class",
               "Systems that skip a restriction they cannot evaluate instead of treating it as not holding."),
    SwitchInfo("average_current_power",
               "Current and power restrictions are checked against the period's average (CURRENT / POWER, or "
               "energy over charging time) instead of its MIN_/MAX_ values.",
               "mod_tariffs#mod_tariffs_tariffrestrictions_class",
               "Systems that classify a period by its average power."),
    SwitchInfo("day_of_window_start",
               "In a start_time/end_time window that wraps past midnight, the hours after midnight take the "
               "day_of_week and date of the day the window started.",
               "mod_tariffs#mod_tariffs_tariffrestrictions_class",
               "Reading 'FRIDAY 22:00-06:00' as one night from Friday into Saturday."),
    SwitchInfo("no_period_splitting",
               "Each charging period is priced by the conditions at its start, even when a restriction boundary "
               "falls inside it.",
               "mod_cdrs#mod_cdrs_charging_period",
               "Systems that trust the CPO to have started a period at every cost-relevant moment."),
    SwitchInfo("charging_before_parking",
               "Inside a charging period, reservation time comes first, then charging (with all the energy), then "
               "parking, instead of all of them spread evenly over the period.",
               "mod_cdrs#mod_cdrs_chargingperiod_class",
               "A period that ends with the car full is usually charging, then parked."),
    SwitchInfo("time_includes_parking",
               "The TIME price component bills the whole connection time (charging and parking).",
               "mod_tariffs#mod_tariffs_tariffdimensiontype_enum",
               "Systems that bill TIME on wall-clock time, as some did under OCPI 2.1.1."),
    SwitchInfo("reservation_uses_session_elements",
               "Reservation time is also priced by Tariff Elements without a reservation restriction when no "
               "reservation element matches.",
               "mod_tariffs#mod_tariffs_tariffrestrictions_class",
               "Systems that treat the reservation restriction as a preference, not a separation."),
    SwitchInfo("credit_negates_all_costs",
               "A credit CDR carries every cost total negated, not only total_cost.",
               "mod_cdrs#mod_cdrs_credit_cdrs",
               "Systems that negate every amount of the original CDR."),
    SwitchInfo("price_cap_spread",
               "When min_price or max_price changes the total, the change is spread over the dimension totals in "
               "proportion to them.",
               "mod_tariffs#mod_tariffs_tariff_object",
               "Systems whose dimension totals always add up to total_cost."),
    SwitchInfo("time_from_dimensions",
               "Charging, parking and reservation time are exactly the TIME, PARKING_TIME and RESERVATION_TIME "
               "volumes; a period without them has no time.",
               "mod_cdrs#mod_cdrs_chargingperiod_class",
               "Systems that price from the dimensions alone and never look at the timestamps."),
)

SWITCHES: dict[str, SwitchInfo] = {info.name: info for info in _INFOS}

assert set(SWITCHES) == {f.name for f in fields(Switches)}, "every switch is described, and only switches"


def switches_from_names(names: Iterable[str]) -> Switches:
    """The Switches with exactly the named switches on (ValueError for an unknown name)."""
    chosen = list(names)
    unknown = [n for n in chosen if n not in SWITCHES]
    if unknown:
        raise ValueError(f"unknown tariff switch {', '.join(unknown)}; known: {', '.join(SWITCHES)}")
    return Switches(**dict.fromkeys(chosen, True))
