"""OCPI basic types that the harness and the simulators compute with (types.asciidoc)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

__all__ = ["DATETIME_RE", "ci_equal", "format_datetime", "is_ocpi_datetime", "parse_datetime"]

# UTC only; the zone designator may be absent (then UTC is implied); fractional seconds allowed; no offsets.
DATETIME_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?Z?")


def is_ocpi_datetime(value: object) -> bool:
    if not isinstance(value, str) or not DATETIME_RE.fullmatch(value):
        return False
    try:
        parse_datetime(value)
    except ValueError:
        return False
    return True


def parse_datetime(value: str) -> datetime:
    """Parse an OCPI DateTime (or, leniently, any RFC 3339 timestamp) into an aware UTC datetime."""
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    match = re.match(r"^(.*T\d{2}:\d{2}:\d{2})\.(\d+)(.*)$", text)
    if match:  # fromisoformat in 3.11 takes at most 6 fraction digits
        text = f"{match[1]}.{match[2][:6].ljust(6, '0')}{match[3]}"
    parsed = datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def format_datetime(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def ci_equal(left: object, right: object) -> bool:
    """CiString comparison: case-insensitive for strings, plain equality otherwise."""
    if isinstance(left, str) and isinstance(right, str):
        return left.casefold() == right.casefold()
    return left == right
