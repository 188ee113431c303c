"""The record of one test case while it runs: its exchanges, steps and findings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from conformance.core.checks import Check, Evidence, run_checks
from conformance.core.exchange import Exchange, ExchangeLog
from conformance.core.findings import Finding, Outcome

__all__ = ["Case", "StepRecord"]


@dataclass
class StepRecord:
    keyword: str
    name: str
    outcome: str = "PASS"


@dataclass
class Case:
    nodeid: str
    log: ExchangeLog
    meta: dict[str, Any] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    steps: list[StepRecord] = field(default_factory=list)
    outcome_override: tuple[Outcome, str] | None = None  # NOT_APPLICABLE / MANUAL_PENDING / ERROR with reason
    requests_checked: set[str] = field(default_factory=set)

    def add(self, findings: list[Finding]) -> list[Finding]:
        self.findings.extend(findings)
        return findings

    def check_response(self, exchange: Exchange, expect: Any) -> list[Finding]:
        """Run every response check of the exchange's protocol and version on an exchange roamcert made."""
        return self.add(run_checks(exchange, expect, "response"))

    def check_requests(self, expect: Any) -> None:
        """Run the request checks on every request the SUT made to roamcert during this case, not yet checked."""
        for exchange in self.log.inbound():
            if exchange.id not in self.requests_checked:
                self.requests_checked.add(exchange.id)
                self.add(run_checks(exchange, expect, "request"))

    def evaluate(self, check: Check, evidence: Evidence) -> list[Finding]:
        """Run an evidence check on what a flow recorded, and keep its findings."""
        return self.add(check.judge(evidence))

    def blocking(self) -> list[Finding]:
        return [f for f in self.findings if f.blocking]

    def mark(self, outcome: Outcome, reason: str) -> None:
        self.outcome_override = (outcome, reason)
