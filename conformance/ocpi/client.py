"""An OCPI HTTP client that records every exchange it makes.

Used by the harness to talk to a system under test and by the reference
partners to call each other back. Transport failures are recorded as an
exchange with an error and raised as :class:`SutUnreachable`.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Mapping
from typing import Any

import httpx

from conformance.core.errors import SutUnreachable
from conformance.core.exchange import Exchange, ExchangeLog
from conformance.core.hosts import HostNotAllowed, HostPolicy
from conformance.ocpi.auth import authorization_header

__all__ = ["OcpiClient"]


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
        hosts: HostPolicy | None = None,
    ) -> None:
        self.hosts = hosts  # the hosts credentials may go to (conformance/core/hosts.py); None: any
        self.content_type = content_type
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
        if self.hosts is not None and not self.hosts.allows(str(request.url)):
            reason = self.hosts.refusal(method, str(request.url))
            refused = self.log.record(direction=self.direction, method=method, url=str(request.url),
                                      request_headers=request.headers.multi_items(), request_body=body, status=None,
                                      response_headers=[], response_body=None, elapsed_ms=0.0, error=reason,
                                      protocol="OCPI", version=self.version)
            raise HostNotAllowed(reason, str(request.url), self.hosts.describe(), refused.id)
        started = time.perf_counter()
        try:
            # Never follow a redirect with credentials: a 3xx answer is recorded as it is, whatever the client says.
            response = await self.http.send(request, follow_redirects=False)
            content = await response.aread()
        except httpx.HTTPError as exc:
            elapsed = (time.perf_counter() - started) * 1000
            reason = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            self.log.record(
                direction=self.direction,
                method=method,
                url=str(request.url),
                request_headers=request.headers.multi_items(),
                request_body=body,
                status=None,
                response_headers=[],
                response_body=None,
                elapsed_ms=elapsed,
                error=reason,
                protocol="OCPI",
                version=self.version,
            )
            raise SutUnreachable(f"{method} {request.url}: no HTTP response ({reason})") from exc
        return self.log.record(
            direction=self.direction,
            method=method,
            url=str(request.url),
            request_headers=request.headers.multi_items(),
            request_body=body,
            status=response.status_code,
            response_headers=response.headers.multi_items(),
            response_body=content,
            elapsed_ms=(time.perf_counter() - started) * 1000,
            protocol="OCPI",
            version=self.version,
        )
