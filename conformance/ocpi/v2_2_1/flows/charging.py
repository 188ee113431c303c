"""Flows for a whole charge, across modules (mod_tokens, mod_sessions, mod_locations, mod_cdrs).

A CPO under test: roamcert, as eMSP, pushes a Token of its own to the CPO's Tokens Receiver (and knows it in its own
books, to answer real-time requests about it), then a driver presents it at a free EVSE of the CPO's: the action
``present_token``, a trigger hook of the CPO's charger or the operator. roamcert watches what reaches its eMSP: the
real-time authorization request, the Session's PUT and PATCHes, the EVSE's status, the CDR. Time passes
(``advance_clock``) and the charge ends (``stop_charging``) the same way; with no hook for an action the case is
MANUAL_PENDING, never PASS. For a Token whitelisted ALLOWED_OFFLINE roamcert's eMSP can also be offline while the
driver presents it: its real-time authorization then answers HTTP 503 without an OCPI body (reset as soon as the
CPO has made up its mind, whatever happens).

An eMSP under test: roamcert's CPO lets a driver charge with one of the eMSP's own valid Tokens at one of its seed
Locations, asking the eMSP in real time, pushing everything a real CPO would as the charge runs (the reference
charging lifecycle, simulators/ocpi/v2_2_1/lifecycle.py), then reads the Session and the CDR back.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urljoin, urlsplit

from conformance.core.case import Case
from conformance.core.errors import HarnessError, SetupFailed
from conformance.core.exchange import Exchange
from conformance.ocpi.context import Context
from conformance.ocpi.expect import Expect
from conformance.ocpi.harness import Connection, Harness
from conformance.ocpi.types import ci_equal, format_datetime
from conformance.ocpi.v2_2_1.checks import cdrs as cd
from conformance.ocpi.v2_2_1.checks import charge_pushes as cp
from conformance.ocpi.v2_2_1.checks import charging as cc
from conformance.ocpi.v2_2_1.checks import senders as sv
from conformance.ocpi.v2_2_1.checks._util import envelope
from conformance.ocpi.v2_2_1.flows.actions import perform
from conformance.ocpi.v2_2_1.flows.http import data_of, join, send, status_code_of
from conformance.ocpi.v2_2_1.flows.pull import SenderPull
from conformance.ocpi.v2_2_1.flows.tokens import sample_token
from conformance.ocpi.v2_2_1.flows.via_hub import forwarded_to_partner
from simulators.ocpi.party import Party
from simulators.ocpi.v2_2_1.charger import present_token
from simulators.ocpi.v2_2_1.lifecycle import lifecycle
from simulators.ocpi.v2_2_1.seed.locations import seed_locations
from simulators.ocpi.v2_2_1.seed.tariffs import seed_tariffs
from simulators.ocpi.v2_2_1.tokens_sender import OFFLINE

__all__ = ["Charge", "ChargeToken", "Place", "end", "live_charge", "present", "push_token", "time_passes"]

VERSION = "2.2.1"
_OK = frozenset({1000})
SETTLE = 2.0  # seconds a CPO on the network is given to push what it should not (a charge that must not start)
MINUTES = 40  # how long the driver charges before the charge ends
EMSP_RUN = (40, 25)  # the periods of the charge roamcert's CPO runs for an eMSP under test
# Stories of a Token at the charger -> (index of roamcert's seed Token, whitelist, valid as pushed, valid in the
# eMSP's own books when the CPO asks). INVALID_NEVER: pushed not valid (out of credit), valid again since.
STORIES = {"ALWAYS": (2, "ALWAYS", True, True), "NEVER": (4, "NEVER", True, True),
           "INVALID": (0, "ALLOWED", False, False), "BLOCKED": (4, "NEVER", True, False),
           "INVALID_NEVER": (7, "NEVER", False, True), "ALLOWED_OFFLINE": (0, "ALLOWED_OFFLINE", True, True)}
REFUSED = frozenset({"INVALID", "BLOCKED"})  # the stories in which no charge may start


@dataclass(frozen=True)
class ChargeToken:
    """A Token roamcert's eMSP pushed to the CPO, and what is to become of it at the charger."""

    token: dict[str, Any]
    story: str  # a key of STORIES
    offline: bool = False  # roamcert's eMSP gives no response to real-time requests while the Token is presented


