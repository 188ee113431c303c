"""Registration flows: roamcert registering with the SUT, and the SUT registering with roamcert."""

from __future__ import annotations

import asyncio
import re
import time
from typing import Any

from conformance.core.case import Case
from conformance.core.checks import Problem
from conformance.core.errors import HarnessError, ManualActionPending, SetupFailed
from conformance.ocpi.auth import decode_token
from conformance.ocpi.expect import Expect
from conformance.ocpi.harness import Connection, Harness
from conformance.ocpi.v2_2_1.checks import credentials as cr
from conformance.ocpi.v2_2_1.checks._util import short
from conformance.ocpi.v2_2_1.flows.actions import perform
from conformance.ocpi.v2_2_1.flows.http import data_of, send, status_code_of
from simulators.ocpi.party import Peer

__all__ = ["credentials_url", "discover", "ensure_registered", "register", "roles_problems", "sut_registers"]

VERSION = "2.2.1"
_PRINTABLE = re.compile(r"^[\x21-\x7e]{1,64}$")


def _absolute(url: Any) -> bool:
    return isinstance(url, str) and url.startswith(("http://", "https://"))


def discover(harness: Harness, case: Case, conn: Connection, token: str) -> tuple[str, list[dict[str, Any]]]:
    """GET versions and the 2.2.1 version details with ``token``; concludes the versions checks."""
    versions = send(harness, case, "GET", conn.platform.versions_url, Expect(schema="Version", many=True),
                    token=token)
    listed = data_of(versions)
    entry = next((v for v in listed if isinstance(v, dict) and v.get("version") == VERSION), None) \
        if isinstance(listed, list) else None
    problems = [] if entry and _absolute(entry.get("url")) else [
        Problem("The versions list has no entry for 2.2.1 with an absolute URL", "{version: 2.2.1, url: …}",
                short(listed))]
    case.add(cr.VERSIONS.conclude(problems, (versions.id,)))
    if problems or entry is None:
        raise SetupFailed("the SUT's versions endpoint does not offer OCPI 2.2.1")
    details = send(harness, case, "GET", str(entry["url"]), Expect(schema="VersionDetails"), token=token)
    data = data_of(details)
    endpoints = data.get("endpoints") if isinstance(data, dict) else None
    problems = []
    if not isinstance(endpoints, list):
        problems.append(Problem("The version details carry no endpoints list", "endpoints: [...]", short(data)))
        endpoints = []
    if not any(isinstance(e, dict) and e.get("identifier") == "credentials" for e in endpoints):
        problems.append(Problem("No credentials endpoint is listed", "identifier: credentials", "absent"))
    for e in endpoints:
        if isinstance(e, dict) and not _absolute(e.get("url")):
            problems.append(Problem(f"Endpoint {e.get('identifier')} has no absolute URL", "https://…",
                                    short(e.get("url"))))
    case.add(cr.DETAILS.conclude(problems, (details.id,)))
    if problems:
        raise SetupFailed("the SUT's version details are unusable")
    return VERSION, [e for e in endpoints if isinstance(e, dict)]


def roles_problems(roles: object, expected: tuple[str, ...]) -> list[Problem]:
    """The platform's CredentialsRole list must hold each party role the target says it holds."""
    entries = roles if isinstance(roles, list) else []
    listed = {str(r.get("role", "")).upper() for r in entries if isinstance(r, dict)}
    missing = [role for role in expected if role not in listed]
    return [Problem(f"The Credentials do not list the role(s) {', '.join(missing)} the platform holds",
                    ", ".join(expected), ", ".join(sorted(listed)) or "(none)")] if missing else []


def credentials_url(endpoints: list[dict[str, Any]]) -> str:
    return next(str(e["url"]) for e in endpoints if e.get("identifier") == "credentials")


