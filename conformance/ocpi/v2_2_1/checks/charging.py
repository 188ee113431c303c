"""Checks on a whole charge, across modules: a Token presented at a charger (mod_tokens: whitelist and real-time
authorization), the Session pushed as the charge runs (mod_sessions), the EVSE's status (mod_locations) and the
CDR posted when it ends (mod_cdrs); and, with an eMSP under test, what it keeps of a charge it authorized.

The problem functions read plain data: the requests the CPO under test made to roamcert's eMSP during the charge
(:class:`Push`, built by conformance/ocpi/v2_2_1/flows/charging.py from the recorded exchanges), what roamcert's eMSP
holds,
and what roamcert pushed. They never send anything. Identifiers are CiStrings, compared without letter case.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from conformance.core.checks import Problem
from conformance.ocpi.schemas import errors as schema_errors
from conformance.ocpi.types import ci_equal
from conformance.ocpi.v2_2_1.checks._registrar import declare
from conformance.ocpi.v2_2_1.checks._util import short

__all__ = ["CDR_POSTED", "EMSP_KEPT", "EMSP_LINKED", "EVSE_STATUS", "INVALID_ASKED", "INVALID_REFUSED",
           "LOCATION_NAMED", "OFFLINE_ASKED", "OFFLINE_CHARGED", "REAL_TIME", "REFERENCE", "REFUSED_IN_REAL_TIME",
           "SESSION_PUSHED", "SESSION_UPDATED", "WHITELISTED", "Push", "cdr_posted_problems", "emsp_kept_problems",
           "emsp_linked_problems", "evse_status_problems", "invalid_asked_problems", "location_named_problems",
           "not_charged_problems", "offline_charged_problems", "real_time_problems", "reference_problems",
           "refused_in_real_time_problems", "replay", "session_pushed_problems", "session_updated_problems",
           "whitelisted_problems"]

VERSION = "2.2.1"
TOK, SES, CDRS, LOC = "mod_tokens", "mod_sessions", "mod_cdrs", "mod_locations"
ENERGY_TOLERANCE = Decimal("0.001")  # kWh: a value may be rounded to the Wh

# -- a CPO under test: the Token at the charger (mod_tokens) -------------------------------------------------

WHITELISTED = declare("ocpi.tokens.charge_whitelisted")
REAL_TIME = declare("ocpi.tokens.charge_real_time")
LOCATION_NAMED = declare("ocpi.tokens.charge_location_named")
REFERENCE = declare("ocpi.tokens.charge_reference")
INVALID_REFUSED = declare("ocpi.tokens.charge_invalid_refused")
REFUSED_IN_REAL_TIME = declare("ocpi.tokens.charge_refused_in_real_time")
INVALID_ASKED = declare("ocpi.tokens.charge_invalid_asked")
OFFLINE_ASKED = declare("ocpi.tokens.charge_allowed_offline_asked")
OFFLINE_CHARGED = declare("ocpi.tokens.charge_allowed_offline_unanswered")

# -- a CPO under test: the charge as it runs (mod_sessions, mod_locations, mod_cdrs) --------------------------

SESSION_PUSHED = declare("ocpi.sessions.charge_pushed")
SESSION_UPDATED = declare("ocpi.sessions.charge_updated")
EVSE_STATUS = declare("ocpi.locations.charge_evse_status")
CDR_POSTED = declare("ocpi.cdrs.charge_cdr")

# -- an eMSP under test: what it keeps of a charge it authorized ----------------------------------------------

EMSP_KEPT = declare("ocpi.sessions.emsp_charge_kept")
EMSP_LINKED = declare("ocpi.tokens.emsp_reference_linked")


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


# -- readers ------------------------------------------------------------------------------------------------

def _ids(pushes: Iterable[Push]) -> tuple[str, ...]:
    return tuple(p.exchange_id for p in pushes)


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return Decimal(str(value))


def _energy(periods: Any) -> Decimal:
    total = Decimal(0)
    for period in periods if isinstance(periods, list) else []:
        for dimension in period.get("dimensions") or [] if isinstance(period, dict) else []:
            volume = _number(dimension.get("volume")) if isinstance(dimension, dict) else None
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
    kwh = _number(held.get("kwh"))
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
    kwh, energy = _number(held.get("kwh")), _number(cdr.get("total_energy"))
    if kwh is not None and energy is not None and abs(kwh - energy) > ENERGY_TOLERANCE:
        problems.append(Problem(f"{label}: total_energy is not the final kwh of its Session", f"{kwh} kWh",
                                f"{energy} kWh", evidence=evidence))
    for key in ("auth_method", "authorization_reference"):
        if not ci_equal(cdr.get(key), held.get(key)) and not (cdr.get(key) is None and held.get(key) is None):
            problems.append(Problem(f"{label}: {key} differs from that of its Session", short(held.get(key)),
                                    short(cdr.get(key)), evidence=evidence))
    return problems


# -- an eMSP under test -------------------------------------------------------------------------------------

def emsp_kept_problems(compared: Sequence[tuple[str, Sequence[str] | str, tuple[str, ...]]]) -> list[Problem]:
    """``compared``: (what, the differences between what was pushed and what the eMSP returns, or why it could not
    be read back, evidence) for the Session and the CDR."""
    problems = []
    for what, outcome, evidence in compared:
        if isinstance(outcome, str):
            problems.append(Problem(f"The {what} cannot be read back from the eMSP: {outcome}",
                                    f"the {what} at its URL", outcome, evidence=evidence))
        elif outcome:
            problems.append(Problem(f"The {what} the eMSP returns after the charge is not the one roamcert's CPO "
                                    "pushed", "the pushed values", "; ".join(outcome[:8]), evidence=evidence))
    return problems


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
