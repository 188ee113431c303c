"""Schema fuzzing of a SUT's declared OCPI 2.2.1 endpoints with schemathesis.

The SUT's version details name its endpoints; for each GET of a Sender interface (the paginated lists, and the
object GETs addressed by the ids of the list's first object), schemathesis generates requests (positive mode:
every request valid against the generated OpenAPI document, ``conformance/ocpi/v2_2_1/openapi.py``) and
roamcert's own exchange checks judge every answer with what such a request calls for: no 5xx and no HTTP error
(status_code 1000 in HTTP 200), the OCPI envelope, the data valid against the schema, the pagination headers.
Each distinct problem becomes a FAIL finding with a reproducing ``curl`` line (credentials replaced by
``$OCPI_TOKEN``); the run is bounded by a case count, a time limit and a seed. The pushes to the SUT's Receivers
are in ``fuzz_receiver.py``; both judge with :class:`Judge`, which keeps only the evidence. See docs/fuzzing.md.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx

from conformance.core.exchange import Exchange, ExchangeLog
from conformance.core.findings import Finding, Outcome, Severity
from conformance.core.hosts import HOST_CHECK_ID, HostPolicy, host_finding
from conformance.ocpi.auth import authorization_header, encode_token
from conformance.ocpi.expect import Expect, PageRequest
from conformance.ocpi.v2_2_1.openapi import VERSION, Operation, document, interface

__all__ = [
    "SCHEMATHESIS_CHECK_ID",
    "VERSION",
    "FuzzError",
    "FuzzOptions",
    "FuzzPlatform",
    "Judge",
    "OperationResult",
    "case_record",
    "curl_line",
    "declared_endpoints",
    "fresh_ids",
    "fuzz_endpoint",
    "fuzz_platform",
    "fuzzable",
    "generate",
    "real_ids",
    "schema_operation",
    "schemathesis_findings",
    "served_reference",
]

_ROUTING = ("OCPI-from-country-code", "OCPI-from-party-id", "OCPI-to-country-code", "OCPI-to-party-id")
#: The id of the findings of schemathesis' own default checks (a harness finding of severity INFO).
SCHEMATHESIS_CHECK_ID = "roamcert.fuzz.schemathesis"
_KEPT_EXCHANGES = 20  # exchanges kept per operation: the first, and the evidence of each distinct problem
_KEPT_FINDINGS = 50  # distinct problems kept per operation (a message may quote generated values)


@dataclass(frozen=True)
class FuzzOptions:
    max_examples: int = 25  # generated requests per operation
    time_limit: float = 60.0  # seconds for the whole run
    seed: int = 0
    # Part of the id of every object pushed to a Receiver: a new one per run (empty) keeps a run from colliding
    # with the objects of an earlier one (a CDR is final: a second POST of its id is refused).
    run_tag: str = ""


@dataclass(frozen=True)
class FuzzPlatform:
    name: str
    roles: tuple[str, ...]
    versions_url: str
    token: str = field(repr=False)  # the token C roamcert calls the SUT with
    base64_token: bool = True
    # The party roamcert is for the SUT, by the role that pushes to a Receiver ("CPO", "EMSP"): (country_code,
    # party_id), which a pushed object carries and its URL names. None: the identities roamcert's own platforms
    # register with (simulators/ocpi/references.py), what a pre-registered connection was set up with too.
    parties: dict[str, tuple[str, str]] | None = None
    allowed_hosts: tuple[str, ...] = ()  # the target's, besides the versions URL's host (conformance/core/hosts.py)

    @property
    def hosts(self) -> HostPolicy:
        """The hosts the token C may go to: the versions URL's and the target's ``allowed_hosts``."""
        return HostPolicy.of([self.versions_url], self.allowed_hosts)

    def party(self, role: str) -> tuple[str, str]:
        if self.parties is not None and role in self.parties:
            return self.parties[role]
        from simulators.ocpi.references import IDENTITIES

        return IDENTITIES[role].country_code, IDENTITIES[role].party_id


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
    variant: str = ""  # "invalid": the pushes of objects made invalid (Receiver PUT and POST)
    notes: list[str] = field(default_factory=list)  # what could not be judged (e.g. no GET to read back with)


def declared_endpoints(platform: FuzzPlatform, client: httpx.Client) -> list[tuple[str, str, str]]:
    """(module, interface role, url) of every endpoint the platform's version details declare for 2.2.1."""
    headers = {"Authorization": authorization_header(platform.token, base64_encoded=platform.base64_token)}
    versions = _data(_get(client, platform.versions_url, headers), platform.versions_url)
    found = [v for v in versions if isinstance(v, dict) and v.get("version") == VERSION] if isinstance(
        versions, list) else []
    if not found:
        raise FuzzError(f"{platform.versions_url} offers no OCPI {VERSION}")
    details_url = str(found[0].get("url"))
    if not platform.hosts.allows(details_url):
        raise FuzzError(platform.hosts.refusal("GET", details_url))
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
    started = time.monotonic()
    result = OperationResult(module, role, op.method, url, op.path)
    missing = [p.strip("{}") for p in op.path.split("/") if p.startswith("{")
               and p.strip("{}") not in (path_parameters or {})]
    if missing and time.monotonic() <= deadline:
        result.skip_reason = f"the first page of the list gave no {', '.join(missing)} to address"
        return result
    operation = schema_operation(module, role, url, op)
    judge = Judge(platform, result)
    strategy = operation.as_strategy(path_parameters={k: v for k, v in (path_parameters or {}).items()
                                                      if "{" + k + "}" in op.path} or None)

    def one(case: Any) -> None:
        exchange = judge.call(fresh_ids(case))
        if exchange.error is None:
            judge.judge(run_checks(exchange, _expect(op, case, exchange)), case, (exchange,))

    generate(judge, strategy, options, deadline, one)
    result.duration_s = round(time.monotonic() - started, 3)
    return result


