"""Schema fuzzing of a SUT's Receiver interfaces: generated objects pushed, then read back.

For every Receiver endpoint the SUT declares among Locations, Sessions, CDRs, Tariffs and Tokens, schemathesis
generates objects from the interface's OpenAPI document (the project's own JSON Schemas), and roamcert fixes what
must agree with the URL and with the caller: ``country_code`` and ``party_id`` are roamcert's own party for this
SUT, the object's id is a new one of this run, named in the URL and the body alike (a Token's ``type`` in the query
too). Three kinds of case, each an operation of its own in the results:

- a valid object PUT (POSTed, for a CDR): status_code 1000 is called for, and the object read back with the
  Receiver's GET is the one pushed (the same checks as the scenario flows: ``ocpi.<module>.receiver_stored``);
- a valid PATCH of an object a PUT of this run created: the same, for the fields it carries;
- an object made invalid in one generated way (a required field removed, a value of the wrong JSON type, a value
  outside its enum): refusal with 2001 is advised, and it must not be stored (the scenario flows' SHOULD-level
  ``ocpi.<module>.receiver_invalid_not_stored``: a warning, never a failure). The finding names the mutation.

A Receiver that answers the read-back GET with HTTP 405 or 501 has no GET: nothing is judged of what it stored,
and the case says so.
"""

from __future__ import annotations

import copy
import itertools
import secrets
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote, urlencode, urljoin

from conformance.core.checks import Check
from conformance.core.exchange import Exchange
from conformance.core.findings import Finding
from conformance.ocpi.expect import Expect
from conformance.ocpi.schemas import errors as schema_errors
from conformance.ocpi.types import format_datetime
from conformance.ocpi.v2_2_1.checks import locations as lc
from conformance.ocpi.v2_2_1.checks import receivers as rc
from conformance.ocpi.v2_2_1.checks import tokens as tc
from conformance.ocpi.v2_2_1.checks._compare import ReadBack
from conformance.ocpi.v2_2_1.checks._receiver import ReadBacks, Refusal, accepted
from conformance.ocpi.v2_2_1.fuzz import (
    VERSION,
    FuzzOptions,
    FuzzPlatform,
    Judge,
    OperationResult,
    fresh_ids,
    generate,
    schema_operation,
)
from conformance.ocpi.v2_2_1.openapi import PORTABLE_DATETIME, Operation, document, interface

__all__ = ["Mutation", "fuzz_receiver", "mutations", "receiver_operations"]

_OK = frozenset({1000})
_INVALID = frozenset({2001})
_NO_GET = frozenset({405, 501})  # a Receiver without a GET on the interface: nothing to read back with
_OWNED = ("country_code", "party_id")
_MADE = 64  # objects of a kind kept as the parents and PATCH targets of later cases
# A calendar date every date library holds (days up to 28), as PORTABLE_DATETIME is for DateTimes.
_PORTABLE_DATE = {"type": "string", "pattern": "^[12][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])$"}
# The party role that pushes to each Receiver: roamcert plays it, under its own country code and party id.
_PUSHER = {"locations": "CPO", "sessions": "CPO", "cdrs": "CPO", "tariffs": "CPO", "tokens": "EMSP"}


@dataclass(frozen=True)
class Pushed:
    """What one Receiver path holds, and the scenario flows' checks that judge what it keeps."""

    what: str  # the schema of the object: Location, EVSE, Connector, Session, CDR, Tariff, Token
    id_field: str  # the body's field holding the id the URL names
    stored: Check
    rejected: Check
    patched: Check | None = None
    parent: str | None = None  # the object that must be stored first: the Location of an EVSE, ...
    owned: bool = True  # the body carries country_code and party_id (a Client Owned Object's own)
    children: str | None = None  # the list of child objects, each with its own PUT (left out of a PATCH)


