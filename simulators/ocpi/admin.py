"""Trigger hooks of the reference platforms: what a test harness calls to make a reference act as a real
back-end would when a driver or an operator does something (register, present a token, send a command, ...).

Each hook is registered by name at import time (a new one needs no edit elsewhere) and served at
``POST /admin/{name}`` with a JSON object of strings as body. roamcert's built-in reference target configures
every registered hook as the action of that name (conformance/core/target.py), so the flows that need the SUT to act
reach the in-process reference through the same mechanism a real back-end's trigger hook uses.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from simulators.ocpi.party import Party

__all__ = ["ADMIN_HOOKS", "AdminHook", "HookError", "admin_hook", "payload_text"]

Handler = Callable[["Party", dict[str, Any]], Awaitable[dict[str, Any]]]


class HookError(Exception):
    """The hook cannot do what was asked: answered with ``status`` and the message (never a traceback)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def payload_text(payload: dict[str, Any], key: str, default: str | None = None) -> str:
    """The non-empty string a hook needs under ``key`` of its payload (``default`` when absent)."""
    value = payload.get(key, default)
    if not isinstance(value, str) or not value:
        raise HookError(f"the payload needs {key!r} (a string)")
    return value


@dataclass(frozen=True)
class AdminHook:
    name: str
    description: str
    roles: frozenset[str]  # party roles of the platforms that offer it (empty: every platform)
    handler: Handler


ADMIN_HOOKS: dict[str, AdminHook] = {}


def admin_hook(name: str, description: str, *, roles: tuple[str, ...] = ()) -> Callable[[Handler], Handler]:
    """Register ``handler(party, payload) -> JSON object`` as the hook ``name``."""

    def register(handler: Handler) -> Handler:
        if name in ADMIN_HOOKS:
            raise ValueError(f"admin hook {name!r} registered twice")
        ADMIN_HOOKS[name] = AdminHook(name, description, frozenset(roles), handler)
        return handler

    return register
