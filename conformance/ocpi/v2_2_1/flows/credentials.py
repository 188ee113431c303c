"""Flows that exercise the SUT's credentials module as a server (credentials.asciidoc)."""

from __future__ import annotations

from typing import Any

from conformance.core.checks import Check
from conformance.core.errors import HeldBack, ManualActionPending, SetupFailed, SutUnreachable
from conformance.core.exchange import Exchange
from conformance.ocpi.context import Context
from conformance.ocpi.expect import Expect
from conformance.ocpi.harness import Connection
from conformance.ocpi.v2_2_1.checks import auth as au
from conformance.ocpi.v2_2_1.checks import credentials as cr
from conformance.ocpi.v2_2_1.flows.http import data_of, join, send, status_code_of
from conformance.ocpi.v2_2_1.flows.registration import credentials_url, discover, passed

__all__ = ["auth_probes", "client_unreachable", "module_probe_urls", "no_mutual_version", "post_when_registered",
           "rotate", "unregister", "unregistered_methods", "versions_auth_probes"]

_UNREACHABLE_VERSIONS = "http://127.0.0.1:9/ocpi/versions"  # discard port: nothing listens there


def _fresh_token_a(conn: Connection) -> str:
    token = conn.take_token_a()
    if token is None:
        raise ManualActionPending("this case needs an unused CREDENTIALS_TOKEN_A (add extra_tokens_a to the target)")
    return token


def _credentials_url(ctx: Context, token: str) -> str:
    if ctx.conn.endpoints:
        url = ctx.conn.endpoint("credentials")
        if url:
            return url
    return credentials_url(discover(ctx, token)[1])


def _post_credentials(ctx: Context, url: str, token: str, versions_url: str | None = None) -> Exchange:
    """POST roamcert's credentials with a fresh token B that opens roamcert's versions while the POST is open."""
    partner = ctx.registrar
    token_b = partner.new_token("B")
    body = partner.credentials(token_b)
    if versions_url is not None:
        body["url"] = versions_url
    partner.tokens_a.add(token_b)
    try:
        return send(ctx, "POST", url, Expect(), token=token, json_body=body)
    finally:
        partner.tokens_a.discard(token_b)


def client_unreachable(ctx: Context) -> None:
    conn = ctx.harness.connection(ctx.sut_role)
    token = _fresh_token_a(conn)
    url = _credentials_url(ctx, token)
    post = _post_credentials(ctx, url, token, _UNREACHABLE_VERSIONS)
    refused = passed(ctx.case, cr.client_unreachable, cr.Answer(post))
    ctx.case.evaluate(cr.client_unreachable_code, cr.Answer(post))
    _forget_if_registered(conn, token, refused)


def no_mutual_version(ctx: Context) -> None:
    conn = ctx.harness.connection(ctx.sut_role)
    token = _fresh_token_a(conn)
    url = _credentials_url(ctx, token)
    partner = ctx.registrar
    saved = partner.versions
    partner.versions = ("2.0",)  # roamcert now offers only a version the SUT cannot speak
    try:
        post = _post_credentials(ctx, url, token)
    finally:
        partner.versions = saved
    refused = passed(ctx.case, cr.no_mutual_version, cr.Answer(post))
    ctx.case.evaluate(cr.no_mutual_version_code, cr.Answer(post))
    _forget_if_registered(conn, token, refused)


def _forget_if_registered(conn: Connection, token: str, refused: bool) -> None:
    """A SUT that wrongly registered us (or redirected the POST) has consumed that token A."""
    if not refused and token in conn.tokens_a:
        conn.tokens_a.remove(token)


def unregistered_methods(ctx: Context) -> None:
    conn = ctx.harness.connection(ctx.sut_role)
    token = _fresh_token_a(conn)
    url = _credentials_url(ctx, token)
    partner = ctx.registrar
    for method, item in (("PUT", cr.put_when_unregistered), ("DELETE", cr.delete_when_unregistered)):
        body = partner.credentials(partner.new_token("B")) if method == "PUT" else None
        x = send(ctx, method, url, Expect(http_statuses=frozenset({405})), token=token, json_body=body)
        ctx.case.evaluate(item, cr.Answer(x))