# By the last path parameter of the interface's PUT (CDRs: POST to the module URL).
_PUSHED = {
    "location_id": Pushed("Location", "id", lc.receiver_stored, lc.receiver_rejected, lc.receiver_stored,
                          children="evses"),
    "evse_uid": Pushed("EVSE", "uid", lc.receiver_stored, lc.receiver_rejected, lc.receiver_stored,
                       parent="Location", owned=False, children="connectors"),
    "connector_id": Pushed("Connector", "id", lc.receiver_stored, lc.receiver_rejected, lc.receiver_stored,
                           parent="EVSE", owned=False),
    "session_id": Pushed("Session", "id", rc.session_stored, rc.session_rejected, rc.session_patched),
    "tariff_id": Pushed("Tariff", "id", rc.tariff_stored, rc.tariff_rejected),
    "token_uid": Pushed("Token", "uid", tc.receiver_stored, tc.receiver_rejected, tc.receiver_patched),
    "": Pushed("CDR", "id", rc.cdr_stored, rc.cdr_rejected),
}


def _param(op: Operation) -> str:
    names = [p.strip("{}") for p in op.path.split("/") if p.startswith("{")]
    return names[-1] if names else ""


def receiver_operations(module: str) -> list[Operation]:
    """The pushes fuzzed on a module's Receiver: every PUT (POST for CDRs), then every PATCH, parents first."""
    if module not in _PUSHER:
        return []
    ops = [op for op in interface(module, "RECEIVER").operations if op.method in ("PUT", "POST", "PATCH")]
    return sorted(ops, key=lambda op: (op.method == "PATCH", op.path.count("/")))


# -- invalid objects --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mutation:
    """One way of making a valid object invalid: at ``path`` (keys and list indexes), remove the member or put
    ``value`` there."""

    path: tuple[str | int, ...]
    kind: str  # "removed", "wrong type", "outside the enum"
    value: Any = None

    def describe(self) -> str:
        where = "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in self.path)
        shown = "" if self.kind == "removed" else f": {self.value!r}"
        return f"invalid object: {where} {'(required) ' if self.kind == 'removed' else ''}{self.kind}{shown}"

    def apply(self, obj: dict[str, Any]) -> dict[str, Any]:
        out = copy.deepcopy(obj)
        node: Any = out
        for step in self.path[:-1]:
            node = node[step]
        if self.kind == "removed":
            del node[self.path[-1]]
        else:
            node[self.path[-1]] = self.value
        return out


_OUTSIDE_ENUM = "ROAMCERT_NOT_IN_ENUM"


def _wrong_type(value: Any) -> Any:
    """A value of another JSON type than ``value``'s."""
    if isinstance(value, str):
        return 12345
    if isinstance(value, bool | int | float):
        return "not-a-number"
    return "not-an-object" if isinstance(value, dict) else "not-a-list"


def mutations(components: dict[str, Any], name: str, obj: Any) -> list[Mutation]:
    """Every mutation site of ``obj``, a ``name`` object, found by walking it beside its schema (nested objects
    and the first item of each list included)."""
    out: list[Mutation] = []

    def resolve(schema: Any) -> dict[str, Any]:
        seen = 0
        while isinstance(schema, dict) and "$ref" in schema and seen < 20:
            schema = components.get(str(schema["$ref"]).rsplit("/", 1)[-1], {})
            seen += 1
        return schema if isinstance(schema, dict) else {}

    def walk(schema: Any, value: Any, path: tuple[str | int, ...], depth: int) -> None:
        found = resolve(schema)
        if isinstance(value, list) and value and isinstance(found.get("items"), dict):
            walk(found["items"], value[0], (*path, 0), depth)
            return
        if not isinstance(value, dict) or depth > 3:
            return
        out.extend(Mutation((*path, key), "removed") for key in found.get("required", []) if key in value)
        for key, sub in (found.get("properties") or {}).items():
            if key not in value:
                continue
            out.append(Mutation((*path, key), "wrong type", _wrong_type(value[key])))
            if "enum" in resolve(sub):
                out.append(Mutation((*path, key), "outside the enum", _OUTSIDE_ENUM))
            walk(sub, value[key], (*path, key), depth + 1)

    walk({"$ref": f"#/components/schemas/{name}"}, obj, (), 0)
    return out