def schema_operation(module: str, role: str, url: str, op: Operation, openapi: dict[str, Any] | None = None) -> Any:
    """The schemathesis operation of ``op`` in the interface's document (or ``openapi``), served from ``url``."""
    import schemathesis

    schema = schemathesis.openapi.from_dict(openapi or document(module, role, url))
    # The curl line must reproduce the request: schemathesis would mask body members it deems sensitive (a CDR's
    # auth_method). roamcert redacts the credentials itself (curl_line, and every recorded exchange).
    schema.config.output.sanitization.enabled = False
    path = urlsplit(url).path.rstrip("/") + op.path or "/"
    return schema[path][op.method]


def fresh_ids(case: Any) -> Any:
    """The case with the routing headers left out and fresh X-Request-ID and X-Correlation-ID values."""
    for name in _ROUTING:
        case.headers.pop(name, None)
    case.headers["X-Request-ID"] = str(uuid.uuid4())
    case.headers["X-Correlation-ID"] = str(uuid.uuid4())
    return case


class Judge:
    """What one fuzzed operation keeps: one PASS finding per check, each distinct problem once (with the curl line
    that reproduces it and the exchanges that show it), and at most _KEPT_EXCHANGES exchanges; every other
    exchange is dropped as soon as it is judged, so that a long run stays in flat memory."""

    def __init__(self, platform: FuzzPlatform, result: OperationResult) -> None:
        import requests

        self.platform = platform
        self.result = result
        self.log = ExchangeLog(prefix="f")
        self.log.secrets |= {platform.token, encode_token(platform.token)}
        self.authorization = authorization_header(platform.token, base64_encoded=platform.base64_token)
        self.session = requests.Session()
        self.seen: dict[tuple[str, str], Finding] = {}
        self.passed: dict[str, Finding] = {}
        self.notes: dict[str, None] = {}  # what could not be judged, said once each (e.g. no GET to read back)

    def call(self, case: Any) -> Exchange:
        """Send a generated case, counting it; a request that got no answer is counted and kept as evidence."""
        self.result.cases += 1
        parts = urlsplit(self.result.url)
        exchange, response = _call(case, self.session, self.authorization, self.log,
                                   f"{parts.scheme}://{parts.netloc}")
        self.log.exchanges.clear()
        if response is not None:
            self.judge(schemathesis_findings(case, response, exchange), case, (exchange,))
        if exchange.error is not None:
            self.result.transport_errors += 1
            self.result.error = self.result.error or f"{exchange.method} {exchange.url}: {exchange.error}"
            self.keep(exchange)
        elif not self.result.exchanges:
            self.keep(exchange)
        return exchange

    def send(self, method: str, url: str, headers: dict[str, str]) -> Exchange:
        """A request roamcert makes beside the generated ones (a read-back GET), recorded the same way."""
        import requests

        started = time.perf_counter()
        sent = {**headers, "Authorization": self.authorization}
        hosts = self.platform.hosts
        if not hosts.allows(url):  # e.g. a CDR's Location header on another host: named, never called
            reason = hosts.refusal(method, url)
            exchange = self.log.record(direction="outbound", method=method, url=url, request_headers=headers.items(),
                                       request_body=None, status=None, response_headers=[], response_body=None,
                                       elapsed_ms=0.0, error=reason, protocol="OCPI", version=VERSION)
            self.log.exchanges.clear()
            self.seen.setdefault((HOST_CHECK_ID, reason), host_finding(reason, url, hosts.describe(), exchange.id))
            self.keep(exchange)
            return exchange
        try:
            response = self.session.request(method, url, headers=sent, timeout=30, allow_redirects=False)
        except requests.RequestException as exc:
            exchange = self.log.record(direction="outbound", method=method, url=url, request_headers=sent.items(),
                                       request_body=None, status=None, response_headers=[], response_body=None,
                                       elapsed_ms=(time.perf_counter() - started) * 1000,
                                       error=f"{type(exc).__name__}: {exc}", protocol="OCPI", version=VERSION)
        else:
            exchange = self.log.record(direction="outbound", method=method, url=url,
                                       request_headers=[(str(k), str(v)) for k, v in response.request.headers.items()],
                                       request_body=None,
                                       status=response.status_code, response_headers=list(response.headers.items()),
                                       response_body=response.content,
                                       elapsed_ms=response.elapsed.total_seconds() * 1000,
                                       protocol="OCPI", version=VERSION)
        self.log.exchanges.clear()
        return exchange

    def keep(self, exchange: Exchange) -> None:
        if len(self.result.exchanges) < _KEPT_EXCHANGES and all(x.id != exchange.id for x in self.result.exchanges):
            self.result.exchanges.append(exchange)

    def judge(self, findings: list[Finding], case: Any, shown_by: tuple[Exchange, ...], *, what: str = "",
              then: str = "") -> None:
        """Keep the findings: a problem not seen before gets the curl line of ``case`` (and ``then``, a request
        that followed it), ``what`` (what the request carried, e.g. the mutation of an invalid object) and the
        exchanges ``shown_by``."""
        for finding in findings:
            if finding.outcome is Outcome.PASS:
                self.passed.setdefault(finding.check_id, finding)
                continue
            key = (finding.check_id, finding.message)
            if key in self.seen or len(self.seen) >= _KEPT_FINDINGS:
                continue
            ids = {x.id for x in shown_by}
            evidence = tuple(e for e in finding.evidence if e in ids) or tuple(x.id for x in shown_by)
            reproduce = curl_line(case, self.platform) + (f"; then {then}" if then else "")
            message = f"{finding.message}{f' ({what})' if what else ''} (reproduce: {reproduce})"
            self.seen[key] = replace(finding, message=message, evidence=evidence)
            for exchange in shown_by:
                self.keep(exchange)

    def conclude(self) -> None:
        failing = {check_id for check_id, _ in self.seen}
        self.result.findings = ([f for c, f in sorted(self.passed.items()) if c not in failing]
                                + list(self.seen.values()))
        self.result.notes = list(self.notes)
        self.session.close()