def post_when_registered(ctx: Context) -> None:
    partner = ctx.registrar
    url = ctx.conn.endpoint("credentials") or ""
    x = send(ctx, "POST", url, Expect(http_statuses=frozenset({405})), token=ctx.conn.token,
             json_body=partner.credentials(ctx.conn.peer.token_in if ctx.conn.peer else partner.new_token("B")))
    ctx.case.evaluate(cr.post_when_registered, cr.Answer(x))
    data = data_of(x)
    if x.status == 200 and isinstance(data, dict) and isinstance(data.get("token"), str):
        ctx.conn.token = data["token"]  # the SUT re-registered us anyway: follow it so later cases still work
        ctx.harness.log.secrets.add(ctx.conn.token)


def _not_pre_registered(ctx: Context, what: str) -> None:
    if ctx.conn.pre_registered:
        raise SetupFailed(f"the connection in use is the pre-registered one (token_c in the target): roamcert does "
                          f"not {what} a connection it did not make, so the next run can still use it")


def rotate(ctx: Context) -> None:
    """PUT credentials with a new token B; expect a new token C and the old C refused."""
    _not_pre_registered(ctx, "rotate the token of")
    partner = ctx.registrar
    url = ctx.conn.endpoint("credentials") or ""
    old = ctx.conn.token
    assert old is not None and ctx.conn.peer is not None
    new_b = partner.new_token("B")
    partner.rotate(ctx.conn.peer, new_b)
    put = send(ctx, "PUT", url, Expect(schema="Credentials", status_codes=frozenset({1000})), token=old,
               json_body=partner.credentials(new_b))
    data = data_of(put)
    new_c = data.get("token") if isinstance(data, dict) else None
    stale: Exchange | None = None
    fresh: Exchange | None = None
    if isinstance(new_c, str) and status_code_of(put) == 1000:  # a new token: try it and the previous one
        ctx.harness.log.secrets.add(new_c)
        stale = send(ctx, "GET", ctx.conn.platform.versions_url, Expect(), token=old)
        fresh = send(ctx, "GET", ctx.conn.platform.versions_url, Expect(), token=new_c)
        ctx.conn.token = new_c
        ctx.conn.peer.token_out = new_c
    ctx.case.evaluate(cr.update_rotates_token, cr.TokenRotation(put, old, stale, fresh))


def unregister(ctx: Context) -> None:
    _not_pre_registered(ctx, "end")
    url = ctx.conn.endpoint("credentials") or ""
    token = ctx.conn.token
    delete = send(ctx, "DELETE", url, Expect(status_codes=frozenset({1000})), token=token)
    after = send(ctx, "GET", ctx.conn.platform.versions_url, Expect(), token=token)
    ctx.case.evaluate(cr.unregister, cr.Unregistration(delete, after))
    ctx.conn.unregistered = True
    if ctx.conn.peer is not None:
        ctx.registrar.remove_peer(ctx.conn.peer)


# The GETs of a published module endpoint that change nothing at the SUT: a Sender's list, or on a Receiver an
# object of roamcert's own party that roamcert never pushed (path depth: country code, party id, object id). The
# other calls (commands, charging profiles, a CDR Receiver's POST) create or trigger something: not probed.
_SENDER_LISTS = ("locations", "sessions", "cdrs", "tariffs", "tokens", "hubclientinfo")
_RECEIVER_OBJECT_DEPTH = {"locations": 3, "sessions": 3, "tariffs": 3, "tokens": 3, "hubclientinfo": 2}
_UNKNOWN_TOKEN = "roamcert-unknown-token-0000"


