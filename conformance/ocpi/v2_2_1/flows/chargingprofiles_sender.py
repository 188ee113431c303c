"""Flows for a Sender of ChargingProfiles under test: an SCSP, or an eMSP steering its customers' charging
(mod_charging_profiles_emsp_interface).

roamcert's CPO has an ongoing Session the SUT may steer (of a Token of the SUT when it is an eMSP; of roamcert's
eMSP when it is an SCSP, which roamcert's CPO works with for every Session) and pushes it to the SUT when the SUT
takes Sessions. roamcert has the SUT set a profile on it, ask for its ActiveChargingProfile and clear it (the
actions ``send_charging_profile``, ``get_active_charging_profile`` and ``clear_charging_profile``) and checks
each request as its CPO receives it. Its CPO answers ACCEPTED and POSTs the result to the response_url the SUT
gave; roamcert checks how the SUT takes it. Last, roamcert's CPO PUTs a changed ActiveChargingProfile of a
Session the SUT set a profile on to the SUT's Sender interface.
"""

from __future__ import annotations

import secrets
from datetime import UTC, timedelta
from typing import Any
from urllib.parse import quote

from conformance.core.checks import Check
from conformance.core.errors import SetupFailed
from conformance.core.exchange import Exchange
from conformance.core.findings import Outcome
from conformance.ocpi.context import Context
from conformance.ocpi.expect import Expect
from conformance.ocpi.types import format_datetime
from conformance.ocpi.v2_2_1.checks import chargingprofiles as cp
from conformance.ocpi.v2_2_1.checks._util import short
from conformance.ocpi.v2_2_1.flows.actions import perform
from conformance.ocpi.v2_2_1.flows.awaiting import await_exchange, path_of
from conformance.ocpi.v2_2_1.flows.http import data_of, join, send
from simulators.ocpi.v2_2_1.chargingprofiles_receiver import active_charging_profile
from simulators.ocpi.v2_2_1.reference import IDENTITIES

__all__ = ["clear_profile", "get_active_profile", "partner_session", "push_active_profile", "set_profile"]

_OK = frozenset({1000})
VERSION = "2.2.1"


def _token_owner(ctx: Context) -> tuple[str, str]:
    """Whose Token charges: the SUT's own when it is an eMSP, roamcert's eMSP's otherwise."""
    if ctx.sut_role == "EMSP":
        for role in ctx.conn.peer.roles if ctx.conn.peer else []:
            if role.get("role") == "EMSP" and role.get("country_code") and role.get("party_id"):
                return str(role["country_code"]), str(role["party_id"])
    emsp = IDENTITIES["EMSP"]
    return emsp.country_code, emsp.party_id


def partner_session(ctx: Context) -> dict[str, Any]:
    """A Session charging at roamcert's CPO now, known to the SUT when it takes Sessions."""
    if ctx.conn.endpoint("chargingprofiles", "SENDER") is None:
        raise SetupFailed("the SUT lists no chargingprofiles SENDER endpoint")
    partner = ctx.partner
    cpo = ctx.partner_identity
    country, party_id = _token_owner(ctx)
    now = partner.clock().astimezone(UTC).replace(microsecond=0)
    number = secrets.token_hex(4).upper()
    session: dict[str, Any] = {
        "country_code": cpo.country_code, "party_id": cpo.party_id, "id": f"RC-SC-{number}",
        "start_date_time": format_datetime(now - timedelta(minutes=20)), "kwh": 2.4,
        "cdr_token": {"country_code": country, "party_id": party_id, "uid": f"RC{number}", "type": "RFID",
                      "contract_id": f"{country}-{party_id}-C{number}"},
        "auth_method": "WHITELIST", "location_id": "LOC0001", "evse_uid": "LOC0001-1", "connector_id": "1",
        "currency": "EUR", "charging_periods": [], "status": "ACTIVE", "last_updated": format_datetime(now),
    }
    partner.owned.setdefault("sessions", []).append(session)
    url = ctx.conn.endpoint("sessions", "RECEIVER")
    if url is not None:  # as a CPO tells the parties that steer its Sessions (mod_charging_profiles_module)
        send(ctx, "PUT", join(url, cpo.country_code, cpo.party_id, session["id"]), token=ctx.conn.token,
             json_body=session)
    return session


# -- the SUT acts; roamcert's CPO receives ------------------------------------------------------------------

