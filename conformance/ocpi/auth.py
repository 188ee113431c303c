"""The OCPI 2.2.1 Authorization header (transport_and_format#transport_and_format_authorization_header)."""

from __future__ import annotations

import base64
import binascii

__all__ = ["authorization_header", "decode_token", "encode_token"]


def encode_token(token: str) -> str:
    return base64.b64encode(token.encode("utf-8")).decode("ascii")


def authorization_header(token: str, *, base64_encoded: bool = True) -> str:
    return f"Token {encode_token(token) if base64_encoded else token}"


def decode_token(header: str | None) -> tuple[str | None, str | None]:
    """Split an Authorization header into (base64-decoded token or None, raw credential or None)."""
    if not header:
        return None, None
    scheme, _, credential = header.partition(" ")
    if scheme != "Token" or not credential or credential != credential.strip():
        return None, credential or None
    try:
        decoded = base64.b64decode(credential, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None, credential
    return decoded, credential
