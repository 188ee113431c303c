"""Checks on what a CPO serves as Sender of Sessions, CDRs and Tariffs: each object on its own (on every page of
a Sender's list) and the objects against each other and against the CPO's Locations (mod_sessions, mod_cdrs,
mod_tariffs, with mod_locations for the references).

The per-object checks run on the pages of a Sender pull (``Expect.paginated``), not on what a Receiver stores.
The cross-module checks judge the lists a flow pulled (:class:`SenderLists`, recorded by
conformance/ocpi/v2_2_1/flows/senders.py and flows/charging.py); their problem functions read plain lists of objects
and never send anything.

Identifiers are CiStrings and compared case-insensitively (types_cistring_type).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from conformance.core.checks import Problem
from conformance.core.exchange import Exchange
from conformance.ocpi.expect import Expect
from conformance.ocpi.v2_2_1.checks._registrar import check, evidence_check
from conformance.ocpi.v2_2_1.checks._util import envelope, moment, number, short

__all__ = ["SenderLists", "cdr_id_problems", "cdr_location_problems", "cdr_location_refs", "cdr_session_link",
           "connector_tariff_problems", "connector_tariff_refs", "credit_cdrs", "credit_problems",
           "session_link_problems", "session_location_problems", "session_location_refs", "unique_cdr_ids"]

SES, CDRS, TAR = "mod_sessions", "mod_cdrs", "mod_tariffs"
NA = "#NA"  # transport_and_format_not_available: allowed for a reservation without EVSE or connector yet
# CdrDimensionTypes marked "Session Only" (mod_cdrs_cdrdimensiontype_enum)
SESSION_ONLY = frozenset({"CURRENT", "ENERGY_EXPORT", "ENERGY_IMPORT", "POWER", "STATE_OF_CHARGE"})
# Sums of period volumes: each value may be rounded (to the Wh, to the 3.6 s), so the allowance grows with the
# number of values summed; totals against the session's own times: 0.001 h (3.6 s), as the CDR price compare.
ENERGY_TOLERANCE = Decimal("0.001")  # kWh, per value summed
TIME_TOLERANCE = Decimal("0.001")  # h, per value summed
MONEY_TOLERANCE = Decimal("0.01")  # a cent, as the CDR price compare


# -- readers ------------------------------------------------------------------------------------------------

def _ci(value: Any) -> str | None:
    return value.casefold() if isinstance(value, str) else None


def _num(value: Decimal) -> str:
    return format(value.quantize(Decimal("0.0001")).normalize(), "f")


def _dicts(items: Iterable[Any]) -> list[dict[str, Any]]:
    return [i for i in items if isinstance(i, dict)]


def _listed(x: Exchange) -> Iterator[tuple[str, dict[str, Any]]]:
    body = envelope(x)
    data = body.get("data") if body else None
    if isinstance(data, list):
        for index, item in enumerate(data):
            if isinstance(item, dict):
                yield f"data[{index}]", item
    elif isinstance(data, dict):
        yield "data", data


def _label(kind: str, obj: dict[str, Any], where: str = "") -> str:
    name = f"{kind} {short(obj.get('id'), 60)}"
    return f"{where} ({name})" if where else name


def _periods(obj: dict[str, Any]) -> list[dict[str, Any]]:
    periods = obj.get("charging_periods")
    return _dicts(periods) if isinstance(periods, list) else []


def _volumes(periods: Sequence[dict[str, Any]], kind: str) -> list[Decimal]:
    out = []
    for period in periods:
        for dimension in _dicts(period.get("dimensions") or []):
            volume = number(dimension.get("volume"))
            if dimension.get("type") == kind and volume is not None:
                out.append(volume)
    return out


def _served_pages(schema: str) -> Callable[[Exchange, Expect], bool]:
    return lambda x, e: e.schema == schema and e.paginated and x.status is not None and x.status < 400


def period_order_problems(obj: dict[str, Any], label: str) -> Iterator[Problem]:
    """Charging periods in time order, none starting after the end of the session (a period ends when the
    next begins, the last when the session ends: mod_cdrs_chargingperiod_class)."""
    end = moment(obj.get("end_date_time"))
    previous: tuple[int, datetime] | None = None
    for index, period in enumerate(_periods(obj)):
        begin = moment(period.get("start_date_time"))
        if begin is None:
            continue
        if previous is not None and begin < previous[1]:
            yield Problem(f"{label}: charging_periods[{index}] starts before charging_periods[{previous[0]}]",
                          "charging periods in time order", f"{period.get('start_date_time')} after "
                          f"{obj['charging_periods'][previous[0]].get('start_date_time')}")
        if end is not None and begin > end:
            yield Problem(f"{label}: charging_periods[{index}] starts after the session ended",
                          f"<= end_date_time {obj.get('end_date_time')}", str(period.get("start_date_time")))
        previous = (index, begin)


# -- Sessions, per object -----------------------------------------------------------------------------------

@check("ocpi.sessions.status_rules", tags=["response"], applies=_served_pages("Session"))
def session_status_rules(x: Exchange, e: Expect) -> Iterator[Problem]:
    for where, session in _listed(x):
        label = _label("Session", session, where)
        if session.get("status") == "COMPLETED" and session.get("end_date_time") is None:
            yield Problem(f"{label} is COMPLETED but has no end_date_time",
                          "end_date_time: when the session finished", "(absent)",
                          spec=f"{SES}#{SES}_session_object")
        start, end = moment(session.get("start_date_time")), moment(session.get("end_date_time"))
        if start is not None and end is not None and end < start:
            yield Problem(f"{label} ends before it starts", f">= start_date_time {session.get('start_date_time')}",
                          str(session.get("end_date_time")), spec=f"{SES}#{SES}_session_object")


@check("ocpi.sessions.charging_periods", tags=["response"], applies=_served_pages("Session"))
def session_charging_periods(x: Exchange, e: Expect) -> Iterator[Problem]:
    for where, session in _listed(x):
        yield from period_order_problems(session, _label("Session", session, where))


# -- CDRs, per object ---------------------------------------------------------------------------------------

@check("ocpi.cdrs.totals_consistent", tags=["response"], applies=_served_pages("CDR"))
def cdr_totals(x: Exchange, e: Expect) -> Iterator[Problem]:
    for where, cdr in _listed(x):
        label = _label("CDR", cdr, where)
        periods = _periods(cdr)
        yield from period_order_problems(cdr, label)
        for field, kind, unit, per_value in (("total_energy", "ENERGY", "kWh", ENERGY_TOLERANCE),
                                             ("total_parking_time", "PARKING_TIME", "h", TIME_TOLERANCE)):
            volumes = _volumes(periods, kind)
            stated = number(cdr.get(field))
            if not volumes or stated is None:
                continue  # nothing to add up, or an optional total not given
            expected, tolerance = sum(volumes, Decimal(0)), per_value * len(volumes)
            if abs(stated - expected) > tolerance:
                yield Problem(f"{label}: {field} is not the sum of its charging periods' {kind} volumes",
                              f"{_num(expected)} {unit} (within {_num(tolerance)})", f"{_num(stated)} {unit}")
        start, end = moment(cdr.get("start_date_time")), moment(cdr.get("end_date_time"))
        total_time = number(cdr.get("total_time"))
        if start is not None and end is not None and total_time is not None:
            expected = Decimal(int((end - start).total_seconds())) / Decimal(3600)
            if abs(total_time - expected) > TIME_TOLERANCE:
                yield Problem(f"{label}: total_time is not the time from start_date_time to end_date_time",
                              f"{_num(expected)} h (within {TIME_TOLERANCE})", f"{_num(total_time)} h")
        parking = number(cdr.get("total_parking_time"))
        if parking is not None and total_time is not None and parking > total_time + TIME_TOLERANCE:
            yield Problem(f"{label}: total_parking_time is longer than total_time",
                          f"<= {_num(total_time)} h", f"{_num(parking)} h")


@check("ocpi.cdrs.dimensions", tags=["response"], applies=_served_pages("CDR"))
def cdr_dimensions(x: Exchange, e: Expect) -> Iterator[Problem]:
    for where, cdr in _listed(x):
        for index, period in enumerate(_periods(cdr)):
            kinds = sorted({str(d.get("type")) for d in _dicts(period.get("dimensions") or [])} & SESSION_ONLY)
            if kinds:
                yield Problem(f"{_label('CDR', cdr, where)}: charging_periods[{index}] carries "
                              f"{', '.join(kinds)}, which only Sessions may use",
                              f"none of {', '.join(sorted(SESSION_ONLY))}", ", ".join(kinds))


# -- Tariffs, per object ------------------------------------------------------------------------------------

@check("ocpi.tariffs.consistent", tags=["response"], applies=_served_pages("Tariff"))
def tariff_consistent(x: Exchange, e: Expect) -> Iterator[Problem]:
    for where, tariff in _listed(x):
        label = _label("Tariff", tariff, where)
        start, end = moment(tariff.get("start_date_time")), moment(tariff.get("end_date_time"))
        if start is not None and end is not None and end <= start:
            yield Problem(f"{label}: end_date_time is not after start_date_time, so the Tariff is never valid",
                          f"> {tariff.get('start_date_time')}", str(tariff.get("end_date_time")))
        low, high = tariff.get("min_price"), tariff.get("max_price")
        if not isinstance(low, dict) or not isinstance(high, dict):
            continue
        for part in ("excl_vat", "incl_vat"):
            least, most = number(low.get(part)), number(high.get(part))
            if least is not None and most is not None and least > most:
                yield Problem(f"{label}: min_price.{part} is above max_price.{part}; no session can cost both",
                              f"min_price.{part} <= {_num(most)}", _num(least))


# -- across modules (on the lists a flow pulled) ------------------------------------------------------------

@dataclass(frozen=True)
class SenderLists:
    """The objects of the CPO's lists one check resolves references in: those roamcert pulled from its Senders
    (or, for a charge, those it pushed), and the exchanges they came in."""

    exchange_ids: tuple[str, ...]
    locations: tuple[Any, ...] = ()
    sessions: tuple[Any, ...] = ()
    cdrs: tuple[Any, ...] = ()
    tariffs: tuple[Any, ...] = ()
    # True where the CDRs are known to be for these Sessions (a charge's CDR and its Session); a Sessions list
    # pulled from a Sender need not hold every Session a CDR was sent for.
    sessions_complete: bool = False


@evidence_check("ocpi.sessions.location_refs")
def session_location_refs(evidence: SenderLists) -> Iterator[Problem]:
    yield from session_location_problems(evidence.sessions, evidence.locations)


@evidence_check("ocpi.cdrs.session_link")
def cdr_session_link(evidence: SenderLists) -> Iterator[Problem]:
    yield from session_link_problems(evidence.cdrs, evidence.sessions, complete=evidence.sessions_complete)


@evidence_check("ocpi.cdrs.location_refs")
def cdr_location_refs(evidence: SenderLists) -> Iterator[Problem]:
    yield from cdr_location_problems(evidence.cdrs, evidence.locations)


@evidence_check("ocpi.cdrs.credit")
def credit_cdrs(evidence: SenderLists) -> Iterator[Problem]:
    yield from credit_problems(evidence.cdrs)


@evidence_check("ocpi.cdrs.unique_ids")
def unique_cdr_ids(evidence: SenderLists) -> Iterator[Problem]:
    yield from cdr_id_problems(evidence.cdrs)


@evidence_check("ocpi.tariffs.connector_refs")
def connector_tariff_refs(evidence: SenderLists) -> Iterator[Problem]:
    yield from connector_tariff_problems(evidence.locations, evidence.tariffs)


class _Places:
    """The CPO's Locations, their EVSEs and Connectors, found by CiString id."""

    def __init__(self, locations: Iterable[Any]) -> None:
        self.locations: dict[str, dict[str, Any]] = {}
        for location in _dicts(locations):
            key = _ci(location.get("id"))
            if key is not None:
                self.locations.setdefault(key, location)

    def location(self, location_id: Any) -> dict[str, Any] | None:
        key = _ci(location_id)
        return self.locations.get(key) if key is not None else None

    @staticmethod
    def child(parent: dict[str, Any], collection: str, key: str, value: Any) -> dict[str, Any] | None:
        wanted = _ci(value)
        return next((c for c in _dicts(parent.get(collection) or []) if wanted is not None
                     and _ci(c.get(key)) == wanted), None)


