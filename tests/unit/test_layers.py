"""The layers of the code base, as pyproject.toml writes them for import-linter: every contract is kept, each
would be broken by the import it forbids, the list of shared modules is complete, and the version number of a
protocol appears as a string only inside that version's packages."""

from __future__ import annotations

import ast
import copy
import pkgutil
import tomllib
from pathlib import Path
from typing import Any

import grimp
import pytest
from importlinter.configuration import configure
from importlinter.contracts.forbidden import ForbiddenContract
from importlinter.contracts.independence import IndependenceContract
from importlinter.contracts.layers import LayersContract

import conformance.ocpi
import simulators.ocpi
from conformance.protocols import installed

ROOT = Path(__file__).resolve().parents[2]
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
CONTRACTS = {c["id"]: c for c in CONFIG["contracts"]}
configure()  # import-linter's own settings (its timer), as lint-imports sets them
KINDS = {"forbidden": ForbiddenContract, "layers": LayersContract, "independence": IndependenceContract}


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph(*CONFIG["root_packages"])


def _kept(graph: grimp.ImportGraph, contract: dict[str, Any]) -> bool:
    options = {k: v for k, v in contract.items() if k not in ("id", "name", "type")}
    checker = KINDS[contract["type"]](contract["name"], {"root_packages": CONFIG["root_packages"]}, options)
    return bool(checker.check(graph, verbose=False).kept)


@pytest.mark.parametrize("contract_id", sorted(CONTRACTS))
def test_every_contract_is_kept(graph: grimp.ImportGraph, contract_id: str) -> None:
    assert _kept(graph, CONTRACTS[contract_id])


# Each contract, and the import that would break it.
VIOLATIONS = {
    "core-neutral": ("conformance.core.case", "conformance.ocpi.types"),
    "layers": ("conformance.tariffs.engine", "conformance.ocpi.types"),
    "ocpi-version-layers": ("conformance.ocpi.v2_2_1.checks.commands", "conformance.ocpi.v2_2_1.flows.commands"),
    "ocpi-shared-unversioned": ("simulators.ocpi.party", "simulators.ocpi.v2_2_1.lifecycle"),
    "actors-not-runner": ("simulators.ocpi.v2_2_1.lifecycle", "conformance.ocpi.harness"),
    "behaviours-neutral": ("simulators.behaviours", "simulators.ocpi.party"),
    "reports-neutral": ("reports.html", "conformance.ocpi.schemas"),
}


@pytest.mark.parametrize("contract_id", sorted(VIOLATIONS))
def test_the_forbidden_import_breaks_the_contract(graph: grimp.ImportGraph, contract_id: str) -> None:
    broken = copy.deepcopy(graph)
    importer, imported = VIOLATIONS[contract_id]
    broken.add_import(importer=importer, imported=imported)
    assert not _kept(broken, CONTRACTS[contract_id])


def test_every_contract_is_proven() -> None:
    assert set(VIOLATIONS) == set(CONTRACTS)


def test_protocol_packages_do_not_import_each_other(graph: grimp.ImportGraph) -> None:
    """Each installed protocol's package (conformance.<protocol>) stays independent of the others; with a second
    package beside OCPI the layers contract lists them as independent siblings. Proven on a made-up second one."""
    packages = sorted({".".join(item.package.split(".")[:2]) for item in installed()})
    contract = {"name": "protocols", "type": "independence", "modules": packages}
    if len(packages) > 1:
        assert _kept(graph, contract)
    broken = copy.deepcopy(graph)
    broken.add_module("conformance.madeup")
    broken.add_import(importer="conformance.madeup", imported="conformance.ocpi.types")
    assert not _kept(broken, {**contract, "modules": [*packages, "conformance.madeup"]})


def test_the_shared_module_list_is_complete() -> None:
    """Every module beside the version packages is held to the no-versioned-imports contract."""
    listed = set(CONTRACTS["ocpi-shared-unversioned"]["source_modules"])
    shared = {f"{package.__name__}.{m.name}" for package in (conformance.ocpi, simulators.ocpi)
              for m in pkgutil.iter_modules(package.__path__) if not m.ispkg}
    assert listed == shared


def _docstrings(tree: ast.AST) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and body and \
                isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            out.add(id(body[0].value))
    return out


def test_version_numbers_only_inside_their_version_packages() -> None:
    """A protocol version's number appears as a string (other than in prose: docstrings) only in its own packages
    and in data; everything else asks the registry or the version package."""
    found = []
    for item in installed():
        folder = "v" + item.version.replace(".", "_")
        for root in ("conformance", "simulators", "reports"):
            for path in sorted((ROOT / root).rglob("*.py")):
                if folder in path.parts or path.name == "protocols.py":
                    continue
                tree = ast.parse(path.read_text(encoding="utf-8"))
                docs = _docstrings(tree)
                found += [f"{path.relative_to(ROOT)}:{node.lineno}" for node in ast.walk(tree)
                          if isinstance(node, ast.Constant) and isinstance(node.value, str)
                          and item.version in node.value and id(node) not in docs]
    assert found == []