def _act(ctx: Context, action: str, method: str, session: dict[str, Any],
         check: Check, nothing: str) -> tuple[Exchange, int]:
    """Have the SUT perform ``action``: the request roamcert's CPO received from it. When none came, ``check``
    judges that and the setup fails (``nothing`` says what the SUT did not do)."""
    cpo = ctx.partner_identity
    wanted = path_of(join(ctx.registrar.module_url(VERSION, "chargingprofiles", "RECEIVER"),
                          quote(session["id"], safe="")))
    mark = len(ctx.case.log.exchanges)
    perform(ctx, action, {"session_id": session["id"], "country_code": cpo.country_code,
                                        "party_id": cpo.party_id})
    request = await_exchange(ctx, lambda x: x.direction == "inbound" and x.method == method
                             and path_of(x.url) == wanted, since=mark, timeout=ctx.harness.target.timeout)
    if request is None:
        ctx.case.evaluate(check, cp.SenderRequest(session["id"], None))
        raise SetupFailed(f"the SUT {nothing}")
    return request, mark


def _acknowledged(ctx: Context, check: Check, session: dict[str, Any], request: Exchange,
                  response_url: object, mark: int, what: str) -> None:
    """``check`` judges the SUT's ``what`` request; when it passed and roamcert's CPO accepted it, the result the
    CPO POSTs to ``response_url`` must be taken with 1000 and no data."""
    findings = ctx.case.evaluate(check, cp.SenderRequest(session["id"], request))
    if any(f.outcome is not Outcome.PASS for f in findings) or not isinstance(response_url, str):
        raise SetupFailed(f"the {what} could not be acted upon")
    answer = data_of(request)
    if request.status != 200 or not isinstance(answer, dict) or answer.get("result") != "ACCEPTED":
        raise SetupFailed(f"roamcert's CPO did not accept the SUT's request (HTTP {request.status}, "
                          f"{short(answer)}), so no result was sent")
    wanted = path_of(ctx.as_forwarded(response_url, "chargingprofiles", "SENDER"))
    result = await_exchange(ctx, lambda x: x.direction == "callback" and x.method == "POST"
                            and path_of(x.url) == wanted, since=mark, timeout=ctx.harness.target.timeout)
    if result is None:
        raise SetupFailed("roamcert's CPO sent no result to the SUT's response_url")
    ctx.case.check_response(result, Expect(status_codes=_OK))
    ctx.case.evaluate(cp.sender_result_ack, cp.ResultTaken(request, result))


def set_profile(ctx: Context, session: dict[str, Any]) -> None:
    request, mark = _act(ctx, "send_charging_profile", "PUT", session, cp.sender_set_request,
                         "set no charging profile")
    body = cp.request_body(request)
    response_url = body.get("response_url") if isinstance(body, dict) else None
    _acknowledged(ctx, cp.sender_set_request, session, request, response_url, mark, "SetChargingProfile")


def get_active_profile(ctx: Context, session: dict[str, Any]) -> None:
    request, mark = _act(ctx, "get_active_charging_profile", "GET", session,
                         cp.sender_get_request, "asked for no ActiveChargingProfile")
    _acknowledged(ctx, cp.sender_get_request, session, request, cp.query_of(request).get("response_url"),
                  mark, "GET")


def clear_profile(ctx: Context, session: dict[str, Any]) -> None:
    request, mark = _act(ctx, "clear_charging_profile", "DELETE", session,
                         cp.sender_clear_request, "cleared no charging profile")
    _acknowledged(ctx, cp.sender_clear_request, session, request,
                  cp.query_of(request).get("response_url"), mark, "DELETE")


# -- roamcert's CPO tells the SUT -------------------------------------------------------------------------

def push_active_profile(ctx: Context, session: dict[str, Any]) -> None:
    """The ActiveChargingProfile of the Session the SUT set a profile on changes: roamcert's CPO PUTs it."""
    url = ctx.conn.endpoint("chargingprofiles", "SENDER")
    if url is None:
        raise SetupFailed("the SUT lists no chargingprofiles SENDER endpoint")
    body = active_charging_profile(ctx.partner, session, 900)
    x = send(ctx, "PUT", join(url, quote(session["id"], safe="")), Expect(status_codes=_OK),
             token=ctx.conn.token, json_body=body)
    ctx.case.evaluate(cp.sender_active_ack, cp.UpdateTaken(x))