def generate(judge: Judge, strategy: Any, options: FuzzOptions, deadline: float, one: Callable[..., None],
             **more: Any) -> None:
    """Run ``one`` on each of ``options.max_examples`` examples of ``strategy`` (and of the ``more`` strategies,
    passed by name), seeded; stops at the deadline; a fault of the generator or the transport ends this operation
    only, as its ``error``."""
    import hypothesis
    import hypothesis.errors
    from hypothesis import HealthCheck, Phase, given, settings

    @settings(max_examples=options.max_examples, database=None, deadline=None, derandomize=False,
              phases=[Phase.generate], suppress_health_check=list(HealthCheck), print_blob=False)
    @hypothesis.seed(options.seed)
    @given(case=strategy, **more)
    def run(case: Any, **drawn: Any) -> None:
        if time.monotonic() > deadline:
            raise _OutOfTime
        one(case, **drawn)

    try:
        if time.monotonic() <= deadline:
            run()
    except _OutOfTime:
        pass  # the run's time limit: what was found so far stands
    except hypothesis.errors.Unsatisfiable:  # every example was one not to send (fuzz_receiver: PATCHes)
        judge.notes.setdefault("no generated example could be sent")
    except Exception as exc:  # a fault of the generator or the transport must not end the whole run
        judge.result.error = f"{type(exc).__name__}: {exc}"[:500]
    finally:
        judge.conclude()


