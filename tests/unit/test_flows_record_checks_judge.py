"""Flows act and record; only registered checks judge. No flow or step builds a Problem or a Finding or concludes
a check itself, every check the catalogue lists is a registered function (and nothing else is registered), and
each is keyed by the protocol version, module and interface role the catalogue gives it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from conformance.core.catalogue import load_catalogue
from conformance.core.checks import REGISTRY
from conformance.protocols import installed

ROOT = Path(__file__).resolve().parents[2]
JUDGING = frozenset({"Problem", "Finding"})


def _acting_modules() -> list[Path]:
    out = []
    for item in installed():
        package = ROOT / item.package.replace(".", "/")
        out += sorted((package / "flows").glob("*.py")) + sorted((package / "steps").glob("*.py"))
    return out


@pytest.mark.parametrize("path", _acting_modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_flows_and_steps_do_not_judge(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            found += [f"imports {a.name}" for a in node.names if a.name in JUDGING]
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            if name in JUDGING | {"conclude", "finding"}:
                found.append(f"line {node.lineno}: calls {name}")
    assert found == []


def test_every_catalogue_check_is_a_registered_function() -> None:
    for item in installed():
        catalogue = load_catalogue(item.protocol, item.version)
        registered = {c.id for c in REGISTRY.select(item.protocol, item.version)}
        assert registered == set(catalogue.checks)
        for check_id, entry in catalogue.checks.items():
            check = REGISTRY[check_id]
            assert (check.key.module, check.key.interface_role) == (entry.module, entry.interface_role)
            assert (check.requirements, check.spec, check.title) == (entry.requirements, entry.spec, entry.title)
            assert callable(check.func)


def test_the_registry_refuses_a_check_registered_twice() -> None:
    item = next(iter(REGISTRY))
    with pytest.raises(ValueError, match="registered twice"):
        REGISTRY.add(item)
