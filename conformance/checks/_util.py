"""Small readers shared by the checks: the envelope of a recorded exchange and friendly renderings."""

from __future__ import annotations

import json
from typing import Any

from conformance.exchange import Exchange

__all__ = ["envelope", "short"]


def envelope(exchange: Exchange) -> dict[str, Any] | None:
    """The parsed OCPI envelope, or None when the body is absent, not JSON or not an object."""
    try:
        body = exchange.response_json()
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def short(value: Any, limit: int = 200) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"
