"""Checks on a whole charge, across modules: a Token presented at a charger (mod_tokens: whitelist and real-time
authorization), the Session pushed as the charge runs (mod_sessions), the EVSE's status (mod_locations) and the
CDR posted when it ends (mod_cdrs); and, with an eMSP under test, what it keeps of a charge it authorized.

The checks judge plain data, recorded by conformance/ocpi/v2_2_1/flows/charging.py: the requests the CPO under test
made to roamcert's eMSP during the charge (:class:`Push`, built from the recorded exchanges), what roamcert's eMSP
holds, and what roamcert pushed. They never send anything. Identifiers are CiStrings, compared without letter case.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from conformance.core.checks import Problem
from conformance.ocpi.schemas import errors as schema_errors
from conformance.ocpi.types import ci_equal
from conformance.ocpi.v2_2_1.checks._compare import differences
from conformance.ocpi.v2_2_1.checks._registrar import evidence_check
from conformance.ocpi.v2_2_1.checks._util import number, short

__all__ = ["AuthorizationAsked", "CdrPosted", "ChargeLinked", "ChargeReadBack", "EvseStatusPushes", "KeptObject",
           "Push", "SessionRun", "SessionStarted", "TokenPresented", "cdr_posted", "cdr_posted_problems",
           "charge_reference", "emsp_kept", "emsp_linked", "evse_status", "evse_status_problems", "given_reference",
           "invalid_asked", "invalid_asked_problems", "invalid_refused", "location_named", "location_named_problems",
           "not_charged_problems", "offline_asked", "offline_charged", "offline_charged_problems", "real_time",
           "real_time_problems", "reference_problems", "refused_in_real_time", "refused_in_real_time_problems",
           "replay", "session_pushed", "session_pushed_problems", "session_updated", "session_updated_problems",
           "whitelisted", "whitelisted_problems"]

VERSION = "2.2.1"
TOK, SES, CDRS, LOC = "mod_tokens", "mod_sessions", "mod_cdrs", "mod_locations"
ENERGY_TOLERANCE = Decimal("0.001")  # kWh: a value may be rounded to the Wh


@dataclass(frozen=True)
class Push:
    """One request the CPO under test made to roamcert's eMSP (or roamcert's CPO to the eMSP under test)."""

    exchange_id: str
    index: int  # its place in the test case's exchange log
    module: str  # sessions, cdrs, locations; tokens for a real-time authorization
    method: str
    segments: tuple[str, ...]  # the URL path after the module's endpoint URL
    body: Any
    params: dict[str, str] = field(default_factory=dict)
    status: int | None = None  # the answer's HTTP status
    answer: Any = None  # the answer's OCPI envelope

    @property
    def accepted(self) -> bool:
        code = self.answer.get("status_code") if isinstance(self.answer, dict) else None
        return self.status is not None and self.status < 300 and isinstance(code, int) and 1000 <= code < 2000


# -- evidence: what the flows recorded of a charge ---------------------------------------------------------

@dataclass(frozen=True)
class TokenPresented:
    """What reached roamcert's eMSP after a driver presented one of its Tokens at the CPO's charger (up to the CDR,
    for a charge that ended)."""

    token: dict[str, Any]  # the Token as roamcert's eMSP pushed it to the CPO
    asks: tuple[Push, ...]  # the real-time authorization requests about the Token
    sessions: tuple[Push, ...]  # the pushes of the Session the charge started
    served: tuple[dict[str, Any], ...] = ()  # the CPO's own Sessions for the Token, when roamcert pulled them
    served_pages: tuple[str, ...] = ()  # the exchanges of that pull
    cdr_posts: tuple[Push, ...] = ()  # the CDRs for the Token

    @property
    def exchange_ids(self) -> tuple[str, ...]:
        return _ids(self.asks + self.sessions) + self.served_pages + _ids(self.cdr_posts)


@dataclass(frozen=True)
class AuthorizationAsked:
    """The real-time authorization requests about a Token presented at an EVSE."""

    asks: tuple[Push, ...]
    location_id: str
    evse_uid: str

    @property
    def exchange_ids(self) -> tuple[str, ...]:
        return _ids(self.asks)


@dataclass(frozen=True)
class SessionStarted:
    """The pushes of the Session a charge started, and where the Token was presented."""

    token: dict[str, Any]
    location_id: str
    evse: dict[str, Any]  # the EVSE as the CPO's Locations Sender serves it
    sessions: tuple[Push, ...]

    @property
    def exchange_ids(self) -> tuple[str, ...]:
        return _ids(self.sessions)


@dataclass(frozen=True)
class SessionRun:
    """The pushes of a charge's Session after time passed (before the stop) and after the stop, and roamcert's eMSP's
    copy of it at the end."""

    running: tuple[Push, ...]
    ending: tuple[Push, ...]
    held: dict[str, Any] | None

    @property
    def exchange_ids(self) -> tuple[str, ...]:
        return _ids(self.running + self.ending)


@dataclass(frozen=True)
class EvseStatusPushes:
    """The Location pushes while a charge ran and after it stopped, and the EVSE it ran at."""

    during: tuple[Push, ...]
    after: tuple[Push, ...]
    location_id: str
    evse_uid: str

    @property
    def exchange_ids(self) -> tuple[str, ...]:
        return _ids(self.during + self.after)


@dataclass(frozen=True)
class CdrPosted:
    """The pushes of a charge's Session and the CDRs posted for its Token."""

    sessions: tuple[Push, ...]
    cdr_posts: tuple[Push, ...]

    @property
    def exchange_ids(self) -> tuple[str, ...]:
        return _ids(self.sessions + self.cdr_posts)


