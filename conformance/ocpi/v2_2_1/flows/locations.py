"""Flows for the Locations module: the SUT as Sender (CPO) and as Receiver (eMSP) (mod_locations)."""

from __future__ import annotations

import copy
from datetime import timedelta
from typing import Any

from conformance.core.errors import SetupFailed
from conformance.core.exchange import Exchange
from conformance.ocpi.context import Context
from conformance.ocpi.expect import Expect
from conformance.ocpi.harness import Connection
from conformance.ocpi.types import format_datetime, parse_datetime
from conformance.ocpi.v2_2_1.checks import locations as lc
from conformance.ocpi.v2_2_1.checks import receivers as rc
from conformance.ocpi.v2_2_1.checks._compare import ReadBack
from conformance.ocpi.v2_2_1.checks._receiver import MismatchedPush, ReadBacks, Refusal
from conformance.ocpi.v2_2_1.flows.http import join, send, status_code_of
from conformance.ocpi.v2_2_1.flows.pull import SenderPull, sender_url
from simulators.ocpi.v2_2_1.seed.locations import seed_locations

__all__ = ["SenderPull", "push_location", "receiver_invalid", "receiver_patch", "receiver_put_children",
           "receiver_unknown", "sender_date_filters", "sender_objects", "sender_traverse", "sender_unknown",
           "sender_window"]

_OK = frozenset({1000})


def sender_traverse(ctx: Context) -> list[Any]:
    pull = SenderPull(ctx)
    items, pages, complete = pull.traverse()
    pull.conclude_traversal(pages, complete)
    return items


def sender_window(ctx: Context, full: list[Any], offset: int, limit: int) -> None:
    SenderPull(ctx).pull_windows(full, offset, limit, "Locations")


def sender_date_filters(ctx: Context, full: list[Any]) -> None:
    SenderPull(ctx).pull_date_windows(full, "Locations")


def _one(items: list[Any], collection: str) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]] | None:
    """The last Location with an EVSE with a Connector, and the last of those: not the first of any list, so a
    server that ignores the id asked for is caught."""
    for location in reversed(items):
        if not isinstance(location, dict):
            continue
        for evse in reversed(location.get(collection) or []):
            if isinstance(evse, dict):
                for connector in reversed(evse.get("connectors") or []):
                    if isinstance(connector, dict):
                        return location, evse, connector
    return None


def sender_objects(ctx: Context, full: list[Any]) -> None:
    found = _one(full, "evses")
    if found is None:
        raise SetupFailed("the CPO serves no Location with an EVSE and a Connector")
    location, evse, connector = found
    url = sender_url(ctx.conn, "locations")
    ids = [str(location.get("id")), str(evse.get("uid")), str(connector.get("id"))]
    requests = [
        (join(url, *ids[:1]), "Location", "id", location.get("id")),
        (join(url, *ids[:2]), "EVSE", "uid", evse.get("uid")),
        (join(url, *ids), "Connector", "id", connector.get("id")),
    ]
    for target, schema, field, wanted in requests:
        x = send(ctx, "GET", target, Expect(schema=schema, status_codes=_OK), token=ctx.conn.token)
        ctx.case.evaluate(lc.sender_object, lc.ObjectAsked(schema, field, wanted, x))


def sender_unknown(ctx: Context, full: list[Any]) -> None:
    url = sender_url(ctx.conn, "locations")
    found = _one(full, "evses")
    targets = [join(url, "ROAMCERT-NO-SUCH-LOCATION")]
    if found is not None:
        location, evse, _ = found
        targets += [join(url, str(location.get("id")), "ROAMCERT-NO-SUCH-EVSE"),
                    join(url, str(location.get("id")), str(evse.get("uid")), "ROAMCERT-NO-SUCH-CONNECTOR")]
    for target in targets:
        send(ctx, "GET", target, Expect(resource_exists=False), token=ctx.conn.token)


# -- the SUT as Receiver -----------------------------------------------------------------------------------

def _receiver_url(conn: Connection) -> str:
    url = conn.endpoint("locations", "RECEIVER")
    if url is None:
        raise SetupFailed("the SUT lists no locations RECEIVER endpoint")
    return url


def sample_location(ctx: Context, index: int = 0) -> dict[str, Any]:
    cpo = ctx.partner_identity
    location = copy.deepcopy(seed_locations(country_code=cpo.country_code, party_id=cpo.party_id)[index])
    location["id"] = f"RC-{location['id']}"
    return location


def _object_url(ctx: Context, *ids: str) -> str:
    cpo = ctx.partner_identity
    return join(_receiver_url(ctx.conn), cpo.country_code, cpo.party_id, *ids)


