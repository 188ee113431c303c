"""Pricing a CDR or a Session from OCPI 2.2.1 tariffs, line by line.

1. Every charging period gets its tariff (its tariff_id, else the first tariff) and its quantities
   (segments.py).
2. A period is cut wherever a restriction may change its verdict inside it: a local time of day named by
   a restriction or midnight (DST-aware), a session duration, a kWh threshold. Each piece is evaluated in
   its middle (selection.py) and neighbouring pieces with the same active components are joined again,
   so a part boundary always marks a real change.
3. Every active component with a quantity becomes a cost line; FLAT once per component; then step_size
   rounding (steps.py), price and VAT, min_price and max_price per tariff, credit negation.
"""

from __future__ import annotations

import operator
from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext
from itertools import pairwise
from typing import Any

from conformance.tariffs.clock import format_instant, local, offset_changes, wall_instants, zone
from conformance.tariffs.decimals import CONTEXT, ONE, ZERO, fmt, minor_unit
from conformance.tariffs.errors import TariffError
from conformance.tariffs.lines import Draft
from conformance.tariffs.model import ChargingPeriod, Dimension, Tariff, TariffElement, Usage
from conformance.tariffs.money import Money
from conformance.tariffs.parse import parse_tariff
from conformance.tariffs.restrictions import Moment, Readings, describe
from conformance.tariffs.result import Adjustment, ComponentLine, PeriodChange, PeriodLine, Pricing
from conformance.tariffs.segments import Amounts, Profile, period_amounts
from conformance.tariffs.selection import RESERVATION_DIMENSIONS, SESSION_DIMENSIONS, Pick, candidates, select
from conformance.tariffs.steps import apply_steps
from conformance.tariffs.switches import Switches

__all__ = ["price_usage"]

_CATEGORIES = ("fixed", "energy", "time", "parking", "reservation")
_LONGEST = Decimal(400 * 86400)  # seconds; a session "started" at 1970-01-01 (unknown start) is refused


@dataclass
class _Part:
    start: Decimal  # offset in the period, seconds
    end: Decimal
    amounts: Amounts
    moment: Moment  # where the restrictions were evaluated: the middle of the piece
    opening: Moment  # the same values at the part's start, for the explanation
    session: dict[Dimension, Pick]
    reservation: dict[Dimension, Pick]
    key: tuple[Any, ...]
    split_at: str | None


def price_usage(usage: Usage, tariffs: Sequence[Mapping[str, Any]], *, time_zone: str,
                switches: Switches) -> Pricing:
    with localcontext(CONTEXT):
        return _Pricer(usage, tariffs, time_zone, switches).run()


