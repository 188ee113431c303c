"""Speed of the reference tariff engine: CDRs priced per second on a generated set of realistic CDRs and
tariffs, and how the time to price one CDR grows with its charging periods (1, 10, 100, 1000) and its
tariff's elements (1, 5, 20), measured side by side in one run of this script.

    python benchmarks/tariffs.py [--cdrs 400] [--budget 0.3]

Figures, not assertions: the machine is shared.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from conformance.tariffs import compare, price_cdr
from conformance.tariffs.builders import Span, build_cdr

TZ = "Europe/Amsterdam"
_DAYS = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"]


def _component(kind: str, price: str, step: int = 1, vat: str = "21") -> dict[str, Any]:
    return {"type": kind, "price": Decimal(price), "step_size": step, "vat": Decimal(vat)}


def realistic_tariffs() -> list[dict[str, Any]]:
    """Tariff structures as CPOs publish them: day/night energy, parking after a while, power tiers, caps."""
    base = {"country_code": "NL", "party_id": "RCB", "currency": "EUR", "last_updated": "2024-01-01T00:00:00Z"}
    return [
        {**base, "id": "AC", "elements": [
            {"price_components": [_component("ENERGY", "0.29")], "restrictions": {"start_time": "23:00",
                                                                                  "end_time": "07:00"}},
            {"price_components": [_component("ENERGY", "0.39")]},
            {"price_components": [_component("PARKING_TIME", "2.40", 900)], "restrictions": {"min_duration": 14400}}]},
        {**base, "id": "DEST", "elements": [
            {"price_components": [_component("TIME", "1.50", 60)], "restrictions": {"day_of_week": _DAYS[:5]}},
            {"price_components": [_component("FLAT", "5.00")], "restrictions": {"day_of_week": _DAYS[5:]}}]},
        {**base, "id": "ADHOC", "min_price": {"excl_vat": Decimal("2.00"), "incl_vat": Decimal("2.42")}, "elements": [
            {"price_components": [_component("FLAT", "0.50"), _component("ENERGY", "0.45")]}]},
        {**base, "id": "DC", "elements": [
            {"price_components": [_component("ENERGY", "0.59", 100), _component("PARKING_TIME", "6.00", 60)]}]},
        {**base, "id": "HPC", "max_price": {"excl_vat": Decimal("90"), "incl_vat": Decimal("108.90")}, "elements": [
            {"price_components": [_component("ENERGY", "0.49")], "restrictions": {"max_kwh": 20}},
            {"price_components": [_component("ENERGY", "0.79")], "restrictions": {"min_power": 100}},
            {"price_components": [_component("ENERGY", "0.69")]}]},
    ]


def realistic_cdrs(count: int, tariffs: list[dict[str, Any]], rng: random.Random) -> list[dict[str, Any]]:
    """Sessions of one to three charging stretches, mostly followed by parking, at any time of the year."""
    out = []
    for number in range(count):
        tariff = tariffs[number % len(tariffs)]
        dc = tariff["id"] in ("DC", "HPC")
        spans = []
        for _ in range(rng.randint(1, 3)):
            power = Decimal(rng.choice([50, 75, 120, 150] if dc else [3.7, 7.4, 11, 22]))
            seconds = Decimal(rng.randint(8, 25) * 60 if dc else rng.randint(30, 150) * 60 + rng.randint(0, 59))
            hours = seconds / 3600
            spans.append(Span(seconds, {"ENERGY": (power * hours * Decimal("0.9")).quantize(Decimal("0.001")),
                                        "TIME": hours.quantize(Decimal("0.000001")), "MAX_POWER": power,
                                        "MIN_POWER": power / 2}, tariff["id"]))
        if rng.random() < 0.75:
            seconds = Decimal(rng.randint(5, 420) * 60)
            spans.append(Span(seconds, {"PARKING_TIME": (seconds / 3600).quantize(Decimal("0.000001"))}, tariff["id"]))
        month, day, hour, minute = rng.randint(1, 12), rng.randint(1, 28), rng.randint(0, 23), rng.randint(0, 59)
        start = f"2024-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}"
        record = build_cdr(start, TZ, spans, tariffs=[tariff])
        record["total_cost"] = {"excl_vat": Decimal("1.00")}
        out.append(record)
    return out


def scaled_tariff(elements: int, rng: random.Random) -> dict[str, Any]:
    """A tariff of ``elements`` elements with every kind of restriction; the last is an unrestricted fallback."""
    built = []
    for index in range(elements - 1):
        restrictions: dict[str, Any] = {}
        kind = index % 5
        if kind == 0:
            restrictions = {"start_time": f"{rng.randint(0, 23):02d}:00", "end_time": f"{rng.randint(0, 23):02d}:30"}
        elif kind == 1:
            restrictions = {"day_of_week": rng.sample(_DAYS, 3)}
        elif kind == 2:
            restrictions = {"min_kwh": rng.randint(1, 80), "max_duration": rng.randint(1, 48) * 1800}
        elif kind == 3:
            restrictions = {"min_power": rng.randint(5, 100)}
        else:
            restrictions = {"start_date": "2024-01-01", "end_date": "2024-12-31", "max_current": rng.randint(16, 64)}
        components = [_component(rng.choice(["ENERGY", "TIME", "PARKING_TIME", "FLAT"]), f"{rng.randint(1, 90) / 100}",
                                 rng.choice([1, 60, 300]))]
        built.append({"price_components": components, "restrictions": restrictions})
    built.append({"price_components": [_component("ENERGY", "0.35"), _component("TIME", "0.60", 60),
                                       _component("PARKING_TIME", "1.20", 300), _component("FLAT", "0.25")]})
    return {"country_code": "NL", "party_id": "RCB", "id": "S", "currency": "EUR", "elements": built,
            "last_updated": "2024-01-01T00:00:00Z"}


def scaled_cdr(periods: int, tariff: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    spans = []
    for index in range(periods):
        seconds = Decimal(rng.randint(60, 600))
        if index % 4 == 3:
            spans.append(Span(seconds, {"PARKING_TIME": (seconds / 3600).quantize(Decimal("0.000001"))}, "S"))
        else:
            power = Decimal(rng.randint(3, 150))
            spans.append(Span(seconds, {"ENERGY": (power * seconds / 3600).quantize(Decimal("0.001")),
                                        "TIME": (seconds / 3600).quantize(Decimal("0.000001")), "MAX_POWER": power,
                                        "MIN_POWER": power / 2, "MAX_CURRENT": power, "MIN_CURRENT": power / 3},
                              "S"))
    return build_cdr("2024-03-30T20:00", TZ, spans, tariffs=[tariff])


def per_call(work: Callable[[], object], budget: float) -> float:
    """Median seconds per call over three rounds of about ``budget`` seconds each (at least one call)."""
    rounds = []
    for _ in range(3):
        calls, started = 0, time.perf_counter()
        while True:
            work()
            calls += 1
            elapsed = time.perf_counter() - started
            if elapsed >= budget / 3:
                break
        rounds.append(elapsed / calls)
    return statistics.median(rounds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cdrs", type=int, default=400, help="realistic CDRs in the throughput set")
    parser.add_argument("--budget", type=float, default=0.3, help="seconds spent per measurement")
    args = parser.parse_args()
    rng = random.Random(20240115)

    tariffs = realistic_tariffs()
    cdrs = realistic_cdrs(args.cdrs, tariffs, rng)
    for record in cdrs[:20]:  # warm up (zone data, imports)
        price_cdr(record, [], time_zone=TZ)
    started = time.perf_counter()
    for record in cdrs:
        price_cdr(record, [], time_zone=TZ)
    priced = time.perf_counter() - started
    started = time.perf_counter()
    for record in cdrs:
        compare(record, price_cdr(record, [], time_zone=TZ))
    checked = time.perf_counter() - started
    periods = statistics.mean(len(r["charging_periods"]) for r in cdrs)
    print(f"realistic set: {len(cdrs)} CDRs, {periods:.1f} charging periods on average, 5 tariff structures")
    print(f"  price_cdr:            {len(cdrs) / priced:8.0f} CDRs/s  ({priced / len(cdrs) * 1000:.2f} ms per CDR)")
    print(f"  price_cdr + compare:  {len(cdrs) / checked:8.0f} CDRs/s  ({checked / len(cdrs) * 1000:.2f} ms per CDR)")

    sizes, counts = (1, 10, 100, 1000), (1, 5, 20)
    grid: dict[tuple[int, int], float] = {}
    for elements in counts:
        tariff = scaled_tariff(elements, random.Random(elements))
        for size in sizes:
            record = scaled_cdr(size, tariff, random.Random(size))
            grid[size, elements] = per_call(lambda r=record: price_cdr(r, [], time_zone=TZ), args.budget)
    print("\nms to price one CDR, by charging periods (rows) and tariff elements (columns):")
    print("periods " + "".join(f"{e:>12} el." for e in counts) + "    per period (20 el.)")
    for size in sizes:
        cells = "".join(f"{grid[size, e] * 1000:16.2f}" for e in counts)
        print(f"{size:7d} {cells}    {grid[size, counts[-1]] / size * 1000:8.3f} ms")
    growth = grid[sizes[-1], counts[-1]] / grid[sizes[1], counts[-1]]
    print(f"\n1000 vs 10 periods at 20 elements: x{growth:.0f} (linear would be x100)")
    print(f"20 vs 1 element at 100 periods: x{grid[100, 20] / grid[100, 1]:.1f}")


if __name__ == "__main__":
    main()
