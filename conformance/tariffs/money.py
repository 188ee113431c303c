"""Money: an amount excluding VAT and, when it can be known, including VAT."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from conformance.tariffs.decimals import ZERO, fmt, round_money

__all__ = ["Money"]


@dataclass(frozen=True)
class Money:
    """An amount in the pricing's currency. ``incl_vat`` is None when the tariff does not determine it
    (a price component without ``vat``, see docs/tariff-interpretations.md)."""

    excl_vat: Decimal
    incl_vat: Decimal | None

    @staticmethod
    def zero() -> Money:
        return Money(ZERO, ZERO)

    def __add__(self, other: Money) -> Money:
        incl = None if self.incl_vat is None or other.incl_vat is None else self.incl_vat + other.incl_vat
        return Money(self.excl_vat + other.excl_vat, incl)

    def __sub__(self, other: Money) -> Money:
        return self + (-other)

    def __neg__(self) -> Money:
        return Money(self.excl_vat.copy_negate(), None if self.incl_vat is None else self.incl_vat.copy_negate())

    def rounded(self, places: int) -> Money:
        return Money(round_money(self.excl_vat, places),
                     None if self.incl_vat is None else round_money(self.incl_vat, places))

    def to_dict(self) -> dict[str, Any]:
        return {"excl_vat": fmt(self.excl_vat), "incl_vat": None if self.incl_vat is None else fmt(self.incl_vat)}

    def text(self, places: int | None = None) -> str:
        incl = "unknown" if self.incl_vat is None else fmt(self.incl_vat, places)
        return f"{fmt(self.excl_vat, places)} excl. VAT / {incl} incl. VAT"
