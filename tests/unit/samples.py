"""Small OCPI objects the unit tests of the charging and push checks start from."""

from __future__ import annotations

from typing import Any

__all__ = ["TOKEN", "session"]

TOKEN = {"country_code": "NL", "party_id": "REM", "uid": "RC01AB", "type": "RFID", "contract_id": "NL-REM-C1"}


def session(**changes: Any) -> dict[str, Any]:
    """A PENDING Session of TOKEN at LOC1-1, with ``changes``."""
    base: dict[str, Any] = {
        "country_code": "NL", "party_id": "RCP", "id": "S1", "start_date_time": "2026-01-05T08:00:00Z", "kwh": 0,
        "cdr_token": dict(TOKEN), "auth_method": "WHITELIST", "location_id": "LOC1", "evse_uid": "LOC1-1",
        "connector_id": "1", "currency": "EUR", "status": "PENDING", "last_updated": "2026-01-05T08:00:00Z"}
    return {**base, **changes}
