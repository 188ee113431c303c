"""The check registry shared by the pytest plugin and the CLI.

A check is a plain function decorated with :func:`check`. It receives the
recorded exchange and the expectations of the step that made it, and yields
:class:`Problem` objects. The registry turns them into :class:`Finding` objects
carrying the check's id, requirement ids, spec anchor and severity; a check that
yields nothing produces one PASS finding, so coverage can count it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from conformance.exchange import Exchange
from conformance.findings import Finding, Outcome, Severity

__all__ = ["REGISTRY", "Check", "CheckRegistry", "Expect", "PageRequest", "Problem", "check", "declare", "run_checks"]


@dataclass(frozen=True)
class PageRequest:
    """The pagination parameters roamcert put on a list request."""

    offset: int | None = None
    limit: int | None = None
    date_from: str | None = None
    date_to: str | None = None


@dataclass(frozen=True)
class Expect:
    """What the step that made an exchange expects of it; checks read only this and the exchange."""

    version: str = "2.2.1"
    schema: str | None = None  # object schema the `data` field must follow
    many: bool = False  # `data` is a list of `schema`
    paginated: bool = False
    page: PageRequest | None = None
    status_codes: frozenset[int] | None = None  # acceptable OCPI status codes
    http_statuses: frozenset[int] | None = None  # acceptable HTTP statuses
    request_id: str | None = None
    correlation_id: str | None = None
    resource_exists: bool | None = None  # False: the request addressed an unknown object
    tokens: frozenset[str] = frozenset()  # credentials tokens roamcert issued (for checks on SUT requests)


@dataclass(frozen=True)
class Problem:
    """A violation a check found; the registry adds the check's identity to make a Finding."""

    message: str
    expected: str | None = None
    actual: str | None = None
    spec: str | None = None  # a more precise anchor than the check's own, when the problem has one
    evidence: tuple[str, ...] = ()  # exchange ids, when not (only) the exchange under check


CheckFunc = Callable[[Exchange, Expect], Iterable[Problem]]


def _no_func(exchange: Exchange, expect: Expect) -> Iterable[Problem]:
    return ()


@dataclass(frozen=True)
class Check:
    id: str
    func: CheckFunc
    requirements: tuple[str, ...]
    spec: str
    severity: Severity
    tags: frozenset[str]
    title: str
    applies: Callable[[Exchange, Expect], bool] = field(default=lambda x, e: True)

    def run(self, exchange: Exchange, expect: Expect) -> list[Finding]:
        try:
            problems = list(self.func(exchange, expect))
        except Exception as exc:  # a bug in a check must not pass as a verdict on the SUT
            return [self.finding(Outcome.ERROR, f"check raised {type(exc).__name__}: {exc}", (exchange.id,))]
        return self.conclude(problems, (exchange.id,))

    def finding(self, outcome: Outcome, message: str, evidence: tuple[str, ...],
                problem: Problem | None = None) -> Finding:
        return Finding(
            check_id=self.id,
            outcome=outcome,
            message=message,
            requirements=self.requirements,
            spec=(problem.spec if problem and problem.spec else self.spec),
            severity=self.severity,
            expected=problem.expected if problem else None,
            actual=problem.actual if problem else None,
            evidence=tuple(dict.fromkeys(evidence + (problem.evidence if problem else ()))),
        )

    def conclude(self, problems: Iterable[Problem], evidence: tuple[str, ...]) -> list[Finding]:
        """Findings for a check evaluated by a step over several exchanges (or one)."""
        found = list(problems)
        if not found:
            return [self.finding(Outcome.PASS, self.title, evidence)]
        return [self.finding(Outcome.FAIL, p.message, evidence, p) for p in found]


class CheckRegistry:
    def __init__(self) -> None:
        self._checks: dict[str, Check] = {}

    def add(self, item: Check) -> None:
        if item.id in self._checks:
            raise ValueError(f"check {item.id} is registered twice")
        self._checks[item.id] = item

    def __getitem__(self, check_id: str) -> Check:
        return self._checks[check_id]

    def __iter__(self) -> Iterator[Check]:
        return iter(sorted(self._checks.values(), key=lambda c: c.id))

    def __len__(self) -> int:
        return len(self._checks)

    def tagged(self, *tags: str) -> list[Check]:
        wanted = set(tags)
        return [c for c in self if wanted & c.tags]


REGISTRY = CheckRegistry()


def check(
    check_id: str,
    *,
    requirements: Iterable[str],
    spec: str,
    title: str,
    tags: Iterable[str],
    severity: Severity = Severity.REQUIRED,
    applies: Callable[[Exchange, Expect], bool] | None = None,
) -> Callable[[CheckFunc], CheckFunc]:
    """Register ``func`` as check ``check_id`` in the shared registry."""

    def register(func: CheckFunc) -> CheckFunc:
        REGISTRY.add(
            Check(
                id=check_id,
                func=func,
                requirements=tuple(requirements),
                spec=spec,
                severity=severity,
                tags=frozenset(tags),
                title=title,
                applies=applies or (lambda x, e: True),
            )
        )
        return func

    return register


def declare(
    check_id: str, *, requirements: Iterable[str], spec: str, title: str, severity: Severity = Severity.REQUIRED
) -> Check:
    """Register a check that a step evaluates over several exchanges through :meth:`Check.conclude`."""
    item = Check(id=check_id, func=_no_func, requirements=tuple(requirements), spec=spec, severity=severity,
                 tags=frozenset({"flow"}), title=title, applies=lambda x, e: False)
    REGISTRY.add(item)
    return item


def run_checks(exchange: Exchange, expect: Expect, *tags: str) -> list[Finding]:
    """Run every registered check carrying one of ``tags`` that applies to this exchange."""
    findings: list[Finding] = []
    for item in REGISTRY.tagged(*tags):
        if item.applies(exchange, expect):
            findings.extend(item.run(exchange, expect))
    return findings
