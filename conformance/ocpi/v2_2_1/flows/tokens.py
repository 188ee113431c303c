"""Flows for the Tokens module (mod_tokens).

An eMSP under test as Sender: roamcert, as CPO, pulls its Tokens (every page, windows by limit and offset, then
with date filters) and asks for real-time authorization of Tokens it learnt from that list: a valid one (without
and with the place it would charge at), an invalid one, and a uid the eMSP never issued.

A CPO under test as Receiver: roamcert, as eMSP, pushes Tokens of its own seed under uids never pushed before,
invalidates one by PATCH, pushes an APP_USER Token with the uid of an RFID one, and a Token lacking required
fields; after every push it reads the Token back.
"""

from __future__ import annotations

import copy
import secrets
from datetime import UTC, timedelta
from typing import Any
from urllib.parse import quote

from conformance.core.case import Case
from conformance.core.checks import Problem
from conformance.core.errors import SetupFailed
from conformance.core.exchange import Exchange
from conformance.ocpi.expect import Expect
from conformance.ocpi.harness import Connection, Harness
from conformance.ocpi.types import ci_equal, format_datetime, parse_datetime
from conformance.ocpi.v2_2_1.checks import tokens as tc
from conformance.ocpi.v2_2_1.checks._util import short
from conformance.ocpi.v2_2_1.flows.compare import differences, readback_problems
from conformance.ocpi.v2_2_1.flows.http import data_of, join, send, status_code_of
from conformance.ocpi.v2_2_1.flows.pull import SenderPull, sender_url
from simulators.ocpi.v2_2_1.seed.locations import seed_locations
from simulators.ocpi.v2_2_1.seed.tokens import seed_tokens

__all__ = ["authorize_at_location", "authorize_invalid", "authorize_unknown", "authorize_valid", "date_filters",
           "known", "patch_token", "pull_pages", "push_token", "refuse_token", "token_types", "windows"]

_OK = frozenset({1000})
_INVALID = frozenset({2001})
_UNKNOWN = frozenset({2004})


def _accepted(x: Exchange) -> bool:
    code = status_code_of(x)
    return x.status is not None and x.status < 300 and isinstance(code, int) and 1000 <= code < 2000


def _answer(x: Exchange) -> str:
    return f"HTTP {x.status}, status_code {short(status_code_of(x))}"


# -- an eMSP as Sender: pulls ------------------------------------------------------------------------------

def _pull(harness: Harness, case: Case, conn: Connection) -> SenderPull:
    return SenderPull(harness, case, conn, module="tokens", schema="Token", id_fields=("uid", "type"))


def pull_pages(harness: Harness, case: Case, conn: Connection) -> list[dict[str, Any]]:
    """Pull every Token, following every next Link, and conclude the traversal."""
    pull = _pull(harness, case, conn)
    items, pages, complete = pull.traverse()
    pull.conclude_traversal(pages, complete)
    return [i for i in items if isinstance(i, dict)]


def known(harness: Harness, case: Case, conn: Connection) -> list[dict[str, Any]]:
    """The eMSP's Tokens, as a prerequisite: the pull must give some."""
    pull = _pull(harness, case, conn)
    items, pages, complete = pull.traverse()
    tokens = [i for i in items if isinstance(i, dict) and isinstance(i.get("uid"), str)]
    if not tokens:
        pull.conclude_traversal(pages, complete)
        raise SetupFailed("roamcert could not learn any Token from the eMSP's Tokens Sender")
    return tokens


def date_filters(harness: Harness, case: Case, conn: Connection, tokens: list[dict[str, Any]]) -> None:
    _pull(harness, case, conn).pull_date_windows(tokens, "Tokens")


def windows(harness: Harness, case: Case, conn: Connection, tokens: list[dict[str, Any]], offset: int,
            limit: int) -> None:
    _pull(harness, case, conn).pull_windows(tokens, offset, limit, "Tokens")


# -- an eMSP as Sender: real-time authorization ------------------------------------------------------------

