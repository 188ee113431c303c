"""Bounded reading (core/reading.py): Retry-After in both forms, and deflate bodies decoded as the wild sends them."""

from __future__ import annotations

import asyncio
import zlib
from datetime import UTC, datetime

import httpx
import pytest

from conformance.core.reading import read_bounded, retry_after, size

NOW = datetime(2026, 1, 5, 8, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(("status", "value", "wait"), [
    (429, "7", 7.0), (503, "0", 0.0), (429, "Mon, 05 Jan 2026 08:00:30 GMT", 30.0),
    (503, "Mon, 05 Jan 2026 07:00:00 GMT", 0.0),  # a date past: now
    (429, "soon", None), (429, "-3", None), (429, "", None), (200, "5", None), (500, "5", None)])
def test_retry_after(status: int, value: str, wait: float | None) -> None:
    response = httpx.Response(status, headers={"Retry-After": value} if value else {})
    assert retry_after(response, NOW) == wait


def test_size_reads_as_people_do() -> None:
    assert [size(n) for n in (100, 512 * 1024, 4 << 20, 1536 << 10, 1 << 30)] == [
        "100 bytes", "512 KiB", "4 MiB", "1.5 MiB", "1 GiB"]


def _read(body: bytes, encoding: str, cap: int) -> tuple[bytes, str | None]:
    async def call() -> tuple[bytes, str | None]:
        def handler(request: httpx.Request) -> httpx.Response:
            return httpx.Response(200, stream=httpx.ByteStream(body), headers={"Content-Encoding": encoding})
        async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
            reading = await read_bounded(http, http.build_request("GET", "http://sut.test/"), deadline=5,
                                         max_bytes=cap)
            return reading.body, reading.limit
    return asyncio.run(call())


TEXT = b'{"data": [], "status_code": 1000}' * 100


@pytest.mark.parametrize("wbits", [zlib.MAX_WBITS, -zlib.MAX_WBITS, zlib.MAX_WBITS | 16])
def test_deflate_zlib_raw_and_gzip_are_decoded(wbits: int) -> None:
    packer = zlib.compressobj(6, zlib.DEFLATED, wbits)
    encoded = packer.compress(TEXT) + packer.flush()
    assert _read(encoded, "gzip" if wbits > 16 else "deflate", 1 << 20) == (TEXT, None)


def test_the_cap_counts_decoded_bytes() -> None:
    body, limit = _read(zlib.compress(TEXT), "deflate", 1000)
    assert body == TEXT[:1000] and limit is not None and limit.startswith("response-size cap of 1000 bytes")
