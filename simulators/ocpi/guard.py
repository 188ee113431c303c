"""The outbound guard of a served reference platform: requests only to the hosts the operator allowed.

`roamcert serve` wraps its HTTP client's transport in :class:`HostGuard`, so neither a trigger hook (``/admin/register``
with any URL) nor a partner's advertised endpoint can make the platform call, and send its tokens to, another host.
A refused request never leaves the process: it fails as a connection that could not be made, which every caller
already reports as "no HTTP response".
"""

from __future__ import annotations

from collections.abc import Iterable

import httpx

from conformance.core.hosts import HostPolicy

__all__ = ["LOOPBACK_HOSTS", "HostGuard", "HostNotAllowed"]

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


class HostNotAllowed(httpx.ConnectError):
    """A request to a host outside the allowed list (raised before anything is sent)."""


class HostGuard(httpx.AsyncBaseTransport):
    def __init__(self, allowed: Iterable[str], inner: httpx.AsyncBaseTransport | None = None) -> None:
        self.policy = HostPolicy.of((), allowed)  # the hosts roamcert's own harness may call, matched the same way
        self.inner = inner or httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if not self.policy.allows(str(request.url)):
            host = request.url.host.lower()
            raise HostNotAllowed(f"{host or request.url} is not a host this server may call "
                                 f"(allowed: {self.policy.describe()}; see --allow-host)", request=request)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()
