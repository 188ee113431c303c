"""Flows for an eMSP under test as Receiver of Sessions, Tariffs and CDRs (mod_sessions, mod_tariffs, mod_cdrs).

roamcert's CPO pushes what a real CPO would: its seed Tariffs, a CDR of one of its seed Locations priced from
those Tariffs by the reference tariff engine, and the Session behind that CDR as it ran (ACTIVE, one more
charging period at every PATCH, then COMPLETED). After every push it reads the object back.
"""

from __future__ import annotations

import copy
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urljoin

from conformance.core.errors import SetupFailed
from conformance.core.exchange import Exchange
from conformance.ocpi.context import Context
from conformance.ocpi.expect import Expect
from conformance.ocpi.harness import Connection
from conformance.ocpi.types import format_datetime, parse_datetime
from conformance.ocpi.v2_2_1.checks import receivers as rc
from conformance.ocpi.v2_2_1.checks._compare import ReadBack
from conformance.ocpi.v2_2_1.checks._receiver import MismatchedPush, ReadBacks, Refusal, accepted
from conformance.ocpi.v2_2_1.flows.http import join, send
from simulators.behaviours import Behaviours
from simulators.ocpi.v2_2_1.pricing import cdr_pricer
from simulators.ocpi.v2_2_1.seed.cdrs import seed_cdrs
from simulators.ocpi.v2_2_1.seed.locations import seed_locations
from simulators.ocpi.v2_2_1.seed.session_stages import session_patch, session_stages
from simulators.ocpi.v2_2_1.seed.tariffs import seed_tariffs

__all__ = ["delete_tariff", "patch_session", "post_cdr", "push_session", "push_tariff", "refuse_cdr",
           "refuse_session", "refuse_tariff", "replace_session", "sample_cdr", "sample_session",
           "sample_tariff", "unknown_session"]

_OK = frozenset({1000})
_INVALID = frozenset({2001})


# -- what roamcert's CPO pushes ----------------------------------------------------------------------------

def _unique(object_id: str) -> str:
    """An id never pushed before. A Session or CDR of an earlier run may be stored COMPLETED or final, and an eMSP
    may refuse to take it back to an earlier state; so every scenario starts a story of its own."""
    return f"RC-{secrets.token_hex(4).upper()}-{object_id}"


def _seed(ctx: Context) -> tuple[list[dict[str, Any]], list[dict[str, Any]], datetime]:
    """roamcert's CPO's seed Locations and Tariffs, and the time it is now: what is pushed is recent, so it is
    newer than what an earlier run pushed (a Receiver may ignore an object older than the one it holds)."""
    cpo = ctx.partner_identity
    now = ctx.partner.clock().astimezone(UTC).replace(microsecond=0)
    tariffs = seed_tariffs(country_code=cpo.country_code, party_id=cpo.party_id,
                           last_updated=format_datetime(now - timedelta(days=30)))
    return seed_locations(country_code=cpo.country_code, party_id=cpo.party_id), tariffs, now


def sample_tariff(ctx: Context, tariff_id: str) -> dict[str, Any]:
    """One of roamcert's CPO's seed Tariffs, under an id of its own, last updated a minute ago."""
    _, tariffs, now = _seed(ctx)
    tariff = copy.deepcopy(next(t for t in tariffs if t["id"] == tariff_id))
    tariff["id"] = f"RC-{tariff_id}"
    tariff["last_updated"] = format_datetime(now - timedelta(minutes=1))
    return tariff


def sample_cdr(ctx: Context) -> tuple[dict[str, Any], list[dict[str, Any]], str]:
    """(CDR, the Tariffs it was priced with, its Location's time zone): a CDR of the last few days with several
    charging periods, authorised in real time so that the Session behind it carries an authorization_reference."""
    cpo = ctx.partner_identity
    locations, tariffs, now = _seed(ctx)
    since = now.replace(minute=0, second=0) - timedelta(days=4)
    cdrs = [c for c in seed_cdrs(locations, tariffs, cdr_pricer(Behaviours()), count=6, country_code=cpo.country_code,
                                 party_id=cpo.party_id, base_time=since)
            if not c.get("credit") and len(c["charging_periods"]) >= 3]
    cdr = copy.deepcopy(next((c for c in cdrs if c["auth_method"] == "AUTH_REQUEST"), cdrs[0]))
    time_zone = next(str(loc["time_zone"]) for loc in locations if loc["id"] == cdr["cdr_location"]["id"])
    return cdr, tariffs, time_zone


def sample_session(ctx: Context) -> list[dict[str, Any]]:
    """The Session behind :func:`sample_cdr`'s CDR at each of its stages, ACTIVE first, COMPLETED last, under an
    id never pushed before."""
    cdr, tariffs, time_zone = sample_cdr(ctx)
    stages = session_stages(cdr, tariffs, time_zone=time_zone)
    session_id = _unique(stages[0]["id"])
    for stage in stages:
        stage["id"] = session_id
    return stages


