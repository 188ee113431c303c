"""Checks of the ChargingProfiles module (mod_charging_profiles): a CPO as Receiver (its answers, the results it
POSTs to roamcert's response_url, the ActiveChargingProfile updates it PUTs to roamcert's Sender interface) and a
Sender (an SCSP or an eMSP) under test (its requests to roamcert's CPO and how it takes results and updates).
The flows (conformance/ocpi/v2_2_1/flows/chargingprofiles.py, chargingprofiles_sender.py) record the evidence;
these checks judge it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

from conformance.core.checks import Problem
from conformance.core.exchange import Exchange
from conformance.ocpi.schemas import errors as schema_errors
from conformance.ocpi.v2_2_1.checks._registrar import evidence_check
from conformance.ocpi.v2_2_1.checks._util import answer, data_of, envelope, short, status_code_of

__all__ = ["ClearedProfile", "ProfileRequest", "ProfileUpdate", "ResultTaken", "SenderRequest", "UpdateTaken",
           "accepted", "active_result", "capacity_of", "clear_result", "cleared_max_capacity", "invalid_refused",
           "no_push_without_profile", "push_duration", "push_on_change", "query_of", "rate_unit", "request_body",
           "sender_active_ack", "sender_clear_request", "sender_get_request", "sender_result_ack",
           "sender_set_request", "set_result", "unknown_session"]

CP = "mod_charging_profiles"
VERSION = "2.2.1"


# -- readers shared with the flows ----------------------------------------------------------------------------



def request_body(x: Exchange) -> Any:
    """The JSON body of a request, or None when it is absent or no JSON."""
    try:
        return x.request_json()
    except ValueError:
        return None


def query_of(x: Exchange) -> dict[str, str]:
    """The query parameters of a request, the first value of each."""
    return {k: v[0] for k, v in parse_qs(urlsplit(x.url).query).items()}


def accepted(answer: Exchange) -> bool:
    """Whether a ChargingProfileResponse ACCEPTED the request (so a result is to come to the response_url)."""
    data = data_of(answer)
    return answer.status == 200 and status_code_of(answer) == 1000 and isinstance(data, dict) \
        and data.get("result") == "ACCEPTED"


def rate_unit(active: dict[str, Any]) -> Any:
    """The charging_rate_unit of an ActiveChargingProfile."""
    return _charging(active).get("charging_rate_unit")


def capacity_of(connector: dict[str, Any], unit: Any) -> float | None:
    """The connector's maximum in ``unit`` (A, or W for anything else), or None when its Location does not say."""
    if unit == "A":
        capacity = connector.get("max_amperage")
    else:
        capacity = connector.get("max_electric_power")
        if capacity is None and connector.get("max_voltage") and connector.get("max_amperage"):
            phases = 3 if connector.get("power_type") == "AC_3_PHASE" else 1
            capacity = connector["max_voltage"] * connector["max_amperage"] * phases
    return capacity if isinstance(capacity, int | float) else None


def _charging(active: dict[str, Any]) -> dict[str, Any]:
    found = active.get("charging_profile")
    return found if isinstance(found, dict) else {}


def _answer(x: Exchange) -> str:
    data = data_of(x)
    result = data.get("result") if isinstance(data, dict) else None
    return f"{answer(x)}, result {short(result)}"


# -- a CPO as Receiver: roamcert's requests and their results -------------------------------------------------

@dataclass(frozen=True)
class ProfileRequest:
    """A request roamcert sent to the CPO's Receiver interface, with a fresh response_url."""

    answer: Exchange  # the request and the CPO's ChargingProfileResponse
    result: Exchange | None  # the POST to the response_url, if one came

    @property
    def accepted(self) -> bool:
        return accepted(self.answer)

    @property
    def body(self) -> dict[str, Any] | None:
        """The result POSTed, when it is a JSON object."""
        body = request_body(self.result) if self.result is not None else None
        return body if isinstance(body, dict) else None

    @property
    def exchange_ids(self) -> tuple[str, ...]:
        return (self.answer.id,) + ((self.result.id,) if self.result else ())


def _result_problems(request: ProfileRequest, schema: str, what: str) -> list[Problem]:
    """The request was ACCEPTED, then its result came to the response_url as a valid ``schema``."""
    if not request.accepted:
        return [Problem(f"The CPO did not accept {what} for an ongoing Session of roamcert's eMSP",
                        "HTTP 200, status_code 1000, result ACCEPTED", _answer(request.answer))]
    if request.result is None:
        return [Problem(f"No {schema} was POSTed to the response_url within the timeout the CPO gave",
                        f"POST <response_url> with a {schema}", "nothing came")]
    return [Problem(f"The result POSTed is not a valid {schema}: {short(message, 300)}",
                    evidence=(request.result.id,)) for message in schema_errors(VERSION, schema, request.body)[:5]]


@evidence_check("ocpi.chargingprofiles.set_result")
def set_result(evidence: ProfileRequest) -> Iterator[Problem]:
    yield from _result_problems(evidence, "ChargingProfileResult", "a SetChargingProfile")


