"""Real servers for the host tests: one playing the SUT, one playing another host, each recording every request
it receives (method, path, Authorization)."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

__all__ = ["REPORTS", "Site", "cases", "ok"]

REPORTS = ("results.ndjson", "report.html", "report.json", "junit.xml", "coverage.json")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def ok(data: Any, headers: dict[str, str] | None = None) -> JSONResponse:
    body = {"data": data, "status_code": 1000, "status_message": "Success",
            "timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")}
    return JSONResponse(body, headers=headers)


class Site:
    """A uvicorn server in a thread; ``seen`` lists every request it received (method, path, Authorization)."""

    def __init__(self, routes: Callable[[int], list[Route]] | None = None) -> None:
        self.port = _free_port()
        self.seen: list[tuple[str, str, str | None]] = []

        async def anything(request: Request) -> Response:
            return JSONResponse({"status_code": 2001, "status_message": "nothing here"}, status_code=404)

        methods = ["GET", "POST", "PUT", "PATCH", "DELETE"]
        app = Starlette(routes=[*(routes(self.port) if routes else []),
                                Route("/{path:path}", anything, methods=methods)])

        async def recording(scope: Any, receive: Any, send: Any) -> None:
            if scope["type"] == "http":
                headers = {k.decode().lower(): v.decode() for k, v in scope["headers"]}
                self.seen.append((scope["method"], scope["path"], headers.get("authorization")))
            await app(scope, receive, send)

        self.server = uvicorn.Server(uvicorn.Config(recording, host="127.0.0.1", port=self.port,
                                                    log_level="warning", lifespan="off"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> Site:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started and time.monotonic() < deadline:
            time.sleep(0.02)
        assert self.server.started
        return self

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=5)


def cases(out: Path) -> list[dict[str, Any]]:
    lines = (out / "results.ndjson").read_text(encoding="utf-8").splitlines()
    return [r for r in map(json.loads, lines) if r["type"] == "test_case"]