@dataclass(frozen=True)
class Place:
    location: dict[str, Any]
    evse: dict[str, Any]

    @property
    def location_id(self) -> str:
        return str(self.location["id"])

    @property
    def evse_uid(self) -> str:
        return str(self.evse["uid"])


@dataclass
class Charge:
    """One driver at one EVSE of the CPO under test, and where in the case's log each thing began."""

    held: ChargeToken
    place: Place
    purpose: str  # what the scenario judges: "token", "session" or "cdr"
    presented_at: int
    advanced_at: int | None = None
    stopped_at: int | None = None
    session_id: str | None = None
    evidence: list[str] = field(default_factory=list)

    @property
    def token(self) -> dict[str, Any]:
        return self.held.token


# -- waiting for a CPO on the network ------------------------------------------------------------------------

def _patience(ctx: Context) -> float:
    """How long to wait for a push that should come: none for the in-process reference (its hooks push before
    they answer), the target's timeout for a CPO on the network."""
    return 0.0 if ctx.conn.platform.inprocess else ctx.harness.target.timeout


def _settle(ctx: Context) -> float:
    return 0.0 if ctx.conn.platform.inprocess else min(SETTLE, ctx.harness.target.timeout)


def _wait(harness: Harness, until: Callable[[], bool], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not until() and time.monotonic() < deadline:
        harness.runtime.run(asyncio.sleep(0.1))


# -- what reached roamcert (or what roamcert sent) -----------------------------------------------------------

def _path(url: str) -> str:
    return urlsplit(url).path.rstrip("/")


def _push(index: int, x: Exchange, module: str, prefix: str) -> cc.Push | None:
    parts = urlsplit(x.url)
    path = parts.path.rstrip("/")
    if path != prefix and not path.startswith(prefix + "/"):
        return None
    segments = tuple(unquote(s) for s in path[len(prefix):].split("/") if s)
    if module == "tokens" and not (x.method == "POST" and segments and segments[-1] == "authorize"):
        return None
    try:
        body = x.request_json()
    except ValueError:
        body = None
    return cc.Push(exchange_id=x.id, index=index, module=module, method=x.method, segments=segments, body=body,
                   params=dict(parse_qsl(parts.query)), status=x.status, answer=envelope(x))


def _collect(case: Case, direction: str, prefixes: dict[str, str], since: int, until: int | None = None,
             *, kept: Callable[[Exchange], bool] = lambda x: True) -> list[cc.Push]:
    out = []
    for index, x in enumerate(case.log.exchanges[since:until], start=since):
        if x.direction != direction or not kept(x):
            continue
        for module, prefix in prefixes.items():
            push = _push(index, x, module, prefix)
            if push is not None:
                out.append(push)
                break
    return out


def _partner_prefixes(partner: Party) -> dict[str, str]:
    """The paths where a CPO pushes to and asks roamcert's eMSP: at ``partner``, the SUT's peer (the eMSP itself,
    or roamcert's hub it sits behind)."""
    out = {m: _path(partner.module_url(VERSION, m, "RECEIVER")) for m in ("sessions", "cdrs", "locations")}
    out["tokens"] = _path(partner.module_url(VERSION, "tokens", "SENDER"))
    return out


def _inbound(ctx: Context, since: int, until: int | None = None) -> list[cc.Push]:
    """The SUT's requests to roamcert's eMSP; through roamcert's hub, those the hub forwarded to it (a push the SUT
    addressed to another party behind the hub is not the eMSP's)."""
    return _collect(ctx.case, "inbound", _partner_prefixes(ctx.registrar), since, until,
                    kept=forwarded_to_partner(ctx))


def _mine(token: dict[str, Any], body: Any) -> bool:
    got = body.get("cdr_token") if isinstance(body, dict) else None
    return isinstance(got, dict) and ci_equal(got.get("uid"), token["uid"])


def _asks(pushes: Sequence[cc.Push], token: dict[str, Any]) -> list[cc.Push]:
    return [p for p in pushes if p.module == "tokens" and ci_equal(p.segments[0], token["uid"])]


def _session_ids(pushes: Sequence[cc.Push], token: dict[str, Any], held: Sequence[dict[str, Any]]) -> list[str]:
    """The ids of the Sessions for ``token``: those PUT (by the URL's last segment) and those roamcert holds."""
    ids = [p.segments[-1] for p in pushes if p.module == "sessions" and p.method == "PUT" and p.segments
           and _mine(token, p.body)]
    ids += [str(s["id"]) for s in held if _mine(token, s) and isinstance(s.get("id"), str)]
    return list(dict.fromkeys(ids))


def _session_pushes(pushes: Sequence[cc.Push], session_id: str | None) -> list[cc.Push]:
    return [p for p in pushes if p.module == "sessions" and p.segments and session_id is not None
            and ci_equal(p.segments[-1], session_id)]


def _cdr_posts(pushes: Sequence[cc.Push], token: dict[str, Any]) -> list[cc.Push]:
    return [p for p in pushes if p.module == "cdrs" and p.method == "POST" and _mine(token, p.body)]


def _locations(pushes: Sequence[cc.Push]) -> list[cc.Push]:
    return [p for p in pushes if p.module == "locations"]


def _held(ctx: Context) -> list[dict[str, Any]]:
    """The Sessions roamcert's eMSP holds (a copy taken on the loop its servers run on)."""
    partner = ctx.partner

    async def snapshot() -> list[dict[str, Any]]:
        return copy.deepcopy(list(partner.received.get("sessions", {}).values()))

    return ctx.harness.runtime.run(snapshot())


def _held_session(ctx: Context, session_id: str | None) -> dict[str, Any] | None:
    return next((s for s in _held(ctx) if session_id and ci_equal(s.get("id"), session_id)), None)


# -- a CPO under test: before the charge ----------------------------------------------------------------------

def push_token(ctx: Context, story: str) -> ChargeToken:
    """PUT one of roamcert's Tokens to the CPO as the story wants it, and keep it in roamcert's eMSP's books."""
    index, whitelist, valid, valid_at_emsp = STORIES[story]
    token = sample_token(ctx, index)
    token.update(whitelist=whitelist, valid=valid)
    receiver = ctx.conn.endpoint("tokens", "RECEIVER")
    if receiver is None:
        raise SetupFailed("the SUT lists no tokens RECEIVER endpoint")
    url = join(receiver, token["country_code"], token["party_id"], quote(token["uid"], safe=""))
    put = send(ctx, "PUT", url, Expect(status_codes=_OK), token=ctx.conn.token, json_body=token,
               params={"type": token["type"]})
    code = status_code_of(put)
    if put.status is None or put.status >= 300 or not isinstance(code, int) or not 1000 <= code < 2000:
        raise SetupFailed(f"the CPO did not accept the Token pushed as a prerequisite (HTTP {put.status}, "
                          f"status_code {code})")
    books = {**copy.deepcopy(token), "valid": valid_at_emsp}
    partner = ctx.partner

    async def keep() -> None:  # the eMSP answers real-time requests from its own Tokens
        partner.owned.setdefault("tokens", []).append(books)

    ctx.harness.runtime.run(keep())
    return ChargeToken(token, story)


def _free_evse(ctx: Context) -> Place:
    """An AVAILABLE EVSE from the CPO's Locations, preferably one whose Connectors name a Tariff."""
    if ctx.conn.endpoint("locations", "SENDER") is None:
        raise SetupFailed("the SUT lists no locations SENDER endpoint, so roamcert knows no EVSE to charge at")
    items = SenderPull(ctx).traverse()[0]
    places = [Place(loc, evse) for loc in items if isinstance(loc, dict) and isinstance(loc.get("id"), str)
              for evse in loc.get("evses") or [] if isinstance(evse, dict) and evse.get("status") == "AVAILABLE"
              and isinstance(evse.get("uid"), str) and evse.get("connectors")]
    places.sort(key=lambda p: not any(c.get("tariff_ids") for c in p.evse["connectors"] if isinstance(c, dict)))
    if not places:
        raise SetupFailed("the CPO serves no AVAILABLE EVSE where a driver could charge")
    return places[0]


# -- a CPO under test: the charge ----------------------------------------------------------------------------

def present(ctx: Context, held: ChargeToken, purpose: str) -> Charge:
    """The driver presents the Token at a free EVSE; roamcert waits for what the CPO pushes and judges what the
    scenario (``purpose``) is about."""
    place = _free_evse(ctx)
    charge = Charge(held, place, purpose, presented_at=len(ctx.case.log.exchanges))
    token = held.token
    should_start = held.story not in REFUSED

    def started() -> bool:
        return bool(_session_ids(_inbound(ctx, charge.presented_at), token, []))

    if held.offline:
        _offline(ctx, True)
    try:
        perform(ctx, "present_token", {
            "uid": token["uid"], "type": token["type"], "location_id": place.location_id, "evse_uid": place.evse_uid,
            "country_code": token["country_code"], "party_id": token["party_id"]})
        _wait(ctx.harness, started, _patience(ctx) if should_start else _settle(ctx))
    finally:
        if held.offline:
            _offline(ctx, False)
    pushes = _inbound(ctx, charge.presented_at)
    ids = _session_ids(pushes, token, _held(ctx))
    charge.session_id = ids[0] if ids else None
    sessions = _session_pushes(pushes, charge.session_id)
    if purpose == "session":
        ctx.case.evaluate(cc.session_pushed, cc.SessionStarted(token, place.location_id, place.evse, tuple(sessions)))
    elif purpose == "token":
        _judge_token(ctx, charge, pushes, sessions)
    return charge


def _offline(ctx: Context, offline: bool) -> None:
    """Take roamcert's eMSP's real-time authorization offline (HTTP 503, no OCPI body) or back online."""
    partner = ctx.partner

    async def switch() -> None:
        if offline:
            partner.state[OFFLINE] = True
        else:
            partner.state.pop(OFFLINE, None)

    ctx.harness.runtime.run(switch())


def _evidence(pushes: Sequence[cc.Push]) -> tuple[str, ...]:
    return tuple(p.exchange_id for p in pushes)


def _judge_token(ctx: Context, charge: Charge, pushes: list[cc.Push], sessions: list[cc.Push]) -> None:
    token, story = charge.token, charge.held.story
    asks = tuple(_asks(pushes, token))
    seen = cc.TokenPresented(token, asks, tuple(sessions))
    if charge.held.offline:
        served, pages = _served_unless_pushed(ctx, charge, sessions)
        ctx.case.evaluate(cc.offline_charged, replace(seen, served=tuple(served), served_pages=pages))
    elif story == "ALWAYS":
        ctx.case.evaluate(cc.whitelisted, seen)
    elif story == "INVALID_NEVER":
        served, pages = _served_unless_pushed(ctx, charge, sessions)
        ctx.case.evaluate(cc.invalid_asked, replace(seen, served=tuple(served), served_pages=pages))
    elif story == "ALLOWED_OFFLINE":
        ctx.case.evaluate(cc.offline_asked, seen)
        ctx.case.evaluate(cc.charge_reference, seen)
    elif story == "NEVER":
        ctx.case.evaluate(cc.real_time, seen)
        ctx.case.evaluate(cc.location_named, cc.AuthorizationAsked(asks, charge.place.location_id,
        charge.place.evse_uid))
        ctx.case.evaluate(cc.charge_reference, seen)
    else:
        served, pages = _served_sessions(ctx, token)
        refused = replace(seen, served=tuple(served), served_pages=pages, cdr_posts=tuple(_cdr_posts(pushes, token)))
        ctx.case.evaluate(cc.invalid_refused if story == "INVALID" else cc.refused_in_real_time, refused)
        started = [charge.session_id, *(s.get("id") for s in served)]
        for session_id in dict.fromkeys(i for i in started if isinstance(i, str)):
            _stop_quietly(ctx, session_id)


def _served_unless_pushed(ctx: Context, charge: Charge,
                          sessions: list[cc.Push]) -> tuple[list[dict[str, Any]], tuple[str, ...]]:
    """When no Session of the charge reached roamcert, those the CPO serves for the Token (a CPO may hold its
    pushes back, or push later); the first becomes the charge's, so it can be ended."""
    if sessions:
        return [], ()
    served, pages = _served_sessions(ctx, charge.token)
    ids = [s["id"] for s in served if isinstance(s.get("id"), str)]
    if charge.session_id is None and ids:
        charge.session_id = ids[0]
    return served, pages


def _served_sessions(ctx: Context, token: dict[str, Any]) -> tuple[list[dict[str, Any]], tuple[str, ...]]:
    """The Sessions for ``token`` the CPO's Sessions Sender lists (updated within the last hour)."""
    if ctx.conn.endpoint("sessions", "SENDER") is None:
        return [], ()
    since = format_datetime(datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1))
    items, pages, _ = SenderPull(ctx, module="sessions", schema="Session").traverse(
        {"date_from": since})
    return [s for s in items if _mine(token, s)], tuple(p.id for p in pages)


