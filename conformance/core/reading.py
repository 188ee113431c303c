"""Reading an HTTP answer within bounds: a total deadline and a size cap on the decoded body.

A partner under test may drip one byte a second, answer with 20 MB, or with a gzip bomb. roamcert reads the
answer as a stream under one deadline for connect, headers and body together, and inflates a gzip or deflate body
itself, never more than one byte past the cap, so what it holds in memory is bounded by the cap whatever the
compression ratio. Rate-limit answers (429, 503) say when to come back in ``Retry-After``: seconds or an HTTP-date.
"""

from __future__ import annotations

import asyncio
import time
import zlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx

__all__ = ["DEFAULT_MAX_RESPONSE_BYTES", "Reading", "read_bounded", "retry_after", "size"]

DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024
_RAW_CHUNK = 16 * 1024  # compressed bytes fed to the inflater at a time


def size(count: int) -> str:
    """A byte count as people read it (4 MiB, 512 KiB, 100 bytes)."""
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if count >= scale:
            return f"{count / scale:g} {unit}" if count % scale == 0 else f"{count / scale:.1f} {unit}"
    return f"{count} bytes"


@dataclass
class Reading:
    """What came back: the response (None when no headers came), the decoded body read, and why reading stopped
    early (``limit``: one of roamcert's bounds; ``error``: the transport failed)."""

    response: httpx.Response | None
    body: bytes
    limit: str | None = None
    error: str | None = None
    elapsed_ms: float = 0.0


class _Inflater:
    """gzip / deflate decoding that never produces more than asked for at a time."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self._zlib = zlib.decompressobj(wbits=zlib.MAX_WBITS | 32)  # gzip or zlib header, detected
        self._started = False

    def feed(self, data: bytes, room: int) -> bytes:
        """At most ``room`` decoded bytes from ``data`` (the rest of ``data`` is kept for the next call)."""
        if not self._started and self.encoding == "deflate" and data:
            self._started = True
            try:  # "deflate" is a zlib stream by the HTTP spec, raw deflate in the wild: try the first, then the other
                return self._zlib.decompress(data, room)
            except zlib.error:
                self._zlib = zlib.decompressobj(wbits=-zlib.MAX_WBITS)
        self._started = True
        return self._zlib.decompress(data, room)

    def tail(self, room: int) -> bytes:
        return self._zlib.decompress(self._zlib.unconsumed_tail, room) if self._zlib.unconsumed_tail else b""


async def _decoded(response: httpx.Response, cap: int, body: bytearray) -> AsyncIterator[None]:
    """Fill ``body`` from the response, decoded, up to ``cap + 1`` bytes; yields after each piece."""
    if response.is_stream_consumed:  # an answer already held whole (a test transport): nothing left to stream
        body += response.content[: cap + 1]
        yield
        return
    encoding = response.headers.get("Content-Encoding", "identity").strip().lower()
    if encoding in ("gzip", "x-gzip", "deflate"):
        inflater = _Inflater(encoding)
        async for raw in response.aiter_raw():
            for start in range(0, len(raw), _RAW_CHUNK):
                body += inflater.feed(raw[start:start + _RAW_CHUNK], cap + 1 - len(body))
                while len(body) <= cap and (more := inflater.tail(cap + 1 - len(body))):
                    body += more
                yield
                if len(body) > cap:
                    return
        return
    # identity, or an encoding roamcert does not inflate itself (httpx decodes it): counted as it comes
    chunks = response.aiter_raw() if encoding in ("", "identity") else response.aiter_bytes()
    async for chunk in chunks:
        body += chunk[: cap + 1 - len(body)]
        yield
        if len(body) > cap:
            return


async def read_bounded(http: httpx.AsyncClient, request: httpx.Request, *, deadline: float,
                       max_bytes: int = DEFAULT_MAX_RESPONSE_BYTES) -> Reading:
    """Send ``request`` and read its answer: the whole exchange within ``deadline`` seconds, the decoded body up to
    ``max_bytes``. Never raises for what the other side does; the Reading says what happened."""
    started = time.perf_counter()
    reading = Reading(None, b"")
    body = bytearray()
    try:
        async with asyncio.timeout(deadline):
            response = await http.send(request, stream=True, follow_redirects=False)  # never with credentials
            reading.response = response
            try:
                async for _ in _decoded(response, max_bytes, body):
                    pass
            finally:
                await response.aclose()
    except TimeoutError:
        got = (f"HTTP {reading.response.status_code} and {size(len(body))} of its body"
               if reading.response is not None else "no response headers")
        reading.limit = f"total deadline of {deadline:.3g} s (connect, headers and body) reached with {got}"
    except (httpx.HTTPError, zlib.error) as exc:
        kind = "the body could not be decoded" if isinstance(exc, zlib.error | httpx.DecodingError) else ""
        detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        reading.error = f"{kind} ({detail})" if kind else detail
    if len(body) > max_bytes:
        del body[max_bytes:]
        status = reading.response.status_code if reading.response is not None else "?"
        reading.limit = (f"response-size cap of {size(max_bytes)} reached: the decoded body of the HTTP {status} "
                         f"answer is larger, roamcert stopped reading it")
    reading.body = bytes(body)
    reading.elapsed_ms = (time.perf_counter() - started) * 1000
    return reading


def retry_after(response: httpx.Response | None, now: datetime | None = None) -> float | None:
    """The seconds a 429 or 503 answer asks to wait before trying again, or None (another status, no or an
    unreadable Retry-After). An HTTP-date in the past means now (0)."""
    if response is None or response.status_code not in (429, 503):
        return None
    value = (response.headers.get("Retry-After") or "").strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