def _place_problems(label: str, places: _Places, location: dict[str, Any], evse_uid: Any, connector_id: Any,
                    na_allowed: bool, fields: tuple[str, str]) -> Iterator[Problem]:
    """The EVSE and Connector named within a known Location."""
    evse_field, connector_field = fields
    if evse_uid == NA and na_allowed:
        return
    evse = places.child(location, "evses", "uid", evse_uid)
    if evse is None:
        yield Problem(f"{label}: {evse_field} {short(evse_uid)} is not an EVSE of Location "
                      f"{short(location.get('id'))}", "the uid of one of that Location's EVSEs", short(evse_uid))
        return
    if connector_id == NA and na_allowed:
        return
    if places.child(evse, "connectors", "id", connector_id) is None:
        yield Problem(f"{label}: {connector_field} {short(connector_id)} is not a Connector of EVSE "
                      f"{short(evse.get('uid'))} at Location {short(location.get('id'))}",
                      "the id of one of that EVSE's Connectors", short(connector_id))


def session_location_problems(sessions: Iterable[Any], locations: Iterable[Any]) -> list[Problem]:
    """Each Session at a served Location, EVSE and Connector (#NA allowed for the EVSE and Connector of a Session
    that is not ACTIVE: one created for a reservation without an EVSE assigned yet)."""
    places = _Places(locations)
    problems: list[Problem] = []
    for session in _dicts(sessions):
        label = _label("Session", session)
        location = places.location(session.get("location_id"))
        if location is None:
            problems.append(Problem(f"{label}: location_id {short(session.get('location_id'))} is not a Location "
                                    "the CPO serves", "the id of a served Location",
                                    short(session.get("location_id"))))
            continue
        problems.extend(_place_problems(label, places, location, session.get("evse_uid"),
                                        session.get("connector_id"), session.get("status") != "ACTIVE",
                                        ("evse_uid", "connector_id")))
    return problems


