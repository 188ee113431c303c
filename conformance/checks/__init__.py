"""The registered checks. Importing this package registers every check module."""

from conformance.checks import auth, cdrs, credentials, locations, pagination, transport
from conformance.checks.registry import REGISTRY, Check, Expect, PageRequest, Problem, check, declare, run_checks

__all__ = ["REGISTRY", "Check", "Expect", "PageRequest", "Problem", "auth", "cdrs", "check", "credentials", "declare",
           "locations", "pagination", "run_checks", "transport"]
