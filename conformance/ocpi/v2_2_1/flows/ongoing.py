"""An ongoing Session at a CPO under test, charging with a Token of roamcert's eMSP: what the smart-charging
scenarios (charging profiles, charging preferences) act on.

roamcert looks for an ACTIVE one among the CPO's Sessions, at an EVSE that has (or lacks) the capability the
scenario is about, as the CPO's Location describes it. When none fits it starts one as a driver would: it pushes
a Token of its own to the CPO (whitelisted, and known to roamcert's eMSP should the CPO ask in real time) and
presents it at an AVAILABLE fitting EVSE (the action ``present_token``), then finds the new Session.
"""

from __future__ import annotations

import asyncio
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from conformance.core.errors import SetupFailed
from conformance.ocpi.context import Context
from conformance.ocpi.expect import Expect
from conformance.ocpi.types import ci_equal
from conformance.ocpi.v2_2_1.flows.actions import perform
from conformance.ocpi.v2_2_1.flows.http import data_of, join, send
from conformance.ocpi.v2_2_1.flows.pull import SenderPull, sender_url
from conformance.ocpi.v2_2_1.flows.tokens import sample_token

__all__ = ["Ongoing", "ongoing_session"]

_OK = frozenset({1000})
_STARTED_WITHIN = 3.0  # seconds the CPO may take to list a Session it started for a presented Token


@dataclass(frozen=True)
class Ongoing:
    """An ACTIVE Session and the EVSE and Connector it charges at (None when the CPO's Location does not tell)."""

    session: dict[str, Any]
    evse: dict[str, Any] | None
    connector: dict[str, Any] | None

    @property
    def id(self) -> str:
        return str(self.session["id"])


@dataclass(frozen=True)
class _Need:
    capable: str | None
    lacking: str | None

    def fits(self, evse: dict[str, Any] | None) -> bool:
        if evse is None:
            return self.capable is None and self.lacking is None
        capabilities = evse.get("capabilities") or []
        return (self.capable is None or self.capable in capabilities) and (
            self.lacking is None or self.lacking not in capabilities)

    def describe(self) -> str:
        if self.capable:
            return f" at an EVSE with {self.capable}"
        return f" at an EVSE without {self.lacking}" if self.lacking else ""


def _member(items: Any, key: str, value: Any) -> dict[str, Any] | None:
    return next((i for i in items or [] if isinstance(i, dict) and ci_equal(i.get(key), value)), None)


def _sessions(ctx: Context) -> list[dict[str, Any]]:
    """The CPO's ACTIVE Sessions of Tokens of roamcert's eMSP."""
    emsp = ctx.partner_identity
    items, _, _ = SenderPull(ctx, module="sessions", schema="Session").traverse()
    return [s for s in items if isinstance(s, dict) and s.get("status") == "ACTIVE"
            and isinstance(s.get("id"), str) and isinstance(s.get("cdr_token"), dict)
            and ci_equal(s["cdr_token"].get("country_code"), emsp.country_code)
            and ci_equal(s["cdr_token"].get("party_id"), emsp.party_id)]


class _Locations:
    """The CPO's Locations, each read once (GET by id)."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.read: dict[str, dict[str, Any] | None] = {}

    def get(self, location_id: str) -> dict[str, Any] | None:
        if location_id.upper() not in self.read:
            url = join(sender_url(self.ctx.conn, "locations"), quote(location_id, safe=""))
            x = send(self.ctx, "GET", url, Expect(schema="Location", status_codes=_OK),
                     token=self.ctx.conn.token)
            data = data_of(x)
            self.read[location_id.upper()] = data if isinstance(data, dict) else None
        return self.read[location_id.upper()]

    def place(self, session: dict[str, Any]) -> Ongoing:
        location = self.get(str(session.get("location_id")))
        evse = _member((location or {}).get("evses"), "uid", session.get("evse_uid"))
        connector = _member((evse or {}).get("connectors"), "id", session.get("connector_id"))
        return Ongoing(session, evse, connector)


def _started(ctx: Context) -> set[str]:
    """The Sessions roamcert started at the CPO during this run (upper-cased ids): the only ones whose whole
    history it knows. A Session left ACTIVE by an earlier run may carry whatever that run did to it."""
    started = ctx.partner.state.setdefault("ongoing_started", set())
    assert isinstance(started, set)
    return started


def ongoing_session(ctx: Context, *, capable: str | None = None, lacking: str | None = None,
                    exclude: Collection[str] = (), known_history: bool = False) -> Ongoing:
    """An ACTIVE Session of a Token of roamcert's eMSP at an EVSE with ``capable`` / without ``lacking``, other
    than the Sessions in ``exclude``; started with a Token of roamcert's when the CPO has none. With
    ``known_history`` only a Session roamcert started during this run will do (a scenario whose verdict depends
    on what was done to the Session before)."""
    need = _Need(capable, lacking)
    locations = _Locations(ctx)
    skip = {s.upper() for s in exclude}
    for session in _sessions(ctx):
        if session["id"].upper() not in skip and (not known_history or session["id"].upper() in _started(ctx)):
            found = locations.place(session)
            if need.fits(found.evse):
                return found
    return _start(ctx, need, locations, skip)


def _free_evse(ctx: Context, need: _Need) -> tuple[str, dict[str, Any]]:
    items, _, _ = SenderPull(ctx, module="locations", schema="Location").traverse()
    for location in items:
        if not isinstance(location, dict) or not isinstance(location.get("id"), str):
            continue
        for evse in location.get("evses") or []:
            if isinstance(evse, dict) and evse.get("status") == "AVAILABLE" and evse.get("connectors") \
                    and isinstance(evse.get("uid"), str) and need.fits(evse):
                return location["id"], evse
    raise SetupFailed(f"the CPO has no ACTIVE Session of a Token of roamcert's eMSP{need.describe()}, and no "
                      "AVAILABLE such EVSE where roamcert could start one")


def _start(ctx: Context, need: _Need, locations: _Locations, skip: set[str]) -> Ongoing:
    location_id, evse = _free_evse(ctx, need)
    token = {**sample_token(ctx), "whitelist": "ALWAYS", "valid": True}
    tokens_url = ctx.conn.endpoint("tokens", "RECEIVER")
    if tokens_url is not None:
        send(ctx, "PUT", join(tokens_url, token["country_code"], token["party_id"],
                                        quote(token["uid"], safe="")),
             token=ctx.conn.token, json_body=token, params={"type": token["type"]})
    ctx.partner.owned.setdefault("tokens", []).append(token)  # to allow it in real time
    perform(ctx, "present_token", {"uid": token["uid"], "type": token["type"],
                                                 "location_id": location_id, "evse_uid": evse["uid"]})
    for _ in range(int(_STARTED_WITHIN / 0.25)):
        for session in _sessions(ctx):
            if ci_equal(session["cdr_token"].get("uid"), token["uid"]) and session["id"].upper() not in skip:
                _started(ctx).add(session["id"].upper())
                return locations.place(session)
        ctx.harness.runtime.run(asyncio.sleep(0.25))
    raise SetupFailed(f"the CPO lists no ACTIVE Session for the Token roamcert presented at EVSE {evse['uid']} "
                      f"of Location {location_id}")
