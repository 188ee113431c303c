"""Schema fuzzing of a SUT's declared OCPI 2.2.1 endpoints with schemathesis.

The SUT's version details name its endpoints; for each GET of a Sender interface (the paginated lists, and the
object GETs addressed by the ids of the list's first object), schemathesis generates requests (positive mode:
every request valid against the generated OpenAPI document, ``conformance/ocpi/v2_2_1/openapi.py``) and
roamcert's own exchange checks judge every answer with what such a request calls for: no 5xx and no HTTP error
(status_code 1000 in HTTP 200), the OCPI envelope, the data valid against the schema, the pagination headers.
Each distinct problem becomes a FAIL finding with a reproducing ``curl`` line (credentials replaced by
``$OCPI_TOKEN``); the run is bounded by a case count, a time limit and a seed. See docs/fuzzing.md.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx

from conformance.core.exchange import Exchange, ExchangeLog
from conformance.core.findings import Finding, Outcome
from conformance.ocpi.auth import authorization_header, encode_token
from conformance.ocpi.expect import Expect, PageRequest
from conformance.ocpi.v2_2_1.openapi import VERSION, Operation, document, interface

__all__ = [
    "VERSION",
    "FuzzError",
    "FuzzOptions",
    "FuzzPlatform",
    "OperationResult",
    "case_record",
    "declared_endpoints",
    "fuzz_endpoint",
    "fuzz_platform",
    "fuzzable",
    "real_ids",
    "served_reference",
]

_ROUTING = ("OCPI-from-country-code", "OCPI-from-party-id", "OCPI-to-country-code", "OCPI-to-party-id")
_KEPT_EXCHANGES = 20  # exchanges kept per operation: the first, and the evidence of each distinct problem


@dataclass(frozen=True)
class FuzzOptions:
    max_examples: int = 25  # generated requests per operation
    time_limit: float = 60.0  # seconds for the whole run
    seed: int = 0


@dataclass(frozen=True)
class FuzzPlatform:
    name: str
    roles: tuple[str, ...]
    versions_url: str
    token: str = field(repr=False)  # the token C roamcert calls the SUT with
    base64_token: bool = True


@dataclass
class OperationResult:
    """What fuzzing one operation of one declared endpoint found."""

    module: str
    interface_role: str
    method: str
    url: str
    path: str = ""  # the operation's path below the endpoint URL
    cases: int = 0
    skip_reason: str | None = None
    transport_errors: int = 0  # requests that got no answer (refused, reset, timed out)
    findings: list[Finding] = field(default_factory=list)
    exchanges: list[Exchange] = field(default_factory=list)
    error: str | None = None
    duration_s: float = 0.0


def declared_endpoints(platform: FuzzPlatform, client: httpx.Client) -> list[tuple[str, str, str]]:
    """(module, interface role, url) of every endpoint the platform's version details declare for 2.2.1."""
    headers = {"Authorization": authorization_header(platform.token, base64_encoded=platform.base64_token)}
    versions = _data(_get(client, platform.versions_url, headers), platform.versions_url)
    found = [v for v in versions if isinstance(v, dict) and v.get("version") == VERSION] if isinstance(
        versions, list) else []
    if not found:
        raise FuzzError(f"{platform.versions_url} offers no OCPI {VERSION}")
    details_url = str(found[0].get("url"))
    details = _data(_get(client, details_url, headers), details_url)
    endpoints = details.get("endpoints") if isinstance(details, dict) else None
    if not isinstance(endpoints, list):
        raise FuzzError(f"{details_url}: the version details hold no endpoints list")
    return [(str(e["identifier"]), str(e["role"]), str(e["url"])) for e in endpoints
            if isinstance(e, dict) and {"identifier", "role", "url"} <= e.keys()]


class _OutOfTime(Exception):
    """The run's time limit is reached: stops the generator (hypothesis has no shrink phase here)."""


class FuzzError(Exception):
    """The SUT could not be fuzzed at all (its versions or version details could not be read)."""


def _get(client: httpx.Client, url: str, headers: dict[str, str]) -> httpx.Response:
    try:
        return client.get(url, headers=headers)
    except httpx.HTTPError as exc:
        raise FuzzError(f"GET {url}: {type(exc).__name__}: {exc}") from None