# -- the run ----------------------------------------------------------------------------------------------


@dataclass
class _Receiver:
    """One declared Receiver endpoint being fuzzed: roamcert's party there, and the objects its PUTs created."""

    platform: FuzzPlatform
    module: str
    url: str
    options: FuzzOptions
    deadline: float
    run_checks: Callable[[Exchange, Expect], list[Finding]]
    party: tuple[str, str]
    tag: str
    openapi: dict[str, Any]  # the interface's document, generating only values every server can parse
    # (path parameters, query, object as pushed) of the objects PUTs stored, by kind
    made: dict[str, list[tuple[dict[str, str], dict[str, str], dict[str, Any]]]] = field(default_factory=dict)
    counter: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    started: datetime = field(default_factory=lambda: datetime.now(UTC).replace(microsecond=0))

    @property
    def components(self) -> dict[str, Any]:
        return dict(self.openapi["components"]["schemas"])

    def new_id(self, suffix: str = "") -> str:
        return f"RCF-{self.tag}-{next(self.counter)}{suffix}"

    def stamp(self) -> str:
        """A last_updated later than every one pushed before: a Receiver may ignore an object older than the one
        it holds, and a Location's last_updated is that of its newest EVSE or Connector (mod_locations)."""
        return format_datetime(self.started + timedelta(seconds=next(self.counter)))

    def remember(self, kind: str, made: tuple[dict[str, str], dict[str, str], dict[str, Any]]) -> None:
        kept = self.made.setdefault(kind, [])
        if len(kept) < _MADE:
            kept.append(made)

    def object_url(self, params: dict[str, str], op: Operation) -> str:
        path = op.path
        for name, value in params.items():
            path = path.replace("{" + name + "}", quote(value, safe=""))
        return self.url.rstrip("/") + path


def _headers() -> dict[str, str]:
    return {"X-Request-ID": str(uuid.uuid4()), "X-Correlation-ID": str(uuid.uuid4())}


def _ids(case_or_headers: Any) -> dict[str, Any]:
    headers = case_or_headers if isinstance(case_or_headers, dict) else case_or_headers.headers
    return {"request_id": headers.get("X-Request-ID"), "correlation_id": headers.get("X-Correlation-ID")}


def _get_curl(url: str) -> str:
    return f"curl -X GET -H \"Authorization: Token $OCPI_TOKEN\" '{url}'"


def fuzz_receiver(platform: FuzzPlatform, module: str, url: str, options: FuzzOptions, deadline: float,
                  run_checks: Callable[[Exchange, Expect], list[Finding]]) -> list[OperationResult]:
    """Fuzz the pushes to one declared Receiver endpoint (nothing for a module whose Receiver is not fuzzed)."""
    ops = receiver_operations(module)
    if not ops:
        return []
    openapi = document(module, "RECEIVER", url)
    openapi["components"]["schemas"].update(DateTime=PORTABLE_DATETIME, LocalDate=_PORTABLE_DATE)
    receiver = _Receiver(platform, module, url, options, deadline, run_checks, platform.party(_PUSHER[module]),
                         options.run_tag or secrets.token_hex(2).upper(), openapi)
    results = []
    for op in ops:
        results.append(_fuzz(receiver, op, invalid=False))
        if op.method != "PATCH":
            results.append(_fuzz(receiver, op, invalid=True))
    return results


def _fuzz(receiver: _Receiver, op: Operation, *, invalid: bool) -> OperationResult:
    from hypothesis import strategies as st

    started = time.monotonic()
    result = OperationResult(receiver.module, "RECEIVER", op.method, receiver.url, op.path,
                             variant="invalid" if invalid else "")
    pushed = _PUSHED[_param(op)]
    source = pushed.what if op.method == "PATCH" else pushed.parent
    if source is not None and not receiver.made.get(source) and time.monotonic() <= receiver.deadline:
        result.skip_reason = (f"no {source} was stored by a PUT of this run to update" if op.method == "PATCH"
                              else f"no {source} was stored by a PUT of this run to hold the {pushed.what}")
        return result
    judge = Judge(receiver.platform, result)
    strategy = schema_operation(receiver.module, "RECEIVER", receiver.url, op, receiver.openapi).as_strategy()
    if op.method == "PATCH":
        generate(judge, strategy, receiver.options, receiver.deadline,
                 lambda case: _patch(receiver, op, pushed, judge, case))
    else:
        generate(judge, strategy, receiver.options, receiver.deadline,
                 lambda case, choice: _push(receiver, op, pushed, judge, case, choice if invalid else None),
                 choice=st.integers(min_value=0, max_value=10_000))
    result.duration_s = round(time.monotonic() - started, 3)
    return result