def _stored(ctx: Context, url: str, pushed: dict[str, Any], schema: str, put: Exchange) -> None:
    back = send(ctx, "GET", url, Expect(schema=schema, status_codes=_OK), token=ctx.conn.token)
    ctx.case.evaluate(lc.receiver_stored, ReadBacks((ReadBack(schema, pushed, back),), (put.id, back.id)))


def push_location(ctx: Context) -> dict[str, Any]:
    location = sample_location(ctx)
    url = _object_url(ctx, location["id"])
    put = send(ctx, "PUT", url, Expect(status_codes=_OK), token=ctx.conn.token, json_body=location)
    _stored(ctx, url, location, "Location", put)
    if put.status is None or put.status >= 300 or status_code_of(put) != 1000:
        raise SetupFailed(f"the eMSP did not accept the Location pushed as a prerequisite (HTTP {put.status})")
    return location


def _later(stamp: str, minutes: int) -> str:
    return format_datetime(parse_datetime(stamp) + timedelta(minutes=minutes))


def receiver_put_children(ctx: Context, location: dict[str, Any]) -> None:
    evse = copy.deepcopy(location["evses"][0])
    evse["uid"] = f"{evse['uid']}-NEW"
    evse.pop("evse_id", None)
    stamp = _later(location["last_updated"], 30)
    evse["last_updated"] = stamp
    for connector in evse.get("connectors", []):
        connector["last_updated"] = stamp
    url = _object_url(ctx, location["id"], evse["uid"])
    put = send(ctx, "PUT", url, Expect(status_codes=frozenset({1000})), token=ctx.conn.token, json_body=evse)
    _stored(ctx, url, evse, "EVSE", put)
    parent = send(ctx, "GET", _object_url(ctx, location["id"]),
                  Expect(schema="Location"), token=ctx.conn.token)
    ctx.case.evaluate(lc.receiver_parent, lc.ParentsRead((lc.ParentRead("Location", parent, stamp),), (put.id,
    parent.id)))


def receiver_patch(ctx: Context, location: dict[str, Any]) -> None:
    evse = location["evses"][0]
    connector = evse["connectors"][0]
    stamp = _later(location["last_updated"], 60)
    evse_url = _object_url(ctx, location["id"], evse["uid"])
    status = "CHARGING" if evse.get("status") != "CHARGING" else "AVAILABLE"
    patch = send(ctx, "PATCH", evse_url, Expect(status_codes=frozenset({1000})), token=ctx.conn.token,
                 json_body={"status": status, "last_updated": stamp})
    merged = {**evse, "status": status, "last_updated": stamp}
    _stored(ctx, evse_url, {k: merged[k] for k in ("uid", "status", "last_updated")}, "EVSE", patch)
    parent = send(ctx, "GET", _object_url(ctx, location["id"]),
                  Expect(schema="Location"), token=ctx.conn.token)
    stamp2 = _later(stamp, 5)
    conn_url = f"{evse_url}/{connector['id']}"
    patch2 = send(ctx, "PATCH", conn_url, Expect(status_codes=frozenset({1000})), token=ctx.conn.token,
                  json_body={"max_amperage": int(connector.get("max_amperage", 16)) + 1, "last_updated": stamp2})
    back_evse = send(ctx, "GET", evse_url, Expect(schema="EVSE"), token=ctx.conn.token)
    parents = (lc.ParentRead("Location", parent, stamp), lc.ParentRead("EVSE", back_evse, stamp2))
    ctx.case.evaluate(lc.receiver_parent, lc.ParentsRead(parents, (patch.id, parent.id, patch2.id, back_evse.id)))


def receiver_invalid(ctx: Context) -> None:
    location = sample_location(ctx, 1)
    location["id"] = location["id"] + "-INVALID"
    for field in ("address", "coordinates", "time_zone"):
        location.pop(field, None)
    url = _object_url(ctx, location["id"])
    put = send(ctx, "PUT", url, Expect(advised_codes=frozenset({2001})), token=ctx.conn.token,
               json_body=location)
    back = send(ctx, "GET", url, Expect(resource_exists=False), token=ctx.conn.token)
    ctx.case.evaluate(lc.receiver_rejected, Refusal("Location", put, back))

    # A valid Location PUT to the URL of another id: transport_and_format advises 2001.
    other = sample_location(ctx, 1)
    put = send(ctx, "PUT", _object_url(ctx, f"{other['id']}-URL"), Expect(), token=ctx.conn.token, json_body=other)
    ctx.case.evaluate(rc.id_mismatch, MismatchedPush("Location", "id", put))


def receiver_unknown(ctx: Context) -> None:
    url = _object_url(ctx, "ROAMCERT-NO-SUCH-LOCATION")
    send(ctx, "GET", url, Expect(resource_exists=False), token=ctx.conn.token)