def cdr_location_problems(cdrs: Iterable[Any], locations: Iterable[Any]) -> list[Problem]:
    """Each CDR at a served Location names an EVSE and Connector of it, and the EVSE's evse_id. A CDR may be for a
    location the CPO does not publish (a home charger: mod_cdrs_flow_and_lifecycle), so an unknown Location is
    not reported; #NA is allowed for a reservation that never became a charging session."""
    places = _Places(locations)
    problems: list[Problem] = []
    for cdr in _dicts(cdrs):
        where = cdr.get("cdr_location")
        if not isinstance(where, dict):
            continue
        location = places.location(where.get("id"))
        if location is None:
            continue
        label = _label("CDR", cdr)
        found = list(_place_problems(label, places, location, where.get("evse_uid"), where.get("connector_id"),
                                     True, ("cdr_location.evse_uid", "cdr_location.connector_id")))
        problems.extend(found)
        evse = places.child(location, "evses", "uid", where.get("evse_uid"))
        if not found and evse is not None and isinstance(evse.get("evse_id"), str) \
                and isinstance(where.get("evse_id"), str) and where["evse_id"] != NA \
                and _ci(evse["evse_id"]) != _ci(where["evse_id"]):
            problems.append(Problem(f"{label}: cdr_location.evse_id differs from the evse_id of EVSE "
                                    f"{short(evse.get('uid'))}", str(evse["evse_id"]), str(where["evse_id"])))
    return problems


