"""The test-case catalogue: requirements and test cases as data (one TOML file per protocol version)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

__all__ = ["Catalogue", "Requirement", "TestCase", "TestStep", "load_catalogue"]

_FILES = {("OCPI", "2.2.1"): "ocpi-2.2.1.toml"}


@dataclass(frozen=True)
class Requirement:
    id: str
    title: str
    spec: str
    module: str
    level: str
    unobservable: str | None = None  # why no scenario can observe it from outside


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


@dataclass(frozen=True)
class Catalogue:
    protocol: str
    version: str
    requirements: dict[str, Requirement] = field(default_factory=dict)
    test_cases: dict[str, TestCase] = field(default_factory=dict)

    def requirements_of(self, case: TestCase) -> list[str]:
        """Requirement ids a test case covers, derived from the checks it evaluates."""
        from conformance.checks import REGISTRY

        out: list[str] = []
        for check_id in case.checks:
            for requirement in REGISTRY[check_id].requirements:
                if requirement not in out:
                    out.append(requirement)
        return out


def _case(raw: dict[str, Any]) -> TestCase:
    return TestCase(
        id=raw["id"], title=raw["title"], module=raw["module"], roles=tuple(raw["roles"]),
        interface_role=raw.get("interface_role"), purpose=raw.get("purpose", ""),
        prerequisites=tuple(raw.get("prerequisites", ())),
        steps=tuple(TestStep(s["actor"], s["action"], bool(s.get("manual", False))) for s in raw.get("steps", ())),
        tool_validations=tuple(raw.get("tool_validations", ())), checks=tuple(raw.get("checks", ())),
        post_validations=tuple(raw.get("post_validations", ())),
    )


@cache
def load_catalogue(protocol: str = "OCPI", version: str = "2.2.1") -> Catalogue:
    try:
        name = _FILES[(protocol.upper(), version)]
    except KeyError:
        raise KeyError(f"no catalogue for {protocol} {version}") from None
    main = Path(__file__).parent / name
    data = tomllib.loads(main.read_text(encoding="utf-8"))
    catalogue = Catalogue(protocol=data["protocol"], version=data["version"])
    # Per-module fragments beside the main file (ocpi-2.2.1/sessions.toml, ...) add requirements and test cases.
    for fragment in sorted(main.with_suffix("").glob("*.toml")):
        extra = tomllib.loads(fragment.read_text(encoding="utf-8"))
        for kind in ("requirement", "test_case"):
            data.setdefault(kind, []).extend(extra.get(kind, []))
    for raw in data.get("requirement", []):
        if raw["id"] in catalogue.requirements:
            raise ValueError(f"{name}: requirement {raw['id']} listed twice")
        catalogue.requirements[raw["id"]] = Requirement(
            id=raw["id"], title=raw["title"], spec=raw["spec"], module=raw["module"], level=raw["level"],
            unobservable=raw.get("unobservable"))
    for raw in data.get("test_case", []):
        if raw["id"] in catalogue.test_cases:
            raise ValueError(f"{name}: test case {raw['id']} listed twice")
        catalogue.test_cases[raw["id"]] = _case(raw)
    return catalogue