def _data(response: httpx.Response, url: str) -> Any:
    try:
        body = response.json()
    except ValueError:
        raise FuzzError(f"{url} answered HTTP {response.status_code} without a JSON body") from None
    if not isinstance(body, dict) or "data" not in body:
        raise FuzzError(f"{url} answered HTTP {response.status_code} without an OCPI envelope holding data")
    return body["data"]


def fuzzable(module: str, role: str) -> list[Operation]:
    """The operations of an interface this increment fuzzes: the Sender GETs (the paginated lists, and the objects
    of a list addressed by the ids of its first object)."""
    try:
        found = interface(module, role)
    except KeyError:
        return []
    return [op for op in found.operations if found.role == "SENDER" and op.method == "GET"]


def real_ids(objects: Any) -> dict[str, str]:
    """Path parameters that address real objects, read from the first page of a Sender list: the first object's
    id, its first EVSE's uid and that EVSE's first Connector's id (Locations; other lists give only ``id``)."""
    ids: dict[str, str] = {}
    first = objects[0] if isinstance(objects, list) and objects and isinstance(objects[0], dict) else None
    if first is None or not isinstance(first.get("id"), str):
        return ids
    ids["location_id"] = first["id"]
    evse = next((e for e in first.get("evses") or [] if isinstance(e, dict) and isinstance(e.get("uid"), str)
                 and any(isinstance(c, dict) and isinstance(c.get("id"), str) for c in e.get("connectors") or [])),
                None)
    if evse is not None:
        ids["evse_uid"] = evse["uid"]
        ids["connector_id"] = next(c["id"] for c in evse["connectors"] if isinstance(c, dict)
                                   and isinstance(c.get("id"), str))
    return ids


def fuzz_endpoint(platform: FuzzPlatform, module: str, role: str, url: str, op: Operation, options: FuzzOptions,
                  deadline: float, run_checks: Callable[[Exchange, Expect], list[Finding]],
                  path_parameters: dict[str, str] | None = None) -> OperationResult:
    """Fuzz one operation of one declared endpoint (its path parameters, if any, fixed to ``path_parameters``);
    never raises for anything the SUT does."""
    import hypothesis
    import requests
    import schemathesis
    from hypothesis import HealthCheck, Phase, given, settings

    started = time.monotonic()
    result = OperationResult(module, role, op.method, url, op.path)
    missing = [p.strip("{}") for p in op.path.split("/") if p.startswith("{")
               and p.strip("{}") not in (path_parameters or {})]
    if missing and time.monotonic() <= deadline:
        result.skip_reason = f"the first page of the list gave no {', '.join(missing)} to address"
        return result
    schema = schemathesis.openapi.from_dict(document(module, role, url))
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}"
    path = parts.path.rstrip("/") + op.path or "/"
    operation = schema[path][op.method]
    log = ExchangeLog(prefix="f")
    log.secrets |= {platform.token, encode_token(platform.token)}
    authorization = authorization_header(platform.token, base64_encoded=platform.base64_token)
    seen: dict[tuple[str, str], Finding] = {}
    passed: dict[str, Finding] = {}
    session = requests.Session()

    strategy = operation.as_strategy(path_parameters={k: v for k, v in (path_parameters or {}).items()
                                                      if "{" + k + "}" in op.path} or None)

    @settings(max_examples=options.max_examples, database=None, deadline=None, derandomize=False,
              phases=[Phase.generate], suppress_health_check=list(HealthCheck), print_blob=False)
    @hypothesis.seed(options.seed)
    @given(case=strategy)
    def run(case: Any) -> None:
        if time.monotonic() > deadline:
            raise _OutOfTime
        for name in _ROUTING:
            case.headers.pop(name, None)
        case.headers["X-Request-ID"] = str(uuid.uuid4())
        case.headers["X-Correlation-ID"] = str(uuid.uuid4())
        result.cases += 1
        exchange = _call(case, session, authorization, log, origin)
        if exchange.error is not None:
            result.transport_errors += 1
            result.error = result.error or f"{exchange.method} {exchange.url}: {exchange.error}"
            if len(result.exchanges) < _KEPT_EXCHANGES:
                result.exchanges.append(exchange)
            return
        expect = _expect(op, case, exchange)
        for finding in run_checks(exchange, expect):
            if finding.outcome is Outcome.PASS:
                passed.setdefault(finding.check_id, finding)
                continue
            key = (finding.check_id, finding.message)
            if key in seen:
                continue
            curl = _curl(case, platform)
            seen[key] = replace(finding, message=f"{finding.message} (reproduce: {curl})")
            if len(result.exchanges) < _KEPT_EXCHANGES and all(x.id != exchange.id for x in result.exchanges):
                result.exchanges.append(exchange)
        if not result.exchanges:
            result.exchanges.append(exchange)

    try:
        if time.monotonic() <= deadline:
            run()
    except _OutOfTime:
        pass  # the run's time limit: what was found so far stands
    except Exception as exc:  # a fault of the generator or the transport must not end the whole run
        result.error = f"{type(exc).__name__}: {exc}"[:500]
    finally:
        session.close()
    failing = {check_id for check_id, _ in seen}
    result.findings = [f for c, f in sorted(passed.items()) if c not in failing] + list(seen.values())
    result.duration_s = round(time.monotonic() - started, 3)
    return result


