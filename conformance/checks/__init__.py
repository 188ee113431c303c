"""The registered checks. Importing this package registers every check module in it."""

import importlib
import pkgutil

from conformance.checks.registry import REGISTRY, Check, Expect, PageRequest, Problem, check, declare, run_checks

# Every module of this package but the registry and helpers holds checks (a new module needs no edit here).
for _module in pkgutil.iter_modules(__path__):
    if not _module.name.startswith("_") and _module.name != "registry":
        importlib.import_module(f"{__name__}.{_module.name}")

__all__ = ["REGISTRY", "Check", "Expect", "PageRequest", "Problem", "check", "declare", "run_checks"]
