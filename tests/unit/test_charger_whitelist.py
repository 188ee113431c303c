"""The reference CPO's charger between two real reference platforms (in-process HTTP): when a Token's whitelist
calls for a real-time request, whatever its pushed validity, and what an ALLOWED_OFFLINE Token does when the eMSP
answers and when it gives no response (mod_tokens_whitelisttype_enum)."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest

from simulators.ocpi.profiles import PROFILES
from simulators.ocpi.v2_2_1.charger import Presented, present_token
from simulators.ocpi.v2_2_1.tokens_sender import OFFLINE
from tests.unit.platforms import Platforms, two_platforms

OFFLINE_CARD = "04938F2A6B1C81"  # seed/tokens.py: OTHER, ALLOWED_OFFLINE, valid
NO_CREDIT = "04778899AABBCC"  # seed/tokens.py: RFID, NEVER, not valid (NO_CREDIT)
INVALID_ALLOWED = "04A1B2C3D4E5F6"  # seed/tokens.py: RFID, ALLOWED, not valid (BLOCKED)


class Pair(Platforms):

    def books(self, uid: str) -> dict[str, Any]:
        """The eMSP's own Token ``uid`` (what it answers real-time requests from)."""
        return next(t for t in self.emsp.owned["tokens"] if t["uid"] == uid)

    def push(self, uid: str, **changes: Any) -> None:
        """The CPO holds the eMSP's Token ``uid`` as pushed to it, with ``changes``."""
        token = {**copy.deepcopy(self.books(uid)), **changes}
        key = (token["country_code"], token["party_id"], token["uid"].upper(), token["type"])
        self.cpo.received.setdefault("tokens", {})[key] = token

    def present(self, uid: str, token_type: str = "") -> Presented:
        token_type = token_type or self.books(uid)["type"]
        location = next(loc for loc in self.cpo.owned["locations"]
                        if any(e.get("status") == "AVAILABLE" and e.get("evse_id") for e in loc.get("evses", [])))
        evse = next(e for e in location["evses"] if e.get("status") == "AVAILABLE" and e.get("evse_id"))
        return self.loop.run_until_complete(present_token(
            self.cpo, uid=uid, token_type=token_type, location_id=location["id"], evse_uid=evse["uid"],
            country_code="NL", party_id="REM"))

    def asks(self) -> list[int | None]:
        """The HTTP statuses of the real-time requests the eMSP received."""
        return [x.status for x in self.emsp.log.inbound() if x.url.split("?")[0].endswith("/authorize")]


@pytest.fixture()
def pair() -> Iterator[Pair]:
    with two_platforms("CPO") as (cpo, emsp, loop):
        yield Pair(cpo, emsp, loop)


def test_a_token_pushed_not_valid_is_still_asked_about_when_its_whitelist_is_never(pair: Pair) -> None:
    pair.push(NO_CREDIT)
    pair.books(NO_CREDIT)["valid"] = True  # the driver topped up since the Token was pushed
    presented = pair.present(NO_CREDIT)
    assert presented.asked and presented.session is not None, presented
    assert presented.session["auth_method"] == "AUTH_REQUEST"
    assert pair.asks() == [200]


def test_the_real_time_answer_refuses_a_token_still_not_valid(pair: Pair) -> None:
    pair.push(NO_CREDIT)
    presented = pair.present(NO_CREDIT)
    assert (presented.session, presented.refused, presented.asked) == (None, "NO_CREDIT", True)


def test_a_token_pushed_not_valid_with_whitelist_allowed_is_refused_on_the_whitelist(pair: Pair) -> None:
    pair.push(INVALID_ALLOWED)
    presented = pair.present(INVALID_ALLOWED)
    assert (presented.session, presented.refused, presented.asked) == (None, "INVALID", False)
    assert pair.asks() == []


def test_the_fault_refuses_a_token_pushed_not_valid_without_asking(pair: Pair) -> None:
    pair.cpo.behaviours = PROFILES.compose("charger_refuses_invalid_unasked")
    pair.push(NO_CREDIT)
    pair.books(NO_CREDIT)["valid"] = True
    presented = pair.present(NO_CREDIT)
    assert (presented.session, presented.refused, presented.asked) == (None, "INVALID", False)
    assert pair.asks() == []


def test_allowed_offline_is_asked_about_while_the_emsp_answers(pair: Pair) -> None:
    pair.push(OFFLINE_CARD)
    presented = pair.present(OFFLINE_CARD)
    assert presented.asked and presented.session is not None
    assert presented.session["auth_method"] == "AUTH_REQUEST"
    assert presented.session["authorization_reference"].startswith("AUTH-")


def test_allowed_offline_charges_on_the_whitelist_when_the_emsp_gives_no_response(pair: Pair) -> None:
    pair.push(OFFLINE_CARD)
    pair.emsp.state[OFFLINE] = True
    presented = pair.present(OFFLINE_CARD)
    assert presented.asked and presented.session is not None, presented
    assert presented.session["auth_method"] == "WHITELIST"
    assert "authorization_reference" not in presented.session
    assert pair.asks() == [503]
    answer = next(x for x in pair.emsp.log.inbound() if x.status == 503)
    with pytest.raises(ValueError):  # no OCPI body
        answer.response_json()


def test_offline_an_allowed_offline_token_pushed_not_valid_does_not_charge(pair: Pair) -> None:
    pair.push(OFFLINE_CARD, valid=False)
    pair.emsp.state[OFFLINE] = True
    presented = pair.present(OFFLINE_CARD)
    assert (presented.session, presented.refused, presented.asked) == (None, "INVALID", True)


def test_an_emsp_that_answers_unknown_token_is_not_offline(pair: Pair) -> None:
    pair.push(OFFLINE_CARD)
    pair.emsp.owned["tokens"] = [t for t in pair.emsp.owned["tokens"] if t["uid"] != OFFLINE_CARD]
    presented = pair.present(OFFLINE_CARD, "OTHER")  # the eMSP answers 2004: a response, so no whitelist
    assert (presented.session, presented.refused, presented.asked) == (None, "UNKNOWN_TOKEN", True)
    assert pair.asks() == [404]


def test_the_faults_around_allowed_offline(pair: Pair) -> None:
    pair.push(OFFLINE_CARD)
    pair.cpo.behaviours = PROFILES.compose("charger_refuses_offline")
    pair.emsp.state[OFFLINE] = True
    refused = pair.present(OFFLINE_CARD)
    assert (refused.session, refused.refused, refused.asked) == (None, "EMSP_UNREACHABLE", True)
    pair.emsp.state.pop(OFFLINE)
    pair.cpo.behaviours = PROFILES.compose("charger_offline_whitelisted")
    whitelisted = pair.present(OFFLINE_CARD)
    assert whitelisted.session is not None and not whitelisted.asked
    assert whitelisted.session["auth_method"] == "WHITELIST"
    assert pair.asks() == [503]