def _stop_quietly(ctx: Context, session_id: str) -> None:
    """End a charge that should never have started, so the EVSE is free again; the finding is already made."""
    with contextlib.suppress(HarnessError):  # no hook, or the CPO cannot: the operator ends it
        perform(ctx, "stop_charging", {"session_id": session_id})


def time_passes(ctx: Context, charge: Charge) -> None:
    """Time passes at the charger; roamcert waits for the CPO's update of the Session."""
    if charge.session_id is None:
        raise SetupFailed("no charge started, so none can run on")
    charge.advanced_at = len(ctx.case.log.exchanges)
    perform(ctx, "advance_clock", {"minutes": str(MINUTES)})
    since = charge.advanced_at

    def updated() -> bool:
        return bool(_session_pushes(_inbound(ctx, since), charge.session_id))

    _wait(ctx.harness, updated, _patience(ctx))


def end(ctx: Context, charge: Charge) -> None:
    """The driver ends the charge; roamcert waits for the COMPLETED Session and the CDR and judges them."""
    if charge.session_id is None:
        raise SetupFailed("no charge started, so none can end")
    charge.stopped_at = len(ctx.case.log.exchanges)
    perform(ctx, "stop_charging", {"session_id": charge.session_id})
    since, token = charge.stopped_at, charge.token

    def ended() -> bool:
        pushes = _inbound(ctx, since)
        done = any(isinstance(p.body, dict) and p.body.get("status") == "COMPLETED"
                   for p in _session_pushes(pushes, charge.session_id))
        return done and bool(_cdr_posts(pushes, token))

    _wait(ctx.harness, ended, _patience(ctx))
    if charge.purpose == "session":
        _judge_session(ctx, charge)
    elif charge.purpose == "cdr":
        _judge_cdr(ctx, charge)