@dataclass(frozen=True)
class KeptObject:
    """An object roamcert's CPO pushed to the eMSP under test, and what the eMSP returned at its URL."""

    what: str  # "Session" or "CDR"
    pushed: Any
    back: Any = None  # the data the eMSP returned
    unreadable: str | None = None  # why it could not be read back
    exchange_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class ChargeReadBack:
    """The objects of a charge roamcert's CPO pushed to the eMSP under test and read back."""

    read_backs: tuple[KeptObject, ...]
    exchange_ids: tuple[str, ...]


@dataclass(frozen=True)
class ChargeLinked:
    """The authorization_reference the eMSP under test gave for a charge, and its objects as the eMSP returns them."""

    given: str
    kept: tuple[tuple[str, Any], ...]  # (what, the object the eMSP returned)
    exchange_ids: tuple[str, ...]


# -- readers ------------------------------------------------------------------------------------------------

def _ids(pushes: Iterable[Push]) -> tuple[str, ...]:
    return tuple(p.exchange_id for p in pushes)


def _energy(periods: Any) -> Decimal:
    total = Decimal(0)
    for period in periods if isinstance(periods, list) else []:
        for dimension in period.get("dimensions") or [] if isinstance(period, dict) else []:
            volume = number(dimension.get("volume")) if isinstance(dimension, dict) else None
            if dimension.get("type") == "ENERGY" and volume is not None:
                total += volume
    return total


def _token_fields(token: dict[str, Any], got: Any, label: str) -> list[Problem]:
    if not isinstance(got, dict):
        return [Problem(f"{label} has no cdr_token", "the CdrToken of the Token presented", short(got))]
    problems = []
    for key in ("uid", "type", "contract_id", "country_code", "party_id"):
        same = got.get(key) == token[key] if key == "type" else ci_equal(got.get(key), token[key])
        if not same:
            problems.append(Problem(f"{label}: cdr_token.{key} is not that of the Token presented",
                                    short(token[key]), short(got.get(key))))
    return problems


def replay(pushes: Sequence[Push]) -> dict[str, Any] | None:
    """The Session the pushes describe: the last PUT with every later PATCH applied, charging periods added."""
    session: dict[str, Any] | None = None
    for push in pushes:
        if not isinstance(push.body, dict):
            continue
        if push.method == "PUT":
            session = dict(push.body)
        elif push.method == "PATCH" and session is not None:
            change = dict(push.body)
            periods = change.pop("charging_periods", None)
            session.update(change)
            if isinstance(periods, list) and periods:
                session["charging_periods"] = [*(session.get("charging_periods") or []), *periods]
    return session


def given_reference(asks: Sequence[Push]) -> str | None:
    """The authorization_reference of the last real-time answer that allowed the Token."""
    for ask in reversed(asks):
        data = ask.answer.get("data") if isinstance(ask.answer, dict) else None
        if isinstance(data, dict) and data.get("allowed") == "ALLOWED":
            given = data.get("authorization_reference")
            return given if isinstance(given, str) else None
    return None


# -- the Token at the charger -------------------------------------------------------------------------------