class _Pricer:
    def __init__(self, usage: Usage, tariffs: Sequence[Mapping[str, Any]], time_zone: str,
                 switches: Switches) -> None:
        if isinstance(tariffs, str | bytes | Mapping) or not isinstance(tariffs, Sequence):
            raise TariffError("tariffs", f"expected a list of Tariff objects, got {type(tariffs).__name__}")
        self.usage = usage
        self.switches = switches
        self.time_zone = time_zone
        self.tz = zone(time_zone)
        self.notes: list[str] = list(usage.notes)
        self.changes: list[PeriodChange] = []
        given = tuple(parse_tariff(t, f"tariffs[{i}]") for i, t in enumerate(tariffs))
        self.by_id: dict[str, Tariff] = {}
        for tariff in (*given, *usage.tariffs):
            self.by_id.setdefault(tariff.id.casefold(), tariff)
        self.default: Tariff | None = (given or usage.tariffs or (None,))[0]
        self.places = minor_unit(usage.currency)
        self._candidates: dict[tuple[str, bool, bool], tuple[TariffElement, ...]] = {}
        self._flat_seen: set[tuple[Any, ...]] = set()
        self._missing: set[str] = set()

    # ------------------------------------------------------------------ which tariff

    def tariff_for(self, period: ChargingPeriod) -> Tariff | None:
        if period.tariff_id is not None:
            found = self.by_id.get(period.tariff_id.casefold())
            if found is None:
                raise TariffError(f"{period.path}.tariff_id", f"tariff {period.tariff_id!r} is neither among the "
                                  "tariffs given nor in the CDR's tariffs")
            return found
        if self.switches.untagged_periods_free:
            return None
        if self.default is None:
            raise TariffError(f"{period.path}.tariff_id", "absent, and there is no tariff to price the period "
                              "with (none given, none in the CDR)")
        return self.default

    def _tariff_notes(self, used: list[Tariff]) -> None:
        untagged = [str(p.index) for p in self.usage.periods if p.tariff_id is None]
        if untagged:
            which = f"charging periods {', '.join(untagged)} have" if len(untagged) > 1 else \
                f"charging period {untagged[0]} has"
            if self.switches.untagged_periods_free:
                self.notes.append(f"{which} no tariff_id: free of charge (switch untagged_periods_free)")
            elif self.default is not None:
                self.notes.append(f"{which} no tariff_id: priced with tariff {self.default.id!r}, the first tariff")
        for tariff in used:
            if tariff.currency.upper() != self.usage.currency.upper():
                self.notes.append(f"tariff {tariff.id!r} is in {tariff.currency} but the {self.usage.kind} in "
                                  f"{self.usage.currency}; amounts are taken as they are, without conversion")
            if tariff.start_date_time is not None and self.usage.start < tariff.start_date_time:
                self.notes.append(f"tariff {tariff.id!r} becomes valid at {format_instant(tariff.start_date_time)}, "
                                  "after the session started")
            if tariff.end_date_time is not None and self.usage.start >= tariff.end_date_time:
                self.notes.append(f"tariff {tariff.id!r} was valid until {format_instant(tariff.end_date_time)}, "
                                  "before the session started")

    # ------------------------------------------------------------------ where periods are cut

    def _cuts(self, used: list[Tariff]) -> tuple[list[Decimal], dict[Decimal, str]]:
        restrictions = [r for t in used for r in t.restrictions]
        start = min(self.usage.start, self.usage.periods[0].start)
        end = self.usage.end
        times: set[int] = set()
        for r in restrictions:
            times.update(r.boundaries)
            if r.window is not None or r.day_of_week or r.start_date or r.end_date:
                times.add(0)
        labels: dict[Decimal, str] = {}
        if times and end - start > _LONGEST:
            days = fmt((end - start) / 86400, 1)
            raise TariffError(f"{self.usage.kind}.start_date_time", f"the session spans {days} days; roamcert "
                              f"evaluates time-of-day and date restrictions over at most {_LONGEST // 86400} days")
        if times:
            labels.update(wall_instants(self.tz, start, end, times))
            for change in offset_changes(self.tz, start, end):
                labels.setdefault(change, "UTC offset change (DST)")
        for r in restrictions:
            for name in ("min_duration", "max_duration"):
                limit = getattr(r, name)
                if limit is not None and start < self.usage.start + limit < end:
                    labels.setdefault(self.usage.start + limit, f"session duration {fmt(limit)} s ({name})")
        return sorted(labels), labels

    # ------------------------------------------------------------------ one period

    def _elements(self, tariff: Tariff, reservation: bool, expired: bool) -> tuple[TariffElement, ...]:
        key = (tariff.id, reservation, expired)
        if key not in self._candidates:
            self._candidates[key] = candidates(tariff, reservation=reservation, expired=expired,
                                               switches=self.switches)
        return self._candidates[key]

    def _evaluate(self, period: ChargingPeriod, tariff: Tariff, profile: Profile, readings: Readings,
                  energy_before: Decimal, expired: bool, x: Decimal, y: Decimal, at: Decimal,
                  split_at: str | None) -> _Part:
        moment = self._moment(period, profile, readings, energy_before, at)
        opening = moment if at == x else self._moment(period, profile, readings, energy_before, x)
        amounts = profile.amounts(x, y)
        missing: list[tuple[int, str]] = []
        session_active = not amounts.reservation_only
        reserved = amounts.reservation > 0
        session = select(self._elements(tariff, False, expired), self._wanted(amounts), moment, self.switches,
                         missing) if session_active else {}
        reservation = select(self._elements(tariff, True, expired), RESERVATION_DIMENSIONS, moment,
                             self.switches, missing) if reserved else {}
        verdict = "met" if self.switches.missing_dimension_matches else "not met"
        for index, what in missing:
            self._missing.add(f"{period.path}: {tariff.path}.elements[{index}] restriction {what}, which the period "
                              f"does not report; counted as {verdict}")
        key = (session_active, tuple((d.value, p.element.index) for d, p in session.items()),
               reserved, tuple((d.value, p.element.index) for d, p in reservation.items()))
        return _Part(x, y, amounts, moment, opening, session, reservation, key, split_at)

    def _wanted(self, amounts: Amounts) -> tuple[Dimension, ...]:
        """The session dimensions worth looking up for a piece: FLAT, and those it has a quantity of."""
        return tuple(d for d in SESSION_DIMENSIONS
                     if d is Dimension.FLAT or self._quantity(amounts, d, reservation=False) != 0)

    def _moment(self, period: ChargingPeriod, profile: Profile, readings: Readings, energy_before: Decimal,
                at: Decimal) -> Moment:
        instant = period.start + at
        return Moment(local(instant, self.tz), instant - self.usage.start, energy_before + profile.energy_until(at),
                      readings)

    def _parts(self, period: ChargingPeriod, tariff: Tariff | None, profile: Profile, readings: Readings,
               energy_before: Decimal, expired: bool, cuts: list[Decimal], labels: dict[Decimal, str]) -> list[_Part]:
        duration = period.duration
        whole = profile.amounts(ZERO, duration)
        if tariff is None:
            moment = Moment(local(period.start, self.tz), period.start - self.usage.start, energy_before, readings)
            return [_Part(ZERO, duration, whole, moment, moment, {}, {}, (), None)]
        offsets: dict[Decimal, str | None] = {ZERO: None, duration: None}
        for instant in cuts[bisect_right(cuts, period.start):bisect_left(cuts, period.end)]:
            offsets[instant - period.start] = labels[instant]
        estimated: set[Decimal] = set()  # where energy crosses a threshold: known only as well as the spread
        for threshold in _thresholds(tariff):
            offset = profile.energy_crossing(threshold - energy_before)
            if offset is not None and offset not in offsets:
                offsets[offset] = f"{fmt(threshold)} kWh charged in the session"
                estimated.add(offset)
        ordered = sorted(offsets)
        spans = list(pairwise(ordered)) or [(ZERO, ZERO)]
        pieces = [self._evaluate(period, tariff, profile, readings, energy_before, expired, x, y, (x + y) / 2,
                                 offsets[x]) for x, y in spans]
        parts: list[_Part] = []
        for piece in pieces:
            if parts and parts[-1].key == piece.key:
                parts[-1].end = piece.end
                parts[-1].amounts = parts[-1].amounts + piece.amounts
            else:
                parts.append(piece)
        if len(parts) > 1:
            self.changes.extend(PeriodChange(period.index, p.start, duration, p.split_at, p.start not in estimated)
                                for p in parts[1:])
            changes = ", ".join(f"{format_instant(period.start + p.start)} ({p.split_at})" for p in parts[1:])
            how = ("priced by the conditions at its start (switch no_period_splitting)"
                   if self.switches.no_period_splitting else "roamcert prices its parts separately")
            self.notes.append(f"{period.path} spans a change of the active price components at {changes}; a new "
                              f"charging period is required there (mod_cdrs_charging_period); {how}")
        if self.switches.no_period_splitting:
            first = self._evaluate(period, tariff, profile, readings, energy_before, expired, ZERO, duration, ZERO,
                                   None)
            first.amounts = whole
            return [first]
        return parts

    def _drafts(self, period: ChargingPeriod, index: int, tariff: Tariff, part: _Part) -> list[Draft]:
        drafts: list[Draft] = []
        for reservation, picks in ((True, part.reservation), (False, part.session)):
            for dimension, pick in picks.items():
                if dimension is Dimension.FLAT:
                    if not self._flat_due(period, tariff, pick, reservation):
                        continue
                    quantity = ONE
                else:
                    quantity = self._quantity(part.amounts, dimension, reservation)
                    if quantity == 0:
                        continue
                drafts.append(Draft(period=period.index, part=index, reservation=reservation, tariff_id=tariff.id,
                                    element_index=pick.element.index, component=pick.component,
                                    restriction=describe(pick.element.restrictions, part.opening, self.switches),
                                    quantity=quantity, billed=quantity))
        return drafts

    def _flat_due(self, period: ChargingPeriod, tariff: Tariff, pick: Pick, reservation: bool) -> bool:
        if self.switches.flat_fee_once:
            key: tuple[Any, ...] = ("once",)
        else:
            key = (tariff.id, pick.element.index, pick.component.index, reservation)
            if self.switches.flat_fee_per_period:
                key = (period.index, *key)
        if key in self._flat_seen:
            return False
        self._flat_seen.add(key)
        return True

    def _quantity(self, amounts: Amounts, dimension: Dimension, reservation: bool) -> Decimal:
        if reservation:
            return amounts.reservation if dimension is Dimension.TIME else ZERO
        if dimension is Dimension.ENERGY:
            return amounts.energy
        if dimension is Dimension.PARKING_TIME:
            return amounts.parking
        return amounts.charging + (amounts.parking if self.switches.time_includes_parking else ZERO)

    # ------------------------------------------------------------------ totals

    def _cap(self, tariff: Tariff, subtotal: Money) -> tuple[Money, list[str]]:
        excl, incl = subtotal.excl_vat, subtotal.incl_vat
        kinds: list[str] = []
        for kind, bound, wrong in (("min_price", tariff.min_price, operator.lt),
                                   ("max_price", tariff.max_price, operator.gt)):
            if bound is None:
                continue
            moved = wrong(excl, bound.excl_vat)
            if moved:
                excl = bound.excl_vat
                kinds.append(kind)
            if incl is None:
                continue
            if bound.incl_vat is not None:
                if wrong(incl, bound.incl_vat):
                    incl = bound.incl_vat
                    kinds.append(kind)
            elif moved:
                incl = None
                self.notes.append(f"tariff {tariff.id!r}: {kind} has no incl_vat, so the total incl. VAT after "
                                  f"applying it is unknown")
        return Money(excl, incl), list(dict.fromkeys(kinds))

    def run(self) -> Pricing:
        usage, switches = self.usage, self.switches
        assigned = [self.tariff_for(p) for p in usage.periods]
        used = list({t.id: t for t in assigned if t is not None}.values())
        self._tariff_notes(used)
        amounts = [period_amounts(p, switches, self.notes) for p in usage.periods]
        expired = any(a.reservation > 0 for a in amounts) and \
            all(a.charging == 0 and a.parking == 0 and a.energy == 0 for a in amounts)
        cuts, labels = self._cuts(used)
        energy_before = ZERO
        drafts: list[Draft] = []
        layout: list[tuple[ChargingPeriod, Tariff | None, int, _Part]] = []
        for period, tariff, whole in zip(usage.periods, assigned, amounts, strict=True):
            profile = Profile(period.duration, whole, charging_before_parking=switches.charging_before_parking)
            readings = _readings(period, whole)
            for index, part in enumerate(self._parts(period, tariff, profile, readings, energy_before, expired,
                                                     cuts, labels)):
                layout.append((period, tariff, index, part))
                if tariff is not None:
                    drafts.extend(self._drafts(period, index, tariff, part))
            energy_before += whole.energy
        self.notes.extend(sorted(self._missing))
        apply_steps(drafts, switches, self.notes)
        costs = [d.cost(switches, self.places) for d in drafts]
        lines: dict[tuple[int, int], list[ComponentLine]] = {}
        per_tariff: dict[str, dict[str, Money]] = {t.id: {c: Money.zero() for c in _CATEGORIES} for t in used}
        for draft, cost in zip(drafts, costs, strict=True):
            lines.setdefault((draft.period, draft.part), []).append(draft.line(cost))
            per_tariff[draft.tariff_id][draft.category] += cost
        totals, total, adjustments = self._totals(used, per_tariff)
        if usage.credit:
            total = -total
            if switches.credit_negates_all_costs:
                totals = {c: -m for c, m in totals.items()}
            self.notes.append("credit CDR: total_cost is the negative of the recomputed cost"
                              + (", and so is every other cost total (switch credit_negates_all_costs)"
                                 if switches.credit_negates_all_costs else " (mod_cdrs_credit_cdrs)"))
        if switches.round_totals:
            total = total.rounded(self.places)
            totals = {c: m.rounded(self.places) for c, m in totals.items()}
        counts: dict[int, int] = {}
        for period, _, _, _ in layout:
            counts[period.index] = counts.get(period.index, 0) + 1
        periods = tuple(self._period_line(period, tariff, index, part, counts[period.index],
                                          tuple(lines.get((period.index, index), ())))
                        for period, tariff, index, part in layout)
        return Pricing(
            currency=usage.currency,
            total_cost=total,
            total_fixed_cost=totals["fixed"],
            total_energy_cost=totals["energy"],
            total_time_cost=totals["time"],
            total_parking_time_cost=totals["parking"],
            total_reservation_cost=totals["reservation"],
            total_energy=sum((a.energy for a in amounts), ZERO),
            total_time=(usage.end - usage.start) / 3600,
            total_parking_time=sum((a.parking for a in amounts), ZERO) / 3600,
            periods=periods,
            notes=tuple(dict.fromkeys(self.notes)),
            changes=tuple(self.changes),
            adjustments=tuple(adjustments),
            credit=usage.credit,
            time_zone=self.time_zone,
            switches=switches,
            dimensions_present=frozenset(k for p in usage.periods for k in p.volumes),
        )

    def _totals(self, used: list[Tariff], per_tariff: dict[str, dict[str, Money]]
                ) -> tuple[dict[str, Money], Money, list[Adjustment]]:
        totals = {c: Money.zero() for c in _CATEGORIES}
        total = Money.zero()
        adjustments: list[Adjustment] = []
        for tariff in used:
            categories = per_tariff[tariff.id]
            subtotal = Money.zero()
            for money in categories.values():
                subtotal += money
            capped, kinds = self._cap(tariff, subtotal)
            if kinds:
                adjustments.append(Adjustment(tariff.id, ",".join(kinds), subtotal, capped))
                if self.switches.price_cap_spread:
                    categories = self._spread(tariff, categories, subtotal, capped)
            for category, money in categories.items():
                totals[category] += money
            total += capped
        return totals, total, adjustments

    def _spread(self, tariff: Tariff, categories: dict[str, Money], before: Money, after: Money) -> dict[str, Money]:
        if before.excl_vat == 0:
            self.notes.append(f"tariff {tariff.id!r}: nothing to spread the price limit over; it is added to the "
                              "fixed cost")
            return {**categories, "fixed": categories["fixed"] + (after - before)}
        excl_factor = after.excl_vat / before.excl_vat
        incl_factor = None if before.incl_vat in (None, ZERO) or after.incl_vat is None \
            else after.incl_vat / before.incl_vat
        return {c: Money(m.excl_vat * excl_factor,
                         None if incl_factor is None or m.incl_vat is None else m.incl_vat * incl_factor)
                for c, m in categories.items()}

    def _period_line(self, period: ChargingPeriod, tariff: Tariff | None, index: int, part: _Part, count: int,
                     components: tuple[ComponentLine, ...]) -> PeriodLine:
        label = str(period.index) if count == 1 else \
            f"{period.index}{chr(ord('a') + index)}" if count <= 26 else f"{period.index}.{index}"
        start = period.start + part.start
        return PeriodLine(
            period=period.index, part=index, label=label, start=format_instant(start),
            end=format_instant(period.start + part.end),
            local_start=local(start, self.tz).isoformat(timespec="seconds"),
            tariff_id=None if tariff is None else tariff.id,
            energy=part.amounts.energy, charging_time=part.amounts.charging / 3600,
            parking_time=part.amounts.parking / 3600, reservation_time=part.amounts.reservation / 3600,
            split_at=part.split_at, components=components,
        )


def _thresholds(tariff: Tariff) -> list[Decimal]:
    found = {v for r in tariff.restrictions for v in (r.min_kwh, r.max_kwh) if v is not None}
    return sorted(found)


def _readings(period: ChargingPeriod, amounts: Amounts) -> Readings:
    volumes = period.volumes
    average = amounts.energy / (amounts.charging / 3600) if amounts.charging > 0 else None
    return Readings(min_current=volumes.get("MIN_CURRENT"), max_current=volumes.get("MAX_CURRENT"),
                    current=volumes.get("CURRENT"), min_power=volumes.get("MIN_POWER"),
                    max_power=volumes.get("MAX_POWER"), power=volumes.get("POWER"), average_power=average)