def module_probe_urls(ctx: Context) -> list[str]:
    """A URL to GET at every functional module endpoint the SUT published, both interface roles: each exactly as
    published, with the segments of an object appended on a Receiver."""
    ids = (ctx.partner_identity.country_code, ctx.partner_identity.party_id, "ROAMCERT-AUTH-PROBE")
    urls: list[str] = []
    for endpoint in ctx.conn.endpoints:
        module = str(endpoint.get("identifier", "")).lower()
        role = str(endpoint.get("role", "")).upper()
        url = endpoint.get("url")
        if not isinstance(url, str):
            continue
        if role == "SENDER" and module in _SENDER_LISTS:
            urls.append(url)
        elif role == "RECEIVER" and module in _RECEIVER_OBJECT_DEPTH:
            urls.append(join(url, *ids[:_RECEIVER_OBJECT_DEPTH[module]]))
    return list(dict.fromkeys(urls))


def _get(ctx: Context, url: str, *, token: str | None = None, auth: str = "token") -> Exchange:
    """GET ``url``; a request that got no HTTP answer is evidence too (recorded with its error), not a stop. Only
    the transport checks judge the answer here (what the module answers is the business of its own cases), and
    only an answer from the server's API: a redirect or an HTML page is reported as what it is, by
    ocpi.versions.endpoint_served or the authentication check of the probe, not as a missing envelope or header."""
    try:
        return send(ctx, "GET", url, Expect(), token=token, auth=auth, check_if=au.reached_endpoint)
    except HeldBack:  # a bound of roamcert or a host it may not call: no evidence
        raise
    except SutUnreachable:
        return ctx.case.log.exchanges[-1]


def _probe(ctx: Context, url: str, control: Exchange, token_a: str | None) -> None:
    """The refused credentials at ``url``, judged only where the control GET with token C shows the URL is served
    (a redirect or an HTML page there says nothing about authentication)."""
    if not passed(ctx.case, au.endpoint_served, au.PublishedEndpoint(url, control)):
        return
    probes: list[tuple[Check, dict[str, Any]]] = [
        (au.missing_token, {"auth": "none"}), (au.unknown_token, {"token": _UNKNOWN_TOKEN}),
              (au.base64_token, {"token": ctx.conn.token, "auth": "plain"})]
    if token_a is not None:
        probes.append((au.token_a_scope, {"token": token_a}))
    for check, credential in probes:
        ctx.case.evaluate(check, au.AuthProbe(url, _get(ctx, url, **credential)))


def auth_probes(ctx: Context, urls: list[str]) -> None:
    """Each module endpoint: a control GET with token C, then GETs without a token, with an unknown token, with
    token C unencoded and with a token A (an unused one, which a GET does not consume, or else the one spent on
    registration: either way not a token that opens a functional module)."""
    token_a = ctx.conn.take_token_a() or ctx.conn.platform.token_a
    if token_a is None:
        raise SetupFailed("no token A known to probe its scope")
    for url in urls:
        _probe(ctx, url, _get(ctx, url, token=ctx.conn.token), token_a)


def versions_auth_probes(ctx: Context) -> None:
    """The versions endpoint (as the target gives it) and the 2.2.1 version details (as the versions list gives
    them): a control GET with token C, then GETs without a token, with an unknown token and with token C
    unencoded. Token A is not probed: it opens versions."""
    versions_url = ctx.conn.platform.versions_url
    control = _get(ctx, versions_url, token=ctx.conn.token)
    _probe(ctx, versions_url, control, None)
    if not au.reached_endpoint(control):
        return  # reported by ocpi.versions.endpoint_served; no version details URL to read
    entry = cr.version_entry(data_of(control))
    if entry is None or not isinstance(entry.get("url"), str):
        raise SetupFailed("the versions list read with token C gives no URL for the 2.2.1 version details")
    details_url = str(entry["url"])
    _probe(ctx, details_url, _get(ctx, details_url, token=ctx.conn.token), None)