def _charged(cdr: dict[str, Any]) -> bool:
    """Whether the CDR is for a charging session, not only for a reservation that never became one."""
    kinds = {d.get("type") for p in _periods(cdr) for d in _dicts(p.get("dimensions") or [])}
    return bool(kinds & {"ENERGY", "TIME", "PARKING_TIME"})


def session_link_problems(cdrs: Iterable[Any], sessions: Iterable[Any], *, complete: bool = False) -> list[Problem]:
    """Each CDR of a charging session names its Session (mod_cdrs_cdr_object: session_id); where that Session is
    among ``sessions``, both name the same token and the same place. A session_id found in none of them is a
    deviation only when ``complete`` (the CDRs are known to be for these Sessions): the spec requires the id of the
    Session, not that a Sender still lists that Session."""
    by_id: dict[str, dict[str, Any]] = {}
    for served in _dicts(sessions):
        key = _ci(served.get("id"))
        if key is not None:
            by_id.setdefault(key, served)
    problems: list[Problem] = []
    for cdr in _dicts(cdrs):
        label = _label("CDR", cdr)
        session_id = cdr.get("session_id")
        if session_id is None:
            if _charged(cdr):
                problems.append(Problem(f"{label} has no session_id, although the CPO implements Sessions and the "
                                        "CDR is for a charging session", "session_id of its Session", "(absent)"))
            continue
        session = by_id.get(_ci(session_id) or "")
        if session is None:
            if complete:
                problems.append(Problem(f"{label}: session_id {short(session_id)} is not the id of the Session it "
                                        "was made for", "the id of its Session", short(session_id)))
            continue
        token, started = cdr.get("cdr_token"), session.get("cdr_token")
        if isinstance(token, dict) and isinstance(started, dict):
            for field in ("uid", "type", "country_code", "party_id"):
                if field in token and field in started and _ci(token[field]) != _ci(started[field]):
                    problems.append(Problem(f"{label}: cdr_token.{field} differs from that of Session "
                                            f"{short(session_id)}", short(started[field]), short(token[field])))
        where = cdr.get("cdr_location")
        if isinstance(where, dict):
            for mine, theirs in (("id", "location_id"), ("evse_uid", "evse_uid"), ("connector_id", "connector_id")):
                value, expected = where.get(mine), session.get(theirs)
                if isinstance(value, str) and isinstance(expected, str) and NA not in (value, expected) \
                        and _ci(value) != _ci(expected):
                    problems.append(Problem(f"{label}: cdr_location.{mine} differs from the {theirs} of Session "
                                            f"{short(session_id)}", expected, value))
    return problems


