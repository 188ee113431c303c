"""Flows that exercise the SUT's credentials module as a server (credentials.asciidoc)."""

from __future__ import annotations

from conformance.core.case import Case
from conformance.core.errors import ManualActionPending, SetupFailed
from conformance.core.exchange import Exchange
from conformance.ocpi.expect import Expect
from conformance.ocpi.harness import Connection, Harness
from conformance.ocpi.v2_2_1.checks import auth as au
from conformance.ocpi.v2_2_1.checks import credentials as cr
from conformance.ocpi.v2_2_1.flows.http import data_of, send, status_code_of
from conformance.ocpi.v2_2_1.flows.registration import credentials_url, discover, passed

__all__ = ["auth_probes", "client_unreachable", "no_mutual_version", "post_when_registered", "rotate",
           "unregister", "unregistered_methods"]

_UNREACHABLE_VERSIONS = "http://127.0.0.1:9/ocpi/versions"  # discard port: nothing listens there


def _fresh_token_a(conn: Connection) -> str:
    token = conn.take_token_a()
    if token is None:
        raise ManualActionPending("this case needs an unused CREDENTIALS_TOKEN_A (add extra_tokens_a to the target)")
    return token


def _credentials_url(harness: Harness, case: Case, conn: Connection, token: str) -> str:
    if conn.endpoints:
        url = conn.endpoint("credentials")
        if url:
            return url
    return credentials_url(discover(harness, case, conn, token)[1])


def _post_credentials(harness: Harness, case: Case, sut_role: str, url: str, token: str,
                      versions_url: str | None = None) -> Exchange:
    """POST roamcert's credentials with a fresh token B that opens roamcert's versions while the POST is open."""
    partner = harness.partner(sut_role)
    token_b = partner.new_token("B")
    body = partner.credentials(token_b)
    if versions_url is not None:
        body["url"] = versions_url
    partner.tokens_a.add(token_b)
    try:
        return send(harness, case, "POST", url, Expect(), token=token, json_body=body)
    finally:
        partner.tokens_a.discard(token_b)


def client_unreachable(harness: Harness, case: Case, sut_role: str) -> None:
    conn = harness.connection(sut_role)
    token = _fresh_token_a(conn)
    url = _credentials_url(harness, case, conn, token)
    post = _post_credentials(harness, case, sut_role, url, token, _UNREACHABLE_VERSIONS)
    refused = passed(case, cr.client_unreachable, cr.Answer(post))
    case.evaluate(cr.client_unreachable_code, cr.Answer(post))
    _forget_if_registered(conn, token, refused)


def no_mutual_version(harness: Harness, case: Case, sut_role: str) -> None:
    conn = harness.connection(sut_role)
    token = _fresh_token_a(conn)
    url = _credentials_url(harness, case, conn, token)
    partner = harness.partner(sut_role)
    saved = partner.versions
    partner.versions = ("2.0",)  # roamcert now offers only a version the SUT cannot speak
    try:
        post = _post_credentials(harness, case, sut_role, url, token)
    finally:
        partner.versions = saved
    refused = passed(case, cr.no_mutual_version, cr.Answer(post))
    case.evaluate(cr.no_mutual_version_code, cr.Answer(post))
    _forget_if_registered(conn, token, refused)


def _forget_if_registered(conn: Connection, token: str, refused: bool) -> None:
    """A SUT that wrongly registered us (or redirected the POST) has consumed that token A."""
    if not refused and token in conn.tokens_a:
        conn.tokens_a.remove(token)


def unregistered_methods(harness: Harness, case: Case, sut_role: str) -> None:
    conn = harness.connection(sut_role)
    token = _fresh_token_a(conn)
    url = _credentials_url(harness, case, conn, token)
    partner = harness.partner(sut_role)
    for method, item in (("PUT", cr.put_when_unregistered), ("DELETE", cr.delete_when_unregistered)):
        body = partner.credentials(partner.new_token("B")) if method == "PUT" else None
        x = send(harness, case, method, url, Expect(http_statuses=frozenset({405})), token=token, json_body=body)
        case.evaluate(item, cr.Answer(x))


def post_when_registered(harness: Harness, case: Case, conn: Connection, sut_role: str) -> None:
    partner = harness.partner(sut_role)
    url = conn.endpoint("credentials") or ""
    x = send(harness, case, "POST", url, Expect(http_statuses=frozenset({405})), token=conn.token,
             json_body=partner.credentials(conn.peer.token_in if conn.peer else partner.new_token("B")))
    case.evaluate(cr.post_when_registered, cr.Answer(x))
    data = data_of(x)
    if x.status == 200 and isinstance(data, dict) and isinstance(data.get("token"), str):
        conn.token = data["token"]  # the SUT re-registered us anyway: follow it so later cases still work
        harness.log.secrets.add(conn.token)


def rotate(harness: Harness, case: Case, conn: Connection, sut_role: str) -> None:
    """PUT credentials with a new token B; expect a new token C and the old C refused."""
    partner = harness.partner(sut_role)
    url = conn.endpoint("credentials") or ""
    old = conn.token
    assert old is not None and conn.peer is not None
    new_b = partner.new_token("B")
    partner.rotate(conn.peer, new_b)
    put = send(harness, case, "PUT", url, Expect(schema="Credentials", status_codes=frozenset({1000})), token=old,
               json_body=partner.credentials(new_b))
    data = data_of(put)
    new_c = data.get("token") if isinstance(data, dict) else None
    stale: Exchange | None = None
    fresh: Exchange | None = None
    if isinstance(new_c, str) and status_code_of(put) == 1000:  # a new token: try it and the previous one
        harness.log.secrets.add(new_c)
        stale = send(harness, case, "GET", conn.platform.versions_url, Expect(), token=old)
        fresh = send(harness, case, "GET", conn.platform.versions_url, Expect(), token=new_c)
        conn.token = new_c
        conn.peer.token_out = new_c
    case.evaluate(cr.update_rotates_token, cr.TokenRotation(put, old, stale, fresh))


def unregister(harness: Harness, case: Case, conn: Connection, sut_role: str) -> None:
    url = conn.endpoint("credentials") or ""
    token = conn.token
    delete = send(harness, case, "DELETE", url, Expect(status_codes=frozenset({1000})), token=token)
    after = send(harness, case, "GET", conn.platform.versions_url, Expect(), token=token)
    case.evaluate(cr.unregister, cr.Unregistration(delete, after))
    conn.unregistered = True
    if conn.peer is not None:
        harness.partner(sut_role).remove_peer(conn.peer)


def auth_probes(harness: Harness, case: Case, conn: Connection, url: str) -> None:
    """Requests to a module endpoint without, with an unknown, an unencoded and a token-A credential."""
    missing = send(harness, case, "GET", url, Expect(), auth="none")
    case.evaluate(au.missing_token, au.AuthProbe(url, missing))
    unknown = send(harness, case, "GET", url, Expect(), token="roamcert-unknown-token-0000")
    case.evaluate(au.unknown_token, au.AuthProbe(url, unknown))
    plain = send(harness, case, "GET", url, Expect(), token=conn.token, auth="plain")
    case.evaluate(au.base64_token, au.AuthProbe(url, plain))
    token_a = conn.take_token_a() or conn.platform.token_a
    if token_a is None:
        raise SetupFailed("no token A known to probe its scope")
    scoped = send(harness, case, "GET", url, Expect(), token=token_a)
    case.evaluate(au.token_a_scope, au.AuthProbe(url, scoped))
