"""The registered OCPI 2.2.1 checks. Importing this package registers every check module in it."""

import importlib
import pkgutil

from conformance.core.checks import REGISTRY, Check, Problem, run_checks
from conformance.ocpi.expect import Expect, PageRequest

# Every module of this package but the helpers holds checks (a new module needs no edit here).
for _module in pkgutil.iter_modules(__path__):
    if not _module.name.startswith("_"):
        importlib.import_module(f"{__name__}.{_module.name}")

__all__ = ["REGISTRY", "Check", "Expect", "PageRequest", "Problem", "run_checks"]
