"""The one error the tariff engine raises for input it cannot price."""

from __future__ import annotations

__all__ = ["TariffError"]


class TariffError(ValueError):
    """A CDR, Session or Tariff that is malformed or insufficient to price.

    The message starts with the path of the offending value, for example
    ``cdr.charging_periods[2].start_date_time: not an RFC 3339 timestamp: '2015-13-01'``.
    """

    def __init__(self, path: str, problem: str | None = None) -> None:
        super().__init__(path if problem is None else f"{path}: {problem}")
        self.path = path
        self.problem = problem