@evidence_check("ocpi.chargingprofiles.active_profile_result")
def active_result(evidence: ProfileRequest) -> Iterator[Problem]:
    problems = _result_problems(evidence, "ActiveChargingProfileResult", "the GET of the ActiveChargingProfile")
    body = evidence.body
    # when the request was not accepted or no result came, that is all there is to say
    if evidence.accepted and evidence.result is not None and isinstance(body, dict) \
            and body.get("result") == "ACCEPTED" and "profile" not in body:
        problems.append(Problem("An ACCEPTED ActiveChargingProfileResult carries no profile",
                                "profile: ActiveChargingProfile", "absent", evidence=(evidence.result.id,)))
    yield from problems


@evidence_check("ocpi.chargingprofiles.clear_result")
def clear_result(evidence: ProfileRequest) -> Iterator[Problem]:
    problems = _result_problems(evidence, "ClearProfileResult", "the DELETE of the ChargingProfile")
    body = evidence.body
    if not problems and body is not None and body.get("result") != "ACCEPTED":
        problems.append(Problem("The profile roamcert had just set was not cleared", "result ACCEPTED",
                                short(body.get("result")),
                                evidence=(evidence.result.id,) if evidence.result else ()))
    yield from problems


@dataclass(frozen=True)
class ClearedProfile:
    """The ActiveChargingProfile read after roamcert cleared its profile, and the EVSE's capacity to compare."""

    active: dict[str, Any]  # the ActiveChargingProfile of the ActiveChargingProfileResult
    capacity: float  # the connector's maximum in the profile's charging_rate_unit, from the CPO's Location
    exchange_ids: tuple[str, ...]


@evidence_check("ocpi.chargingprofiles.cleared_max_capacity")
def cleared_max_capacity(evidence: ClearedProfile) -> Iterator[Problem]:
    charging = _charging(evidence.active)
    capacity = evidence.capacity
    limits = [p.get("limit") for p in charging.get("charging_profile_period") or [] if isinstance(p, dict)]
    off = [limit for limit in limits if not isinstance(limit, int | float) or abs(limit - capacity) > 0.01 * capacity]
    if not limits or off:
        yield Problem("With no profile set any more, the ActiveChargingProfile does not show the EVSE's maximum "
                      "capacity", f"every period's limit {capacity} {rate_unit(evidence.active)} (the connector's "
                      "maximum)", short(limits))


@evidence_check("ocpi.chargingprofiles.unknown_session")
def unknown_session(evidence: ProfileRequest) -> Iterator[Problem]:
    data = data_of(evidence.answer)
    if not isinstance(data, dict) or data.get("result") != "UNKNOWN_SESSION":
        yield Problem("A profile for a Session the CPO does not know was not answered UNKNOWN_SESSION",
                      "a ChargingProfileResponse with result UNKNOWN_SESSION", _answer(evidence.answer))
    if evidence.result is not None:
        yield Problem("A result was POSTed for a Session the CPO does not know", "no POST",
                      f"POST {evidence.result.url}", evidence=(evidence.result.id,))


@evidence_check("ocpi.chargingprofiles.invalid_refused")
def invalid_refused(evidence: ProfileRequest) -> Iterator[Problem]:
    code = status_code_of(evidence.answer)
    if not isinstance(code, int) or not 2000 <= code < 3000:
        yield Problem("A SetChargingProfile without charging_rate_unit and with a text limit was not refused",
                      "status_code 2001", _answer(evidence.answer))
    if evidence.result is not None:
        yield Problem("A result was POSTed for a request that is not a valid SetChargingProfile", "no POST",
                      f"POST {evidence.result.url}", evidence=(evidence.result.id,))


# -- a CPO as Receiver: the updates it pushes on its own ------------------------------------------------------

@dataclass(frozen=True)
class ProfileUpdate:
    """What came to roamcert's Sender interface after roamcert had the CPO change a Session's
    ActiveChargingProfile."""

    session_id: str
    update: Exchange | None  # the CPO's PUT of the ActiveChargingProfile, if one came

    @property
    def exchange_ids(self) -> tuple[str, ...]:
        return (self.update.id,) if self.update else ()


@evidence_check("ocpi.chargingprofiles.push_on_change")
def push_on_change(evidence: ProfileUpdate) -> Iterator[Problem]:
    if evidence.update is None:
        yield Problem("The CPO did not PUT the changed ActiveChargingProfile to roamcert's Sender interface",
                      f"PUT <roamcert chargingprofiles Sender>/{evidence.session_id} with an ActiveChargingProfile",
                      "nothing came")
        return
    for message in schema_errors(VERSION, "ActiveChargingProfile", request_body(evidence.update))[:5]:
        yield Problem(f"The update is not a valid ActiveChargingProfile: {short(message, 300)}")