def whitelisted_problems(asks: Sequence[Push], session_pushes: Sequence[Push]) -> list[Problem]:
    problems = []
    if asks:
        problems.append(Problem("The CPO asked roamcert's eMSP in real time about a Token whose whitelist is "
                                "ALWAYS, which forbids real-time authorization",
                                "no POST .../authorize for the Token", f"{len(asks)} request(s)",
                                evidence=_ids(asks)))
    session = replay(session_pushes)
    if session is None:
        problems.append(Problem("No charge started for a valid Token whitelisted ALWAYS: no Session for it reached "
                                "roamcert's eMSP", "a Session PUT for the Token", "none"))
    elif session.get("auth_method") != "WHITELIST":
        problems.append(Problem("The Session of a charge started on the whitelist does not say so",
                                "auth_method: WHITELIST", short(session.get("auth_method")),
                                evidence=_ids(session_pushes[:1])))
    return problems


def real_time_problems(token: dict[str, Any], asks: Sequence[Push], session_pushes: Sequence[Push], *,
                       whitelist: str = "NEVER") -> list[Problem]:
    if not asks:
        session = replay(session_pushes)
        how = "" if session is None else f": its charge started (auth_method {short(session.get('auth_method'))})"
        return [Problem(f"The CPO did not ask roamcert's eMSP in real time about a Token whose whitelist is "
                        f"{whitelist}{how}", f"POST .../{token['uid']}/authorize?type={token['type']}", "no request",
                        evidence=_ids(session_pushes[:1]))]
    problems = []
    first = asks[0]
    asked_type = first.params.get("type", "RFID")
    if asked_type != token["type"]:
        problems.append(Problem("The real-time request names another type of Token than the one presented",
                                f"type={token['type']}", f"type={asked_type}", evidence=(first.exchange_id,)))
    if session_pushes and session_pushes[0].index < first.index:
        problems.append(Problem("The charge started (its Session was pushed) before the CPO asked in real time",
                                "the authorization request before the Session", "the Session first",
                                evidence=(session_pushes[0].exchange_id, first.exchange_id)))
    return problems


def _answered_allowed(asks: Sequence[Push]) -> bool:
    for ask in asks:
        data = ask.answer.get("data") if isinstance(ask.answer, dict) else None
        if isinstance(data, dict) and data.get("allowed") == "ALLOWED":
            return True
    return False


def invalid_asked_problems(token: dict[str, Any], asks: Sequence[Push], session_pushes: Sequence[Push],
                           served: Sequence[dict[str, Any]]) -> list[Problem]:
    """A Token pushed with valid false and whitelist NEVER, which roamcert's eMSP allows when asked.
    ``served``: the CPO's own Sessions for the Token, when it serves them."""
    if not asks:
        return [Problem("The CPO did not ask roamcert's eMSP in real time about a Token pushed as not valid whose "
                        "whitelist is NEVER: validity does not spare the real-time request, the Token's state may "
                        "have changed since it was pushed", f"POST .../{token['uid']}/authorize?type={token['type']}",
                        "no request", evidence=_ids(session_pushes[:1]))]
    problems = real_time_problems(token, asks, session_pushes)
    if _answered_allowed(asks) and not session_pushes and not served:
        problems.append(Problem("roamcert's eMSP allowed the Token in real time, but no charge started: the CPO went "
                                "by the validity pushed earlier, which the real-time answer overrides",
                                "a Session for the Token", "none", evidence=_ids(asks)))
    return problems


def offline_charged_problems(asks: Sequence[Push], session_pushes: Sequence[Push],
                             served: Sequence[dict[str, Any]]) -> list[Problem]:
    """A valid Token whitelisted ALLOWED_OFFLINE while roamcert's eMSP gives no response to real-time requests.
    ``served``: the CPO's own Sessions for the Token (a CPO may hold its pushes back while the eMSP is offline)."""
    session = replay(session_pushes) or (served[0] if served else None)
    tried = f"; the CPO tried {len(asks)} real-time request(s), each answered HTTP 503 without an OCPI body" \
        if asks else ""
    if session is None:
        return [Problem("No charge started for a valid Token whitelisted ALLOWED_OFFLINE while roamcert's eMSP gave "
                        "no response: with the eMSP offline, the CPO has to let such a Token charge",
                        "a Session for the Token (pushed or served)", f"none{tried}", evidence=_ids(asks))]
    if session.get("auth_method") != "WHITELIST":
        return [Problem("The charge the CPO allowed without a response from the eMSP is not recorded as allowed on "
                        "its whitelist", "auth_method: WHITELIST", short(session.get("auth_method")),
                        evidence=_ids(session_pushes[:1]))]
    return []


