"""A request as a node's hub part reads it, made by the node itself: the request a message from another node
carries, or the copy of a request a node sends to a service (other routing headers, another signature)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.requests import Request

__all__ = ["carried_request"]


def carried_request(like: Request, *, method: str, headers: Mapping[str, str], body: bytes,
                    query: Mapping[str, str], rest: str) -> Request:
    """A request on ``like``'s connection with ``method``, ``headers`` (names lower-cased), ``body``, ``query``,
    and ``rest`` as the path below the module's endpoint."""
    from urllib.parse import urlencode

    scope = {**like.scope, "method": method, "query_string": urlencode(dict(query)).encode("ascii"),
             "headers": [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()],
             "path_params": {**like.scope.get("path_params", {}), "rest": rest}}
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return Request(scope, receive)