# -- helpers -----------------------------------------------------------------------------------------------

def _endpoint(conn: Connection, module: str) -> str:
    url = conn.endpoint(module, "RECEIVER")
    if url is None:
        raise SetupFailed(f"the SUT lists no {module} RECEIVER endpoint")
    return url


def _object_url(ctx: Context, module: str, object_id: str) -> str:
    cpo = ctx.partner_identity
    return join(_endpoint(ctx.conn, module), cpo.country_code, cpo.party_id, object_id)


def _read_back(ctx: Context, url: str, schema: str) -> Exchange:
    return send(ctx, "GET", url, Expect(schema=schema, status_codes=_OK), token=ctx.conn.token)


def _push_mismatched(ctx: Context, module: str, what: str, obj: dict[str, Any]) -> None:
    """PUT a valid object to the URL of another id (the body keeps its own): transport_and_format advises 2001."""
    put = send(ctx, "PUT", _object_url(ctx, module, f"{obj['id']}-URL"), Expect(), token=ctx.conn.token,
               json_body=obj)
    ctx.case.evaluate(rc.id_mismatch, MismatchedPush(what, "id", put))


def _later(stamp: str, seconds: int) -> str:
    return format_datetime(parse_datetime(stamp) + timedelta(seconds=seconds))


# -- Sessions ----------------------------------------------------------------------------------------------

def push_session(ctx: Context) -> list[dict[str, Any]]:
    """PUT the Session as it starts and read it back; returns all its stages."""
    stages = sample_session(ctx)
    first = stages[0]
    url = _object_url(ctx, "sessions", first["id"])
    put = send(ctx, "PUT", url, Expect(status_codes=_OK, created=True), token=ctx.conn.token, json_body=first)
    back = _read_back(ctx, url, "Session")
    ctx.case.evaluate(rc.session_stored, ReadBacks((ReadBack("Session", first, back),), (put.id, back.id)))
    if not accepted(put):
        raise SetupFailed(f"the eMSP did not accept the Session pushed as a prerequisite (HTTP {put.status})")
    return stages


def patch_session(ctx: Context, stages: list[dict[str, Any]]) -> None:
    """PATCH in the next charging period, then the rest and COMPLETED."""
    url = _object_url(ctx, "sessions", stages[0]["id"])
    reads: list[ReadBack] = []
    evidence: list[str] = []
    for name, before, after in (("first", stages[0], stages[1]), ("completing", stages[1], stages[-1])):
        patch = send(ctx, "PATCH", url, Expect(status_codes=_OK), token=ctx.conn.token,
                     json_body=session_patch(before, after))
        back = _read_back(ctx, url, "Session")
        reads.append(ReadBack(f"Session after the {name} PATCH", after, back))
        evidence += [patch.id, back.id]
    ctx.case.evaluate(rc.session_patched, ReadBacks(tuple(reads), tuple(evidence)))


def replace_session(ctx: Context, stages: list[dict[str, Any]]) -> None:
    """PUT the completed Session over the stored one, without charging periods or meter_id."""
    again = {k: v for k, v in stages[-1].items() if k not in ("charging_periods", "meter_id")}
    url = _object_url(ctx, "sessions", again["id"])
    put = send(ctx, "PUT", url, Expect(status_codes=_OK, created=False), token=ctx.conn.token, json_body=again)
    back = _read_back(ctx, url, "Session")
    ctx.case.evaluate(rc.session_replaced, ReadBacks((ReadBack("Session", again, back),), (put.id, back.id)))


def refuse_session(ctx: Context) -> None:
    session = sample_session(ctx)[0]
    session["id"] += "-INVALID"
    for field in ("cdr_token", "currency", "status"):
        session.pop(field)
    url = _object_url(ctx, "sessions", session["id"])
    put = send(ctx, "PUT", url, Expect(advised_codes=_INVALID), token=ctx.conn.token, json_body=session)
    back = send(ctx, "GET", url, Expect(resource_exists=False), token=ctx.conn.token)
    ctx.case.evaluate(rc.session_rejected, Refusal("Session", put, back))
    _push_mismatched(ctx, "sessions", "Session", sample_session(ctx)[0])


def unknown_session(ctx: Context) -> None:
    url = _object_url(ctx, "sessions", "ROAMCERT-NO-SUCH-SESSION")
    send(ctx, "GET", url, Expect(resource_exists=False), token=ctx.conn.token)


# -- Tariffs -----------------------------------------------------------------------------------------------