def _address(receiver: _Receiver, op: Operation, pushed: Pushed, body: dict[str, Any], object_id: str
             ) -> tuple[dict[str, str], dict[str, str]]:
    """The path parameters and query of a push of ``body`` under ``object_id``; fixes the body to agree."""
    params = dict(zip(_OWNED, receiver.party, strict=True)) if "{country_code}" in op.path else {}
    if pushed.parent is not None:
        parents = receiver.made[pushed.parent]
        params |= parents[len(receiver.made.get(pushed.what, [])) % len(parents)][0]
    body[pushed.id_field] = object_id
    _restamp(body, receiver.stamp())
    if pushed.owned:
        body.update(zip(_OWNED, receiver.party, strict=True))
    param = _param(op)
    if param:
        params[param] = object_id
    query = {"type": str(body["type"])} if pushed.what == "Token" else {}
    return params, query


def _push(receiver: _Receiver, op: Operation, pushed: Pushed, judge: Judge, case: Any, choice: int | None) -> None:
    """PUT (or POST) one generated object, valid or made invalid (``choice`` picks the mutation), and read it
    back."""
    body = case.body if isinstance(case.body, dict) else {}
    params, query = _address(receiver, op, pushed, body, receiver.new_id("-X" if choice is not None else ""))
    mutation = _mutation(receiver, pushed, body, choice) if choice is not None else None
    if choice is not None and mutation is None:
        return  # no mutation of this object breaks its schema (none is sent: it would be a valid push)
    case.body = mutation.apply(body) if mutation is not None else body
    case.path_parameters = params
    case.query = query or None
    push = judge.call(fresh_ids(case))
    if push.error is not None:
        return
    what = mutation.describe() if mutation is not None else ""
    if mutation is None:
        # A CDR's creation is judged as the scenario flows do (ocpi.cdrs.receiver_created, below).
        expect = Expect(status_codes=_OK, http_statuses=frozenset({200, 201}),
                        created=None if pushed.what == "CDR" else True, **_ids(case))
    else:
        expect = Expect(advised_codes=_INVALID, resource_exists=True if pushed.what == "CDR" else None, **_ids(case))
    judge.judge(receiver.run_checks(push, expect), case, (push,), what=what)
    if mutation is None and not accepted(push):
        return  # the refusal of a valid object is the finding above; there is nothing to read back
    if pushed.what == "CDR":
        if mutation is None:
            judge.judge(rc.cdr_created.judge(rc.CdrPost(push)) + rc.cdr_location.judge(rc.CdrPost(push)), case,
                        (push,))
        where = push.response_header("Location")
        if not where:
            if mutation is None:
                judge.notes.setdefault("a CDR POST answered without a Location header could not be read back")
            return
        back_url = urljoin(receiver.url, where)
    else:
        back_url = receiver.object_url(params, op) + (f"?{urlencode(query)}" if query else "")
    back = _read_back(receiver, judge, case, push, back_url, pushed, what, valid=mutation is None)
    if back is None:
        return
    if mutation is not None:
        judge.judge(pushed.rejected.judge(Refusal(pushed.what, push, back)), case, (push, back), what=what,
                    then=_get_curl(back_url))
        return
    reads = ReadBacks((ReadBack(pushed.what, body, back),), (push.id, back.id))
    judge.judge(pushed.stored.judge(reads), case, (push, back), then=_get_curl(back_url))
    receiver.remember(pushed.what, (params, query, body))