def _same(left: Any, right: Any) -> bool:
    if isinstance(left, str) and isinstance(right, str):
        moments = moment(left), moment(right)
        if None not in moments:
            return moments[0] == moments[1]
        return _ci(left) == _ci(right)
    numbers = number(left), number(right)
    if numbers[0] is not None and numbers[1] is not None:
        return abs(numbers[0] - numbers[1]) <= ENERGY_TOLERANCE
    return bool(left == right)


def cdr_id_problems(cdrs: Iterable[Any]) -> list[Problem]:
    """CDR ids are unique per country_code and party_id (mod_cdrs_cdr_object); CiStrings, so without case."""
    seen: dict[tuple[str | None, str | None, str], int] = {}
    problems: list[Problem] = []
    for index, cdr in enumerate(_dicts(cdrs)):
        cdr_id = _ci(cdr.get("id"))
        if cdr_id is None:
            continue  # the schema check reports a missing id
        key = (_ci(cdr.get("country_code")), _ci(cdr.get("party_id")), cdr_id)
        if key in seen:
            problems.append(Problem(f"The CDRs at positions {seen[key] + 1} and {index + 1} of the list share the id "
                                    f"{short(cdr.get('id'))} under {cdr.get('country_code')}/{cdr.get('party_id')}",
                                    "a unique id per country_code and party_id", "the same id twice"))
        else:
            seen[key] = index
    return problems


