"""Work a served platform does on its own, between requests (the hub's still-alive check).

Each task is registered by name at import time for the platforms of some roles, like the admin hooks, and runs for
as long as the app is served: started by the ASGI lifespan (:func:`lifespan`, which ``build_app`` hands to
Starlette) and cancelled when the server stops. In-process (``httpx.ASGITransport``, ``Network.serve``) no lifespan
runs, so the tests drive such work themselves, one step at a time.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Coroutine
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from simulators.ocpi.party import Party

__all__ = ["BACKGROUND", "Background", "background", "lifespan"]

Task = Callable[["Party"], Coroutine[Any, Any, None]]


@dataclass(frozen=True)
class Background:
    name: str
    roles: frozenset[str]  # party roles of the platforms that run it (empty: every platform)
    run: Task  # runs until done or cancelled


BACKGROUND: dict[str, Background] = {}


def background(name: str, *, roles: tuple[str, ...] = ()) -> Callable[[Task], Task]:
    """Register ``run(party)`` as the background task ``name``."""

    def register(run: Task) -> Task:
        if name in BACKGROUND:
            raise ValueError(f"background task {name!r} registered twice")
        BACKGROUND[name] = Background(name, frozenset(roles), run)
        return run

    return register


@contextlib.asynccontextmanager
async def lifespan(party: Party) -> AsyncIterator[None]:
    """The background tasks of ``party``'s roles, running while the server serves."""
    loop = asyncio.get_running_loop()
    tasks: list[asyncio.Task[None]] = [
        loop.create_task(task.run(party), name=f"{party.path_role}:{task.name}")
        for task in BACKGROUND.values() if not task.roles or task.roles & set(party.roles)]
    try:
        yield
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