def register(harness: Harness, case: Case, conn: Connection, sut_role: str) -> None:
    """roamcert (as the credentials Sender) registers with the SUT using token A."""
    token_a = conn.take_token_a()
    if token_a is None:
        raise ManualActionPending("no CREDENTIALS_TOKEN_A for the SUT: set token_a in the target file")
    version, endpoints = discover(harness, case, conn, token_a)
    partner = harness.partner(sut_role)
    token_b = partner.new_token("B")
    partner.tokens_a.add(token_b)  # the SUT reads our versions with B while our POST is open
    mark = len(case.log.exchanges)
    try:
        post = send(harness, case, "POST", credentials_url(endpoints), Expect(schema="Credentials",
                    status_codes=frozenset({1000})), token=token_a, json_body=partner.credentials(token_b))
    finally:
        partner.tokens_a.discard(token_b)
    data = data_of(post)
    token_c = data.get("token") if isinstance(data, dict) else None
    problems = []
    if status_code_of(post) != 1000 or not isinstance(token_c, str) or not token_c:
        problems.append(Problem("Registration did not succeed", "status_code 1000 with Credentials data",
                                f"HTTP {post.status}, status_code {short(status_code_of(post))}"))
    elif token_c == token_a:
        problems.append(Problem("The server returned token A as the new token", "a new token C", "token A"))
    case.add(cr.REGISTRATION.conclude(problems, (post.id,)))
    callbacks = [x for x in case.log.exchanges[mark:] if x.direction == "inbound" and "versions" in x.url]
    used_b = [x for x in callbacks if decode_token(x.request_header("Authorization"))[0] == token_b
              or x.request_header("Authorization") == f"Token {token_b}"]
    cb_problems = [] if used_b else [Problem(
        "The server did not read roamcert's versions with token B during the POST",
        "GET <roamcert versions URL> with Authorization: Token <base64 of B>",
        f"{len(callbacks)} call(s) to the versions endpoint, none with token B")]
    case.add(cr.CALLBACK.conclude(cb_problems, tuple([post.id] + [x.id for x in callbacks])))
    if problems or not isinstance(token_c, str):
        conn.registration_failed = "registration POST did not succeed"
        raise SetupFailed(conn.registration_failed)
    case.add(cr.ROLES.conclude(roles_problems(data.get("roles"), conn.platform.roles), (post.id,)))
    case.add(cr.TOKEN_FORMAT.conclude([] if _PRINTABLE.match(token_c) else [Problem(
        "Token C is not 1-64 printable non-whitespace ASCII characters", "[!-~]{1,64}",
        f"{len(token_c)} characters")], (post.id,)))
    harness.log.secrets.add(token_c)
    conn.tokens_a.remove(token_a)
    conn.token, conn.version, conn.endpoints = token_c, version, endpoints
    conn.peer = Peer(token_in=token_b, token_out=token_c, versions_url=str(data.get("url")), version=version,
                     endpoints=endpoints, roles=list(data.get("roles") or []))
    partner.add_peer(conn.peer)
    check = send(harness, case, "GET", conn.platform.versions_url, Expect(schema="Version", many=True),
                 token=token_c)
    works = check.status == 200 and status_code_of(check) == 1000
    case.add(cr.TOKEN_C.conclude([] if works else [Problem(
        "A request with token C was not served", "HTTP 200, status_code 1000",
        f"HTTP {check.status}, status_code {short(status_code_of(check))}")], (check.id,)))
    if not works:
        conn.registration_failed = "the token C the SUT issued does not open it"


def ensure_registered(harness: Harness, case: Case, sut_role: str) -> Connection:
    """The connection to the SUT holding ``sut_role``, registering first when needed."""
    conn = harness.connection(sut_role)
    if conn.unregistered:
        raise SetupFailed("roamcert unregistered from the SUT earlier in this run")
    if conn.registration_failed:
        raise SetupFailed(f"registration with the SUT failed earlier: {conn.registration_failed}")
    if conn.token is None:
        try:
            register(harness, case, conn, sut_role)
        except (SetupFailed, HarnessError) as exc:
            conn.registration_failed = str(exc)
            raise
    return conn


def sut_registers(harness: Harness, case: Case, sut_role: str, *, timeout: float = 30.0) -> Connection:
    """Make the SUT register with roamcert (it is the credentials Sender) and check how it does it."""
    conn = harness.connection(sut_role)
    partner = harness.partner(sut_role)
    token_a = partner.issue_token_a()
    before = set(partner.peers)
    mark = len(case.log.exchanges)
    hook_error: HarnessError | None = None
    try:
        perform(harness, "register", sut_role, {"versions_url": partner.versions_url(), "token": token_a})
    except HarnessError as exc:  # the SUT may have tried and failed: judge what it sent, if anything
        if isinstance(exc, ManualActionPending):
            raise
        hook_error = exc
    deadline = time.monotonic() + (0 if hook_error else timeout)
    while not (set(partner.peers) - before) and time.monotonic() < deadline:
        harness.runtime.run(asyncio.sleep(0.05))
    new = [partner.peers[t] for t in set(partner.peers) - before]
    inbound = [x for x in case.log.exchanges[mark:] if x.direction == "inbound"]
    if hook_error is not None and not inbound:
        raise hook_error
    problems = []
    auth = [decode_token(x.request_header("Authorization"))[0] for x in inbound]
    posts = [x for x in inbound if x.method == "POST" and x.url.rstrip("/").endswith("/credentials")]
    if not new:
        callbacks = [x for x in case.log.exchanges[mark:] if x.direction == "callback"]
        problems.append(Problem("The SUT did not complete a registration with roamcert", "POST credentials",
                                f"{len(inbound)} request(s) from the SUT, none completing registration; "
                                f"roamcert's reads of the SUT's versions: "
                                + (", ".join(f"HTTP {x.status or x.error}" for x in callbacks) or "none")))
    else:
        reads = [x for x, token in zip(inbound, auth, strict=True)
                 if x.method == "GET" and token == token_a and x.status == 200]
        if len(reads) < 2:
            problems.append(Problem("The SUT did not read roamcert's versions and version details with token A "
                                    "before POSTing", "2 GETs with token A", f"{len(reads)}"))
        peer = new[0]
        callbacks = [x for x in case.log.exchanges[mark:] if x.direction == "callback"]
        if not any(x.status == 200 for x in callbacks):
            problems.append(Problem("roamcert could not read the SUT's versions with the token B it sent",
                                    "HTTP 200 from the SUT's versions URL",
                                    ", ".join(f"HTTP {x.status or x.error}" for x in callbacks) or "no call"))
        case.add(cr.ROLES.conclude(roles_problems(peer.roles, conn.platform.roles), tuple(x.id for x in posts)))
        conn.peer = peer
        if conn.token is None:  # roamcert calls the SUT with the token the SUT gave it
            conn.token, conn.version, conn.endpoints = peer.token_out, peer.version, peer.endpoints
    case.add(cr.CLIENT_FLOW.conclude(problems, tuple(x.id for x in posts or inbound)))
    if not new:
        raise SetupFailed("the SUT did not register with roamcert")
    return conn
