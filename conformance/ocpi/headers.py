"""HTTP header names used by OCPI 2.2.1, spelled as the spec spells them.

HTTP header names are case-insensitive; compare with :func:`same_header` (or
lower-case both sides) rather than ``==``.
"""

from __future__ import annotations

import re

__all__ = [
    "AUTHORIZATION",
    "AUTHORIZATION_SCHEME",
    "CONTENT_TYPE",
    "JSON_MEDIA_TYPE",
    "LINK",
    "LOCATION",
    "OCPI_FROM_COUNTRY_CODE",
    "OCPI_FROM_PARTY_ID",
    "OCPI_TO_COUNTRY_CODE",
    "OCPI_TO_PARTY_ID",
    "PAGINATION_HEADERS",
    "ROUTING_FROM_HEADERS",
    "ROUTING_HEADERS",
    "ROUTING_TO_HEADERS",
    "UNIQUE_ID_HEADERS",
    "X_CORRELATION_ID",
    "X_LIMIT",
    "X_REQUEST_ID",
    "X_TOTAL_COUNT",
    "next_url",
    "same_header",
]

# Authentication (transport_and_format_authorization_header)
AUTHORIZATION = "Authorization"
AUTHORIZATION_SCHEME = "Token"  # "Authorization: Token <base64 of the credentials token>"

# Request body type (transport_and_format_request_format)
CONTENT_TYPE = "Content-Type"
JSON_MEDIA_TYPE = "application/json"

# Unique message IDs (transport_and_format_unique_messageg_ids)
X_REQUEST_ID = "X-Request-ID"
X_CORRELATION_ID = "X-Correlation-ID"

# Pagination response headers (transport_and_format_paginated_response)
LINK = "Link"
X_TOTAL_COUNT = "X-Total-Count"
X_LIMIT = "X-Limit"

# Message routing (transport_and_format_message_routing)
OCPI_TO_PARTY_ID = "OCPI-to-party-id"
OCPI_TO_COUNTRY_CODE = "OCPI-to-country-code"
OCPI_FROM_PARTY_ID = "OCPI-from-party-id"
OCPI_FROM_COUNTRY_CODE = "OCPI-from-country-code"

# URL of a newly created object, e.g. a CDR POSTed to an eMSP (mod_cdrs_response_headers)
LOCATION = "Location"

ROUTING_TO_HEADERS: tuple[str, ...] = (OCPI_TO_PARTY_ID, OCPI_TO_COUNTRY_CODE)
ROUTING_FROM_HEADERS: tuple[str, ...] = (OCPI_FROM_PARTY_ID, OCPI_FROM_COUNTRY_CODE)
#: The four routing headers, in the order of the spec's table.
ROUTING_HEADERS: tuple[str, ...] = ROUTING_TO_HEADERS + ROUTING_FROM_HEADERS
PAGINATION_HEADERS: tuple[str, ...] = (LINK, X_TOTAL_COUNT, X_LIMIT)
UNIQUE_ID_HEADERS: tuple[str, ...] = (X_REQUEST_ID, X_CORRELATION_ID)


def same_header(a: str, b: str) -> bool:
    """Case-insensitive comparison of two header names."""
    return a.casefold() == b.casefold()


_LINK = re.compile(r"<([^>]*)>((?:\s*;\s*[^;,<]+)*)")
_PARAM = re.compile(r'([A-Za-z*-]+)\s*=\s*("[^"]*"|[^;,\s]+)')


def next_url(link_header: str | None) -> str | None:
    """The URL of the link in a ``Link`` header whose rel includes "next" (RFC 8288: rel is a space-separated
    list), or None."""
    if not link_header:
        return None
    for match in _LINK.finditer(link_header):
        rels: list[str] = next((p[1].strip('"').lower().split() for p in _PARAM.findall(match.group(2))
                                if p[0].lower() == "rel"), [])
        if "next" in rels:
            return match.group(1).strip()
    return None