def _judge_session(ctx: Context, charge: Charge) -> None:
    assert charge.stopped_at is not None
    advanced = charge.advanced_at if charge.advanced_at is not None else charge.stopped_at
    before = _inbound(ctx, charge.presented_at, charge.stopped_at)
    after = _inbound(ctx, charge.stopped_at)
    running = [p for p in _session_pushes(before, charge.session_id) if p.index >= advanced]
    ending = _session_pushes(after, charge.session_id)
    held = _held_session(ctx, charge.session_id)
    ctx.case.evaluate(cc.session_updated, cc.SessionRun(tuple(running), tuple(ending), held))
    ctx.case.evaluate(cc.evse_status, _evse_statuses(charge, before, after))
    _judge_kept_true(ctx, charge, before, after)


def _judge_kept_true(ctx: Context, charge: Charge, before: list[cc.Push], after: list[cc.Push]) -> None:
    """The Session's start_date_time and charging periods over its pushes; the EVSE's status as a must, when the
    CPO pushes its Locations to roamcert at all (in this charge, or earlier in the run)."""
    sessions = cp.SessionPushes(tuple(_session_pushes(before + after, charge.session_id)))
    ctx.case.evaluate(cp.start_time, sessions)
    ctx.case.evaluate(cp.periods_appended, sessions)
    statuses = _evse_statuses(charge, before, after)
    partner = ctx.partner

    async def holds_locations() -> bool:
        return bool(partner.received.get("locations"))

    pushes_locations = bool(statuses.during or statuses.after) or ctx.harness.runtime.run(holds_locations())
    if pushes_locations:
        ctx.case.evaluate(cp.evse_status_pushed, statuses)


