"""Deterministic Tokens the reference eMSP owns and serves as Tokens Sender (mod_tokens_token_object).

RFID cards, app users, an ad-hoc token and an OTHER token; every WhitelistType; valid and invalid ones. Some
tokens carry a ``group_id`` (a card and a key fob of one driver) or an ``energy_contract``. What the eMSP knows
about a token beyond the Token object (why an invalid token is refused, the Locations a token is limited to) is
kept in :data:`STANDING` and :data:`RESTRICTED`, keyed by the upper-cased uid.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

__all__ = ["RESTRICTED", "STANDING", "seed_tokens"]

# Why an invalid token may not charge (AllowedType); a valid token not listed here is ALLOWED.
STANDING = {"04A1B2C3D4E5F6": "BLOCKED", "04F0E1D2C3B4A5": "EXPIRED", "04778899AABBCC": "NO_CREDIT"}
# Tokens limited to some Locations (location ids, upper-cased): NOT_ALLOWED elsewhere.
RESTRICTED = {"04DEADBEEF0102": frozenset({"LOC-DEPOT-EINDHOVEN"})}

# (uid, type, whitelist, valid, visual suffix, extras)
_TOKENS: tuple[tuple[str, str, str, bool, str, dict[str, Any]], ...] = (
    ("04938F2A6B1C80", "RFID", "ALLOWED", True, "000001", {"group_id": "REM-GRP-0001", "language": "nl"}),
    ("04938F2A6B1C81", "OTHER", "ALLOWED_OFFLINE", True, "000002", {"group_id": "REM-GRP-0001", "language": "nl"}),
    ("0455C1E2A3B4D5", "RFID", "ALWAYS", True, "000003",
     {"language": "en", "energy_contract": {"supplier_name": "Groene Stroom BV", "contract_id": "GS-7781-22"}}),
    ("04A1B2C3D4E5F6", "RFID", "ALLOWED", False, "000004", {"language": "de"}),
    ("b3d1f0a2-7c4e-4f55-9a1e-5d2c8e6f0a11", "APP_USER", "NEVER", True, "000005",
     {"language": "en", "default_profile_type": "GREEN"}),
    ("04F0E1D2C3B4A5", "RFID", "ALLOWED", False, "000006", {"language": "fr"}),
    ("7f3e2d1c-0b9a-4876-8c5d-4e3f2a1b0c9d", "AD_HOC_USER", "NEVER", True, "000007", {}),
    ("04778899AABBCC", "RFID", "NEVER", False, "000008", {"default_profile_type": "CHEAP"}),
    ("04DEADBEEF0102", "RFID", "ALLOWED", True, "000009",
     {"group_id": "REM-FLEET-EHV", "issuer": "Fleet Services Eindhoven",
      "energy_contract": {"supplier_name": "Energie Direct"}}),
)


def seed_tokens(*, country_code: str = "NL", party_id: str = "REM",
                base_time: datetime = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)) -> list[dict[str, Any]]:
    """The eMSP's Tokens, last updated over about eight days before ``base_time``, oldest first."""
    tokens = []
    for index, (uid, token_type, whitelist, valid, suffix, extras) in enumerate(_TOKENS):
        contract_id = f"{country_code}-{party_id}-C{suffix}"
        token: dict[str, Any] = {
            "country_code": country_code,
            "party_id": party_id,
            "uid": uid,
            "type": token_type,
            "contract_id": contract_id,
            "issuer": "roamcert reference eMSP",
            "valid": valid,
            "whitelist": whitelist,
        }
        if token_type in ("RFID", "OTHER"):
            token["visual_number"] = f"{country_code}{party_id}{suffix}"
        token.update({k: v for k, v in extras.items()})
        moment = base_time - timedelta(days=8) + timedelta(hours=21 * index, minutes=7 * index)
        token["last_updated"] = moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        tokens.append(token)
    return tokens
