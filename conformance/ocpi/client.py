"""An OCPI HTTP client that records every exchange it makes.

Used by the harness to talk to a system under test and by the reference
partners to call each other back. Transport failures are recorded as an
exchange with an error and raised as :class:`SutUnreachable`; an answer cut
short at one of roamcert's bounds (total deadline, response-size cap:
core/reading.py) is recorded with its ``limit`` and raised as
:class:`LimitReached`. A 429 or 503 with ``Retry-After`` is waited out and the
request sent again, while the client's wait budget lasts.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Mapping
from typing import Any

import httpx

from conformance.core.errors import LimitReached, SutUnreachable
from conformance.core.exchange import Exchange, ExchangeLog
from conformance.core.hosts import HostNotAllowed, HostPolicy
from conformance.core.reading import DEFAULT_MAX_RESPONSE_BYTES, Reading, read_bounded, retry_after
from conformance.ocpi.auth import authorization_header

__all__ = ["OcpiClient", "record_reading", "refusal"]


class OcpiClient:
    def __init__(
        self,
        http: httpx.AsyncClient,
        log: ExchangeLog,
        *,
        version: str,
        token: str | None = None,
        base64_token: bool = True,
        request_ids: bool = True,
        content_type: bool = True,
        direction: str = "outbound",
        deadline: float | None = None,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        retry_wait: float = 0.0,
        hosts: HostPolicy | None = None,
    ) -> None:
        self.hosts = hosts  # the hosts credentials may go to (conformance/core/hosts.py); None: any
        self.content_type = content_type
        # The bounds of one request: its total deadline (by default the HTTP client's timeout), the size of the
        # decoded body read, and the seconds waited in all on Retry-After answers (0: such an answer is final).
        self.deadline = deadline if deadline is not None else (http.timeout.read or 30.0)
        self.max_response_bytes = max_response_bytes
        self.retry_wait = retry_wait
        self.http = http
        self.log = log
        self.token = token
        self.base64_token = base64_token
        self.request_ids = request_ids
        self.direction = direction
        self.version = version  # the OCPI version the exchanges speak, for the checks that judge them
        if token:
            log.secrets.add(token)

    async def request(
        self,
        method: str,
        url: str,
        *,
        json_body: Any = None,
        raw_body: bytes | None = None,
        params: Mapping[str, str | int] | None = None,
        token: str | None = None,
        auth: str = "token",  # "token" | "plain" | "none"
        headers: Mapping[str, str] | None = None,
        correlation_id: str | None = None,
    ) -> Exchange:
        """Send one request; returns the recorded exchange (raises SutUnreachable if no answer came)."""
        send_headers: dict[str, str] = {"Accept": "application/json"}
        credential = token if token is not None else self.token
        if auth != "none" and credential is not None:
            self.log.secrets.add(credential)
            send_headers["Authorization"] = authorization_header(
                credential, base64_encoded=self.base64_token and auth != "plain"
            )
        if self.request_ids:
            send_headers["X-Request-ID"] = str(uuid.uuid4())
            send_headers["X-Correlation-ID"] = correlation_id or str(uuid.uuid4())
        body: bytes | None = raw_body
        if json_body is not None:
            body = json.dumps(json_body).encode("utf-8")
        if body is not None and self.content_type:
            send_headers["Content-Type"] = "application/json"
        send_headers.update(headers or {})
        request = self.http.build_request(method, url, params=params, content=body, headers=send_headers)
        refused = refusal(self.log, self.hosts, request, body, direction=self.direction, version=self.version)
        if refused is not None and self.hosts is not None:
            reason, recorded = refused
            raise HostNotAllowed(reason, str(request.url), self.hosts.describe(), recorded.id)
        waited = 0.0
        retries: list[str] = []
        rate_limited: str | None = None
        while True:
            reading = await read_bounded(self.http, request, deadline=self.deadline,
                                         max_bytes=self.max_response_bytes)
            waits = self.retry_wait > 0 and reading.limit is None and reading.error is None
            wait = retry_after(reading.response) if waits else None  # no wait budget: a 429 is the answer
            if wait is None:
                break
            status = reading.response.status_code if reading.response is not None else None
            if waited + wait > self.retry_wait:
                rate_limited = (f"HTTP {status} asked to retry after {wait:g} s, more than roamcert waits (at most "
                                f"{self.retry_wait:g} s in all for one request, {waited:g} s already waited)")
                retries.append(rate_limited + ": not retried")
                break
            retries.append(f"HTTP {status} asked to retry after {wait:g} s: waited and sent the request again")
            self._record(request, body, reading, retries=())  # the rate-limit answer is evidence too
            await asyncio.sleep(wait)
            waited += wait
            if self.request_ids:
                request.headers["X-Request-ID"] = str(uuid.uuid4())
        if rate_limited is not None:  # recorded as a limit reached: no verdict rests on a refused request
            reading.limit = f"rate limited: {rate_limited}"
        exchange = self._record(request, body, reading, retries=retries)
        if reading.response is None:  # nothing came within the deadline, or the transport failed: unreachable
            raise SutUnreachable(f"{method} {request.url}: no HTTP response ({reading.limit or reading.error})")
        if reading.limit is not None:  # an answer came, and roamcert stopped reading it
            raise LimitReached(f"{method} {request.url}: roamcert gave up on the answer: {reading.limit}")
        if reading.error is not None:  # the transport failed while the answer came
            raise SutUnreachable(f"{method} {request.url}: no complete HTTP response ({reading.error})")
        return exchange

    def _record(self, request: httpx.Request, body: bytes | None, reading: Reading, *,
                retries: list[str] | tuple[()]) -> Exchange:
        return record_reading(self.log, request, body, reading, direction=self.direction, version=self.version,
                              retries=retries)


def refusal(log: ExchangeLog, hosts: HostPolicy | None, request: httpx.Request, body: bytes | None, *,
            direction: str, version: str) -> tuple[str, Exchange] | None:
    """Why ``request`` may not go (its host is not among ``hosts``), with the refusal recorded; None when it may."""
    url = str(request.url)
    if hosts is None or hosts.allows(url):
        return None
    reason = hosts.refusal(request.method, url)
    return reason, log.record(direction=direction, method=request.method, url=url,
                              request_headers=request.headers.multi_items(), request_body=body, status=None,
                              response_headers=[], response_body=None, elapsed_ms=0.0, error=reason,
                              protocol="OCPI", version=version)


def record_reading(log: ExchangeLog, request: httpx.Request, body: bytes | None, reading: Reading, *,
                   direction: str, version: str, retries: list[str] | tuple[()] = ()) -> Exchange:
    """The exchange as read. An answer cut short (at a limit, or by a transport failure) is no usable answer:
    it is recorded without a status (its headers and the part read are kept, the error names what happened),
    so no check judges it."""
    response = reading.response
    complete = reading.limit is None and reading.error is None
    return log.record(
        direction=direction,
        method=request.method,
        url=str(request.url),
        request_headers=request.headers.multi_items(),
        request_body=body,
        status=response.status_code if response is not None and complete else None,
        response_headers=response.headers.multi_items() if response is not None else [],
        response_body=reading.body if response is not None and (complete or reading.body) else None,
        elapsed_ms=reading.elapsed_ms,
        error=reading.limit or reading.error,
        protocol="OCPI",
        version=version,
        limit=reading.limit,
        retries=retries,
    )