def location_named_problems(asks: Sequence[Push], location_id: str, evse_uid: str) -> list[Problem]:
    if not asks:
        return [Problem("No real-time authorization request was made", "a POST .../authorize naming the Location",
                        "no request")]
    body = asks[0].body
    evidence = (asks[0].exchange_id,)
    wanted = f"{{location_id: {location_id}, evse_uids: [{evse_uid}]}}"
    if not isinstance(body, dict):
        return [Problem("The real-time request names no Location (no LocationReferences in its body)", wanted,
                        short(body), evidence=evidence)]
    problems = []
    if not ci_equal(body.get("location_id"), location_id):
        problems.append(Problem("The real-time request names another Location than the one where the Token is "
                                "presented", location_id, short(body.get("location_id")), evidence=evidence))
    listed = body.get("evse_uids")
    uids = listed if isinstance(listed, list) else []
    if not any(ci_equal(uid, evse_uid) for uid in uids):
        problems.append(Problem("The real-time request does not name the EVSE where the Token is presented",
                                f"evse_uids holding {evse_uid}", short(body.get("evse_uids")), evidence=evidence))
    return problems


def reference_problems(given: str | None, objects: Sequence[tuple[str, dict[str, Any] | None]],
                       evidence: tuple[str, ...]) -> list[Problem]:
    """``objects``: (label, object) for the Session (and CDR) of a charge the eMSP allowed with ``given``."""
    problems = []
    for label, obj in objects:
        if obj is None:
            problems.append(Problem(f"No {label} reached roamcert's eMSP for the charge it allowed in real time",
                                    f"a {label} with auth_method AUTH_REQUEST", "none"))
            continue
        if obj.get("auth_method") != "AUTH_REQUEST":
            problems.append(Problem(f"The {label} of a charge authorized in real time does not say so",
                                    "auth_method: AUTH_REQUEST", short(obj.get("auth_method")), evidence=evidence))
        if given and not ci_equal(obj.get("authorization_reference"), given):
            problems.append(Problem(f"The {label} does not carry the authorization_reference roamcert's eMSP gave",
                                    given, short(obj.get("authorization_reference")), evidence=evidence))
    return problems


def not_charged_problems(what: str, session_pushes: Sequence[Push], served: Sequence[dict[str, Any]],
                         cdr_posts: Sequence[Push]) -> list[Problem]:
    problems = []
    if session_pushes:
        problems.append(Problem(f"A charge started for {what}: its Session reached roamcert's eMSP",
                                "no Session for the Token", f"{len(session_pushes)} Session push(es)",
                                evidence=_ids(session_pushes)))
    if served:
        problems.append(Problem(f"The CPO's Sessions list holds a Session for {what}", "no Session for the Token",
                                ", ".join(short(s.get("id"), 40) for s in served[:5])))
    if cdr_posts:
        problems.append(Problem(f"A CDR for {what} reached roamcert's eMSP", "no CDR for the Token",
                                f"{len(cdr_posts)} CDR(s)", evidence=_ids(cdr_posts)))
    return problems


def refused_in_real_time_problems(asks: Sequence[Push], session_pushes: Sequence[Push],
                                  served: Sequence[dict[str, Any]], cdr_posts: Sequence[Push]) -> list[Problem]:
    if not asks:
        return [Problem("The CPO did not ask roamcert's eMSP in real time about a Token whose whitelist is NEVER, "
                        "so the eMSP could not refuse it", "POST .../authorize for the Token", "no request")]
    return not_charged_problems("a Token the eMSP answered BLOCKED", session_pushes, served, cdr_posts)


# -- the charge as it runs ----------------------------------------------------------------------------------

