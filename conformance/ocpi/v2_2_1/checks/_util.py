"""Small readers shared by the checks: the envelope of a recorded exchange, DateTimes and friendly renderings."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from typing import Any

from conformance.core.exchange import Exchange
from conformance.ocpi.types import parse_datetime

__all__ = ["answer", "body_unreadable", "data_of", "envelope", "media_type", "moment", "number", "short",
           "status_code_of"]


def envelope(exchange: Exchange) -> dict[str, Any] | None:
    """The parsed OCPI envelope, or None when the body is absent, not JSON or not an object."""
    try:
        body = exchange.response_json()
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def body_unreadable(exchange: Exchange) -> str | None:
    """Why the response body is no JSON text at all, when it is not valid UTF-8 (JSON is UTF-8 on the wire):
    the first bad byte and where it stands; None when the body is valid UTF-8 (or absent)."""
    raw = exchange.raw_response_body
    if not raw:
        return None
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return f"the body is not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})"
    return None


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


def number(value: Any) -> Decimal | None:
    """A JSON number as an exact Decimal (None for anything else, booleans included)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return Decimal(str(value))


def data_of(exchange: Exchange) -> Any:
    """The data field of the exchange's envelope, or None."""
    body = envelope(exchange)
    return body.get("data") if body else None


def status_code_of(exchange: Exchange) -> Any:
    """The status_code of the exchange's envelope, or None."""
    body = envelope(exchange)
    return body.get("status_code") if body else None


def media_type(header: str | None) -> str:
    """The media type of a Content-Type header, without its parameters (charset), in lower case; "" when absent."""
    return (header or "").split(";")[0].strip().lower()


def answer(exchange: Exchange) -> str:
    """The HTTP status and the status_code of an answer, as a problem's actual value."""
    return f"HTTP {exchange.status}, status_code {short(status_code_of(exchange))}"
