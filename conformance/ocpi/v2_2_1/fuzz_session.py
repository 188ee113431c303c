"""The connections `roamcert fuzz` calls a target's SUT platforms with.

A platform the target gives a pre-registered token C is fuzzed with it. A platform it gives only a token A is
first registered with, as `roamcert run` does it: the run's harness (roamcert's own platform, served where the
target's ``[partner]`` says) and the run's registration flow (flows/registration.py: versions, version details,
the credentials POST, the SUT's call back with token B) give roamcert a token C; fuzzing uses it, and at the end
roamcert deletes its credentials again (flows/credentials.py ``unregister``), so the SUT keeps no connection the
fuzz run made.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from conformance.core.case import Case
from conformance.core.errors import RoamcertError
from conformance.core.redaction import redact_text
from conformance.ocpi.context import Context
from conformance.ocpi.harness import Harness
from conformance.ocpi.target import Platform, Target
from conformance.ocpi.v2_2_1.flows.credentials import unregister
from conformance.ocpi.v2_2_1.flows.registration import register
from conformance.ocpi.v2_2_1.fuzz import FuzzError, FuzzPlatform

__all__ = ["FuzzConnections", "fuzz_connections"]


@dataclass
class FuzzConnections:
    """The platforms to fuzz, each with the token C to call it with; ``failed`` names those that could not be
    registered with (platform name -> why), and ``secrets`` every credential the registrations saw."""

    platforms: list[FuzzPlatform] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    secrets: set[str] = field(default_factory=set, repr=False)


def _context(harness: Harness, platform: Platform, what: str) -> Context:
    case = Case(nodeid=f"fuzz::{platform.node_name}::{what}", log=harness.begin_case())
    return Context(harness, case, platform.roles[0])


def _registered(harness: Harness, platform: Platform) -> FuzzPlatform:
    """Register with ``platform`` through its token A (the run's flow); raises FuzzError saying why it failed."""
    ctx = _context(harness, platform, "registration")
    try:
        register(ctx)
    except RoamcertError as exc:
        problems = "; ".join(f"{f.check_id}: {f.message}" for f in ctx.case.blocking())
        hint = "" if harness.target.partner_listen is not None else (
            " (the SUT calls roamcert's platform back during registration: give the target a [partner] listen "
            "address it can reach)")
        raise FuzzError(f"registration through token A failed: {exc}" + (f" ({problems})" if problems else "")
                        + hint) from None
    conn = ctx.conn
    if conn.token is None or conn.registration_failed:
        raise FuzzError(f"registration through token A failed: {conn.registration_failed or 'no token C'}")
    return FuzzPlatform(name=platform.node_name, roles=platform.roles, versions_url=platform.versions_url,
                        token=conn.token, base64_token=harness.target.base64_token,
                        allowed_hosts=harness.target.allowed_hosts)


def _unregister(harness: Harness, platform: Platform) -> None:
    """Delete roamcert's credentials at the SUT; a failure is told, it does not change the fuzz verdict."""
    ctx = _context(harness, platform, "unregistration")
    try:
        unregister(ctx)
    except RoamcertError as exc:
        print(f"roamcert: {platform.node_name}: unregistering after fuzzing failed: "
              f"{redact_text(str(exc), harness.log.secrets)}", file=sys.stderr)
        return
    if ctx.case.blocking():
        print(f"roamcert: {platform.node_name}: unregistering after fuzzing: the SUT did not end the connection "
              f"({redact_text(ctx.case.blocking()[0].message, harness.log.secrets)})", file=sys.stderr)


@contextmanager
def fuzz_connections(target: Target) -> Iterator[FuzzConnections]:
    """The connection to each SUT platform of ``target``: its pre-registered token C, or a registration made
    through its token A (ended again on leaving)."""
    unique = {p.node_name: p for p in target.platforms.values()}
    found = FuzzConnections()
    found.secrets |= {t for p in unique.values() for t in (p.token_a, *p.extra_tokens_a, p.token_b, p.token_c) if t}
    for name, platform in sorted(unique.items()):
        if platform.token_c is not None:
            found.platforms.append(FuzzPlatform(name=name, roles=platform.roles, versions_url=platform.versions_url,
                                                token=platform.token_c, base64_token=target.base64_token,
                                                allowed_hosts=target.allowed_hosts))
    to_register = [p for _, p in sorted(unique.items()) if p.token_c is None]
    if not to_register:
        yield found
        return
    harness = Harness(target)
    registered: list[Platform] = []
    try:
        for platform in to_register:
            try:
                found.platforms.append(_registered(harness, platform))
                registered.append(platform)
            except FuzzError as exc:
                found.failed[platform.node_name] = redact_text(str(exc), harness.log.secrets | found.secrets)
            finally:
                found.secrets |= harness.log.secrets | harness.issued_tokens()
        yield found
    finally:
        try:
            for platform in registered:
                _unregister(harness, platform)
        finally:
            harness.close()
