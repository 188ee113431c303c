"""OCPI status code and HTTP header tables, checked against the specification text."""

from __future__ import annotations

import re

import pytest

from conformance.ocpi import headers
from conformance.ocpi.status_codes import (
    CUSTOM_RANGES,
    StatusCode,
    category,
    is_custom,
    is_standard,
    is_success,
)
from tests.spec_paths import OCPI_2_2_1_DIR, Table, iter_sections, requires_spec

spec = pytest.mark.spec

# Words of our names that only restate the category, not the spec's description.
_CATEGORY_WORDS = {"CLIENT", "SERVER", "HUB", "ERROR", "SUCCESS"}


def _spec_code_tables() -> list[Table]:
    tables = []
    for section in iter_sections(OCPI_2_2_1_DIR / "status_codes.asciidoc"):
        table = section.first_table()
        if table is not None and table.header[0] == "Code":
            tables.append(table)
    return tables


def _spec_codes() -> dict[int, str]:
    return {int(row[0]): row[1] for table in _spec_code_tables() for row in table.rows if row[0].isdigit()}


# --------------------------------------------------------------------------- offline


def test_status_code_table() -> None:
    codes = "1000 2000 2001 2002 2003 2004 3000 3001 3002 3003 4000 4001 4002 4003"
    assert [int(c) for c in StatusCode] == [int(c) for c in codes.split()]
    assert StatusCode.GENERIC_HUB_ERROR.value == 4000
    assert StatusCode.UNKNOWN_RECEIVER.value == 4001
    assert StatusCode(2001) is StatusCode.INVALID_OR_MISSING_PARAMETERS


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (1000, "success"),
        (1901, "success"),
        (2004, "client error"),
        (2999, "client error"),
        (3003, "server error"),
        (4000, "hub error"),
        (4999, "hub error"),
        (999, "unknown"),
        (5000, "unknown"),
        (200, "unknown"),
        (0, "unknown"),
    ],
)
def test_category(code: int, expected: str) -> None:
    assert category(code) == expected


def test_is_success() -> None:
    assert is_success(1000) and is_success(1950)
    assert not is_success(2000) and not is_success(200) and not is_success(999)


def test_custom_ranges() -> None:
    assert [(r.start, r.stop) for r in CUSTOM_RANGES.values()] == [
        (1900, 2000),
        (2900, 3000),
        (3900, 4000),
        (4900, 5000),
    ]
    assert is_custom(1900) and is_custom(2999) and is_custom(4950)
    assert not is_custom(1899) and not is_custom(2004) and not is_custom(5900)
    assert all(category(r.start) == name for name, r in CUSTOM_RANGES.items())


def test_is_standard() -> None:
    assert is_standard(2003)
    assert not is_standard(2005) and not is_standard(1900)


def test_routing_headers() -> None:
    assert headers.ROUTING_HEADERS == (
        "OCPI-to-party-id",
        "OCPI-to-country-code",
        "OCPI-from-party-id",
        "OCPI-from-country-code",
    )
    assert headers.same_header("x-request-id", headers.X_REQUEST_ID)
    assert not headers.same_header("X-Request-ID", headers.X_CORRELATION_ID)


# --------------------------------------------------------------------------- against the spec


@spec
@requires_spec
def test_status_codes_equal_the_spec() -> None:
    spec_codes = _spec_codes()
    assert len(spec_codes) >= 14
    assert sorted(spec_codes) == [int(c) for c in StatusCode]


@spec
@requires_spec
@pytest.mark.parametrize("code", list(StatusCode), ids=lambda c: c.name)
def test_status_code_names_follow_the_spec_wording(code: StatusCode) -> None:
    """Each word of the name (except category words) is in the spec's description of that code.

    This catches a name attached to the wrong number, e.g. a generic hub error shipped as 4001.
    """
    description = _spec_codes()[int(code)].lower()
    words = [w for w in code.name.split("_") if w not in _CATEGORY_WORDS]
    missing = [w for w in words if w.lower() not in re.findall(r"[a-z]+", description)]
    assert missing == [], f"{code.name} vs spec description {description!r}"


@spec
@requires_spec
def test_custom_ranges_equal_the_spec() -> None:
    found = []
    for table in _spec_code_tables():
        for code, description in table.rows:
            if code.endswith("xx"):
                match = re.search(r"\((\d{4})-(\d{4})\)", description)
                assert match, description
                found.append(range(int(match.group(1)), int(match.group(2)) + 1))
    assert found == list(CUSTOM_RANGES.values())


@spec
@requires_spec
@pytest.mark.parametrize(
    "name",
    [n for n in headers.__all__ if n.isupper() and isinstance(getattr(headers, n), str)],
)
def test_header_constants_are_spelled_as_in_the_spec(name: str) -> None:
    value = getattr(headers, name)
    text = "\n".join(p.read_text("utf-8") for p in OCPI_2_2_1_DIR.glob("*.asciidoc"))
    assert re.search(rf"(?<![\w-]){re.escape(value)}(?![\w-])", text), f"{name}={value!r} not in the spec"


@spec
@requires_spec
def test_routing_header_order_follows_the_spec_table() -> None:
    for section in iter_sections(OCPI_2_2_1_DIR / "transport_and_format.asciidoc"):
        table = section.first_table()
        if table is not None and table.header[0] == "HTTP Header" and table.rows[0][0].startswith("OCPI-"):
            assert tuple(row[0] for row in table.rows) == headers.ROUTING_HEADERS
            return
    pytest.fail("routing header table not found in transport_and_format.asciidoc")
