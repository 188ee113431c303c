"""OCPI status codes (the ``status_code`` of the response envelope), as a code table.

The standard codes are the same in OCPI 2.2 and 2.2.1 (spec anchor
``status_codes_status_codes``). The first digit gives the category; within
each category the ``x9xx`` block (1900-1999, 2900-2999, 3900-3999, 4900-4999)
is reserved for custom, non-standard codes, which standard OCPI modules must
not use.
"""

from __future__ import annotations

import enum

__all__ = [
    "CATEGORIES",
    "CUSTOM_RANGES",
    "StatusCode",
    "category",
    "is_custom",
    "is_standard",
    "is_success",
]


class StatusCode(enum.IntEnum):
    """The standard OCPI status codes, named after the spec's wording."""

    # 1xxx: success
    GENERIC_SUCCESS = 1000
    # 2xxx: client errors (the client sent something the server cannot process)
    GENERIC_CLIENT_ERROR = 2000
    INVALID_OR_MISSING_PARAMETERS = 2001
    NOT_ENOUGH_INFORMATION = 2002
    UNKNOWN_LOCATION = 2003
    UNKNOWN_TOKEN = 2004
    # 3xxx: server errors (the server failed while handling a valid request)
    GENERIC_SERVER_ERROR = 3000
    UNABLE_TO_USE_CLIENT_API = 3001
    UNSUPPORTED_VERSION = 3002
    NO_MATCHING_ENDPOINTS = 3003
    # 4xxx: hub errors (a hub failed while routing)
    GENERIC_HUB_ERROR = 4000
    UNKNOWN_RECEIVER = 4001
    TIMEOUT_ON_FORWARDED_REQUEST = 4002
    CONNECTION_PROBLEM = 4003


#: Category name by first digit of the code.
CATEGORIES: dict[int, str] = {
    1: "success",
    2: "client error",
    3: "server error",
    4: "hub error",
}

#: The reserved custom block of each category.
CUSTOM_RANGES: dict[str, range] = {
    "success": range(1900, 2000),
    "client error": range(2900, 3000),
    "server error": range(3900, 4000),
    "hub error": range(4900, 5000),
}


def category(code: int) -> str:
    """``"success"``, ``"client error"``, ``"server error"``, ``"hub error"`` or ``"unknown"``."""
    if 1000 <= code <= 4999:
        return CATEGORIES[code // 1000]
    return "unknown"


def is_success(code: int) -> bool:
    """True for the 1xxx range (standard or custom success codes)."""
    return 1000 <= code <= 1999


def is_custom(code: int) -> bool:
    """True for codes in one of the reserved custom blocks (19xx, 29xx, 39xx, 49xx)."""
    return any(code in block for block in CUSTOM_RANGES.values())


def is_standard(code: int) -> bool:
    """True for the codes the spec defines (members of :class:`StatusCode`)."""
    return code in StatusCode._value2member_map_