def _authorize(harness: Harness, case: Case, conn: Connection, uid: str, token_type: str, expect: Expect,
               location: dict[str, Any] | None = None) -> Exchange:
    url = join(sender_url(conn, "tokens"), quote(uid, safe=""), "authorize")
    return send(harness, case, "POST", url, expect, token=conn.token, json_body=location,
                params={"type": token_type})


def _pick(tokens: list[dict[str, Any]], valid: bool) -> dict[str, Any]:
    """A Token the eMSP lists as (in)valid; for a valid one, preferably one that may be authorized in real time
    (whitelist other than ALWAYS)."""
    fitting = [t for t in tokens if t.get("valid") is valid and isinstance(t.get("type"), str)]
    fitting.sort(key=lambda t: t.get("whitelist") == "ALWAYS")
    if not fitting:
        raise SetupFailed(f"the eMSP lists no {'valid' if valid else 'invalid'} Token to ask authorization for")
    return fitting[0]


def _info_problems(x: Exchange, token: dict[str, Any]) -> tuple[list[Problem], dict[str, Any] | None]:
    """An AuthorizationInfo was given, for the Token asked about."""
    info = data_of(x)
    if not _accepted(x) or not isinstance(info, dict):
        return [Problem("The authorization request was not answered with an AuthorizationInfo",
                        "status_code 1000 with an AuthorizationInfo", _answer(x))], None
    got = info.get("token")
    if not isinstance(got, dict) or not ci_equal(got.get("uid"), token["uid"]) or got.get("type") != token["type"]:
        return [Problem("The AuthorizationInfo is not about the Token asked for",
                        f"token uid {token['uid']}, type {token['type']}",
                        short(got if not isinstance(got, dict) else {k: got.get(k) for k in ("uid", "type")}))], info
    return [], info


def authorize_valid(harness: Harness, case: Case, conn: Connection, tokens: list[dict[str, Any]]) -> None:
    token = _pick(tokens, True)
    x = _authorize(harness, case, conn, token["uid"], token["type"],
                   Expect(schema="AuthorizationInfo", status_codes=_OK))
    problems, info = _info_problems(x, token)
    if info is not None and not problems and info.get("allowed") != "ALLOWED":
        problems.append(Problem(f"The valid Token {token['uid']} was not allowed to charge", "allowed: ALLOWED",
                                short(info.get("allowed"))))
    case.add(tc.AUTHORIZE_VALID.conclude(problems, (x.id,)))
    if info is not None and info.get("allowed") == "ALLOWED":
        reference = info.get("authorization_reference")
        case.add(tc.AUTHORIZE_REFERENCE.conclude([] if isinstance(reference, str) and reference else [
            Problem("The ALLOWED authorization carries no authorization_reference",
                    "authorization_reference: a CiString(36)", short(reference))], (x.id,)))


def _place(harness: Harness, sut_role: str) -> dict[str, Any]:
    """One of roamcert's CPO's seed Locations, with two of its EVSEs: where the driver would charge."""
    cpo = harness.partner_identity(sut_role)
    location = next(loc for loc in seed_locations(country_code=cpo.country_code, party_id=cpo.party_id)
                    if len(loc.get("evses") or []) >= 2)
    return {"location_id": location["id"], "evse_uids": [e["uid"] for e in location["evses"][:2]]}


def authorize_at_location(harness: Harness, case: Case, conn: Connection, sut_role: str,
                          tokens: list[dict[str, Any]]) -> None:
    token = _pick(tokens, True)
    place = _place(harness, sut_role)
    x = _authorize(harness, case, conn, token["uid"], token["type"],
                   Expect(schema="AuthorizationInfo", status_codes=_OK), place)
    problems, info = _info_problems(x, token)
    # A Token may be limited to some Locations (NOT_ALLOWED elsewhere): only an ALLOWED answer is judged further.
    if info is not None and not problems and info.get("allowed") == "ALLOWED":
        echo = info.get("location")
        if not isinstance(echo, dict):
            problems.append(Problem("The ALLOWED answer does not name the Location asked about",
                                    f"location: {{location_id: {place['location_id']}, evse_uids: ...}}",
                                    short(echo)))
        else:
            if not ci_equal(echo.get("location_id"), place["location_id"]):
                problems.append(Problem("The answer names another Location than the one asked about",
                                        place["location_id"], short(echo.get("location_id"))))
            asked = {u.upper() for u in place["evse_uids"]}
            others = [u for u in echo.get("evse_uids") or [] if not isinstance(u, str) or u.upper() not in asked]
            if others:
                problems.append(Problem("The answer allows EVSEs that were not asked about",
                                        f"a subset of {place['evse_uids']}", short(others)))
    case.add(tc.AUTHORIZE_LOCATION.conclude(problems, (x.id,)))