def _call(case: Any, session: Any, authorization: str, log: ExchangeLog, origin: str) -> Exchange:
    import requests

    started = time.perf_counter()
    try:
        response = case.call(base_url=origin, session=session, headers={"Authorization": authorization}, timeout=30)
    except requests.RequestException as exc:
        return log.record(direction="outbound", method=case.method, url=origin + case.formatted_path,
                          request_headers=[*case.headers.items(), ("Authorization", authorization)],
                          request_body=None,
                          status=None, response_headers=[], response_body=None,
                          elapsed_ms=(time.perf_counter() - started) * 1000, error=f"{type(exc).__name__}: {exc}",
                          protocol="OCPI", version=VERSION)
    request = response.request
    return log.record(direction="outbound", method=request.method, url=str(request.url),
                      request_headers=list(request.headers.items()), request_body=request.body,
                      status=response.status_code, response_headers=_pairs(response.headers),
                      response_body=response.content, elapsed_ms=response.elapsed * 1000,
                      protocol="OCPI", version=VERSION)


def _pairs(headers: Any) -> list[tuple[str, str]]:
    """schemathesis keeps each response header as a list of its values."""
    return [(str(name), str(v)) for name, values in headers.items()
            for v in (values if isinstance(values, list) else [values])]


def _expect(op: Operation, case: Any, exchange: Exchange) -> Expect:
    """What a valid request of ``op`` calls for: status_code 1000 in HTTP 200, the data of its schema, a page."""
    query = dict(parse_qsl(urlsplit(exchange.url).query)) if exchange.url else {}
    params = {k: str(v) for k, v in (case.query or {}).items()} | query

    def number(name: str) -> int | None:
        try:
            return int(params[name])
        except (KeyError, ValueError):
            return None

    page = PageRequest(offset=number("offset"), limit=number("limit"), date_from=params.get("date_from"),
                       date_to=params.get("date_to")) if op.paginated else None
    return Expect(schema=op.answer, many=op.many, paginated=op.paginated, page=page,
                  status_codes=frozenset({1000}), http_statuses=frozenset({200}),
                  request_id=case.headers.get("X-Request-ID"), correlation_id=case.headers.get("X-Correlation-ID"))


def _curl(case: Any, platform: FuzzPlatform) -> str:
    """The request as a curl line whose Authorization header reads the token from ``$OCPI_TOKEN`` (the token C,
    Base64-encoded as the target asks): no credential appears in it."""
    line = str(case.as_curl_command(headers={"Authorization": "Token OCPI-TOKEN"}))
    for secret in (platform.token, encode_token(platform.token)):
        line = line.replace(secret, "[redacted]")
    header = "\"Authorization: Token $OCPI_TOKEN\""
    for shown in ("'Authorization: [Filtered]'", "'Authorization: Token OCPI-TOKEN'"):
        line = line.replace(shown, header)
    return line


