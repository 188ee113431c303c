"""Real servers for the host tests: one playing the SUT, one playing another host, each recording every request
it receives (method, path, Authorization)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
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

__all__ = ["REPORTS", "Site", "cases", "host_findings", "ok", "refused_exchange", "run_against",
           "version_routes"]

ROOT = Path(__file__).resolve().parents[2]
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


def run_against(out: Path, sut: Site, roles: str, tokens: str, *args: str) -> Path:
    """``roamcert run`` (a subprocess, as a user runs it) against ``sut`` holding ``roles`` (a TOML list), with
    the target's ``tokens`` lines and the extra command-line ``args``; the console is kept beside the results."""
    target = out / "target.toml"
    target.write_text(f'name = "hostile"\n[ocpi]\nversion = "2.2.1"\n[[ocpi.platform]]\nroles = {roles}\n'
                      f'versions_url = "http://127.0.0.1:{sut.port}/versions"\n{tokens}', encoding="utf-8")
    argv = [sys.executable, "-m", "conformance.cli", "run", "--target", str(target), "--out", str(out / "run"), *args]
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    (out / "console.txt").write_text(done.stdout + done.stderr, encoding="utf-8")
    return out / "run"


def host_findings(out: Path, fragment: str) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(test case, finding) of each ``roamcert.hosts.not_called`` finding naming a URL containing ``fragment``."""
    return [(c, f) for c in cases(out) for f in c["findings"]
            if f["check_id"] == "roamcert.hosts.not_called" and fragment in f["actual"]]


def refused_exchange(case: dict[str, Any], finding: dict[str, Any]) -> dict[str, Any]:
    """The exchange a host finding rests on, checked to be a GET never sent, with no credential shown."""
    assert finding["outcome"] == "FAIL" and finding["severity"] == "INFO"  # a warning: it fails no test case
    assert "127.0.0.1" in finding["expected"]
    refused: dict[str, Any] = next(x for x in case["exchanges"] if x["id"] in finding["evidence"])
    assert refused["status"] is None and refused["error"].startswith("not called: GET")
    assert refused["request_headers"].get("Authorization") in (None, "Token [redacted]")
    return refused


def version_routes(own: str, endpoints: list[tuple[str, str, str]]) -> list[Route]:
    """``/versions`` offering 2.2.1 at ``{own}/details``, and ``/details`` listing ``endpoints`` (identifier,
    interface role, URL)."""

    async def versions(request: Request) -> Response:
        return ok([{"version": "2.2.1", "url": f"{own}/details"}])

    async def details(request: Request) -> Response:
        return ok({"version": "2.2.1", "endpoints": [{"identifier": i, "role": r, "url": u}
                                                      for i, r, u in endpoints]})

    return [Route("/versions", versions), Route("/details", details)]
