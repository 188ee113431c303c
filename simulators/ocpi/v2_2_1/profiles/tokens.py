"""OCPI 2.2.1 fault profiles: the Tokens module, both sides.
Each replaces behaviours of the reference platforms (simulators/behaviours.py): the eMSP's real-time
authorization (simulators/ocpi/v2_2_1/tokens_sender.py) and the CPO's Receiver, mostly through the steps every
Receiver shares (simulators/ocpi/v2_2_1/receiving.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from simulators.behaviours import replace, set_to
from simulators.ocpi.endpoint import Call
from simulators.ocpi.party import Party
from simulators.ocpi.v2_2_1 import tokens_receiver, tokens_sender
from simulators.ocpi.v2_2_1.profiles._register import profile
from simulators.ocpi.v2_2_1.profiles.receivers import dropping, invalid_accepted, patch_ignored
from simulators.ocpi.v2_2_1.receiving import KEPT, PATCH, RULES, for_kinds

Allowed = Callable[[Party, dict[str, Any], dict[str, Any] | None], str]
Info = Callable[[dict[str, Any], dict[str, Any] | None, str], dict[str, Any]]

# -- real-time authorization (eMSP) -----------------------------------------------------------------------------


def _blocked(party: Party, token: dict[str, Any], location: dict[str, Any] | None) -> str:
    return "BLOCKED"


def _as_if_valid(allowed: Allowed) -> Allowed:
    return lambda party, token, location: allowed(party, {**token, "valid": True}, location)


def _free_evse(party: Party, location: dict[str, Any]) -> bool:
    """Whether a Location pushed to this eMSP under the id asked about has an AVAILABLE EVSE (any, when unknown)."""
    wanted = str(location.get("location_id", "")).upper()
    for key, pushed in party.received.get("locations", {}).items():
        if key[-1] == wanted:
            return any(evse.get("status") == "AVAILABLE" for evse in pushed.get("evses") or [])
    return True


def _judges_location_state(allowed: Allowed) -> Allowed:
    # The EVSE status says nothing about whether the driver may charge: a CPO asks before the EVSE is in use.
    def judged(party: Party, token: dict[str, Any], location: dict[str, Any] | None) -> str:
        answer = allowed(party, token, location)
        if answer == "ALLOWED" and location is not None and not _free_evse(party, location):
            return "NOT_ALLOWED"
        return answer

    return judged


def _without_reference(info: Info) -> Info:
    return lambda token, location, allowed: {k: v for k, v in info(token, location, allowed).items()
                                             if k != "authorization_reference"}


def _no_location(location: dict[str, Any] | None) -> None:
    return None


def _made_up(party: Party, uid: str, token_type: str) -> dict[str, Any]:
    """A Token the eMSP never issued, answered as its own."""
    emsp = party.identity("EMSP")
    return {"country_code": emsp.country_code, "party_id": emsp.party_id, "uid": uid, "type": token_type,
            "contract_id": f"{emsp.country_code}-{emsp.party_id}-C999999", "issuer": "unknown",
            "valid": True, "whitelist": "ALLOWED", "last_updated": party.now()}


# -- Receiver (CPO) ---------------------------------------------------------------------------------------------


def _rfid(call: Call) -> str:
    return "RFID"


profile("authorize_valid_token_refused", "Real-time authorization answers BLOCKED even for a valid Token.",
        roles=("EMSP",), trips=("ocpi.tokens.authorize_valid",), replaces=[set_to(tokens_sender.ALLOWED, _blocked)])

profile("authorize_without_reference", "An ALLOWED real-time authorization carries no authorization_reference.",
        roles=("EMSP",), trips=("ocpi.tokens.authorize_reference",),
        replaces=[replace(tokens_sender.INFO, _without_reference)])

profile("authorize_ignores_location", "Real-time authorization ignores the LocationReferences it is given: "
        "no restriction applied, no location echoed.", roles=("EMSP",), trips=("ocpi.tokens.authorize_location",),
        replaces=[set_to(tokens_sender.LOCATION, _no_location)])

profile("authorize_invalid_token_allowed", "Real-time authorization answers ALLOWED for an invalid Token.",
        roles=("EMSP",), trips=("ocpi.tokens.authorize_invalid",),
        replaces=[replace(tokens_sender.ALLOWED, _as_if_valid)])

profile("authorize_unknown_token_allowed", "Real-time authorization of an unknown Token answers ALLOWED with a "
        "made-up Token instead of 2004.", roles=("EMSP",), trips=("ocpi.tokens.authorize_unknown",),
        replaces=[set_to(tokens_sender.UNKNOWN_TOKEN, _made_up)])

profile("token_stored_altered", "Pushed Tokens are stored without their visual_number.", roles=("CPO",),
        trips=("ocpi.tokens.receiver_stored",), replaces=[replace(KEPT, for_kinds(dropping("visual_number"), "Token"))])

profile("token_patch_ignored", "A Token PATCH is acknowledged with 1000 but not applied.", roles=("CPO",),
        trips=("ocpi.tokens.receiver_patched",), replaces=[replace(PATCH, for_kinds(patch_ignored, "Token"))])

profile("token_type_ignored", "Tokens are stored and looked up by uid alone: the type parameter is ignored.",
        roles=("CPO",), trips=("ocpi.tokens.receiver_type",), replaces=[set_to(tokens_receiver.TYPE, _rfid)])

profile("token_invalid_accepted", "Pushed Tokens that break the schema are stored and acknowledged with 1000.",
        roles=("CPO",), trips=("ocpi.tokens.receiver_invalid_not_stored",),
        replaces=[replace(RULES, for_kinds(invalid_accepted, "Token"))])

profile("authorize_judges_location_state", "Real-time authorization answers NOT_ALLOWED at a Location whose pushed "
        "EVSEs are none of them AVAILABLE.", roles=("EMSP",), trips=("ocpi.tokens.authorize_regardless_of_state",),
        replaces=[replace(tokens_sender.ALLOWED, _judges_location_state)])
