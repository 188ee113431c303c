"""The check registry shared by the pytest plugin and the CLI.

A check is a plain function registered under an id of its protocol version's catalogue; the catalogue, not the
code, says what it verifies (requirement ids, spec anchor, severity, title), in which module, and whom its rule
binds (SENDER, RECEIVER or BOTH). The registry is keyed by (protocol, version, module, interface role) and
refuses an id registered twice.

Two kinds of check, both yielding :class:`Problem` objects:

- an *exchange check* takes one recorded exchange and the expectations of the step that made it; every exchange
  check of the exchange's protocol and version whose tag matches runs on it (``"response"`` for roamcert's own
  requests, ``"request"`` for the requests a SUT made to roamcert);
- an *evidence check* takes the facts a flow recorded (an :class:`Evidence`: what was sent, what came back, what
  the scenario expected, and the exchange ids that show it). Flows act and record; evidence checks judge.

The registry turns problems into :class:`Finding` objects; a check that yields nothing gives one PASS finding,
so coverage can count it; a check that raises gives ERROR, never a verdict on the SUT.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from conformance.core.catalogue import CheckSpec, load_catalogue
from conformance.core.exchange import Exchange
from conformance.core.findings import Finding, Outcome, Severity

__all__ = ["REGISTRY", "Check", "CheckKey", "CheckRegistry", "Evidence", "Problem", "Registrar", "run_checks"]


@dataclass(frozen=True)
class Problem:
    """A violation a check found; the registry adds the check's identity to make a Finding."""

    message: str
    expected: str | None = None
    actual: str | None = None
    spec: str | None = None  # a more precise anchor than the check's own, when the problem has one
    evidence: tuple[str, ...] = ()  # exchange ids, when not (only) the exchange under check


class Evidence(Protocol):
    """What a flow recorded for an evidence check; any object naming the exchanges that show it."""

    @property
    def exchange_ids(self) -> tuple[str, ...]: ...


@dataclass(frozen=True)
class CheckKey:
    protocol: str
    version: str
    module: str
    interface_role: str  # whom the rule binds: SENDER, RECEIVER or BOTH


ExchangeFunc = Callable[[Exchange, Any], Iterable[Problem]]
EvidenceFunc = Callable[[Any], Iterable[Problem]]
F = TypeVar("F", bound=Callable[..., Iterable[Problem]])


@dataclass(frozen=True)
class Check:
    id: str
    key: CheckKey
    func: Callable[..., Iterable[Problem]]
    requirements: tuple[str, ...]
    spec: str
    severity: Severity
    title: str
    tags: frozenset[str]  # "response" / "request" for exchange checks, "evidence" for evidence checks
    applies: Callable[[Exchange, Any], bool] | None = None

    @property
    def on_exchanges(self) -> bool:
        return "evidence" not in self.tags

    def run(self, exchange: Exchange, expect: Any) -> list[Finding]:
        """An exchange check on one exchange and what its step expected."""
        return self._call(lambda: self.func(exchange, expect), (exchange.id,))

    def judge(self, evidence: Evidence) -> list[Finding]:
        """An evidence check on what a flow recorded."""
        return self._call(lambda: self.func(evidence), tuple(evidence.exchange_ids))

    def _call(self, call: Callable[[], Iterable[Problem]], evidence: tuple[str, ...]) -> list[Finding]:
        try:
            problems = list(call())
        except Exception as exc:  # a bug in a check must not pass as a verdict on the SUT
            return [self.finding(Outcome.ERROR, f"check raised {type(exc).__name__}: {exc}", evidence)]
        return self.conclude(problems, evidence)

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
        """Findings from the problems found over ``evidence``: one PASS when there are none."""
        found = list(problems)
        if not found:
            return [self.finding(Outcome.PASS, self.title, evidence)]
        return [self.finding(Outcome.FAIL, p.message, evidence, p) for p in found]


