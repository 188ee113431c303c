"""Binds the OCPI 2.2.1 feature files to pytest (steps live in conformance.ocpi.v2_2_1.steps)."""

from pathlib import Path

from pytest_bdd import scenarios

# Every module folder beside this file holds feature files.
scenarios(*sorted(p.name for p in Path(__file__).parent.iterdir() if p.is_dir() and not p.name.startswith("_")))