def _evse_statuses(charge: Charge, before: list[cc.Push], after: list[cc.Push]) -> cc.EvseStatusPushes:
    """The Location pushes while the charge ran and after it stopped."""
    return cc.EvseStatusPushes(tuple(_locations(before)), tuple(_locations(after)), charge.place.location_id,
                               charge.place.evse_uid)


def _judge_cdr(ctx: Context, charge: Charge) -> None:
    pushes = _inbound(ctx, charge.presented_at)
    sessions = _session_pushes(pushes, charge.session_id)
    posts = _cdr_posts(pushes, charge.token)
    ctx.case.evaluate(cc.cdr_posted, cc.CdrPosted(tuple(sessions), tuple(posts)))
    cdr = posts[0].body if posts and isinstance(posts[0].body, dict) else None
    if cdr is None:
        return  # ocpi.cdrs.charge_cdr says there is none; the checks below have nothing to read
    session = cc.replay(sessions)
    ctx.case.evaluate(sv.cdr_session_link, sv.SenderLists(_evidence(sessions + posts), cdrs=(cdr,),
                                                      sessions=(session,) if session else (), sessions_complete=True))
    asks = _asks(pushes, charge.token)
    ctx.case.evaluate(cc.charge_reference, cc.TokenPresented(charge.token, tuple(asks), tuple(sessions),
                                                         cdr_posts=tuple(posts)))
    book = cd.PriceBook(time_zones={charge.place.location_id.casefold(): str(charge.place.location.get("time_zone"))})
    if ctx.conn.endpoint("tariffs", "SENDER") is not None:
        tariffs = SenderPull(ctx, module="tariffs", schema="Tariff").traverse()[0]
        book.tariffs = {str(t.get("id", "")).casefold(): t for t in tariffs if isinstance(t, dict)}
    ctx.case.evaluate(cd.price, cd.CdrPrices((cdr,), book, ctx.harness.target.tariff_switches(), _evidence(posts)))