def session_pushed_problems(token: dict[str, Any], location_id: str, evse: dict[str, Any],
                            session_pushes: Sequence[Push]) -> list[Problem]:
    if not session_pushes:
        return [Problem("No Session for the Token reached roamcert's eMSP after the charge started",
                        "a Session PUT", "none")]
    first = session_pushes[0]
    evidence = (first.exchange_id,)
    if first.method != "PUT" or not isinstance(first.body, dict):
        return [Problem(f"The new Session was first sent by {first.method}, not PUT", "PUT of the whole Session",
                        first.method, evidence=evidence)]
    session = first.body
    label = f"The Session PUT ({short(session.get('id'), 40)})"
    problems = [Problem(f"{label} is not a valid Session: {error}", "a Session object", None, evidence=evidence)
                for error in schema_errors(VERSION, "Session", session)[:5]]
    keys = (session.get("country_code"), session.get("party_id"), session.get("id"))
    if len(first.segments) != 3 or not all(ci_equal(a, b) for a, b in zip(first.segments, keys, strict=True)):
        problems.append(Problem(f"{label} is not sent to the URL of that Session",
                                ".../{country_code}/{party_id}/{session_id} of the Session",
                                "/".join(first.segments), evidence=evidence))
    if session.get("status") not in ("PENDING", "ACTIVE"):
        problems.append(Problem(f"{label} has a status a starting charge cannot have", "PENDING or ACTIVE",
                                short(session.get("status")), evidence=evidence))
    problems += [Problem(p.message, p.expected, p.actual, evidence=evidence)
                 for p in _token_fields(token, session.get("cdr_token"), label)]
    if not ci_equal(session.get("location_id"), location_id):
        problems.append(Problem(f"{label} names another Location than the one where the Token was presented",
                                location_id, short(session.get("location_id")), evidence=evidence))
    if not ci_equal(session.get("evse_uid"), evse.get("uid")):
        problems.append(Problem(f"{label} names another EVSE than the one where the Token was presented",
                                str(evse.get("uid")), short(session.get("evse_uid")), evidence=evidence))
    connectors = [c.get("id") for c in evse.get("connectors") or [] if isinstance(c, dict)]
    if not any(ci_equal(session.get("connector_id"), c) for c in connectors):
        problems.append(Problem(f"{label} names a Connector the EVSE does not have",
                                f"one of {connectors}", short(session.get("connector_id")), evidence=evidence))
    return problems


def _evse_statuses(pushes: Sequence[Push], location_id: str, evse_uid: str) -> list[tuple[Push, str]]:
    """(push, status) for every push that set the EVSE's status (Location, EVSE level PUT or PATCH)."""
    out = []
    for push in pushes:
        body, segments = push.body, push.segments
        if not isinstance(body, dict) or len(segments) < 3 or not ci_equal(segments[2], location_id):
            continue
        if len(segments) == 3:
            for evse in body.get("evses") or []:
                if isinstance(evse, dict) and ci_equal(evse.get("uid"), evse_uid) and "status" in evse:
                    out.append((push, str(evse["status"])))
        elif len(segments) == 4 and ci_equal(segments[3], evse_uid) and "status" in body:
            out.append((push, str(body["status"])))
    return out


def evse_status_problems(started: Sequence[Push], ended: Sequence[Push], location_id: str,
                         evse_uid: str) -> list[Problem]:
    """``started``: Location pushes while the charge ran; ``ended``: those after it stopped."""
    problems = []
    during = _evse_statuses(started, location_id, evse_uid)
    if not any(status == "CHARGING" for _, status in during):
        problems.append(Problem(f"roamcert's eMSP was not told that EVSE {evse_uid} started charging",
                                f"a Location push setting EVSE {evse_uid} to CHARGING",
                                ", ".join(s for _, s in during) or "no push for the EVSE",
                                evidence=_ids(p for p, _ in during)))
    after = _evse_statuses(ended, location_id, evse_uid)
    if not after or after[-1][1] == "CHARGING":
        problems.append(Problem(f"roamcert's eMSP was not told that EVSE {evse_uid} stopped charging",
                                f"a Location push setting EVSE {evse_uid} to a status other than CHARGING",
                                ", ".join(s for _, s in after) or "no push for the EVSE",
                                evidence=_ids(p for p, _ in after)))
    return problems


