"""The reference CPO's charging lifecycle, on a clock a test can move on.

A charge starts when a driver presents a Token at an EVSE or an eMSP sends START_SESSION: the Session is
PENDING, then ACTIVE; while the clock moves on it gains charging periods (energy, time, power and current),
its kWh and its cost so far (the reference tariff engine); when it stops it is COMPLETED and a CDR, priced by
the same engine, follows. The EVSE goes CHARGING, then AVAILABLE (or RESERVED while a reservation holds it).
A reservation gives a Session with status RESERVATION (mod_sessions_reservation): the driver it was made for
charging there makes it that charge's Session, going ACTIVE; a reservation that ends (canceled, replaced, expired)
without a charge leaves it COMPLETED.

Every change is what a real CPO would send: the Session PUT then PATCHed, the CDR POSTed and the EVSE status
PATCHed to the eMSP that owns the Token (a Location is PUT whole the first time that eMSP hears of it), and it
is all visible in the CPO's own Sender lists (``party.owned``). A push the eMSP refuses or cannot take is
recorded in the exchange log and does not stop the charge: the CPO's data stays as it is.

What is pushed passes one behaviour point per module (PUSHED): a fault profile bends only the pushed copy, and
the CPO's own Sender lists keep the charge as it was, as a back-end whose push code has a bug would.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from conformance.core.errors import SutUnreachable
from conformance.core.exchange import Exchange
from conformance.ocpi.routing import Address
from conformance.ocpi.types import ci_equal, format_datetime
from conformance.ocpi.urls import join
from simulators.behaviours import Behaviour
from simulators.ocpi.party import Party
from simulators.ocpi.v2_2_1 import VERSION
from simulators.ocpi.v2_2_1.addressing import Reachable, reachable, request_routing
from simulators.ocpi.v2_2_1.credentials import peer_client
from simulators.ocpi.v2_2_1.pricing import CUT_PERIODS, cdr_pricer
from simulators.ocpi.v2_2_1.seed.cdrs import cdr_location

__all__ = ["PUSHED", "PUSHED_CDRS", "PUSHED_LOCATIONS", "PUSHED_SESSIONS", "RESERVATION_ENDED_STATUS",
           "RESERVED_EVSE_STATUS", "LifecycleError", "Push", "Pusher", "SimClock", "lifecycle"]

_FOUR = Decimal("0.0001")  # "numbers use 4 decimals" (types#types_number_type)
_SESSION_ONLY = frozenset({"CURRENT", "POWER", "STATE_OF_CHARGE"})  # mod_cdrs_cdrdimensiontype_enum
NOT_AVAILABLE = "#NA"  # transport_and_format_not_available: no Connector assigned yet (a reservation's Session)


@dataclass(frozen=True)
class Push:
    """A request the CPO sends to the Receiver interface of an eMSP's module: its method, the URL segments after
    the interface's URL, and its body."""

    method: str
    segments: tuple[str, ...]
    body: dict[str, Any]


Pusher = Callable[[Party, Push], Push | None]  # the push the charge makes -> the push sent (None: not sent)


def _as_made(party: Party, push: Push) -> Push | None:
    return push


def _pushed(module: str) -> Behaviour[Pusher]:
    return Behaviour("OCPI", VERSION, module, "lifecycle.pushed", _as_made)


PUSHED_SESSIONS = _pushed("sessions")
PUSHED_LOCATIONS = _pushed("locations")
PUSHED_CDRS = _pushed("cdrs")
PUSHED = {"sessions": PUSHED_SESSIONS, "locations": PUSHED_LOCATIONS, "cdrs": PUSHED_CDRS}
# The status an EVSE takes while a reservation holds it (mod_locations_status_enum); None: it stays as it was.
RESERVED_EVSE_STATUS: Behaviour[str | None] = Behaviour("OCPI", VERSION, "commands", "lifecycle.reserved_evse_status",
                                                        "RESERVED")
# The status a reservation's Session takes when the reservation ends without a charge (mod_sessions_reservation);
# None: it stays RESERVATION.
RESERVATION_ENDED_STATUS: Behaviour[str | None] = Behaviour("OCPI", VERSION, "sessions",
                                                            "lifecycle.reservation_ended_status", "COMPLETED")


