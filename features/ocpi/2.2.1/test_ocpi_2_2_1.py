"""Binds the OCPI 2.2.1 feature files to pytest (steps live in conformance.steps)."""

from pytest_bdd import scenarios

scenarios("credentials", "transport", "locations", "cdrs")
