"""A deliberately hostile OCPI partner over real HTTP: it drips, floods, bombs, rate-limits and mislabels.

Each path is one misbehaviour; the server runs in a thread on a free loopback port (:func:`hostile_server`).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import socket
import struct
import threading
import time
import zlib
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from email.utils import formatdate

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

__all__ = ["BOMB_INFLATED", "ENVELOPE", "gzip_bomb", "hostile_server"]

ENVELOPE = b'{"data": [], "status_code": 1000, "timestamp": "2026-01-05T08:00:00Z"}'
BOMB_INFLATED = 1 << 30  # 1 GiB of zeros


def gzip_bomb(inflated: int = BOMB_INFLATED) -> bytes:
    """A valid gzip member of ``inflated`` zero bytes (a multiple of 1 MiB), about 1 MiB compressed for 1 GiB.
    Built in well under a second: after a full flush the deflate state is reset, so every further MiB of zeros
    compresses to the same bytes, repeated; the trailer holds the true CRC-32 and length."""
    mib = bytes(1 << 20)
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    first = packer.compress(mib) + packer.flush(zlib.Z_FULL_FLUSH)
    again = packer.compress(mib) + packer.flush(zlib.Z_FULL_FLUSH)
    final_block = packer.flush(zlib.Z_FINISH)[:-8]  # the last (empty) block, without the packer's own trailer
    crc = 0
    for _ in range(inflated >> 20):
        crc = zlib.crc32(mib, crc)
    return first + again * ((inflated >> 20) - 1) + final_block + struct.pack("<II", crc, inflated & 0xFFFFFFFF)


def _app(bomb: bytes) -> Starlette:
    hits: Counter[str] = Counter()
    json_type = {"Content-Type": "application/json"}

    async def drip(request: Request) -> StreamingResponse:
        async def body() -> AsyncIterator[bytes]:
            yield b"{"
            for _ in range(600):  # one byte every half second: never a read timeout, never an end
                await asyncio.sleep(0.5)
                yield b" "
        return StreamingResponse(body(), headers=json_type)

    async def silent(request: Request) -> Response:
        await asyncio.sleep(60)  # no headers at all
        return Response(ENVELOPE, headers=json_type)

    async def flood(request: Request) -> StreamingResponse:
        size = int(request.query_params.get("mb", "20")) << 20

        async def body() -> AsyncIterator[bytes]:
            yield b'{"data": "'
            chunk = b"x" * 65536
            for _ in range(size // len(chunk)):
                yield chunk
            yield b'", "status_code": 1000, "timestamp": "2026-01-05T08:00:00Z"}'
        return StreamingResponse(body(), headers=json_type)

    async def bombed(request: Request) -> Response:
        return Response(bomb, headers={**json_type, "Content-Encoding": "gzip"})

    async def rate_limited(request: Request) -> Response:
        """429 with Retry-After (seconds) the first ``times`` calls of a ``key``, then a proper answer; with
        ``date``, 503 with an HTTP-date one second ahead."""
        key = request.query_params.get("key", "")
        hits[key] += 1
        if hits[key] <= int(request.query_params.get("times", "1")):
            if "date" in request.query_params:
                return Response(b'{"status_code": 3000, "timestamp": "2026-01-05T08:00:00Z"}', 503,
                                headers={**json_type, "Retry-After": formatdate(time.time() + 1, usegmt=True)})
            return Response(b'{"status_code": 3000, "timestamp": "2026-01-05T08:00:00Z"}', 429,
                            headers={**json_type, "Retry-After": request.query_params.get("after", "1")})
        return Response(ENVELOPE, headers=json_type)

    async def mislabelled(request: Request) -> Response:
        status = int(request.query_params.get("status", "200"))
        return Response(ENVELOPE if status < 400 else b'{"status_code": 2003, "timestamp": "2026-01-05T08:00:00Z"}',
                        status, headers={"Content-Type": request.query_params.get("type", "text/plain")})

    async def not_utf8(request: Request) -> Response:
        status = int(request.query_params.get("status", "200"))
        return Response(b'{"data": [], "status_code": 1000, "status_message": "caf\xe9", '
                        b'"timestamp": "2026-01-05T08:00:00Z"}', status, headers=json_type)

    return Starlette(routes=[
        Route("/drip/{rest:path}", drip), Route("/silent/{rest:path}", silent), Route("/flood/{rest:path}", flood),
        Route("/bomb/{rest:path}", bombed), Route("/rate", rate_limited), Route("/mislabelled", mislabelled),
        Route("/not-utf8", not_utf8)])


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


_counter = itertools.count()


@contextmanager
def hostile_server(bomb: bytes = b"") -> Iterator[str]:
    """The hostile partner's base URL (http://127.0.0.1:PORT) while the block runs."""
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(_app(bomb), host="127.0.0.1", port=port, log_level="error",
                                           lifespan="off", timeout_graceful_shutdown=1))
    def run() -> None:
        with contextlib.suppress(asyncio.CancelledError):  # a dripping answer still open at shutdown
            server.run()

    thread = threading.Thread(target=run, name=f"hostile-{next(_counter)}", daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started, "the hostile server did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=5)
