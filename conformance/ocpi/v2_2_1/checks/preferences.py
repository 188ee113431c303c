"""Checks of charging preferences (mod_sessions_set_charging_preferences): a CPO under test as Sessions Sender
takes the driver's ChargingPreferences for an ongoing Session from roamcert's eMSP. The flow
(conformance/ocpi/v2_2_1/flows/preferences.py) records the evidence; these checks judge it."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from conformance.core.checks import Problem
from conformance.core.exchange import Exchange
from conformance.ocpi.v2_2_1.checks._registrar import evidence_check
from conformance.ocpi.v2_2_1.checks._util import data_of, short, status_code_of

__all__ = ["ANSWERS", "CAPABILITY", "PreferencesAnswer", "PreferencesAnswers", "TariffsOffered", "answer",
           "invalid", "not_capable", "tariff", "unknown_session"]

SES = "mod_sessions"
CAPABILITY = "CHARGING_PREFERENCES_CAPABLE"
ANSWERS = frozenset({"ACCEPTED", "DEPARTURE_REQUIRED", "ENERGY_NEED_REQUIRED", "NOT_POSSIBLE",
                     "PROFILE_TYPE_NOT_SUPPORTED"})  # the ChargingPreferencesResponse values




def _answered(x: Exchange) -> str:
    return f"HTTP {x.status}, status_code {short(status_code_of(x))}, data {short(data_of(x))}"


@dataclass(frozen=True)
class PreferencesAnswers:
    """roamcert's PUTs of ChargingPreferences for an ongoing Session and the CPO's answers, by ProfileType."""

    answers: tuple[tuple[str, Exchange], ...]  # (profile_type, the PUT and its answer)

    @property
    def exchange_ids(self) -> tuple[str, ...]:
        return tuple(x.id for _, x in self.answers)


@evidence_check("ocpi.sessions.preferences_answer")
def answer(evidence: PreferencesAnswers) -> Iterator[Problem]:
    for profile_type, x in evidence.answers:
        data = data_of(x)
        if x.status != 200 or status_code_of(x) != 1000 or not isinstance(data, str) or data not in ANSWERS:
            yield Problem(f"Charging preferences ({profile_type}) were not answered with a "
                          "ChargingPreferencesResponse", "HTTP 200, status_code 1000, data: one of "
                          + ", ".join(sorted(ANSWERS)), _answered(x), evidence=(x.id,))


@dataclass(frozen=True)
class TariffsOffered(PreferencesAnswers):
    """The answers to preferences of every ProfileType, and the Tariffs the Session's Connector names."""

    tariffs: Mapping[str, str]  # tariff id -> its type (or why it is unknown); read when one answer was ACCEPTED


@evidence_check("ocpi.sessions.preferences_tariff")
def tariff(evidence: TariffsOffered) -> Iterator[Problem]:
    tariffs = evidence.tariffs
    for profile_type, x in evidence.answers:
        if data_of(x) != "ACCEPTED":
            continue
        wanted = "REGULAR" if profile_type == "REGULAR" else f"PROFILE_{profile_type}"
        if wanted not in tariffs.values():
            yield Problem(f"{profile_type} preferences were accepted at a Connector that offers no Tariff for "
                          f"{profile_type}", f"a Tariff of type {wanted} among the connector's tariff_ids",
                          short(dict(tariffs)) if tariffs else "no tariff_ids", evidence=(x.id,))


@dataclass(frozen=True)
class PreferencesAnswer:
    """roamcert's PUT of ChargingPreferences the CPO should refuse, and its answer."""

    exchange: Exchange
    evse_uid: str = ""  # the EVSE of the Session, when the refusal is about it

    @property
    def exchange_ids(self) -> tuple[str, ...]:
        return (self.exchange.id,)


@evidence_check("ocpi.sessions.preferences_invalid")
def invalid(evidence: PreferencesAnswer) -> Iterator[Problem]:
    x = evidence.exchange
    if status_code_of(x) != 2001:
        yield Problem("Charging preferences with an unknown profile_type and a text energy_need were not refused "
                      "with 2001", "status_code 2001", _answered(x))


@evidence_check("ocpi.sessions.preferences_unknown_session")
def unknown_session(evidence: PreferencesAnswer) -> Iterator[Problem]:
    x = evidence.exchange
    code = status_code_of(x)
    if not (x.status == 404 or (isinstance(code, int) and 2000 <= code < 3000)):
        yield Problem("Charging preferences for a Session the CPO does not know were taken",
                      "HTTP 404 or a 2xxx status_code", _answered(x))


@evidence_check("ocpi.sessions.preferences_not_capable")
def not_capable(evidence: PreferencesAnswer) -> Iterator[Problem]:
    x = evidence.exchange
    if not (x.status == 404 and status_code_of(x) == 2001):
        yield Problem(f"Charging preferences at EVSE {evidence.evse_uid}, which lacks {CAPABILITY}, were not "
                      "answered HTTP 404 with 2001", "HTTP 404, status_code 2001", _answered(x))