def session_updated_problems(running: Sequence[Push], ending: Sequence[Push],
                             held: dict[str, Any] | None) -> list[Problem]:
    """``running``: the Session's pushes after time passed, before the stop; ``ending``: those after the stop;
    ``held``: roamcert's eMSP's copy at the end."""
    problems = []
    if not any(isinstance(p.body, dict) and ("charging_periods" in p.body or "kwh" in p.body) for p in running):
        problems.append(Problem("While the charge ran, no update of the Session reached roamcert's eMSP",
                                "a PATCH (or PUT) with new charging periods or kwh", "none"))
    completing = [p for p in ending if isinstance(p.body, dict) and p.body.get("status") == "COMPLETED"]
    if not completing:
        problems.append(Problem("When the charge ended, the Session was not pushed as COMPLETED",
                                "a PATCH with status COMPLETED",
                                ", ".join(f"{p.method} {short(p.body, 60)}" for p in ending) or "no push",
                                evidence=_ids(ending)))
    elif completing[0].method != "PATCH":
        problems.append(Problem("The COMPLETED Session was sent whole instead of by PATCH", "PATCH",
                                completing[0].method, evidence=(completing[0].exchange_id,)))
    if held is None:
        problems.append(Problem("roamcert's eMSP holds no Session for the charge", "the Session", "none"))
        return problems
    label = f"Session {short(held.get('id'), 40)} as roamcert's eMSP holds it"
    if held.get("status") != "COMPLETED":
        problems.append(Problem(f"{label} is not COMPLETED", "status: COMPLETED", short(held.get("status"))))
    if not held.get("end_date_time"):
        problems.append(Problem(f"{label} has no end_date_time", "when the charge ended", "(absent)"))
    periods = held.get("charging_periods")
    if not periods:
        problems.append(Problem(f"{label} has no charging periods", "the periods of the charge", short(periods)))
    kwh = number(held.get("kwh"))
    energy = _energy(periods)
    count = sum(1 for p in periods or [] if isinstance(p, dict))
    if periods and kwh is not None and abs(kwh - energy) > ENERGY_TOLERANCE * max(count, 1):
        problems.append(Problem(f"{label}: kwh is not the energy of its charging periods", f"{energy} kWh",
                                f"{kwh} kWh"))
    return problems


def cdr_posted_problems(cdr_posts: Sequence[Push], held: dict[str, Any] | None) -> list[Problem]:
    if not cdr_posts:
        return [Problem("No CDR for the charge reached roamcert's eMSP after it ended", "a CDR POST", "none")]
    post = cdr_posts[0]
    evidence = (post.exchange_id,)
    if not isinstance(post.body, dict):
        return [Problem("The CDR POST carries no CDR object", "a CDR", short(post.body), evidence=evidence)]
    cdr = post.body
    label = f"CDR {short(cdr.get('id'), 40)}"
    problems = [Problem(f"{label} is not a valid CDR: {error}", "a CDR object", None, evidence=evidence)
                for error in schema_errors(VERSION, "CDR", cdr)[:5]]
    if held is None:
        return problems
    kwh, energy = number(held.get("kwh")), number(cdr.get("total_energy"))
    if kwh is not None and energy is not None and abs(kwh - energy) > ENERGY_TOLERANCE:
        problems.append(Problem(f"{label}: total_energy is not the final kwh of its Session", f"{kwh} kWh",
                                f"{energy} kWh", evidence=evidence))
    for key in ("auth_method", "authorization_reference"):
        if not ci_equal(cdr.get(key), held.get(key)) and not (cdr.get(key) is None and held.get(key) is None):
            problems.append(Problem(f"{label}: {key} differs from that of its Session", short(held.get(key)),
                                    short(cdr.get(key)), evidence=evidence))
    return problems


# -- an eMSP under test -------------------------------------------------------------------------------------

def emsp_linked_problems(given: str, kept: Sequence[tuple[str, Any]], evidence: tuple[str, ...]) -> list[Problem]:
    """``kept``: (what, the object the eMSP returned) for the Session and, when it could be read back, the CDR."""
    problems = []
    for what, back in kept:
        if not isinstance(back, dict):
            problems.append(Problem(f"The eMSP returned no {what} for the charge it allowed", f"the {what}",
                                    short(back), evidence=evidence))
        elif not ci_equal(back.get("authorization_reference"), given):
            problems.append(Problem(f"The {what} the eMSP keeps does not carry the authorization_reference it gave "
                                    "for the charge", given, short(back.get("authorization_reference")),
                                    evidence=evidence))
    return problems


# -- the registered checks ----------------------------------------------------------------------------------
# A CPO under test: the Token at the charger (mod_tokens)

@evidence_check("ocpi.tokens.charge_whitelisted")
def whitelisted(evidence: TokenPresented) -> Iterator[Problem]:
    yield from whitelisted_problems(evidence.asks, evidence.sessions)


