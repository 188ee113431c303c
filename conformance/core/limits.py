"""The finding that names one of roamcert's own limits reached on an exchange.

An answer roamcert stopped reading (the total deadline of a request, the size cap of a response body) or a
Retry-After wait it would not make is recorded with its ``limit`` (core/reading.py, ocpi/client.py), and the test
case ends ERROR: roamcert could not judge. The finding says which limit stopped it, the value the target set for
it, and the URL, with the exchange as evidence. Like ``roamcert.hosts.not_called`` it is no verdict on the SUT: a
FAIL of severity INFO, which fails no test case and is shown as a warning.
"""

from __future__ import annotations

from dataclasses import dataclass

from conformance.core.exchange import Exchange
from conformance.core.findings import Finding, Outcome, Severity
from conformance.core.reading import size

__all__ = ["LIMIT_CHECK_ID", "Bounds", "limit_finding"]

#: The id of the finding that names a limit of roamcert's reached on an exchange (a harness finding).
LIMIT_CHECK_ID = "roamcert.limits.reached"


@dataclass(frozen=True)
class Bounds:
    """The limits of a run as the target sets them (the names are the target file's keys)."""

    timeout: float
    max_response_bytes: int
    retry_after_max: float
    run_budget: float | None = None

    def which(self, limit: str) -> tuple[str, str]:
        """(the limit's name, the target's setting of it) for the ``limit`` an exchange records."""
        if limit.startswith("response-size cap"):
            cap = self.max_response_bytes
            return "response-size cap", f"max_response_bytes = {cap} ({size(cap)})"
        if limit.startswith("rate limited"):
            return "Retry-After wait budget", f"retry_after_max = {self.retry_after_max:g} s"
        budget = f", and what was left of run_budget = {self.run_budget:g} s" if self.run_budget is not None else ""
        return "total deadline", f"timeout = {self.timeout:g} s{budget}"


def limit_finding(exchange: Exchange, bounds: Bounds) -> Finding:
    """The finding for an exchange that ended at one of roamcert's limits (``exchange.limit`` is set)."""
    limit = exchange.limit or ""
    name, setting = bounds.which(limit)
    return Finding(check_id=LIMIT_CHECK_ID, outcome=Outcome.FAIL, severity=Severity.INFO,
                   message=f"roamcert's {name} ({setting}) was reached on {exchange.method} {exchange.url}: {limit}; "
                           "no verdict rests on this exchange",
                   expected=f"a complete answer within roamcert's {name}: {setting}", actual=limit,
                   evidence=(exchange.id,))