def _read_back(receiver: _Receiver, judge: Judge, case: Any, push: Exchange, url: str, pushed: Pushed, what: str,
               *, valid: bool) -> Exchange | None:
    """GET what was pushed, judged as an answer (its data a ``pushed.what`` when the object was valid); None when
    there is no answer to judge, or the Receiver has no GET."""
    headers = _headers()
    back = judge.send("GET", url, headers)
    if back.error is not None:
        judge.notes.setdefault(f"a read-back GET got no answer: {back.error}")
        return None
    if back.status in _NO_GET:
        judge.notes.setdefault(f"the Receiver has no GET (HTTP {back.status}): what it stored could not be read "
                               "back")
        return None
    expect = Expect(schema=pushed.what, status_codes=_OK, **_ids(headers)) if valid else Expect(**_ids(headers))
    judge.judge(receiver.run_checks(back, expect), case, (push, back), what=what, then=_get_curl(url))
    return back


def _mutation(receiver: _Receiver, pushed: Pushed, body: dict[str, Any], choice: int) -> Mutation | None:
    """The mutation ``choice`` picks among those that do make the object invalid (None: none does)."""
    sites = mutations(receiver.components, pushed.what, body)
    for offset in range(len(sites)):
        mutation = sites[(choice + offset) % len(sites)]
        if schema_errors(VERSION, pushed.what, mutation.apply(body), limit=1):
            return mutation
    return None


def _restamp(node: Any, stamp: str) -> None:
    """Every last_updated of the object tree set to ``stamp``."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "last_updated":
                node[key] = stamp
            else:
                _restamp(value, stamp)
    elif isinstance(node, list):
        for item in node:
            _restamp(item, stamp)


def _patched(what: str, stored: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    """The object a PATCH leaves stored: its fields replace the stored ones, but the charging periods a Session
    PATCH carries are added to those stored (mod_sessions_patch_method)."""
    merged = {**stored, **body}
    if what == "Session" and body.get("charging_periods"):
        merged["charging_periods"] = [*stored.get("charging_periods", []), *body["charging_periods"]]
    return merged


def _patch(receiver: _Receiver, op: Operation, pushed: Pushed, judge: Judge, case: Any) -> None:
    """PATCH an object a PUT of this run stored with generated fields, and read it back. The fields that name the
    object (its id, country_code, party_id, a Token's type) are in the URL and left out of the body, and so is
    the list of child objects, which have their own PUT. A PATCH whose fields would make the stored object
    invalid (a rule across fields: a Location's publish_allowed_to only when publish is false) is not sent."""
    import hypothesis

    made = receiver.made[pushed.what]
    params, query, stored = made[judge.result.cases % len(made)]
    body = {k: v for k, v in (case.body if isinstance(case.body, dict) else {}).items()
            if k not in (pushed.id_field, *_OWNED, pushed.children, "type" if pushed.what == "Token" else "")}
    _restamp(body, receiver.stamp())
    merged = _patched(pushed.what, stored, body)
    if schema_errors(VERSION, pushed.what, merged, limit=1):
        hypothesis.reject()
    case.body = body
    case.path_parameters = params
    case.query = query or None
    patch = judge.call(fresh_ids(case))
    if patch.error is not None:
        return
    expect = Expect(status_codes=_OK, http_statuses=frozenset({200}), **_ids(case))
    judge.judge(receiver.run_checks(patch, expect), case, (patch,))
    if not accepted(patch) or pushed.patched is None:
        return
    made[made.index((params, query, stored))] = (params, query, merged)
    url = receiver.object_url(params, op) + (f"?{urlencode(query)}" if query else "")
    back = _read_back(receiver, judge, case, patch, url, pushed, "", valid=True)
    if back is None:
        return
    expected = {k: v for k, v in body.items() if not (pushed.what == "Session" and k == "charging_periods")}
    reads = ReadBacks((ReadBack(f"{pushed.what} after the PATCH", expected, back),), (patch.id, back.id))
    judge.judge(pushed.patched.judge(reads), case, (patch, back), then=_get_curl(url))