def authorize_invalid(harness: Harness, case: Case, conn: Connection, tokens: list[dict[str, Any]]) -> None:
    token = _pick(tokens, False)
    x = _authorize(harness, case, conn, token["uid"], token["type"],
                   Expect(schema="AuthorizationInfo", status_codes=_OK))
    problems, info = _info_problems(x, token)
    if info is not None and not problems and info.get("allowed") not in ("BLOCKED", "EXPIRED", "NO_CREDIT",
                                                                         "NOT_ALLOWED"):
        problems.append(Problem(f"The invalid Token {token['uid']} was not refused",
                                "allowed: BLOCKED, EXPIRED, NO_CREDIT or NOT_ALLOWED", short(info.get("allowed"))))
    case.add(tc.AUTHORIZE_INVALID.conclude(problems, (x.id,)))


def authorize_unknown(harness: Harness, case: Case, conn: Connection) -> None:
    uid = f"RC-NO-SUCH-TOKEN-{secrets.token_hex(4).upper()}"
    x = _authorize(harness, case, conn, uid, "RFID",
                   Expect(status_codes=_UNKNOWN, http_statuses=frozenset({404}), resource_exists=False))
    problems = []
    if x.status != 404 or status_code_of(x) != 2004:
        problems.append(Problem("An unknown Token was not answered as unknown", "HTTP 404 with status_code 2004",
                                _answer(x)))
    if data_of(x) is not None:
        problems.append(Problem("The answer about an unknown Token carries data", "no data field",
                                short(data_of(x))))
    case.add(tc.AUTHORIZE_UNKNOWN.conclude(problems, (x.id,)))


# -- a CPO as Receiver -------------------------------------------------------------------------------------

def sample_token(harness: Harness, sut_role: str, index: int = 2) -> dict[str, Any]:
    """One of roamcert's eMSP's seed Tokens under a uid never pushed before, last updated a minute ago."""
    emsp = harness.partner_identity(sut_role)
    now = harness.partner(sut_role).clock().astimezone(UTC).replace(microsecond=0)
    token = copy.deepcopy(seed_tokens(country_code=emsp.country_code, party_id=emsp.party_id,
                                      base_time=now)[index])
    token["uid"] = f"RC{secrets.token_hex(4).upper()}{token['uid'][:14]}"
    token["last_updated"] = format_datetime(now - timedelta(minutes=1))
    return token


def _url(harness: Harness, conn: Connection, sut_role: str, uid: str) -> str:
    url = conn.endpoint("tokens", "RECEIVER")
    if url is None:
        raise SetupFailed("the SUT lists no tokens RECEIVER endpoint")
    emsp = harness.partner_identity(sut_role)
    return join(url, emsp.country_code, emsp.party_id, quote(uid, safe=""))


def _params(token: dict[str, Any]) -> dict[str, str | int]:
    return {"type": str(token["type"])}


def _get(harness: Harness, case: Case, conn: Connection, url: str, params: dict[str, str | int] | None) -> Exchange:
    return send(harness, case, "GET", url, Expect(schema="Token", status_codes=_OK), token=conn.token,
                params=params)


def push_token(harness: Harness, case: Case, conn: Connection, sut_role: str) -> dict[str, Any]:
    """PUT a Token and read it back; returns the Token."""
    token = sample_token(harness, sut_role)
    url = _url(harness, conn, sut_role, token["uid"])
    put = send(harness, case, "PUT", url, Expect(status_codes=_OK), token=conn.token, json_body=token,
               params=_params(token))
    back = _get(harness, case, conn, url, _params(token))
    case.add(tc.RECEIVER_STORED.conclude(readback_problems("Token", token, back), (put.id, back.id)))
    if not _accepted(put):
        raise SetupFailed(f"the CPO did not accept the Token pushed as a prerequisite ({_answer(put)})")
    return token


