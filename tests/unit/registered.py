"""A harness around the built-in reference whose SUT platforms roamcert has registered with, as a run's first case
leaves it: for unit tests of what happens after registration (through a hub, across a network)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from conformance.core.case import Case
from conformance.ocpi.context import Context
from conformance.ocpi.harness import Harness
from conformance.ocpi.target import Target
from conformance.ocpi.v2_2_1.flows.registration import ensure_registered

__all__ = ["registered_harness"]


@contextmanager
def registered_harness(target: Target, roles: tuple[str, ...]) -> Iterator[Harness]:
    built = Harness(target)
    try:
        log = built.begin_case()
        for role in roles:
            ensure_registered(Context(built, Case(nodeid="register", log=log), role))
        yield built
    finally:
        built.close()