@evidence_check("ocpi.tokens.charge_real_time")
def real_time(evidence: TokenPresented) -> Iterator[Problem]:
    yield from real_time_problems(evidence.token, evidence.asks, evidence.sessions)


@evidence_check("ocpi.tokens.charge_location_named")
def location_named(evidence: AuthorizationAsked) -> Iterator[Problem]:
    yield from location_named_problems(evidence.asks, evidence.location_id, evidence.evse_uid)


@evidence_check("ocpi.tokens.charge_reference")
def charge_reference(evidence: TokenPresented) -> Iterator[Problem]:
    """The Session, and the CDR once one is posted, of a charge allowed in real time."""
    objects: list[tuple[str, dict[str, Any] | None]] = [("Session", replay(evidence.sessions))]
    if evidence.cdr_posts:
        body = evidence.cdr_posts[0].body
        objects.append(("CDR", body if isinstance(body, dict) else None))
    yield from reference_problems(given_reference(evidence.asks), objects,
                                  _ids(evidence.sessions + evidence.cdr_posts))


@evidence_check("ocpi.tokens.charge_invalid_refused")
def invalid_refused(evidence: TokenPresented) -> Iterator[Problem]:
    yield from not_charged_problems("a Token pushed as not valid", evidence.sessions, evidence.served,
                                    evidence.cdr_posts)


@evidence_check("ocpi.tokens.charge_refused_in_real_time")
def refused_in_real_time(evidence: TokenPresented) -> Iterator[Problem]:
    yield from refused_in_real_time_problems(evidence.asks, evidence.sessions, evidence.served, evidence.cdr_posts)


@evidence_check("ocpi.tokens.charge_invalid_asked")
def invalid_asked(evidence: TokenPresented) -> Iterator[Problem]:
    yield from invalid_asked_problems(evidence.token, evidence.asks, evidence.sessions, evidence.served)


@evidence_check("ocpi.tokens.charge_allowed_offline_asked")
def offline_asked(evidence: TokenPresented) -> Iterator[Problem]:
    yield from real_time_problems(evidence.token, evidence.asks, evidence.sessions, whitelist="ALLOWED_OFFLINE")


@evidence_check("ocpi.tokens.charge_allowed_offline_unanswered")
def offline_charged(evidence: TokenPresented) -> Iterator[Problem]:
    yield from offline_charged_problems(evidence.asks, evidence.sessions, evidence.served)


# A CPO under test: the charge as it runs (mod_sessions, mod_locations, mod_cdrs)

@evidence_check("ocpi.sessions.charge_pushed")
def session_pushed(evidence: SessionStarted) -> Iterator[Problem]:
    yield from session_pushed_problems(evidence.token, evidence.location_id, evidence.evse, evidence.sessions)


@evidence_check("ocpi.sessions.charge_updated")
def session_updated(evidence: SessionRun) -> Iterator[Problem]:
    yield from session_updated_problems(evidence.running, evidence.ending, evidence.held)


@evidence_check("ocpi.locations.charge_evse_status")
def evse_status(evidence: EvseStatusPushes) -> Iterator[Problem]:
    yield from evse_status_problems(evidence.during, evidence.after, evidence.location_id, evidence.evse_uid)


@evidence_check("ocpi.cdrs.charge_cdr")
def cdr_posted(evidence: CdrPosted) -> Iterator[Problem]:
    yield from cdr_posted_problems(evidence.cdr_posts, replay(evidence.sessions))


# An eMSP under test: what it keeps of a charge it authorized

@evidence_check("ocpi.sessions.emsp_charge_kept")
def emsp_kept(evidence: ChargeReadBack) -> Iterator[Problem]:
    for read in evidence.read_backs:
        if read.unreadable is not None:
            yield Problem(f"The {read.what} cannot be read back from the eMSP: {read.unreadable}",
                          f"the {read.what} at its URL", read.unreadable, evidence=read.exchange_ids)
            continue
        found = list(differences(read.pushed, read.back))
        if found:
            yield Problem(f"The {read.what} the eMSP returns after the charge is not the one roamcert's CPO pushed",
                          "the pushed values", "; ".join(found[:8]), evidence=read.exchange_ids)


@evidence_check("ocpi.tokens.emsp_reference_linked")
def emsp_linked(evidence: ChargeLinked) -> Iterator[Problem]:
    yield from emsp_linked_problems(evidence.given, evidence.kept, evidence.exchange_ids)