class CheckRegistry:
    def __init__(self) -> None:
        self._checks: dict[str, Check] = {}
        self._by_key: dict[CheckKey, list[Check]] = {}
        # (protocol, version, tags) -> its exchange checks: looked up for every exchange of a run
        self._for_exchange: dict[tuple[str, str, frozenset[str]], list[Check]] = {}

    def add(self, item: Check) -> None:
        if item.id in self._checks:
            raise ValueError(f"check {item.id} is registered twice")
        self._checks[item.id] = item
        self._by_key.setdefault(item.key, []).append(item)
        self._for_exchange.clear()

    def __getitem__(self, check_id: str) -> Check:
        return self._checks[check_id]

    def __contains__(self, check_id: object) -> bool:
        return check_id in self._checks

    def __iter__(self) -> Iterator[Check]:
        return iter(sorted(self._checks.values(), key=lambda c: c.id))

    def __len__(self) -> int:
        return len(self._checks)

    def select(self, protocol: str, version: str, *, module: str | None = None,
               interface_role: str | None = None) -> list[Check]:
        """The checks of a protocol version, optionally of one module and binding one interface role."""
        return sorted((c for key, checks in self._by_key.items() for c in checks
                       if key.protocol == protocol and key.version == version
                       and (module is None or key.module == module)
                       and (interface_role is None or key.interface_role in (interface_role, "BOTH"))),
                      key=lambda c: c.id)

    def for_exchange(self, exchange: Exchange, *tags: str) -> list[Check]:
        """The exchange checks of the exchange's protocol and version carrying one of ``tags``."""
        key = (exchange.protocol, exchange.version, frozenset(tags))
        if key not in self._for_exchange:
            self._for_exchange[key] = [c for c in self.select(exchange.protocol, exchange.version)
                                       if c.on_exchanges and key[2] & c.tags]
        return self._for_exchange[key]


REGISTRY = CheckRegistry()


class Registrar:
    """Registers the checks of one protocol version, their metadata read from its catalogue."""

    def __init__(self, protocol: str, version: str, registry: CheckRegistry = REGISTRY) -> None:
        self.protocol = protocol
        self.version = version
        self.registry = registry

    def _spec(self, check_id: str) -> CheckSpec:
        entry = load_catalogue(self.protocol, self.version).checks.get(check_id)
        if entry is None:
            raise LookupError(f"check {check_id} has no [[check]] entry in the {self.protocol} {self.version} "
                              "catalogue")
        return entry

    def _add(self, check_id: str, func: Callable[..., Iterable[Problem]], tags: Iterable[str],
             applies: Callable[[Exchange, Any], bool] | None = None) -> Check:
        entry = self._spec(check_id)
        item = Check(id=check_id, key=CheckKey(self.protocol, self.version, entry.module, entry.interface_role),
                     func=func, requirements=entry.requirements, spec=entry.spec,
                     severity=Severity(entry.severity), title=entry.title, tags=frozenset(tags), applies=applies)
        self.registry.add(item)
        return item

    def exchange(self, check_id: str, *, tags: Iterable[str],
                 applies: Callable[[Exchange, Any], bool] | None = None) -> Callable[[F], F]:
        """Register an exchange check: ``func(exchange, expect)`` yields problems."""

        def register(func: F) -> F:
            self._add(check_id, func, tags, applies)
            return func

        return register

    def evidence(self, check_id: str) -> Callable[[F], Check]:
        """Register an evidence check: ``func(evidence)`` yields problems; the decorated name is the Check."""

        def register(func: F) -> Check:
            return self._add(check_id, func, ("evidence",))

        return register


def run_checks(exchange: Exchange, expect: Any, *tags: str) -> list[Finding]:
    """Run every exchange check of the exchange's protocol and version, carrying one of ``tags``, that applies."""
    findings: list[Finding] = []
    for item in REGISTRY.for_exchange(exchange, *tags):
        if item.applies is None or item.applies(exchange, expect):
            findings.extend(item.run(exchange, expect))
    return findings
