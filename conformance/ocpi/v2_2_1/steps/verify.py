"""How a Then step states its verdict: by naming the checks whose findings it stands for."""

from __future__ import annotations

from conformance.core.case import Case
from conformance.core.errors import HarnessError
from conformance.core.findings import Outcome

__all__ = ["verify"]


def verify(case: Case, *check_ids: str) -> None:
    """Mark the current step FAIL when one of ``check_ids`` failed; at least one of them must have run."""
    ran = [f for f in case.findings if f.check_id in check_ids]
    if not ran:
        if case.blocking():  # an earlier violation (e.g. a refused request) left nothing to evaluate
            if case.steps:
                case.steps[-1].outcome = "FAIL"
            return
        raise HarnessError(f"scenario bug: none of {', '.join(check_ids)} was evaluated before this step")
    if case.steps and any(f.blocking or f.outcome is Outcome.ERROR for f in ran):
        case.steps[-1].outcome = "FAIL"