# -- an eMSP under test --------------------------------------------------------------------------------------

async def _stock(party: Party) -> None:
    """roamcert's CPO is unseeded: it gets its seed Locations and Tariffs the first time a charge needs them."""
    cpo = party.identity("CPO")
    if not party.owned.get("locations"):
        party.owned["locations"] = seed_locations(country_code=cpo.country_code, party_id=cpo.party_id)
    if not party.owned.get("tariffs"):
        party.owned["tariffs"] = seed_tariffs(country_code=cpo.country_code, party_id=cpo.party_id)


def _own_place(party: Party) -> Place:
    for location in party.owned.get("locations", []):
        for evse in location.get("evses") or []:
            connectors = evse.get("connectors") or []
            if evse.get("status") == "AVAILABLE" and evse.get("evse_id") and connectors \
                    and connectors[0].get("tariff_ids"):
                return Place(location, evse)
    raise HarnessError("roamcert's CPO has no free EVSE left to charge at")


def _candidates(tokens: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The eMSP's valid Tokens, those meant for real-time authorization first."""
    order = {"NEVER": 0, "ALLOWED_OFFLINE": 1, "ALLOWED": 2}
    valid = [t for t in tokens if t.get("valid") is True and isinstance(t.get("uid"), str)
             and isinstance(t.get("type"), str)]
    return sorted(valid, key=lambda t: order.get(str(t.get("whitelist")), 3))


def _sut_prefixes(conn: Connection) -> dict[str, str]:
    out = {}
    for module, role in (("sessions", "RECEIVER"), ("cdrs", "RECEIVER"), ("locations", "RECEIVER"),
                         ("tokens", "SENDER")):
        url = conn.endpoint(module, role)
        if url is not None:
            out[module] = _path(url)
    return out


def live_charge(ctx: Context, tokens: Sequence[dict[str, Any]]) -> None:
    """roamcert's CPO charges a driver with one of the eMSP's valid Tokens, asking the eMSP in real time, then
    reads back the Session and the CDR and judges what the eMSP kept."""
    partner = ctx.partner
    candidates = _candidates(tokens)
    if not candidates:
        raise SetupFailed("the eMSP lists no valid Token a driver could charge with")
    ctx.harness.runtime.run(_stock(partner))
    place = _own_place(partner)
    life = lifecycle(partner)
    mark = len(ctx.case.log.exchanges)
    # The charge ran over the last hour: its timestamps are in the past, as a real one's would be.
    life.clock.offset = -timedelta(minutes=sum(EMSP_RUN) + 5)
    try:
        presented = None
        for token in candidates[:3]:
            presented = ctx.harness.runtime.run(present_token(
                partner, uid=token["uid"], token_type=token["type"], location_id=place.location_id,
                evse_uid=place.evse_uid, country_code=token.get("country_code"), party_id=token.get("party_id")))
            if presented.session is not None or presented.refused != "NOT_ALLOWED":
                break
        session = presented.session if presented else None
        if session is not None:
            for minutes in EMSP_RUN:
                ctx.harness.runtime.run(life.advance(minutes))
            ctx.harness.runtime.run(life.stop(session["id"]))
    finally:
        life.clock.offset = timedelta(0)
    pushes = _collect(ctx.case, "callback", _sut_prefixes(ctx.conn), mark)
    for push in pushes:
        x = next(e for e in ctx.case.log.exchanges if e.id == push.exchange_id)
        ctx.case.check_response(x, Expect(schema="AuthorizationInfo" if push.module == "tokens" else None,
                                      status_codes=_OK))
    if session is None:
        reason = presented.refused if presented else "no Token tried"
        raise SetupFailed(f"roamcert's CPO could not charge with the eMSP's valid Tokens (refused: {reason})")
    _judge_kept(ctx, session["id"], pushes)


def _judge_kept(ctx: Context, session_id: str, pushes: list[cc.Push]) -> None:
    cpo = ctx.partner_identity
    pushed = _session_pushes(pushes, session_id)
    if not pushed:
        raise SetupFailed("roamcert's CPO found no sessions RECEIVER of the eMSP to push the charge to")
    sessions = [p for p in pushed if p.accepted]
    posts = [p for p in pushes if p.module == "cdrs" and p.method == "POST" and p.accepted]
    receiver = ctx.conn.endpoint("sessions", "RECEIVER")
    if receiver is None:
        raise SetupFailed("the SUT lists no sessions RECEIVER endpoint")
    session_back = send(ctx, "GET", join(receiver, cpo.country_code, cpo.party_id, session_id),
                        Expect(schema="Session", status_codes=_OK), token=ctx.conn.token)
    read_backs: list[cc.KeptObject] = []
    pushed_session = cc.replay(sessions)
    if pushed_session is not None:
        read_backs.append(cc.KeptObject("Session", pushed_session, data_of(session_back),
                                      exchange_ids=(*_evidence(sessions), session_back.id)))
    cdr_back: Any = None
    if posts and isinstance(posts[0].body, dict):
        post = next(e for e in ctx.case.log.exchanges if e.id == posts[0].exchange_id)
        where = post.response_header("Location")
        if not where:
            unreadable = "the answer to its POST has no Location header"
            read_backs.append(cc.KeptObject("CDR", posts[0].body, unreadable=unreadable, exchange_ids=(post.id,)))
        else:
            back = send(ctx, "GET", urljoin(post.url, where), Expect(schema="CDR", status_codes=_OK),
                        token=ctx.conn.token)
            cdr_back = data_of(back)
            read_backs.append(cc.KeptObject("CDR", posts[0].body, cdr_back, exchange_ids=(post.id, back.id)))
    ctx.case.evaluate(cc.emsp_kept, cc.ChargeReadBack(tuple(read_backs), (*_evidence(sessions + posts),
    session_back.id)))
    given = cc.given_reference([p for p in pushes if p.module == "tokens"])
    if given is None:
        raise SetupFailed("the eMSP allowed the charge without an authorization_reference, so there is nothing to "
                          "link its Session and CDR to")
    evidence = tuple(dict.fromkeys(e for read in read_backs for e in read.exchange_ids))
    kept = [("Session", data_of(session_back))] + ([("CDR", cdr_back)] if cdr_back is not None else [])
    ctx.case.evaluate(cc.emsp_linked, cc.ChargeLinked(given, tuple(kept), evidence))