class LifecycleError(Exception):
    """The charge cannot do what was asked; ``reason`` is one of the names in LIFECYCLE-API (UNKNOWN_EVSE, ...)."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


@dataclass
class SimClock:
    """Wall-clock time moved on by ``advance``: what the charger's meter and the CPO's timestamps follow."""

    offset: timedelta = timedelta(0)

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def advance(self, delta: timedelta) -> None:
        self.offset += delta


@dataclass
class _Reservation:
    reservation_id: str
    token: dict[str, Any]
    location_id: str
    evse_uid: str
    expiry: datetime
    session: dict[str, Any] | None = None  # the Session with status RESERVATION it gave (mod_sessions_reservation)


@dataclass
class _Charge:
    session: dict[str, Any]
    location: dict[str, Any]
    evse: dict[str, Any]
    connector: dict[str, Any]
    tariffs: list[dict[str, Any]]
    power: float  # kW the car draws
    measured_until: datetime


def _hours(delta: timedelta) -> float:
    return round(delta.total_seconds() / 3600, 4)


def _cost(money: Any) -> dict[str, float]:
    out = {"excl_vat": float(money.excl_vat.quantize(_FOUR))}
    if money.incl_vat is not None:
        out["incl_vat"] = float(money.incl_vat.quantize(_FOUR))
    return out


def _energy(periods: list[dict[str, Any]]) -> float:
    return float(sum((Decimal(str(d["volume"])) for p in periods for d in p["dimensions"] if d["type"] == "ENERGY"),
                     Decimal(0)))


def cdr_token(token: dict[str, Any]) -> dict[str, Any]:
    """The CdrToken of a Token (mod_cdrs_cdr_token_class)."""
    return {k: token[k] for k in ("country_code", "party_id", "uid", "type", "contract_id") if k in token}


@dataclass
class Lifecycle:
    party: Party
    clock: SimClock
    charges: dict[str, _Charge] = field(default_factory=dict)
    reservations: dict[str, _Reservation] = field(default_factory=dict)
    pushed_locations: set[tuple[str, Address, str]] = field(default_factory=set)  # (peer token, eMSP, location)
    counter: int = 0

    # -- the places ---------------------------------------------------------------------------------------
    def _location(self, location_id: str) -> dict[str, Any]:
        for location in self.party.owned.setdefault("locations", []):
            if ci_equal(location.get("id"), location_id):
                return location
        raise LifecycleError("UNKNOWN_LOCATION", f"no Location {location_id}")

    @staticmethod
    def _evse(location: dict[str, Any], evse_uid: str) -> dict[str, Any]:
        evses: list[dict[str, Any]] = location.get("evses") or []
        for evse in evses:
            if ci_equal(evse.get("uid"), evse_uid):
                return evse
        raise LifecycleError("UNKNOWN_EVSE", f"Location {location['id']} has no EVSE {evse_uid}")

    @staticmethod
    def _connector(evse: dict[str, Any], connector_id: str | None) -> dict[str, Any]:
        connectors: list[dict[str, Any]] = evse.get("connectors") or []
        for connector in connectors:
            if connector_id is None or ci_equal(connector.get("id"), connector_id):
                return connector
        raise LifecycleError("UNKNOWN_CONNECTOR", f"EVSE {evse['uid']} has no connector {connector_id}")

    def _reservation_at(self, location_id: str, evse_uid: str) -> _Reservation | None:
        now = self.clock()
        for reservation in list(self.reservations.values()):
            if reservation.expiry <= now:  # an expired reservation frees its EVSE (and _expire ends it)
                continue
            if ci_equal(reservation.location_id, location_id) and ci_equal(reservation.evse_uid, evse_uid):
                return reservation
        return None

    def _free_evse(self, location: dict[str, Any], token: dict[str, Any] | None) -> dict[str, Any]:
        """The first EVSE of ``location`` that can charge now (or is reserved for ``token``)."""
        evses: list[dict[str, Any]] = location.get("evses") or []
        for evse in evses:
            if not evse.get("evse_id") or not evse.get("connectors"):
                continue
            if evse.get("status") == "AVAILABLE":
                return evse
            held = self._reservation_at(location["id"], evse["uid"])
            if evse.get("status") == "RESERVED" and held and token and ci_equal(held.token.get("uid"), token["uid"]):
                return evse
        raise LifecycleError("EVSE_OCCUPIED", f"Location {location['id']} has no EVSE free to charge")

    def _usable(self, location: dict[str, Any], evse: dict[str, Any], token: dict[str, Any] | None) -> None:
        status = evse.get("status")
        if status in ("CHARGING", "BLOCKED"):
            raise LifecycleError("EVSE_OCCUPIED", f"EVSE {evse['uid']} is {status}")
        if status in ("INOPERATIVE", "OUTOFORDER", "PLANNED", "REMOVED", "UNKNOWN"):
            raise LifecycleError("EVSE_INOPERATIVE", f"EVSE {evse['uid']} is {status}")
        held = self._reservation_at(location["id"], evse["uid"])
        if held is not None and (token is None or not ci_equal(held.token.get("uid"), token.get("uid"))):
            raise LifecycleError("RESERVED", f"EVSE {evse['uid']} is reserved for another driver")

    # -- the charge ---------------------------------------------------------------------------------------
    async def start(self, *, token: dict[str, Any], location_id: str, evse_uid: str | None,
                    connector_id: str | None = None, auth_method: str,
                    authorization_reference: str | None = None,
                    reservation_id: str | None = None) -> dict[str, Any]:
        await self._expire()
        location = self._location(location_id)
        reserved = self.reservations.get(reservation_id or "")
        if not evse_uid and reserved is not None and ci_equal(reserved.location_id, location["id"]):
            evse_uid = reserved.evse_uid  # the charge the reservation was made for
        evse = self._evse(location, evse_uid) if evse_uid else self._free_evse(location, token)
        self._usable(location, evse, token)
        connector = self._connector(evse, connector_id)
        held = self._reservation_at(location["id"], evse["uid"])
        if held is not None:
            del self.reservations[held.reservation_id]
        now = self.clock().replace(microsecond=0)
        tariffs = self._tariffs(connector)
        session = self._new_session(token, location, evse, connector["id"], auth_method, authorization_reference,
                                    tariffs, "PENDING", now)
        session["meter_id"] = f"MTR-{evse['uid']}"
        taken_over = held.session if held is not None else None
        changed: dict[str, Any] = {}
        if taken_over is not None:  # the reservation's Session goes on as the charge's (mod_sessions_reservation)
            changed = {k: v for k, v in session.items() if taken_over.get(k) != v
                       and k not in ("id", "cdr_token", "status", "last_updated")}
            taken_over.update(changed)
            session = taken_over
        power = float(connector.get("max_electric_power") or 0) / 1000 or (50.0 if connector.get("power_type") ==
                                                                           "DC" else 11.0)
        charge = _Charge(session, location, evse, connector, tariffs, min(power, 150.0), now)
        self.charges[session["id"]] = charge
        peer = self._emsp(token)
        if taken_over is None:
            self.party.owned.setdefault("sessions", []).append(session)
            await self._put_session(peer, charge)
        await self._evse_status(peer, charge.location, evse, "CHARGING")
        session["status"] = "ACTIVE"  # the cable is in, energy flows
        session["last_updated"] = self.party.now()
        await self._patch_session(peer, charge, {**changed, "status": "ACTIVE"})
        return copy.deepcopy(session)

    def _tariffs(self, connector: dict[str, Any]) -> list[dict[str, Any]]:
        first = (connector.get("tariff_ids") or [])[:1]
        return [t for t in self.party.owned.get("tariffs", []) if t.get("id") in first]

    def _new_session(self, token: dict[str, Any], location: dict[str, Any], evse: dict[str, Any],
                     connector_id: str, auth_method: str, authorization_reference: str | None,
                     tariffs: list[dict[str, Any]], status: str, now: datetime) -> dict[str, Any]:
        """A new Session of the CPO's, created ``now`` (its start_date_time until it goes ACTIVE)."""
        cpo = self.party.identity("CPO")
        self.counter += 1
        session: dict[str, Any] = {
            "country_code": cpo.country_code,
            "party_id": cpo.party_id,
            "id": f"RCS-{now:%Y%m%d%H%M%S}-{self.counter:04d}",
            "start_date_time": format_datetime(now),
            "kwh": 0.0,
            "cdr_token": cdr_token(token),
            "auth_method": auth_method,
            "location_id": location["id"],
            "evse_uid": evse["uid"],
            "connector_id": connector_id,
            "currency": tariffs[0]["currency"] if tariffs else "EUR",
            "charging_periods": [],
            "status": status,
            "last_updated": format_datetime(now),
        }
        if authorization_reference:
            session["authorization_reference"] = authorization_reference
        return session

    def _period(self, charge: _Charge, until: datetime) -> dict[str, Any] | None:
        begin = charge.measured_until
        if until <= begin:
            return None
        hours = _hours(until - begin)
        voltage = 800.0 if charge.connector.get("power_type") == "DC" else 400.0
        current = round(charge.power * 1000 / voltage, 1)
        period: dict[str, Any] = {
            "start_date_time": format_datetime(begin),
            "dimensions": [
                {"type": "ENERGY", "volume": round(charge.power * 0.9 * hours, 3)},
                {"type": "TIME", "volume": hours},
                {"type": "MAX_POWER", "volume": charge.power},
                {"type": "MIN_POWER", "volume": round(charge.power * 0.8, 1)},
                {"type": "MAX_CURRENT", "volume": current},
                {"type": "MIN_CURRENT", "volume": round(current * 0.8, 1)},
                {"type": "POWER", "volume": round(charge.power * 0.9, 1)},  # Sessions only
                {"type": "CURRENT", "volume": round(current * 0.9, 1)},  # Sessions only
            ],
        }
        if charge.tariffs:
            period["tariff_id"] = charge.tariffs[0]["id"]
        charge.measured_until = until
        return period

    def _measure(self, charge: _Charge, until: datetime) -> list[dict[str, Any]]:
        """Close the running period at ``until``: the periods added (none when no time passed)."""
        period = self._period(charge, until)
        if period is None:
            return []
        session = charge.session
        before = len(session["charging_periods"])
        periods = [*session["charging_periods"], period]
        if charge.tariffs:  # a new period where the price changes
            periods = self.party.behaviours(CUT_PERIODS)(periods, until, charge.tariffs,
                                                         time_zone=charge.location["time_zone"],
                                                         currency=session["currency"])
        session["charging_periods"] = periods
        session["kwh"] = _energy(session["charging_periods"])
        session["last_updated"] = format_datetime(until)  # the cost so far is up to now
        if charge.tariffs:
            from conformance.tariffs import price_session

            money = price_session(session, charge.tariffs, time_zone=charge.location["time_zone"]).total_cost
            session["total_cost"] = _cost(money)
        return periods[before:]

    async def advance(self, minutes: float) -> None:
        """The clock moves on ``minutes``; every ACTIVE Session gets the period just ended (PATCHed)."""
        self.clock.advance(timedelta(minutes=minutes))
        await self._expire()
        now = self.clock().replace(microsecond=0)
        for charge in list(self.charges.values()):
            if charge.session["status"] != "ACTIVE":
                continue
            added = self._measure(charge, now)
            if added:
                change = {"charging_periods": added, "kwh": charge.session["kwh"]}
                if "total_cost" in charge.session:
                    change["total_cost"] = charge.session["total_cost"]
                await self._patch_session(self._emsp(charge.session["cdr_token"]), charge, change)

    async def stop(self, session_id: str) -> dict[str, Any]:
        charge = next((c for key, c in self.charges.items() if ci_equal(key, session_id)), None)
        if charge is None:
            raise LifecycleError("UNKNOWN_SESSION", f"no Session {session_id}")
        session = charge.session
        if session["status"] not in ("ACTIVE", "PENDING"):
            raise LifecycleError("SESSION_NOT_ACTIVE", f"Session {session_id} is {session['status']}")
        now = self.clock().replace(microsecond=0)
        if now <= charge.measured_until:  # a charge lasts at least a second
            now = charge.measured_until + timedelta(seconds=1)
        added = self._measure(charge, now)
        session.update({"status": "COMPLETED", "end_date_time": format_datetime(now),
                        "last_updated": format_datetime(now)})
        peer = self._emsp(session["cdr_token"])
        change = {"status": "COMPLETED", "end_date_time": session["end_date_time"], "kwh": session["kwh"],
                  "charging_periods": added}
        if "total_cost" in session:
            change["total_cost"] = session["total_cost"]
        await self._patch_session(peer, charge, change)
        await self._evse_status(peer, charge.location, charge.evse, "AVAILABLE")
        cdr = self._cdr(charge, now)
        self.party.owned.setdefault("cdrs", []).append(cdr)
        await self._post_cdr(peer, cdr)
        return copy.deepcopy(cdr)

    def _cdr(self, charge: _Charge, end: datetime) -> dict[str, Any]:
        session = charge.session
        periods = []
        for period in session["charging_periods"]:
            dims = [d for d in period["dimensions"] if d["type"] not in _SESSION_ONLY]
            periods.append({**copy.deepcopy(period), "dimensions": copy.deepcopy(dims)})
        start = datetime.fromisoformat(session["start_date_time"].replace("Z", "+00:00"))
        cdr: dict[str, Any] = {
            "country_code": session["country_code"],
            "party_id": session["party_id"],
            "id": f"CDR-{session['id']}",
            "start_date_time": session["start_date_time"],
            "end_date_time": session["end_date_time"],
            "session_id": session["id"],
            "cdr_token": copy.deepcopy(session["cdr_token"]),
            "auth_method": session["auth_method"],
            "cdr_location": cdr_location(charge.location, charge.evse, charge.connector),
            "meter_id": session.get("meter_id"),
            "currency": session["currency"],
            "tariffs": copy.deepcopy(charge.tariffs) or None,
            "charging_periods": periods,
            "total_energy": _energy(periods),
            "total_time": _hours(end - start),
            "last_updated": format_datetime(end + timedelta(seconds=1)),
        }
        if session.get("authorization_reference"):
            cdr["authorization_reference"] = session["authorization_reference"]
        cdr = {k: v for k, v in cdr.items() if v is not None}
        if charge.tariffs:
            cdr.update(cdr_pricer(self.party.behaviours)(cdr, charge.tariffs, charge.location["time_zone"]))
        else:
            cdr["total_cost"] = {"excl_vat": 0.0}
        return cdr

    # -- reservations and connectors ----------------------------------------------------------------------
    async def reserve(self, *, token: dict[str, Any], reservation_id: str, location_id: str,
                      evse_uid: str | None, expiry_date: datetime,
                      authorization_reference: str | None = None) -> None:
        await self._expire()
        location = self._location(location_id)
        previous = self.reservations.pop(reservation_id, None)  # the same id replaces the reservation
        if previous is not None:
            await self._release(previous)
        evse = self._evse(location, evse_uid) if evse_uid else self._free_evse(location, token)
        self._usable(location, evse, token)
        if evse.get("status") != "AVAILABLE" and previous is None:
            raise LifecycleError("EVSE_OCCUPIED", f"EVSE {evse['uid']} is {evse.get('status')}")
        reservation = _Reservation(reservation_id, copy.deepcopy(token), location["id"], evse["uid"], expiry_date)
        self.reservations[reservation_id] = reservation
        reserved = self.party.behaviours(RESERVED_EVSE_STATUS)
        if reserved is not None:
            await self._evse_status(self._emsp(token), location, evse, reserved)
        await self._reservation_session(reservation, location, evse, authorization_reference)

    async def _reservation_session(self, reservation: _Reservation, location: dict[str, Any], evse: dict[str, Any],
                                   authorization_reference: str | None) -> None:
        """A reservation gives a Session with status RESERVATION, pushed to the eMSP (mod_sessions_reservation);
        no Connector is assigned to the driver yet."""
        now = self.clock().replace(microsecond=0)
        connectors = evse.get("connectors") or []
        tariffs = self._tariffs(connectors[0]) if connectors else []
        session = self._new_session(reservation.token, location, evse, NOT_AVAILABLE, "COMMAND",
                                    authorization_reference, tariffs, "RESERVATION", now)
        reservation.session = session
        self.party.owned.setdefault("sessions", []).append(session)
        await self._send(self._emsp(reservation.token), "sessions", "PUT", (*self._owner(), session["id"]),
                         copy.deepcopy(session))

    async def _expire(self) -> None:
        """Reservations whose expiry_date has passed end: their EVSE is free again, their Session COMPLETED."""
        now = self.clock()
        for reservation in [r for r in self.reservations.values() if r.expiry <= now]:
            del self.reservations[reservation.reservation_id]
            await self._release(reservation)

    async def cancel_reservation(self, reservation_id: str) -> None:
        reservation = self.reservations.pop(reservation_id, None)
        if reservation is None:
            raise LifecycleError("UNKNOWN_RESERVATION", f"no reservation {reservation_id}")
        await self._release(reservation)

    async def _release(self, reservation: _Reservation) -> None:
        """The reservation ends without a charge: the EVSE is free again and its Session COMPLETED."""
        location = self._location(reservation.location_id)
        evse = self._evse(location, reservation.evse_uid)
        if evse.get("status") == "RESERVED":
            await self._evse_status(self._emsp(reservation.token), location, evse, "AVAILABLE")
        session = reservation.session
        ended = self.party.behaviours(RESERVATION_ENDED_STATUS)
        if session is None or session["status"] != "RESERVATION" or ended is None:
            return
        now = self.party.now()
        session.update({"status": ended, "end_date_time": now, "last_updated": now})
        await self._send(self._emsp(reservation.token), "sessions", "PATCH", (*self._owner(), session["id"]),
                         {"status": ended, "end_date_time": now, "last_updated": now})

    async def unlock(self, location_id: str, evse_uid: str, connector_id: str) -> None:
        self._connector(self._evse(self._location(location_id), evse_uid), connector_id)

    def session(self, session_id: str) -> dict[str, Any] | None:
        charge = next((c for key, c in self.charges.items() if ci_equal(key, session_id)), None)
        return copy.deepcopy(charge.session) if charge else None

    def active_sessions(self) -> list[dict[str, Any]]:
        return [copy.deepcopy(c.session) for c in self.charges.values() if c.session["status"] == "ACTIVE"]

    # -- across a restart (simulators/ocpi/v2_2_1/durable_cpo.py) ----------------------------------------------
    def dump(self) -> dict[str, Any]:
        """The charges, reservations and clock as JSON; a charge refers to its Session and place by id."""
        return {
            "clock_offset": self.clock.offset.total_seconds(), "counter": self.counter,
            "pushed_locations": sorted([token, emsp.country_code, emsp.party_id, location]
                                       for token, emsp, location in self.pushed_locations),
            "charges": {sid: {"location_id": c.location["id"], "evse_uid": c.evse["uid"],
                              "connector_id": c.connector["id"], "tariff_ids": [t["id"] for t in c.tariffs],
                              "power": c.power, "measured_until": c.measured_until.isoformat()}
                        for sid, c in self.charges.items()},
            "reservations": {rid: {"token": r.token, "location_id": r.location_id, "evse_uid": r.evse_uid,
                                   "expiry": r.expiry.isoformat(),
                                   "session_id": r.session["id"] if r.session is not None else None}
                             for rid, r in self.reservations.items()},
        }

    def load(self, value: dict[str, Any]) -> None:
        """Put back what :meth:`dump` gave, on the platform's Sender lists as they now are (a charge whose Session
        or place they no longer hold is dropped)."""
        self.clock.offset = timedelta(seconds=float(value.get("clock_offset", 0)))
        self.counter = max(self.counter, int(value.get("counter", 0)))  # no Session id is given twice
        self.pushed_locations.update((token, Address(country, party_id), location)
                                     for token, country, party_id, location in value.get("pushed_locations", []))
        sessions = {str(s.get("id")).upper(): s for s in self.party.owned.get("sessions", [])}
        for session_id, raw in value.get("charges", {}).items():
            try:
                location = self._location(raw["location_id"])
                evse = self._evse(location, raw["evse_uid"])
                connector = self._connector(evse, raw["connector_id"])
            except LifecycleError:
                continue
            session = sessions.get(session_id.upper())
            if session is None:
                continue
            tariffs = [t for t in self.party.owned.get("tariffs", []) if t.get("id") in raw.get("tariff_ids", [])]
            self.charges[session_id] = _Charge(session, location, evse, connector, tariffs, float(raw["power"]),
                                               datetime.fromisoformat(raw["measured_until"]))
        for reservation_id, raw in value.get("reservations", {}).items():
            held = sessions.get(str(raw.get("session_id")).upper()) if raw.get("session_id") else None
            self.reservations[reservation_id] = _Reservation(reservation_id, raw["token"], raw["location_id"],
                                                             raw["evse_uid"], datetime.fromisoformat(raw["expiry"]),
                                                             held)

    # -- pushes to the eMSP -------------------------------------------------------------------------------
    def _emsp(self, token: dict[str, Any]) -> Reachable | None:
        """The eMSP that owns ``token`` (by its country code and party id), registered with the CPO or behind a hub
        the CPO is registered with: pushes about the charge go to it alone, addressed to it through a hub."""
        country, party_id = token.get("country_code"), token.get("party_id")
        if not isinstance(country, str) or not isinstance(party_id, str):
            return None
        found = reachable(self.party, "EMSP", Address(country, party_id))
        return found[0] if found else None

    async def _send(self, emsp: Reachable | None, module: str, method: str, segments: tuple[str, ...],
                    body: dict[str, Any]) -> Exchange | None:
        if emsp is None:
            return None
        peer = emsp.peer
        url = peer.endpoint(module, "RECEIVER")
        push = self.party.behaviours(PUSHED[module])(self.party, Push(method, segments, body))
        if url is None or push is None:
            return None
        target = join(url, *push.segments)  # a CDR is POSTed to the endpoint URL exactly as published
        try:
            headers = request_routing(self.party, peer, "CPO", emsp.address)
            return await peer_client(self.party, peer.token_out).request(push.method, target, json_body=push.body,
                                                                         headers=headers)
        except SutUnreachable:  # recorded in the log; the charge goes on
            return None

    def _owner(self) -> tuple[str, str]:
        cpo = self.party.identity("CPO")
        return cpo.country_code, cpo.party_id

    async def _put_session(self, peer: Reachable | None, charge: _Charge) -> None:
        await self._send(peer, "sessions", "PUT", (*self._owner(), charge.session["id"]),
                         copy.deepcopy(charge.session))

    async def _patch_session(self, peer: Reachable | None, charge: _Charge, change: dict[str, Any]) -> None:
        body = {**copy.deepcopy(change), "last_updated": charge.session["last_updated"]}
        await self._send(peer, "sessions", "PATCH", (*self._owner(), charge.session["id"]), body)

    async def _post_cdr(self, peer: Reachable | None, cdr: dict[str, Any]) -> None:
        await self._send(peer, "cdrs", "POST", (), copy.deepcopy(cdr))

    async def _evse_status(self, peer: Reachable | None, location: dict[str, Any], evse: dict[str, Any],
                           status: str) -> None:
        stamp = self.party.now()
        evse["status"] = status
        evse["last_updated"] = stamp
        location["last_updated"] = stamp
        if peer is None:
            return
        if (peer.peer.token_out, peer.address, location["id"]) not in self.pushed_locations:  # the eMSP hears first
            self.pushed_locations.add((peer.peer.token_out, peer.address, location["id"]))
            await self._send(peer, "locations", "PUT", (*self._owner(), location["id"]), copy.deepcopy(location))
            return
        await self._send(peer, "locations", "PATCH", (*self._owner(), location["id"], evse["uid"]),
                         {"status": status, "last_updated": stamp})


def lifecycle(party: Party) -> Lifecycle:
    """The platform's lifecycle (one per platform); its clock becomes the platform's clock."""
    life = party.state.get("lifecycle")
    if not isinstance(life, Lifecycle):
        clock = SimClock()
        party.clock = clock
        life = Lifecycle(party, clock)
        party.state["lifecycle"] = life
    return life