def push_tariff(ctx: Context, tariff_id: str, *, update: bool = False) -> dict[str, Any]:
    """PUT a Tariff and read it back; with ``update``, PUT a dearer version of it a second later and read that back.
    Returns the Tariff as it now stands."""
    tariff = sample_tariff(ctx, tariff_id)
    url = _object_url(ctx, "tariffs", tariff["id"])
    put = send(ctx, "PUT", url, Expect(status_codes=_OK), token=ctx.conn.token, json_body=tariff)
    back = _read_back(ctx, url, "Tariff")
    reads = [ReadBack("Tariff", tariff, back)]
    evidence = [put.id, back.id]
    first = put
    if update:
        tariff = copy.deepcopy(tariff)
        component = tariff["elements"][-1]["price_components"][0]
        component["price"] = round(float(component["price"]) + 0.02, 4)
        # A second later only: the next run's first version (a minute before its start) is newer again.
        tariff["last_updated"] = _later(tariff["last_updated"], 1)
        put = send(ctx, "PUT", url, Expect(status_codes=_OK, created=False), token=ctx.conn.token, json_body=tariff)
        back = _read_back(ctx, url, "Tariff")
        reads.append(ReadBack("updated Tariff", tariff, back))
        evidence += [put.id, back.id]
    ctx.case.evaluate(rc.tariff_stored, ReadBacks(tuple(reads), tuple(evidence)))
    if not accepted(first):
        raise SetupFailed(f"the eMSP did not accept the Tariff pushed (HTTP {first.status})")
    return tariff


def delete_tariff(ctx: Context, tariff: dict[str, Any]) -> None:
    url = _object_url(ctx, "tariffs", tariff["id"])
    delete = send(ctx, "DELETE", url, Expect(status_codes=_OK), token=ctx.conn.token)
    back = send(ctx, "GET", url, Expect(resource_exists=False), token=ctx.conn.token)
    ctx.case.evaluate(rc.tariff_deleted, rc.Deletion("Tariff", delete, back))


def refuse_tariff(ctx: Context) -> None:
    tariff = sample_tariff(ctx, "TARIFF-FREE")
    tariff["id"] += "-INVALID"
    for field in ("currency", "elements"):
        tariff.pop(field)
    url = _object_url(ctx, "tariffs", tariff["id"])
    put = send(ctx, "PUT", url, Expect(advised_codes=_INVALID), token=ctx.conn.token, json_body=tariff)
    back = send(ctx, "GET", url, Expect(resource_exists=False), token=ctx.conn.token)
    ctx.case.evaluate(rc.tariff_rejected, Refusal("Tariff", put, back))
    _push_mismatched(ctx, "tariffs", "Tariff", sample_tariff(ctx, "TARIFF-FREE"))


# -- CDRs --------------------------------------------------------------------------------------------------

def _fresh_cdr(ctx: Context) -> dict[str, Any]:
    """A CDR under an id never posted before: CDRs are final, so an eMSP refuses one it already holds."""
    cdr = sample_cdr(ctx)[0]
    cdr["id"] = _unique(cdr["id"])
    return cdr


def post_cdr(ctx: Context) -> None:
    """POST a CDR, then GET it from the URL in the answer's Location header."""
    cdr = _fresh_cdr(ctx)
    url = _endpoint(ctx.conn, "cdrs")
    post = send(ctx, "POST", url, Expect(status_codes=_OK), token=ctx.conn.token, json_body=cdr)
    if not accepted(post):
        raise SetupFailed(f"the eMSP did not accept the CDR (HTTP {post.status})")
    ctx.case.evaluate(rc.cdr_created, rc.CdrPost(post))
    ctx.case.evaluate(rc.cdr_location, rc.CdrPost(post))
    where = post.response_header("Location")
    if not where:
        return  # nowhere to read the CDR back from
    # A relative Location is resolved (and reported above), so what was stored can still be checked.
    back = _read_back(ctx, urljoin(url, where), "CDR")
    ctx.case.evaluate(rc.cdr_stored, ReadBacks((ReadBack("CDR", cdr, back),), (post.id, back.id)))


def refuse_cdr(ctx: Context) -> None:
    """POST a CDR lacking required fields; if the answer names a Location anyway, nothing may be there."""
    cdr = _fresh_cdr(ctx)
    for field in ("cdr_token", "cdr_location", "total_cost"):
        cdr.pop(field)
    url = _endpoint(ctx.conn, "cdrs")
    post = send(ctx, "POST", url, Expect(advised_codes=_INVALID, resource_exists=True), token=ctx.conn.token,
                json_body=cdr)
    where = post.response_header("Location")
    back = None
    if where:
        back = send(ctx, "GET", urljoin(url, where), Expect(resource_exists=False), token=ctx.conn.token)
    ctx.case.evaluate(rc.cdr_rejected, Refusal("CDR", post, back))
