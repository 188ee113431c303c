"""Recorded HTTP exchanges: the single source of evidence for checks and reports.

Every request roamcert sends to a system under test, and every request a system
under test sends to roamcert's own partner servers, is recorded once here, with
credentials redacted so that nothing downstream can leak them: URL and headers at
recording time, the bodies when first read, with the credentials known at recording
time (most bodies are never read, and redacting one parses and re-serialises it).
"""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from conformance.core.redaction import REDACTED, SUBSTRING_MIN, redact_text

__all__ = ["REDACTED", "Exchange", "ExchangeLog", "redact_headers"]

_AUTH_HEADERS = frozenset({"authorization", "proxy-authorization"})  # the scheme is kept: "Token [redacted]"
_SECRET_HEADERS = _AUTH_HEADERS | {"cookie", "set-cookie"}
_SECRET_KEYS = frozenset({"token", "password", "secret", "credentials_token"})
_MAX_BODY = 256 * 1024


def redact_headers(headers: Iterable[tuple[str, str]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, value in headers:
        if name.lower() in _SECRET_HEADERS:
            scheme = value.split(" ", 1)[0] if " " in value and name.lower() in _AUTH_HEADERS else ""
            out[name] = f"{scheme} {REDACTED}".strip()
        else:
            out[name] = value
    return out


def _redact_json(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            key: (REDACTED if key.lower() in _SECRET_KEYS and isinstance(item, str) else _redact_json(item))
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_redact_json(item) for item in value]
    return value


def _harvest(value: Any, into: set[str]) -> None:
    """Collect the credentials a JSON body carries (a string under a secret key), so that they are redacted
    wherever else they turn up (a finding quoting the body, another exchange)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key.lower() in _SECRET_KEYS and isinstance(item, str) and item:
                into.add(item)
            else:
                _harvest(item, into)
    elif isinstance(value, list):
        for item in value:
            _harvest(item, into)


# A secret key stands in a JSON text as itself in quotes, in any case: a text without one has none to harvest, unless
# it is not plain ASCII (a key may lower-case to one: U+212A KELVIN SIGN to k), escapes characters (\u0074oken) or
# is UTF-16/32 (NUL bytes), all of which json.loads reads. Searched in place: a body may be megabytes.
_QUOTED_SECRET_KEY = '"(?:' + "|".join(map(re.escape, sorted(_SECRET_KEYS))) + ')"'
_IN_TEXT = re.compile(_QUOTED_SECRET_KEY, re.IGNORECASE)
_IN_BYTES = re.compile(_QUOTED_SECRET_KEY.encode("ascii"), re.IGNORECASE)


def _may_hold_secret_key(raw: bytes | str) -> bool:
    if isinstance(raw, str):
        return not raw.isascii() or "\\u" in raw or "\0" in raw or _IN_TEXT.search(raw) is not None
    return not raw.isascii() or b"\\u" in raw or b"\0" in raw or _IN_BYTES.search(raw) is not None


def harvest_secrets(raw: bytes | str | None, into: set[str]) -> None:
    if not raw or not _may_hold_secret_key(raw):  # most bodies: not parsed for nothing
        return
    with contextlib.suppress(ValueError, RecursionError):
        _harvest(json.loads(raw), into)


def harvest_header_secrets(headers: Iterable[tuple[str, str]], into: set[str]) -> None:
    """The credential of an ``Authorization`` header (after its scheme), as sent and, when it is Base64, decoded.
    Only from SUBSTRING_MIN characters on: the tokens roamcert knows are secrets whatever their length, but a
    short string a client puts there (``null``, ``x``) would otherwise blank that word in every report."""
    for name, value in headers:
        if name.lower() not in _AUTH_HEADERS:
            continue
        credential = value.split(" ", 1)[1].strip() if " " in value.strip() else value.strip()
        candidates = [credential]
        with contextlib.suppress(ValueError):
            candidates.append(base64.b64decode(credential, validate=True).decode("ascii"))
        into.update(c for c in candidates if len(c) >= SUBSTRING_MIN and c.isprintable())


def redact_body(raw: bytes | str | None, secrets: Iterable[str] = ()) -> str | None:
    """Body text for the record: JSON secrets blanked, known token values scrubbed anywhere."""
    if raw is None:
        return None
    text = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else raw
    with contextlib.suppress(ValueError):  # redact before truncating: a cut JSON text no longer parses
        text = json.dumps(_redact_json(json.loads(text)), ensure_ascii=False)
    text = redact_text(text, secrets)  # the token itself and its Base64 form as sent on the wire
    if len(text) > _MAX_BODY:
        text = text[:_MAX_BODY] + f"\n[... {len(text) - _MAX_BODY} more characters not recorded]"
    return text


_URL_TOKEN = re.compile(r"(?i)([?&](?:token|access_token|password)=)[^&#]+")
_URL_USERINFO = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#@]*@")


def redact_url(url: str, secrets: Iterable[str] = ()) -> str:
    """A URL for the record: credentials in its query (``token=``) and userinfo blanked, known tokens scrubbed."""
    return redact_text(_URL_USERINFO.sub(r"\1" + REDACTED + "@", _URL_TOKEN.sub(r"\1" + REDACTED, url)), secrets)


def _header(headers: list[tuple[str, str]], name: str) -> str | None:
    """The first value of header ``name`` (HTTP header names are case-insensitive)."""
    wanted = name.lower()
    return next((value for key, value in headers if key.lower() == wanted), None)


@dataclass
class Exchange:
    """One request and its response (or the reason there was none)."""

    id: str
    direction: str  # "outbound": roamcert -> SUT; "inbound": SUT -> roamcert
    method: str
    url: str
    request_headers: dict[str, str] = field(default_factory=dict)
    status: int | None = None
    response_headers: dict[str, str] = field(default_factory=dict)
    elapsed_ms: float | None = None
    error: str | None = None
    protocol: str = ""  # the protocol and version the exchange speaks: only their checks judge it
    version: str = ""
    # Where roamcert's own bounds shaped the exchange: the limit that made it stop reading (total deadline,
    # response-size cap), and the rate-limit answers (429/503 with Retry-After) it waited out, or did not, before.
    limit: str | None = None
    retries: tuple[str, ...] = ()
    # Raw material for checks only; never serialised.
    raw_request_headers: list[tuple[str, str]] = field(default_factory=list, repr=False)
    raw_response_headers: list[tuple[str, str]] = field(default_factory=list, repr=False)
    raw_request_body: bytes | None = field(default=None, repr=False)
    raw_response_body: bytes | None = field(default=None, repr=False)
    # The credentials known when it was recorded: its bodies are redacted with them (request_body, response_body).
    redacted_with: frozenset[str] = field(default=frozenset(), repr=False)

    @cached_property
    def request_body(self) -> str | None:
        return redact_body(self.raw_request_body, self.redacted_with)

    @cached_property
    def response_body(self) -> str | None:
        return redact_body(self.raw_response_body, self.redacted_with)

    def response_header(self, name: str) -> str | None:
        return _header(self.raw_response_headers, name)

    def request_header(self, name: str) -> str | None:
        return _header(self.raw_request_headers, name)

    def response_json(self) -> Any:
        """The parsed (unredacted) body; raises ValueError when there is none or it is not JSON."""
        raw = self.raw_response_body
        if not raw:
            raise ValueError("no response body")
        return json.loads(raw)

    def request_json(self) -> Any:
        raw = self.raw_request_body
        if not raw:
            raise ValueError("no request body")
        return json.loads(raw)

    def to_dict(self) -> dict[str, Any]:
        bounds: dict[str, Any] = {"limit": self.limit} if self.limit else {}
        if self.retries:
            bounds["retries"] = list(self.retries)
        return {
            "id": self.id,
            "direction": self.direction,
            "method": self.method,
            "url": self.url,
            "request_headers": self.request_headers,
            "request_body": self.request_body,
            "status": self.status,
            "response_headers": self.response_headers,
            "response_body": self.response_body,
            "elapsed_ms": self.elapsed_ms,
            "error": self.error,
            "protocol": self.protocol,
            "version": self.version,
            **bounds,  # only where roamcert's bounds shaped the exchange
        }


class ExchangeLog:
    """Exchanges of one test case, numbered in order; shared by clients and partner servers."""

    def __init__(self, prefix: str = "x") -> None:
        self._prefix = prefix
        self._counter = itertools.count(1)
        self.exchanges: list[Exchange] = []
        self.secrets: set[str] = set()

    def next_id(self) -> str:
        return f"{self._prefix}{next(self._counter)}"

    def add(self, exchange: Exchange) -> Exchange:
        self.exchanges.append(exchange)
        return exchange

    def record(
        self,
        *,
        direction: str,
        method: str,
        url: str,
        request_headers: Iterable[tuple[str, str]],
        request_body: bytes | str | None,
        status: int | None,
        response_headers: Iterable[tuple[str, str]],
        response_body: bytes | str | None,
        elapsed_ms: float | None,
        error: str | None = None,
        protocol: str = "",
        version: str = "",
        limit: str | None = None,
        retries: Iterable[str] = (),
    ) -> Exchange:
        req_headers = list(request_headers)
        resp_headers = list(response_headers)
        harvest_header_secrets(req_headers, self.secrets)
        harvest_secrets(request_body, self.secrets)
        harvest_secrets(response_body, self.secrets)
        return self.add(
            Exchange(
                id=self.next_id(),
                direction=direction,
                method=method,
                url=redact_url(url, self.secrets),
                request_headers=redact_headers(req_headers),
                status=status,
                response_headers=redact_headers(resp_headers),
                elapsed_ms=elapsed_ms,
                error=None if error is None else redact_text(error, self.secrets),
                protocol=protocol,
                version=version,
                limit=limit,
                retries=tuple(retries),
                raw_request_headers=req_headers,
                raw_response_headers=resp_headers,
                raw_request_body=request_body.encode() if isinstance(request_body, str) else request_body,
                raw_response_body=response_body.encode() if isinstance(response_body, str) else response_body,
                redacted_with=frozenset(self.secrets),
            )
        )

    def inbound(self) -> list[Exchange]:
        return [x for x in self.exchanges if x.direction == "inbound"]

    def reset(self) -> None:
        self.exchanges.clear()
