"""Waiting for what a SUT sends on its own, a moment after roamcert asked (asynchronous results, updates)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from urllib.parse import urlsplit

from conformance.core.exchange import Exchange
from conformance.ocpi.context import Context

__all__ = ["QUIET", "await_exchange", "path_of"]

QUIET = 0.5  # seconds roamcert listens for a request that should not come
_POLL = 0.02


def path_of(url: str) -> str:
    """The path of ``url``, without a trailing slash and in lower case (ids in it are CiStrings)."""
    return urlsplit(url).path.rstrip("/").lower()


def await_exchange(ctx: Context, match: Callable[[Exchange], bool], *, since: int = 0,
                   timeout: float) -> Exchange | None:
    """The first exchange recorded in this case from index ``since`` on that ``match``es, waiting up to
    ``timeout`` seconds for it; None when none came."""
    deadline = time.monotonic() + timeout
    while True:
        found = next((x for x in list(ctx.case.log.exchanges)[since:] if match(x)), None)
        if found is not None or time.monotonic() >= deadline:
            return found
        ctx.harness.runtime.run(asyncio.sleep(_POLL))
