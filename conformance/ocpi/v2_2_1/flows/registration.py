"""Registration flows: roamcert registering with the SUT, and the SUT registering with roamcert."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from conformance.core.case import Case
from conformance.core.checks import Check, Evidence
from conformance.core.errors import HarnessError, ManualActionPending, SetupFailed
from conformance.core.findings import Outcome
from conformance.ocpi.context import Context
from conformance.ocpi.expect import Expect
from conformance.ocpi.harness import Connection
from conformance.ocpi.v2_2_1.checks import credentials as cr
from conformance.ocpi.v2_2_1.flows.actions import perform
from conformance.ocpi.v2_2_1.flows.http import data_of, send
from simulators.ocpi.party import Peer

__all__ = ["credentials_url", "discover", "ensure_registered", "passed", "register", "sut_registers"]

VERSION = cr.VERSION


def passed(case: Case, check: Check, evidence: Evidence) -> bool:
    """Evaluate ``check`` on ``evidence`` and say whether it found nothing wrong: a flow that cannot go on after
    a failed step asks this."""
    return all(f.outcome is Outcome.PASS for f in case.evaluate(check, evidence))


def discover(ctx: Context, token: str) -> tuple[str, list[dict[str, Any]]]:
    """GET versions and the 2.2.1 version details with ``token``; evaluates the versions checks."""
    versions = send(ctx, "GET", ctx.conn.platform.versions_url, Expect(schema="Version", many=True),
                    token=token)
    listed = data_of(versions)
    entry = cr.version_entry(listed)
    if not passed(ctx.case, cr.mutual_version, cr.VersionsAnswer(listed, (versions.id,))) or entry is None:
        raise SetupFailed("the SUT's versions endpoint does not offer OCPI 2.2.1")
    details = send(ctx, "GET", str(entry["url"]), Expect(schema="VersionDetails"), token=token)
    data = data_of(details)
    if not passed(ctx.case, cr.version_details, cr.VersionDetailsAnswer(data, (details.id,))):
        raise SetupFailed("the SUT's version details are unusable")
    endpoints = data.get("endpoints") if isinstance(data, dict) else None
    return VERSION, [e for e in endpoints if isinstance(e, dict)] if isinstance(endpoints, list) else []


def credentials_url(endpoints: list[dict[str, Any]]) -> str:
    return next(str(e["url"]) for e in endpoints if e.get("identifier") == "credentials")


def register(ctx: Context) -> None:
    """roamcert (as the credentials Sender) registers with the SUT using token A."""
    token_a = ctx.conn.take_token_a()
    if token_a is None:
        raise ManualActionPending("no CREDENTIALS_TOKEN_A for the SUT: set token_a in the target file")
    version, endpoints = discover(ctx, token_a)
    partner = ctx.partner
    token_b = partner.new_token("B")
    partner.tokens_a.add(token_b)  # the SUT reads our versions with B while our POST is open
    mark = len(ctx.case.log.exchanges)
    try:
        post = send(ctx, "POST", credentials_url(endpoints), Expect(schema="Credentials",
                    status_codes=frozenset({1000})), token=token_a, json_body=partner.credentials(token_b))
    finally:
        partner.tokens_a.discard(token_b)
    data = data_of(post)
    token_c = data.get("token") if isinstance(data, dict) else None
    registered = passed(ctx.case, cr.registration, cr.RegistrationAnswer(post, token_a))
    callbacks = tuple(x for x in ctx.case.log.exchanges[mark:] if x.direction == "inbound" and "versions" in x.url)
    ctx.case.evaluate(cr.callback_with_token_b, cr.TokenBCallbacks(post, callbacks, token_b))
    if not registered or not isinstance(token_c, str):
        ctx.conn.registration_failed = "registration POST did not succeed"
        raise SetupFailed(ctx.conn.registration_failed)
    ctx.case.evaluate(cr.roles, cr.CredentialsRoles(data.get("roles"), ctx.conn.platform.roles, (post.id,)))
    ctx.case.evaluate(cr.token_printable, cr.IssuedToken(token_c, (post.id,)))
    ctx.harness.log.secrets.add(token_c)
    ctx.conn.tokens_a.remove(token_a)
    ctx.conn.token, ctx.conn.version, ctx.conn.endpoints = token_c, version, endpoints
    ctx.conn.peer = Peer(token_in=token_b, token_out=token_c, versions_url=str(data.get("url")), version=version,
                     endpoints=endpoints, roles=list(data.get("roles") or []))
    partner.add_peer(ctx.conn.peer)
    served = send(ctx, "GET", ctx.conn.platform.versions_url, Expect(schema="Version", many=True),
                  token=token_c)
    if not passed(ctx.case, cr.token_c_works, cr.Answer(served)):
        ctx.conn.registration_failed = "the token C the SUT issued does not open it"


def ensure_registered(ctx: Context) -> Connection:
    """The connection to the SUT holding ``sut_role``, registering first when needed."""
    conn = ctx.harness.connection(ctx.sut_role)
    if conn.unregistered:
        raise SetupFailed("roamcert unregistered from the SUT earlier in this run")
    if conn.registration_failed:
        raise SetupFailed(f"registration with the SUT failed earlier: {conn.registration_failed}")
    if conn.token is None:
        try:
            register(ctx)
        except (SetupFailed, HarnessError) as exc:
            conn.registration_failed = str(exc)
            raise
    return conn


def sut_registers(ctx: Context, *, timeout: float = 30.0) -> Connection:
    """Make the SUT register with roamcert (it is the credentials Sender) and check how it does it."""
    conn = ctx.harness.connection(ctx.sut_role)
    partner = ctx.partner
    token_a = partner.issue_token_a()
    before = set(partner.peers)
    mark = len(ctx.case.log.exchanges)
    hook_error: HarnessError | None = None
    try:
        perform(ctx, "register", {"versions_url": partner.versions_url(), "token": token_a})
    except HarnessError as exc:  # the SUT may have tried and failed: judge what it sent, if anything
        if isinstance(exc, ManualActionPending):
            raise
        hook_error = exc
    deadline = time.monotonic() + (0 if hook_error else timeout)
    while not (set(partner.peers) - before) and time.monotonic() < deadline:
        ctx.harness.runtime.run(asyncio.sleep(0.05))
    new = [partner.peers[t] for t in set(partner.peers) - before]
    inbound = [x for x in ctx.case.log.exchanges[mark:] if x.direction == "inbound"]
    if hook_error is not None and not inbound:
        raise hook_error
    posts = [x for x in inbound if x.method == "POST" and x.url.rstrip("/").endswith("/credentials")]
    callbacks = [x for x in ctx.case.log.exchanges[mark:] if x.direction == "callback"]
    if new:
        peer = new[0]
        ctx.case.evaluate(cr.roles, cr.CredentialsRoles(peer.roles, conn.platform.roles, tuple(x.id for x in posts)))
        conn.peer = peer
        if conn.token is None:  # roamcert calls the SUT with the token the SUT gave it
            conn.token, conn.version, conn.endpoints = peer.token_out, peer.version, peer.endpoints
    ctx.case.evaluate(cr.client_flow, cr.ClientRegistration(bool(new), tuple(inbound), tuple(callbacks), token_a,
                                                        tuple(x.id for x in posts or inbound)))
    if not new:
        raise SetupFailed("the SUT did not register with roamcert")
    return conn
