"""Harness errors, never confused with findings about the system under test.

    RoamcertError
    ├── ConfigurationError      the user's input (target file, CLI option) is wrong
    ├── HarnessError            roamcert itself could not do what a step needed
    │   ├── SutUnreachable      no HTTP answer at all: refused, DNS, TLS, timeout
    │   │   └── LimitReached    roamcert stopped reading an answer at one of its own bounds
    │   └── ManualActionPending a step needs a person or a hook and has neither
    ├── SetupFailed             a prerequisite failed (e.g. registration), so the test case cannot run
    │   └── VersionNotOffered   the SUT does not offer the protocol version under test at all
    └── NotApplicable           the SUT does not hold the role or declare the module the case is about
"""

from __future__ import annotations

__all__ = [
    "ConfigurationError",
    "HarnessError",
    "HeldBack",
    "LimitReached",
    "ManualActionPending",
    "NotApplicable",
    "RoamcertError",
    "SetupFailed",
    "SutUnreachable",
    "VersionNotOffered",
]


class RoamcertError(Exception):
    """Base of every error roamcert raises on purpose."""


class ConfigurationError(RoamcertError):
    """Bad user input; the message names the file/option and what is wrong."""


class HarnessError(RoamcertError):
    """roamcert could not carry out a step; the SUT is not to blame (or not provably)."""


class SutUnreachable(HarnessError):
    """The SUT gave no HTTP answer: connection refused, name resolution, TLS, timeout."""


class HeldBack(SutUnreachable):
    """roamcert itself kept an exchange from completing (one of its bounds, or its host policy): no evidence about
    the SUT either way, so a flow that judges an unreachable SUT lets it through."""


class LimitReached(HeldBack):
    """roamcert stopped reading an answer at one of its own bounds (the total deadline of a request, the size cap
    of a response): no usable answer, and no verdict on the SUT; the recorded exchange names the limit."""


class ManualActionPending(HarnessError):
    """A step needs an operator or a trigger hook and none is available in this run."""


class SetupFailed(RoamcertError):
    """A prerequisite of the test case failed; its own findings are recorded where it failed."""


class NotApplicable(RoamcertError):
    """The SUT does not hold the party role, or does not declare the module, this test case is about."""


class VersionNotOffered(SetupFailed):
    """The SUT does not offer the protocol version under test, so nothing of that version can be tested; one
    finding says so (where it was first seen) and the run's verdict is VERSION_NOT_OFFERED."""