def credit_problems(cdrs: Iterable[Any]) -> list[Problem]:
    """Credit CDRs (mod_cdrs_credit_cdrs): credit true with credit_reference_id naming another served CDR (and a
    credit_reference_id only on a Credit CDR), the original's data, and total_cost the negative of the
    original's. Whether the other cost totals are negated too the text leaves open; they are not compared."""
    listed = _dicts(cdrs)
    by_id: dict[str, dict[str, Any]] = {}
    for cdr in listed:
        key = _ci(cdr.get("id"))
        if key is not None:
            by_id.setdefault(key, cdr)
    problems: list[Problem] = []
    for cdr in listed:
        label = _label("CDR", cdr)
        reference = cdr.get("credit_reference_id")
        if cdr.get("credit") is not True:
            if reference is not None:
                problems.append(Problem(f"{label} has a credit_reference_id but is not a Credit CDR",
                                        "credit: true, or no credit_reference_id", f"credit: {cdr.get('credit')}"))
            continue
        if not reference:
            problems.append(Problem(f"{label} is a Credit CDR without credit_reference_id",
                                    "credit_reference_id: the id of the CDR it credits", "(absent)"))
            continue
        if _ci(reference) == _ci(cdr.get("id")):
            problems.append(Problem(f"{label} is a Credit CDR that names itself as the CDR it credits",
                                    "the id of another CDR", short(reference)))
            continue
        original = by_id.get(_ci(reference) or "")
        if original is None:
            problems.append(Problem(f"{label}: credit_reference_id {short(reference)} is not a CDR the CPO serves",
                                    "the id of a served CDR", short(reference)))
            continue
        for field in ("session_id", "start_date_time", "end_date_time", "currency", "total_energy"):
            if field in original and not _same(original[field], cdr.get(field)):
                problems.append(Problem(f"{label}: {field} differs from that of the CDR it credits, "
                                        f"{short(reference)}", short(original[field]), short(cdr.get(field))))
        mine, theirs = cdr.get("total_cost"), original.get("total_cost")
        if not isinstance(mine, dict) or not isinstance(theirs, dict):
            continue  # the schema check reports a missing total_cost
        for part in ("excl_vat", "incl_vat"):
            amount, credited = number(mine.get(part)), number(theirs.get(part))
            if amount is not None and credited is not None and abs(amount + credited) > MONEY_TOLERANCE:
                problems.append(Problem(f"{label}: total_cost.{part} is not the negative of that of the CDR it "
                                        f"credits, {short(reference)}", _num(-credited), _num(amount)))
    return problems


def connector_tariff_problems(locations: Iterable[Any], tariffs: Iterable[Any]) -> list[Problem]:
    """Tariff ids named by the Connectors of EVSEs in use (not REMOVED) that the Tariffs Sender does not serve."""
    served = {key for key in (_ci(t.get("id")) for t in _dicts(tariffs)) if key is not None}
    missing: dict[str, list[str]] = {}
    for location in _dicts(locations):
        for evse in _dicts(location.get("evses") or []):
            if evse.get("status") == "REMOVED":
                continue
            for connector in _dicts(evse.get("connectors") or []):
                for tariff_id in connector.get("tariff_ids") or []:
                    if isinstance(tariff_id, str) and _ci(tariff_id) not in served:
                        missing.setdefault(tariff_id, []).append(
                            f"{location.get('id')}/{evse.get('uid')}/{connector.get('id')}")
    return [Problem(f"Tariff {tariff_id!r}, named by {len(where)} Connector(s) such as {where[0]}, is not among "
                    "the Tariffs the CPO serves", "a served Tariff with that id", "(not served)")
            for tariff_id, where in sorted(missing.items())]
