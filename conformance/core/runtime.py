"""One event loop in a background thread, where clients, in-process platforms and partner servers live.

Steps are synchronous (pytest-bdd); they hand coroutines to :meth:`Runtime.run`.
"""

from __future__ import annotations

import asyncio
import ssl
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

import httpx
import uvicorn
from starlette.types import ASGIApp

__all__ = ["Network", "Runtime"]

T = TypeVar("T")


class Runtime:
    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name="roamcert-loop", daemon=True)
        self._thread.start()

    def run(self, coro: Coroutine[Any, Any, T], timeout: float | None = None) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def close(self) -> None:
        if self.loop.is_running():
            self.loop.call_soon_threadsafe(self.loop.stop)
            self._thread.join(timeout=5)
        if not self.loop.is_running() and not self.loop.is_closed():
            self.loop.close()


class Network:
    """Reaches in-process platforms through ASGITransport by origin, everything else over real HTTP(S)."""

    def __init__(self, *, verify: ssl.SSLContext | bool = True, cert: tuple[str, str] | None = None,
                 timeout: float = 30.0) -> None:
        self._apps: dict[str, ASGIApp] = {}
        self._verify = verify
        self._cert = cert
        self._timeout = timeout
        self._client: httpx.AsyncClient | None = None
        self._servers: list[tuple[uvicorn.Server, asyncio.Task[None]]] = []

    def mount(self, origin: str, app: ASGIApp) -> None:
        """Serve ``app`` in-process for every URL under ``origin`` (scheme://host[:port])."""
        self._apps[origin.rstrip("/")] = app
        self._client = None  # rebuilt with the new mount on next use

    def client(self) -> httpx.AsyncClient:
        if self._client is None:
            mounts: dict[str, httpx.AsyncBaseTransport] = {
                origin: httpx.ASGITransport(app=app) for origin, app in self._apps.items()
            }
            self._client = httpx.AsyncClient(mounts=mounts, verify=self._verify, cert=self._cert,
                                             timeout=self._timeout, follow_redirects=False)
        return self._client

    async def serve(self, app: ASGIApp, host: str, port: int) -> None:
        """Serve ``app`` over real HTTP (for a SUT on the network to call roamcert back)."""
        config = uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="off")
        server = uvicorn.Server(config)
        task = asyncio.get_running_loop().create_task(server.serve())
        self._servers.append((server, task))
        for _ in range(200):
            if server.started or task.done():
                break
            await asyncio.sleep(0.025)
        if task.done() or not server.started:
            raise OSError(f"could not listen on {host}:{port}")

    async def aclose(self) -> None:
        for server, _ in self._servers:
            server.should_exit = True
        for _, task in self._servers:
            try:
                await asyncio.wait_for(task, timeout=5)
            except (TimeoutError, asyncio.CancelledError):
                task.cancel()
        if self._client is not None:
            await self._client.aclose()
