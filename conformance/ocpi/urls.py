"""Endpoint URLs of a partner, called exactly as the partner published them."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

__all__ = ["join"]


def join(url: str, *segments: str) -> str:
    """``url`` exactly as published, with path segments appended after its path (one slash between them, whether
    or not the published path ends with one; a query the URL carries stays at the end). Without segments the URL
    is returned untouched: an endpoint is called as its owner published it, a trailing slash included."""
    if not segments:
        return url
    parts = urlsplit(url)
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return urlunsplit(parts._replace(path=path + "/".join(segments)))