@evidence_check("ocpi.chargingprofiles.push_duration")
def push_duration(evidence: ProfileUpdate) -> Iterator[Problem]:
    body = request_body(evidence.update) if evidence.update is not None else None
    charging = body.get("charging_profile") if isinstance(body, dict) else None
    duration = charging.get("duration") if isinstance(charging, dict) else None
    if isinstance(duration, int) and duration < 300:
        yield Problem("The pushed ActiveChargingProfile covers less than 5 minutes",
                      "duration of 300 to 3600 seconds (a guide)", f"{duration} s")


@evidence_check("ocpi.chargingprofiles.no_push_without_profile")
def no_push_without_profile(evidence: ProfileUpdate) -> Iterator[Problem]:
    if evidence.update is not None:
        yield Problem("The CPO PUT an ActiveChargingProfile to roamcert for a Session roamcert never set a profile "
                      "on", "no PUT", f"PUT {evidence.update.url}")


# -- a Sender under test: its requests to roamcert's CPO ------------------------------------------------------

@dataclass(frozen=True)
class SenderRequest:
    """What roamcert's CPO received after roamcert had the SUT act on a Session of roamcert's CPO."""

    session_id: str
    request: Exchange | None  # the SUT's request on <chargingprofiles Receiver>/<session_id>, if one came

    @property
    def exchange_ids(self) -> tuple[str, ...]:
        return (self.request.id,) if self.request else ()


def _nothing_came(evidence: SenderRequest, what: str) -> Problem:
    return Problem(f"The SUT sent roamcert's CPO no {what}",
                   f"a request on <chargingprofiles Receiver>/{evidence.session_id}", "nothing came")


def _response_url_problems(url: object) -> list[Problem]:
    if not (isinstance(url, str) and url.startswith(("http://", "https://"))):
        return [Problem("The response_url is not an absolute URL the CPO can POST the result to",
                        "https://… (types#types_url_type)", short(url))]
    return []


@evidence_check("ocpi.chargingprofiles.sender_set_request")
def sender_set_request(evidence: SenderRequest) -> Iterator[Problem]:
    if evidence.request is None:
        yield _nothing_came(evidence, "SetChargingProfile")
        return
    body = request_body(evidence.request)
    for message in schema_errors(VERSION, "SetChargingProfile", body)[:5]:
        yield Problem(f"The body is not a valid SetChargingProfile: {short(message, 300)}")
    if isinstance(body, dict):
        yield from _response_url_problems(body.get("response_url"))


@evidence_check("ocpi.chargingprofiles.sender_get_request")
def sender_get_request(evidence: SenderRequest) -> Iterator[Problem]:
    if evidence.request is None:
        yield _nothing_came(evidence, "GET of the ActiveChargingProfile")
        return
    query = query_of(evidence.request)
    yield from _response_url_problems(query.get("response_url"))
    if not query.get("duration", "").isdigit():
        yield Problem("The GET carries no duration (seconds of ActiveChargingProfile wanted)", "duration=<int>",
                      short(query.get("duration")))


@evidence_check("ocpi.chargingprofiles.sender_clear_request")
def sender_clear_request(evidence: SenderRequest) -> Iterator[Problem]:
    if evidence.request is None:
        yield _nothing_came(evidence, "DELETE of the ChargingProfile")
        return
    yield from _response_url_problems(query_of(evidence.request).get("response_url"))


# -- a Sender under test: how it takes what roamcert's CPO sends ----------------------------------------------

def _ack_problems(x: Exchange, what: str) -> list[Problem]:
    if x.status is None:
        return [Problem(f"The SUT did not answer the {what}", "HTTP 200, status_code 1000", x.error or "no answer")]
    problems = []
    if x.status != 200 or status_code_of(x) != 1000:
        problems.append(Problem(f"The SUT did not take the {what}", "HTTP 200, status_code 1000",
                                f"HTTP {x.status}, status_code {short(status_code_of(x))}"))
    body = envelope(x)
    if body is not None and "data" in body:
        problems.append(Problem(f"The SUT's answer to the {what} carries data", "no data field",
                                short(body["data"])))
    return problems


@dataclass(frozen=True)
class ResultTaken:
    """roamcert's CPO POSTed the result of the SUT's request to the SUT's response_url."""

    request: Exchange  # the SUT's request the result is for
    result: Exchange  # roamcert's POST and the SUT's answer

    @property
    def exchange_ids(self) -> tuple[str, ...]:
        return self.request.id, self.result.id


@evidence_check("ocpi.chargingprofiles.sender_result_ack")
def sender_result_ack(evidence: ResultTaken) -> Iterator[Problem]:
    yield from _ack_problems(evidence.result, "result POSTed to its response_url")


@dataclass(frozen=True)
class UpdateTaken:
    """roamcert's CPO PUT a changed ActiveChargingProfile to the SUT's Sender interface."""

    update: Exchange  # roamcert's PUT and the SUT's answer

    @property
    def exchange_ids(self) -> tuple[str, ...]:
        return (self.update.id,)


@evidence_check("ocpi.chargingprofiles.sender_active_profile_ack")
def sender_active_ack(evidence: UpdateTaken) -> Iterator[Problem]:
    yield from _ack_problems(evidence.update, "ActiveChargingProfile PUT")