def case_record(platform: FuzzPlatform, result: OperationResult) -> dict[str, Any]:
    """The results-file record (docs/results-format.md) of one fuzzed operation."""
    failed = [f for f in result.findings if f.outcome is not Outcome.PASS]
    if result.skip_reason is not None:
        outcome, reason = "SKIP", result.skip_reason
    elif not result.cases and result.error is None:
        outcome, reason = "SKIP", "the run's time limit was reached before any request of this operation"
    elif result.error is not None and not failed:
        outcome, reason = "ERROR", f"{result.transport_errors} of {result.cases} requests got no answer, or fuzzing " \
                                   f"stopped; first: {result.error}"
    elif failed:
        first = failed[0]
        more = f" (+{len(failed) - 1} more)" if len(failed) > 1 else ""
        outcome = "FAIL"
        reason = f"{first.check_id} ({', '.join(first.requirements)}): {first.message}{more}"
    else:
        outcome, reason = "PASS", None
    requirements = sorted({r for f in result.findings for r in f.requirements})
    below = "-".join(p.strip("{}") for p in result.path.split("/") if p)
    slug = "-".join(x for x in (result.module, result.interface_role, result.method, below) if x).upper()
    role = next((r for r in platform.roles), "")
    return {
        "id": f"OCPI-{VERSION}-FUZZ-{slug}", "title": f"Schema fuzzing: {result.method} {result.module} "
        f"{result.interface_role.lower()} {result.path or 'list'} ({result.cases} generated requests)",
        "module": result.module, "role": role, "interface_role": result.interface_role, "version": VERSION,
        "feature": None, "scenario": "schema fuzzing", "nodeid": f"fuzz::{platform.name}::{slug.lower()}",
        "outcome": outcome, "duration_s": result.duration_s, "reason": reason,
        "steps": [{"keyword": "When", "name": f"{result.cases} generated {result.method} requests to {result.url}",
                   "outcome": "ERROR" if outcome == "ERROR" else "PASS"},
                  {"keyword": "Then", "name": "every answer is what a valid request calls for",
                   "outcome": outcome if outcome != "ERROR" else "SKIP"}],
        "requirements": requirements,
        "findings": [f.to_dict() for f in result.findings],
        "exchanges": [x.to_dict() for x in result.exchanges],
    }


def fuzz_platform(platform: FuzzPlatform, options: FuzzOptions, deadline: float,
                  run_checks: Callable[[Exchange, Expect], list[Finding]],
                  timeout: float = 30.0) -> list[OperationResult]:
    """Fuzz every fuzzable operation of every endpoint the platform declares."""
    with httpx.Client(timeout=timeout, follow_redirects=False) as client:
        endpoints = declared_endpoints(platform, client)
    results = []
    for module, role, url in sorted(endpoints):
        ids: dict[str, str] = {}
        for op in fuzzable(module, role):
            if op.paginated and time.monotonic() <= deadline:
                ids = real_ids(_first_page(platform, url, timeout))
            results.append(fuzz_endpoint(platform, module, role, url, op, options, deadline, run_checks, ids))
    return results


def _first_page(platform: FuzzPlatform, url: str, timeout: float) -> Any:
    """The data of the list's first page, or None when it cannot be read (the fuzzing of the list reports why)."""
    headers = {"Authorization": authorization_header(platform.token, base64_encoded=platform.base64_token)}
    try:
        with httpx.Client(timeout=timeout, follow_redirects=False) as client:
            return _data(_get(client, url, headers), url)
    except FuzzError:
        return None


@contextmanager
def served_reference(roles: str, profile: str = "conformant") -> Iterator[FuzzPlatform]:
    """A reference platform served by uvicorn on a loopback port, with a pre-registered peer whose token C is the
    one the fuzzer calls with (the peer's own versions URL is never reachable: nothing here needs it)."""
    import asyncio
    import secrets
    import socket
    import threading

    import uvicorn

    from simulators.ocpi.app import build_app
    from simulators.ocpi.references import parse_roles, reference_party
    from simulators.ocpi.v2_2_1.credentials import pre_registered_peer

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    base = f"http://127.0.0.1:{port}"
    party = reference_party(roles, base_url=base, profile=profile)
    token = secrets.token_urlsafe(24)
    server = uvicorn.Server(uvicorn.Config(build_app(party, admin=False), host="127.0.0.1", port=port,
                                           log_level="error", lifespan="off"))

    def serve() -> None:
        async def main() -> None:
            client = httpx.AsyncClient(timeout=2.0)
            party.http_factory = lambda: client
            pre_registered_peer(party, "http://127.0.0.1:9/unreachable/versions", token, secrets.token_urlsafe(24))
            await server.serve()
            await client.aclose()

        asyncio.run(main())

    thread = threading.Thread(target=serve, name="roamcert-fuzz-reference", daemon=True)
    thread.start()
    started = time.monotonic()
    while not server.started and thread.is_alive() and time.monotonic() - started < 20:
        time.sleep(0.02)
    if not server.started:
        raise FuzzError(f"the reference platform did not start on {base}")
    try:
        yield FuzzPlatform(name=f"reference-{'+'.join(parse_roles(roles)).lower()}", roles=parse_roles(roles),
                           versions_url=party.versions_url(), token=token)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