def _call(case: Any, session: Any, authorization: str, log: ExchangeLog, origin: str) -> tuple[Exchange, Any]:
    """Send a generated case: the recorded exchange, and schemathesis' response (None when no answer came)."""
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
                          protocol="OCPI", version=VERSION), None
    request = response.request
    return log.record(direction="outbound", method=request.method, url=str(request.url),
                      request_headers=list(request.headers.items()), request_body=request.body,
                      status=response.status_code, response_headers=_pairs(response.headers),
                      response_body=response.content, elapsed_ms=response.elapsed * 1000,
                      protocol="OCPI", version=VERSION), response


@cache
def _schemathesis_checks() -> tuple[Any, ...]:
    """The checks of schemathesis that judge one answer as it came. Left out: those that send requests of their
    own (``ignored_auth`` re-sends without credentials, ``use_after_free`` and the like), which would bypass
    roamcert's recording and host policy."""
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_headers_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    return (not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
            response_schema_conformance)


def schemathesis_findings(case: Any, response: Any, exchange: Exchange) -> list[Finding]:
    """schemathesis' own default checks on the answer (server error, status code, content type, headers and body
    against the operation's document), beside roamcert's: each failure is a harness finding of severity INFO (a
    second opinion, never a verdict of its own: roamcert's checks judge the same rules with their requirements)."""
    from schemathesis.core.failures import Failure, FailureGroup

    try:
        case.validate_response(response, checks=list(_schemathesis_checks()))
    except FailureGroup as group:
        failures: list[Failure] = list(group.exceptions)
    except Failure as failure:
        failures = [failure]
    else:
        return []
    return [Finding(check_id=SCHEMATHESIS_CHECK_ID, outcome=Outcome.FAIL, severity=Severity.INFO,
                    message=f"schemathesis {failure.code} {failure.title}: {' '.join(failure.message.split())[:300]}",
                    expected="an answer schemathesis' default checks accept", actual=failure.title,
                    evidence=(exchange.id,)) for failure in failures]


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


