"""Registration flows: roamcert registering with the SUT, the SUT registering with roamcert, and a connection
made before the run (pre-registered: the target gives token C and token B)."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from conformance.core.case import Case
from conformance.core.checks import Check, Evidence
from conformance.core.errors import HarnessError, ManualActionPending, SetupFailed, VersionNotOffered
from conformance.core.exchange import Exchange
from conformance.core.findings import Outcome
from conformance.core.hosts import NOT_CALLED, HostNotAllowed, host_finding
from conformance.ocpi.context import Context
from conformance.ocpi.expect import Expect
from conformance.ocpi.harness import Connection
from conformance.ocpi.v2_2_1.checks import credentials as cr
from conformance.ocpi.v2_2_1.flows.actions import perform
from conformance.ocpi.v2_2_1.flows.http import data_of, send
from conformance.ocpi.v2_2_1.flows.via_hub import ensure_behind_hub, hub_joined
from simulators.ocpi.party import Peer

__all__ = ["adopt_pre_registration", "credentials_url", "discover", "ensure_registered", "passed", "register",
           "sut_registers"]

VERSION = cr.VERSION


def passed(case: Case, check: Check, evidence: Evidence) -> bool:
    """Evaluate ``check`` on ``evidence`` and say whether it found nothing wrong: a flow that cannot go on after
    a failed step asks this."""
    return all(f.outcome is Outcome.PASS for f in case.evaluate(check, evidence))


def _opened(ctx: Context, answer: Exchange, what: str, token_a: bool) -> None:
    """Go on only if the SUT let roamcert in: token A refused is the SUT's deviation (a finding); a
    pre-registered token C refused is the target's (a SetupFailed saying so)."""
    if token_a:
        if not passed(ctx.case, cr.token_a_opens, cr.TokenAAnswer(answer, what)):
            raise SetupFailed(f"the SUT refused token A on its {what} (HTTP {answer.status})")
    elif answer.status in (401, 403):
        raise SetupFailed(f"the SUT refused the pre-registered token C on its {what} (HTTP {answer.status}): "
                          "check token_c in the target")


def discover(ctx: Context, token: str, *, token_a: bool = True) -> tuple[str, list[dict[str, Any]]]:
    """GET versions and the 2.2.1 version details with ``token`` (token A unless ``token_a`` is false); evaluates
    the versions checks. A SUT that does not offer 2.2.1 at all is told once: its first case gets the finding,
    every later one a VersionNotOffered without a new request."""
    conn = ctx.conn
    if conn.version_not_offered is not None:
        raise VersionNotOffered(conn.version_not_offered)
    versions = send(ctx, "GET", conn.platform.versions_url, Expect(schema="Version", many=True), token=token)
    _opened(ctx, versions, "versions endpoint", token_a)
    listed = data_of(versions)
    entry = cr.version_entry(listed)
    offered = cr.versions_offered(listed)
    if offered is not None:
        conn.versions_offered = offered
    if not passed(ctx.case, cr.mutual_version, cr.VersionsAnswer(listed, (versions.id,))) or entry is None:
        if entry is None and offered is not None:
            conn.version_not_offered = (f"the SUT does not offer OCPI {VERSION} (its versions endpoint offers "
                                        f"{', '.join(offered) or 'no version'}): nothing of {VERSION} can be tested")
            raise VersionNotOffered(conn.version_not_offered)
        raise SetupFailed(f"the SUT's versions endpoint does not offer OCPI {VERSION} usably")
    details = send(ctx, "GET", str(entry["url"]), Expect(schema="VersionDetails"), token=token)
    _opened(ctx, details, "version details", token_a)
    data = data_of(details)
    if not passed(ctx.case, cr.version_details, cr.VersionDetailsAnswer(data, (details.id,))):
        raise SetupFailed("the SUT's version details are unusable")
    endpoints = data.get("endpoints") if isinstance(data, dict) else None
    usable = [e for e in endpoints if isinstance(e, dict)] if isinstance(endpoints, list) else []
    conn.declared = usable
    return VERSION, usable


def credentials_url(endpoints: list[dict[str, Any]]) -> str:
    return next(str(e["url"]) for e in endpoints if e.get("identifier") == "credentials")


def register(ctx: Context) -> None:
    """roamcert (as the credentials Sender) registers with the SUT using token A; a registration that fails is
    remembered, so the cases after it do not try again (and repeat its findings)."""
    try:
        _register(ctx)
    except (SetupFailed, HarnessError) as exc:
        if not isinstance(exc, ManualActionPending):
            ctx.conn.registration_failed = ctx.conn.registration_failed or str(exc)
        raise


def _register(ctx: Context) -> None:
    ensure_behind_hub(ctx)
    token_a = ctx.conn.take_token_a()
    if token_a is None:
        raise ManualActionPending("no CREDENTIALS_TOKEN_A for the SUT: set token_a in the target file")
    version, endpoints = discover(ctx, token_a)
    partner = ctx.registrar
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
    hub_joined(ctx, ctx.conn.peer)
    _name_foreign_versions_url(ctx, data.get("url"), post.id)
    served = send(ctx, "GET", ctx.conn.platform.versions_url, Expect(schema="Version", many=True),
                  token=token_c)
    if not passed(ctx.case, cr.token_c_works, cr.Answer(served)):
        ctx.conn.registration_failed = "the token C the SUT issued does not open it"


