"""Flows that exercise the SUT's credentials module as a server (credentials.asciidoc)."""

from __future__ import annotations

from conformance.core.case import Case
from conformance.core.checks import Problem
from conformance.core.errors import ManualActionPending, SetupFailed
from conformance.core.exchange import Exchange
from conformance.ocpi.expect import Expect
from conformance.ocpi.harness import Connection, Harness
from conformance.ocpi.v2_2_1.checks import auth as au
from conformance.ocpi.v2_2_1.checks import credentials as cr
from conformance.ocpi.v2_2_1.checks._util import short
from conformance.ocpi.v2_2_1.flows.http import data_of, send, status_code_of
from conformance.ocpi.v2_2_1.flows.registration import credentials_url, discover

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


def _refusal(x: Exchange, code: int) -> tuple[list[Problem], list[Problem]]:
    """(problems for 'did not succeed', problems for 'not the named status code')."""
    status = status_code_of(x)
    failed: list[Problem] = []
    if isinstance(status, int) and 1000 <= status < 2000 and (x.status or 500) < 400:
        failed.append(Problem("Registration succeeded although it should have failed", f"status_code {code}",
                              f"HTTP {x.status}, status_code {status}"))
    elif x.status is not None and 300 <= x.status < 400:
        failed.append(Problem("The SUT redirected instead of answering the registration", f"status_code {code}",
                              f"HTTP {x.status} to {x.response_header('Location')}"))
    wrong = [] if status == code else [Problem(f"The failure is not reported with status_code {code}",
                                                str(code), f"HTTP {x.status}, status_code {short(status)}")]
    return failed, wrong


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
    failed, wrong = _refusal(post, 3001)
    case.add(cr.CLIENT_UNREACHABLE.conclude(failed, (post.id,)))
    case.add(cr.CLIENT_UNREACHABLE_CODE.conclude(wrong, (post.id,)))
    _forget_if_registered(conn, token, failed)


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
    failed, wrong = _refusal(post, 3002)
    case.add(cr.NO_MUTUAL.conclude(failed, (post.id,)))
    case.add(cr.NO_MUTUAL_CODE.conclude(wrong, (post.id,)))
    _forget_if_registered(conn, token, failed)


def _forget_if_registered(conn: Connection, token: str, failed: list[Problem]) -> None:
    """A SUT that wrongly registered us has consumed that token A."""
    if failed and token in conn.tokens_a:
        conn.tokens_a.remove(token)


def unregistered_methods(harness: Harness, case: Case, sut_role: str) -> None:
    conn = harness.connection(sut_role)
    token = _fresh_token_a(conn)
    url = _credentials_url(harness, case, conn, token)
    partner = harness.partner(sut_role)
    for method, item in (("PUT", cr.PUT_UNREGISTERED), ("DELETE", cr.DELETE_UNREGISTERED)):
        body = partner.credentials(partner.new_token("B")) if method == "PUT" else None
        x = send(harness, case, method, url, Expect(http_statuses=frozenset({405})), token=token, json_body=body)
        case.add(item.conclude([] if x.status == 405 else [Problem(
            f"{method} credentials before registration was not answered with HTTP 405", "HTTP 405",
            f"HTTP {x.status}, status_code {short(status_code_of(x))}")], (x.id,)))


def post_when_registered(harness: Harness, case: Case, conn: Connection, sut_role: str) -> None:
    partner = harness.partner(sut_role)
    url = conn.endpoint("credentials") or ""
    x = send(harness, case, "POST", url, Expect(http_statuses=frozenset({405})), token=conn.token,
             json_body=partner.credentials(conn.peer.token_in if conn.peer else partner.new_token("B")))
    case.add(cr.POST_TWICE.conclude([] if x.status == 405 else [Problem(
        "A second POST from a registered party was not answered with HTTP 405", "HTTP 405",
        f"HTTP {x.status}, status_code {short(status_code_of(x))}")], (x.id,)))
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
    problems: list[Problem] = []
    evidence = [put.id]
    if not isinstance(new_c, str) or status_code_of(put) != 1000:
        problems.append(Problem("The credentials PUT did not succeed", "status_code 1000 with Credentials",
                                f"HTTP {put.status}, status_code {short(status_code_of(put))}"))
    else:
        harness.log.secrets.add(new_c)
        if new_c == old:
            problems.append(Problem("The PUT answered the same token", "a new token", "the previous token"))
        stale = send(harness, case, "GET", conn.platform.versions_url, Expect(), token=old)
        fresh = send(harness, case, "GET", conn.platform.versions_url, Expect(), token=new_c)
        evidence += [stale.id, fresh.id]
        if new_c != old and stale.status != 401:
            problems.append(Problem("The previous token still works after the update", "HTTP 401",
                                    f"HTTP {stale.status}"))
        if fresh.status != 200:
            problems.append(Problem("The new token does not work", "HTTP 200", f"HTTP {fresh.status}"))
        conn.token = new_c
        conn.peer.token_out = new_c
    case.add(cr.ROTATION.conclude(problems, tuple(evidence)))


def unregister(harness: Harness, case: Case, conn: Connection, sut_role: str) -> None:
    url = conn.endpoint("credentials") or ""
    token = conn.token
    delete = send(harness, case, "DELETE", url, Expect(status_codes=frozenset({1000})), token=token)
    after = send(harness, case, "GET", conn.platform.versions_url, Expect(), token=token)
    problems = []
    if delete.status != 200 or status_code_of(delete) != 1000:
        problems.append(Problem("DELETE credentials did not succeed", "HTTP 200, status_code 1000",
                                f"HTTP {delete.status}, status_code {short(status_code_of(delete))}"))
    if after.status != 401:
        problems.append(Problem("The token still works after unregistering", "HTTP 401", f"HTTP {after.status}"))
    case.add(cr.UNREGISTER.conclude(problems, (delete.id, after.id)))
    conn.unregistered = True
    if conn.peer is not None:
        harness.partner(sut_role).remove_peer(conn.peer)


def auth_probes(harness: Harness, case: Case, conn: Connection, url: str) -> None:
    """Requests to a module endpoint without, with an unknown, an unencoded and a token-A credential."""
    missing = send(harness, case, "GET", url, Expect(), auth="none")
    case.add(au.MISSING_TOKEN.conclude(au.refused_problems(missing, "A request without Authorization"),
                                       (missing.id,)))
    unknown = send(harness, case, "GET", url, Expect(), token="roamcert-unknown-token-0000")
    case.add(au.UNKNOWN_TOKEN.conclude(au.refused_problems(unknown, "A request with an unknown token"),
                                       (unknown.id,)))
    plain = send(harness, case, "GET", url, Expect(), token=conn.token, auth="plain")
    case.add(au.BASE64_TOKEN.conclude(au.refused_problems(plain, "A request with the token not Base64-encoded"),
                                      (plain.id,)))
    token_a = conn.take_token_a() or conn.platform.token_a
    if token_a is None:
        raise SetupFailed("no token A known to probe its scope")
    scoped = send(harness, case, "GET", url, Expect(), token=token_a)
    case.add(au.TOKEN_A_SCOPE.conclude(au.refused_problems(scoped, f"A request to {url} with token A"),
                                       (scoped.id,)))