def patch_token(harness: Harness, case: Case, conn: Connection, sut_role: str, token: dict[str, Any]) -> None:
    """Invalidate the Token by PATCH; then PATCH its whitelist without last_updated."""
    url = _url(harness, conn, sut_role, token["uid"])
    change = {"valid": False, "last_updated": format_datetime(parse_datetime(token["last_updated"])
                                                              + timedelta(seconds=30))}
    patch = send(harness, case, "PATCH", url, Expect(status_codes=_OK), token=conn.token, json_body=change,
                 params=_params(token))
    back = _get(harness, case, conn, url, _params(token))
    case.add(tc.RECEIVER_PATCHED.conclude(readback_problems("Token after the PATCH", {**token, **change}, back),
                                          (patch.id, back.id)))

    held = data_of(back)
    bad = send(harness, case, "PATCH", url, Expect(status_codes=_INVALID), token=conn.token,
               json_body={"whitelist": "NEVER" if token["whitelist"] != "NEVER" else "ALWAYS"},
               params=_params(token))
    after = _get(harness, case, conn, url, _params(token))
    problems = []
    if _accepted(bad):
        problems.append(Problem("A PATCH without last_updated was accepted", "a 2xxx status_code (2001)",
                                _answer(bad)))
    diffs = list(differences(held, data_of(after))) if isinstance(held, dict) else []
    if diffs:
        problems.append(Problem("The PATCH without last_updated changed the Token", "the Token as before it",
                                "; ".join(diffs[:8]), evidence=(after.id,)))
    case.add(tc.RECEIVER_PATCH_LAST_UPDATED.conclude(problems, (back.id, bad.id, after.id)))


def token_types(harness: Harness, case: Case, conn: Connection, sut_role: str, token: dict[str, Any]) -> None:
    """PUT an APP_USER Token with the uid of the stored RFID Token; read each back, by type and without it."""
    if token["type"] != "RFID":
        raise SetupFailed("scenario bug: the Token pushed first must be an RFID Token")
    app = {**copy.deepcopy(token), "type": "APP_USER", "whitelist": "NEVER",
           "contract_id": f"{token['contract_id']}A", "last_updated": token["last_updated"]}
    app.pop("visual_number", None)
    app.pop("energy_contract", None)
    url = _url(harness, conn, sut_role, token["uid"])
    put = send(harness, case, "PUT", url, Expect(status_codes=_OK), token=conn.token, json_body=app,
               params=_params(app))
    as_app = _get(harness, case, conn, url, _params(app))
    plain = _get(harness, case, conn, url, None)
    as_rfid = _get(harness, case, conn, url, _params(token))
    problems = (readback_problems("APP_USER Token (type=APP_USER)", app, as_app)
                + readback_problems("RFID Token (no type parameter)", token, plain)
                + readback_problems("RFID Token (type=RFID)", token, as_rfid))
    case.add(tc.RECEIVER_TYPE.conclude(problems, (put.id, as_app.id, plain.id, as_rfid.id)))


def refuse_token(harness: Harness, case: Case, conn: Connection, sut_role: str) -> None:
    token = sample_token(harness, sut_role, index=0)
    for field in ("contract_id", "issuer", "whitelist"):
        token.pop(field)
    url = _url(harness, conn, sut_role, token["uid"])
    put = send(harness, case, "PUT", url, Expect(status_codes=_INVALID), token=conn.token, json_body=token,
               params=_params(token))
    back = send(harness, case, "GET", url, Expect(resource_exists=False), token=conn.token, params=_params(token))
    problems = []
    if _accepted(put):
        problems.append(Problem("The invalid Token was accepted", "a 2xxx status_code (2001)", _answer(put)))
    if _accepted(back) and isinstance(data_of(back), dict):
        problems.append(Problem("The invalid Token was stored", "no such Token",
                                f"HTTP {back.status} with the Token", evidence=(back.id,)))
    case.add(tc.RECEIVER_REJECTED.conclude(problems, (put.id, back.id)))