def _name_foreign_versions_url(ctx: Context, url: Any, exchange_id: str) -> None:
    """The versions URL the SUT's credentials name is where roamcert's partner would call it with token C: on a
    host the target does not name, it is never called (the partner's guard refuses it), and a finding says so
    now rather than when a later push fails."""
    hosts = ctx.harness.hosts
    if isinstance(url, str) and url and not hosts.allows(url):
        ctx.case.add([host_finding(hosts.refusal("GET", url), url, hosts.describe(), exchange_id)])


def adopt_pre_registration(ctx: Context) -> None:
    """Use the connection the target gives: roamcert calls the SUT with its token C, and roamcert's partner
    accepts the SUT's calls with its token B. Nothing is posted; roamcert reads the SUT's versions, version
    details and Credentials (for its roles) with token C."""
    ensure_behind_hub(ctx)
    conn, partner = ctx.conn, ctx.registrar
    token_c, token_b = conn.platform.token_c, conn.platform.token_b
    if token_c is None or token_b is None:
        raise SetupFailed("the target gives no pre-registered connection (token_c and token_b)")
    peer = Peer(token_in=token_b, token_out=token_c, versions_url=conn.platform.versions_url)
    partner.issued.add(token_b)  # the SUT's requests with it are judged as made with a token roamcert gave
    partner.add_peer(peer)  # before the first call: the SUT may read roamcert's endpoints while answering it
    try:
        version, endpoints = discover(ctx, token_c, token_a=False)
    except VersionNotOffered:
        partner.remove_peer(peer)
        raise
    except SetupFailed as exc:
        partner.remove_peer(peer)
        raise SetupFailed(f"the pre-registered connection does not work: {exc}") from None
    url = next((str(e["url"]) for e in endpoints if e.get("identifier") == "credentials"), None)
    roles: list[dict[str, Any]] = []
    if url is not None:
        data = data_of(send(ctx, "GET", url, Expect(schema="Credentials"), token=token_c))
        found = data.get("roles") if isinstance(data, dict) else None
        roles = [r for r in found if isinstance(r, dict)] if isinstance(found, list) else []
    peer.version, peer.endpoints, peer.roles = version, endpoints, roles
    conn.token, conn.version, conn.endpoints, conn.peer = token_c, version, endpoints, peer
    conn.pre_registered, conn.registration_failed = True, None
    hub_joined(ctx, peer)


def ensure_registered(ctx: Context) -> Connection:
    """The connection to the SUT holding ``sut_role``: roamcert's own registration of this run when it worked,
    else the pre-registered connection the target gives, else a registration made now."""
    conn = ctx.harness.connection(ctx.sut_role)
    if conn.version_not_offered is not None:
        raise VersionNotOffered(conn.version_not_offered)
    if conn.unregistered:
        raise SetupFailed("roamcert unregistered from the SUT earlier in this run")
    if conn.token is not None and not conn.registration_failed:
        return conn
    if conn.platform.pre_registered:
        if conn.pre_registration_failed is None:
            try:
                adopt_pre_registration(ctx)
                return conn
            except SetupFailed as exc:
                conn.pre_registration_failed = str(exc)
                raise
        raise SetupFailed(conn.pre_registration_failed)
    if conn.registration_failed:
        raise SetupFailed(f"registration with the SUT failed earlier: {conn.registration_failed}")
    register(ctx)
    return conn


def sut_registers(ctx: Context, *, timeout: float = 30.0) -> Connection:
    """Make the SUT register with roamcert (it is the credentials Sender) and check how it does it."""
    conn = ctx.harness.connection(ctx.sut_role)
    if conn.version_not_offered is not None:  # it cannot register with a partner of the version under test
        raise VersionNotOffered(conn.version_not_offered)
    ensure_behind_hub(ctx)
    partner = ctx.registrar
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
    refused = next((x for x in callbacks if (x.error or "").startswith(NOT_CALLED)), None)
    if refused is not None and not new:  # roamcert's partner did not call the SUT's versions URL: nothing to judge
        raise HostNotAllowed(str(refused.error), refused.url, ctx.harness.hosts.describe(), refused.id)
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


def versions_offered_at(ctx: Context, versions_url: str) -> tuple[str, ...] | None:
    """The versions a platform's versions endpoint listed when one of roamcert's platforms registered with it (a
    Hub, a node: roamcert's own platforms read them, not the harness; None: not read in this case's log)."""
    for exchange in reversed(ctx.case.log.exchanges):
        if exchange.method == "GET" and exchange.url == versions_url and exchange.status == 200:
            offered = cr.versions_offered(data_of(exchange))
            if offered is not None:
                return offered
    return None
