"""Small readers shared by the checks: the envelope of a recorded exchange, DateTimes and friendly renderings."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from conformance.core.exchange import Exchange
from conformance.ocpi.types import parse_datetime

__all__ = ["envelope", "moment", "short"]


def envelope(exchange: Exchange) -> dict[str, Any] | None:
    """The parsed OCPI envelope, or None when the body is absent, not JSON or not an object."""
    try:
        body = exchange.response_json()
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def moment(value: Any) -> datetime | None:
    """A DateTime field read, or None when it is absent or unreadable (the schema checks report those)."""
    if not isinstance(value, str):
        return None
    try:
        return parse_datetime(value)
    except ValueError:
        return None


def short(value: Any, limit: int = 200) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"
