"""Exact decimal arithmetic helpers: reading JSON numbers, step rounding, money rounding, formatting."""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal
from typing import Any

from conformance.tariffs.errors import TariffError

__all__ = ["CONTEXT", "ONE", "ZERO", "ceil_to_step", "fmt", "minor_unit", "number", "round_money"]

# Every computation of the engine runs in this context: 40 significant digits leave repeating
# fractions (a third of an hour) far below any amount that matters.
CONTEXT = Context(prec=40, rounding=ROUND_HALF_EVEN)
ZERO = Decimal(0)
ONE = Decimal(1)
_SNAP = Decimal("1e-9")
_LARGEST = Decimal("1e15")  # no OCPI price or quantity comes near; larger ones would only strain the arithmetic

# ISO 4217 currencies whose minor unit is not 2 decimals (the rest use 2).
_MINOR_UNITS = {
    "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0, "PYG": 0, "RWF": 0,
    "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
    "BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
    "CLF": 4, "UYW": 4,
}


def number(value: Any, path: str) -> Decimal:
    """A JSON number as an exact Decimal (a float through its shortest repr, so 0.1 stays 0.1)."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise TariffError(path, f"expected a number, got {value!r}")
    result = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if not result.is_finite():
        raise TariffError(path, f"expected a finite number, got {value!r}")
    if abs(result) >= _LARGEST:
        raise TariffError(path, f"{value!r} is out of range for a price, quantity or VAT rate")
    return result


def ceil_to_step(quantity: Decimal, step: Decimal) -> Decimal:
    """``quantity`` rounded away from zero to a whole number of ``step`` blocks.

    A block count within 1e-9 of a whole number counts as whole, so that the last digit of a
    repeating fraction (1200 s expressed in hours and back) never adds a block.
    """
    if step <= 0 or quantity == 0:
        return quantity
    blocks = quantity / step
    nearest = blocks.to_integral_value(rounding=ROUND_HALF_EVEN)
    if abs(blocks - nearest) <= _SNAP:
        blocks = nearest
    whole = abs(blocks).to_integral_value(rounding=ROUND_CEILING)
    return (whole * step).copy_sign(quantity)


def minor_unit(currency: str) -> int:
    """Decimals of the currency's minor unit (ISO 4217); 2 for currencies not listed as different."""
    return _MINOR_UNITS.get(currency.upper(), 2)


def round_money(amount: Decimal, places: int) -> Decimal:
    """Commercial rounding (half away from zero) to ``places`` decimals."""
    return amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def fmt(value: Decimal, places: int | None = None) -> str:
    """Plain notation, never an exponent; ``places`` rounds for display only."""
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN, context=CONTEXT)
        return f"{value:f}"
    if value == 0:
        return "0"
    text = f"{value.normalize(CONTEXT):f}"
    return text
