"""Findings: what a check concludes about one recorded exchange (or a few).

A Finding is data only. Nothing in ``conformance`` renders it; ``reports/`` does.
"""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["Finding", "Outcome", "Severity"]


class Outcome(enum.StrEnum):
    """The closed set of outcomes for a finding and for a test case."""

    PASS = "PASS"
    FAIL = "FAIL"
    ERROR = "ERROR"  # the harness (or the connection to the SUT) broke, not a verdict on the SUT
    SKIP = "SKIP"
    NOT_APPLICABLE = "NOT_APPLICABLE"  # only from what the SUT declares it implements
    MANUAL_PENDING = "MANUAL_PENDING"


class Severity(enum.StrEnum):
    """How binding the violated rule is; decides whether a FAIL fails the test case."""

    REQUIRED = "REQUIRED"  # MUST / SHALL: a FAIL fails the test case
    RECOMMENDED = "RECOMMENDED"  # SHOULD: a FAIL is reported as a warning
    INFO = "INFO"


@dataclass(frozen=True)
class Finding:
    check_id: str
    outcome: Outcome
    message: str
    requirements: tuple[str, ...] = ()
    spec: str = ""
    severity: Severity = Severity.REQUIRED
    expected: str | None = None
    actual: str | None = None
    evidence: tuple[str, ...] = field(default_factory=tuple)

    @property
    def blocking(self) -> bool:
        """A finding that makes its test case fail."""
        return self.outcome is Outcome.FAIL and self.severity is Severity.REQUIRED

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["outcome"] = self.outcome.value
        data["severity"] = self.severity.value
        data["requirements"] = list(self.requirements)
        data["evidence"] = list(self.evidence)
        return data