def curl_line(case: Any, platform: FuzzPlatform) -> str:
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
    """The results-file record (docs/results-format.md) of one fuzzed operation: FAIL for a problem with a MUST
    rule (a blocking finding), a problem with a SHOULD rule stays a warning (a FAIL finding of severity
    RECOMMENDED in a PASS case, as in a certification run)."""
    problems = [f for f in result.findings if f.outcome is not Outcome.PASS]
    blocking = [f for f in problems if f.blocking or f.outcome is Outcome.ERROR]
    reason: str | None
    if result.skip_reason is not None:
        outcome, reason = "SKIP", result.skip_reason
    elif not result.cases and result.error is None:
        outcome, reason = "SKIP", "the run's time limit was reached before any request of this operation"
    elif result.error is not None and not blocking:
        outcome, reason = "ERROR", f"{result.transport_errors} of {result.cases} requests got no answer, or fuzzing " \
                                   f"stopped; first: {result.error}"
    elif blocking:
        first = blocking[0]
        more = f" (+{len(blocking) - 1} more)" if len(blocking) > 1 else ""
        outcome = "FAIL"
        reason = f"{first.check_id} ({', '.join(first.requirements)}): {first.message}{more}"
    else:
        outcome = "PASS"
        warned = [f"{len(problems)} warning(s): {problems[0].check_id}: {problems[0].message}"] if problems else []
        reason = "; ".join(warned + result.notes) or None
    requirements = sorted({r for f in result.findings for r in f.requirements})
    below = "-".join(p.strip("{}") for p in result.path.split("/") if p and p not in ("{country_code}", "{party_id}"))
    slug = "-".join(x for x in (result.module, result.interface_role, result.method, below, result.variant)
                    if x).upper()
    role = next((r for r in platform.roles), "")
    invalid = result.variant == "invalid"
    title = (f"Schema fuzzing: {result.method} {result.module} {result.interface_role.lower()} "
             f"{result.path or 'list'}{' (invalid objects)' if invalid else ''} ({result.cases} generated requests)")
    then = ("every invalid object is refused (2001) and not stored" if invalid else
            "every answer is what a valid request calls for" + (", and what was pushed is stored"
                                                              if result.interface_role == "RECEIVER" else ""))
    return {
        "id": f"OCPI-{VERSION}-FUZZ-{slug}", "title": title,
        "module": result.module, "role": role, "interface_role": result.interface_role, "version": VERSION,
        "feature": None, "scenario": "schema fuzzing", "nodeid": f"fuzz::{platform.name}::{slug.lower()}",
        "outcome": outcome, "duration_s": result.duration_s, "reason": reason,
        "steps": [{"keyword": "When", "name": f"{result.cases} generated {result.method} requests to {result.url}",
                   "outcome": "ERROR" if outcome == "ERROR" else "PASS"},
                  {"keyword": "Then", "name": then, "outcome": outcome if outcome != "ERROR" else "SKIP"}],
        "requirements": requirements,
        "findings": [f.to_dict() for f in result.findings],
        "exchanges": [x.to_dict() for x in result.exchanges],
    }


def fuzz_platform(platform: FuzzPlatform, options: FuzzOptions, deadline: float,
                  run_checks: Callable[[Exchange, Expect], list[Finding]],
                  timeout: float = 30.0) -> list[OperationResult]:
    """Fuzz every fuzzable operation of every endpoint the platform declares: the Sender GETs, then the pushes to
    its Receivers (conformance/ocpi/v2_2_1/fuzz_receiver.py)."""
    from conformance.ocpi.v2_2_1.fuzz_receiver import fuzz_receiver

    with httpx.Client(timeout=timeout, follow_redirects=False) as client:
        endpoints = declared_endpoints(platform, client)
    results = []
    for module, role, url in sorted(endpoints):
        if not platform.hosts.allows(url):  # nothing of this endpoint is called: its token C stays home
            results.append(_not_called(platform, module, role, url))
            continue
        ids: dict[str, str] = {}
        for op in fuzzable(module, role):
            if op.paginated and time.monotonic() <= deadline:
                ids = real_ids(_first_page(platform, url, timeout))
            results.append(fuzz_endpoint(platform, module, role, url, op, options, deadline, run_checks, ids))
    for module, role, url in sorted(endpoints):
        if role.upper() == "RECEIVER" and platform.hosts.allows(url):
            results += fuzz_receiver(platform, module, url, options, deadline, run_checks)
    return results


def _not_called(platform: FuzzPlatform, module: str, role: str, url: str) -> OperationResult:
    """The result of a declared endpoint on a host the target does not name: SKIP, and the finding naming it."""
    reason = platform.hosts.refusal("ANY", url)
    result = OperationResult(module, role, "ANY", url, skip_reason=reason)
    result.findings = [host_finding(reason, url, platform.hosts.describe(), None)]
    return result


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
