"""The test-case catalogue: requirements and test cases as data (one TOML file per protocol version)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from conformance.core.protocol import protocol_version

__all__ = ["Catalogue", "CheckSpec", "Requirement", "TestCase", "TestStep", "load_catalogue"]

@dataclass(frozen=True)
class Requirement:
    id: str
    title: str
    spec: str
    module: str
    level: str
    unobservable: str | None = None  # why no scenario can observe it from outside


@dataclass(frozen=True)
class CheckSpec:
    """What a check verifies and whom its rule binds; the code registers a function under the id."""

    id: str
    module: str
    interface_role: str  # SENDER, RECEIVER or BOTH
    requirements: tuple[str, ...]
    spec: str
    title: str
    severity: str = "REQUIRED"


@dataclass(frozen=True)
class TestStep:
    actor: str  # "tool" or "sut"
    action: str
    manual: bool = False


@dataclass(frozen=True)
class TestCase:
    __test__ = False  # not a pytest class

    id: str
    title: str
    module: str
    roles: tuple[str, ...]
    interface_role: str | None
    purpose: str
    prerequisites: tuple[str, ...]
    steps: tuple[TestStep, ...]
    tool_validations: tuple[str, ...]
    checks: tuple[str, ...]
    post_validations: tuple[str, ...] = ()
    # Interfaces of the SUT the case exercises besides its own module's: a Hub case judges the Hub's Tokens
    # Receiver through the push it relays, though its module is "hub".
    exercises: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Catalogue:
    protocol: str
    version: str
    requirements: dict[str, Requirement] = field(default_factory=dict)
    test_cases: dict[str, TestCase] = field(default_factory=dict)
    checks: dict[str, CheckSpec] = field(default_factory=dict)
    # party role -> the (module, interface role) pairs that role usually implements (informative: the verdict
    # lists those a SUT does not declare)
    usual_interfaces: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)

    def requirements_of(self, case: TestCase) -> list[str]:
        """Requirement ids a test case covers, derived from the checks it evaluates."""
        out: list[str] = []
        for check_id in case.checks:
            for requirement in self.checks[check_id].requirements:
                if requirement not in out:
                    out.append(requirement)
        return out


def _checks(raw: dict[str, Any], sets: dict[str, list[str]], name: str) -> tuple[str, ...]:
    """A test case's checks, with each "set:NAME" entry replaced by the checks of that [check_sets] entry."""
    out: list[str] = []
    for entry in raw.get("checks", ()):
        if entry.startswith("set:"):
            if entry[4:] not in sets:
                raise ValueError(f"{name}: test case {raw['id']} names the check set {entry[4:]!r}, which no "
                                 "[check_sets] table holds")
            out.extend(sets[entry[4:]])
        else:
            out.append(entry)
    return tuple(dict.fromkeys(out))


def _case(raw: dict[str, Any], checks: tuple[str, ...], name: str) -> TestCase:
    return TestCase(
        id=raw["id"], title=raw["title"], module=raw["module"], roles=tuple(raw["roles"]),
        interface_role=raw.get("interface_role"), purpose=raw.get("purpose", ""),
        prerequisites=tuple(raw.get("prerequisites", ())),
        steps=tuple(TestStep(s["actor"], s["action"], bool(s.get("manual", False))) for s in raw.get("steps", ())),
        tool_validations=tuple(raw.get("tool_validations", ())), checks=checks,
        post_validations=tuple(raw.get("post_validations", ())),
        exercises=tuple(_interface(name, f"{raw['id']}.exercises", item) for item in raw.get("exercises", ())),
    )


def _interface(name: str, where: str, item: str) -> tuple[str, str]:
    """"locations SENDER" -> ("locations", "SENDER"); ``where`` names the list it is read from."""
    module, _, interface = item.partition(" ")
    if not module or interface not in ("SENDER", "RECEIVER"):
        raise ValueError(f"{name}: {where}: {item!r} is not 'MODULE SENDER|RECEIVER'")
    return module, interface


@cache
def load_catalogue(protocol: str, version: str) -> Catalogue:
    """The catalogue of a registered protocol version: its catalogue.toml and the per-module fragments beside it."""
    folder = protocol_version(protocol, version).catalogue
    main = folder / "catalogue.toml"
    name = f"{protocol} {version} catalogue"
    data = tomllib.loads(main.read_text(encoding="utf-8"))
    catalogue = Catalogue(protocol=data["protocol"], version=data["version"])
    sets: dict[str, list[str]] = dict(data.get("check_sets", {}))  # named lists of checks several cases evaluate
    for fragment in sorted(folder.glob("*.toml")):
        if fragment == main:
            continue
        extra = tomllib.loads(fragment.read_text(encoding="utf-8"))
        for kind in ("requirement", "test_case", "check"):
            data.setdefault(kind, []).extend(extra.get(kind, []))
        for role, interfaces in extra.get("usual_interfaces", {}).items():
            if role in catalogue.usual_interfaces:
                raise ValueError(f"{name}: the usual interfaces of {role} are listed twice ({fragment.name})")
            catalogue.usual_interfaces[role] = tuple(_interface(name, f"usual_interfaces.{role}", item)
                                                     for item in interfaces)
        for set_name, members in extra.get("check_sets", {}).items():
            if set_name in sets:
                raise ValueError(f"{name}: check set {set_name} is defined twice ({fragment.name})")
            sets[set_name] = members
    for raw in data.get("requirement", []):
        if raw["id"] in catalogue.requirements:
            raise ValueError(f"{name}: requirement {raw['id']} listed twice")
        catalogue.requirements[raw["id"]] = Requirement(
            id=raw["id"], title=raw["title"], spec=raw["spec"], module=raw["module"], level=raw["level"],
            unobservable=raw.get("unobservable"))
    for raw in data.get("test_case", []):
        if raw["id"] in catalogue.test_cases:
            raise ValueError(f"{name}: test case {raw['id']} listed twice")
        catalogue.test_cases[raw["id"]] = _case(raw, _checks(raw, sets, name), name)
    for raw in data.get("check", []):
        if raw["id"] in catalogue.checks:
            raise ValueError(f"{name}: check {raw['id']} listed twice")
        if raw["interface_role"] not in ("SENDER", "RECEIVER", "BOTH"):
            raise ValueError(f"{name}: check {raw['id']}: interface_role must be SENDER, RECEIVER or BOTH")
        catalogue.checks[raw["id"]] = CheckSpec(
            id=raw["id"], module=raw["module"], interface_role=raw["interface_role"],
            requirements=tuple(raw["requirements"]), spec=raw["spec"], title=raw["title"],
            severity=raw.get("severity", "REQUIRED"))
    return catalogue
