"""Interop: roamcert's OCN Notary against the official package (npm @shareandcharge/ocn-notary 1.0.0) under Node.js.

tests/interop/ocn_notary/driver.js (roamcert's own script) signs, verifies and reads Notaries with the official
package, one JSON request (or a list of them) on stdin, the answers on stdout. Each test has one side sign and the
other verify, and asks both for their verdict on the same tampered or rewritten message. .ci/run installs the
package:

    npm install --prefix tests/interop/ocn_notary --no-audit --no-fund

Without ``node`` on PATH or without that install, the module is skipped.
"""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conformance.network.ethereum import Account
from conformance.network.notary import Notary, sign, values_to_sign
from conformance.network.signed_values import Json, assign

DRIVER = Path(__file__).resolve().parent / "ocn_notary"
PACKAGE = DRIVER / "node_modules" / "@shareandcharge" / "ocn-notary" / "package.json"
NODE = shutil.which("node")
TIMEOUT = 120

pytestmark = [
    pytest.mark.skipif(NODE is None, reason="Node.js (node) is not on PATH, so the official OCN Notary cannot run"),
    pytest.mark.skipif(not PACKAGE.is_file(), reason=f"the official OCN Notary is not installed in {DRIVER} "
                                                     "(npm install --no-audit --no-fund there, as .ci/run does)"),
]

PARTY_KEY = "0x" + "c3" * 32
NODE_KEY = "0x" + "d4" * 32
PARTY = Account.from_key(PARTY_KEY).address
NODE_ADDRESS = Account.from_key(NODE_KEY).address
RESPONSE_URL = "$['body']['response_url']"

MESSAGES: list[dict[str, Json]] = [
    values_to_sign(headers={"X-Request-ID": "r-1", "X-Correlation-ID": "c-1", "OCPI-from-country-code": "NL",
                            "OCPI-from-party-id": "RCM", "OCPI-to-country-code": "DE", "OCPI-to-party-id": "RCC"},
                   body={"response_url": "https://emsp.roamcert.test/commands/START_SESSION/1",
                         "token": {"uid": "T-1", "valid": True, "last_updated": "2026-01-02T03:04:05Z"},
                         "location_id": "LOC-1", "connector_ids": ["1", "2"], "kwh": 11.0, "reference": None}),
    values_to_sign(headers={"X-Correlation-ID": "c-2", "X-Limit": "50", "X-Total-Count": "1234",
                            "Link": '<https://cpo.roamcert.test/locations?offset=50>; rel="next"'},
                   params={"date_from": "2026-01-01T00:00:00Z", "offset": 50, "limit": 50},
                   body={"status_code": 1000, "data": [{"id": "LOC-2", "name": "Zürich Hauptbahnhof ⚡",
                                                        "coordinates": {"latitude": "47.3779", "longitude": "8.5403"},
                                                        "evses": [], "opening_times": {"twentyfourseven": False}}],
                         "timestamp": "2026-01-02T03:04:05Z"}),
    {"body": {"10": "ten", "2": "two", "b": 1e21, "a": 1e-7, "n": [0, -0.0, 2**53 + 1, 0.1], "e": "", "o": {}}},
]


def official(requests: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The official package's answers to ``requests`` (see driver.js for their shape)."""
    assert NODE is not None
    done = subprocess.run([NODE, "driver.js"], cwd=DRIVER, input=json.dumps(requests), capture_output=True,
                          text=True, timeout=TIMEOUT, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    answers: list[dict[str, Any]] = json.loads(done.stdout)
    return answers


def _tampered(values: dict[str, Json], path: str, value: Json) -> dict[str, Json]:
    changed = copy.deepcopy(values)
    assign(changed, path, value)
    return changed


def _rewritten(values: dict[str, Json]) -> dict[str, Json]:
    return _tampered(values, RESPONSE_URL, "https://node-a.roamcert.test/commands/START_SESSION/9")


def test_what_the_official_package_signs_verifies_in_roamcert() -> None:
    answers = official([{"op": "sign", "values": m, "private_key": PARTY_KEY} for m in MESSAGES])
    for message, answer in zip(MESSAGES, answers, strict=True):
        theirs = Notary.deserialise(answer["notary"])
        verdict = theirs.verify(message, expected_signatory=PARTY)
        assert verdict.valid, verdict
        # Both sign deterministically (RFC 6979), so the same message and key give the same signature.
        assert theirs == sign(message, PARTY_KEY)


def test_what_roamcert_signs_verifies_in_the_official_package() -> None:
    ours = [sign(m, PARTY_KEY) for m in MESSAGES]
    answers = official([{"op": "verify", "notary": n.serialise(), "values": m} for n, m in zip(ours, MESSAGES,
                                                                                                strict=True)]
                       + [{"op": "read", "notary": n.serialise()} for n in ours])
    assert answers[:len(ours)] == [{"valid": True, "error": None}] * len(ours)
    read = answers[len(ours):]
    assert [(r["notary"]["signatory"], r["notary"]["hash"], r["notary"]["rsv"]) for r in read] == [
        (PARTY, n.hash, n.rsv) for n in ours]


@pytest.mark.parametrize(("path", "value"), [
    ("$['headers']['ocpi-to-party-id']", "XXX"),
    ("$['headers']['x-correlation-id']", "c-1 "),
    ("$['body']['token']['uid']", "T-2"),
    ("$['body']['kwh']", 11.5),
    ("$['body']['connector_ids'][1]", "3"),
])
def test_a_tampered_header_or_body_fails_in_both(path: str, value: Json) -> None:
    message = MESSAGES[0]
    tampered = _tampered(message, path, value)
    theirs = official([{"op": "sign", "values": message, "private_key": PARTY_KEY}])[0]["notary"]
    ours = sign(message, PARTY_KEY).serialise()
    answers = official([{"op": "verify", "notary": n, "values": tampered} for n in (theirs, ours)])
    assert answers == [{"valid": False, "error": "Request has been modified"}] * 2
    for notary in (theirs, ours):
        verdict = Notary.deserialise(notary).verify(tampered)
        assert (verdict.valid, verdict.error) == (False, "Request has been modified")


def test_a_declared_rewrite_verifies_in_both_and_an_undeclared_one_fails() -> None:
    message = MESSAGES[0]
    rewritten = _rewritten(message)
    previous = {RESPONSE_URL: message["body"]["response_url"]}  # type: ignore[call-overload,index]
    party_official = official([{"op": "sign", "values": message, "private_key": PARTY_KEY}])[0]["notary"]
    party_ours = sign(message, PARTY_KEY)
    # The node's rewrite, made by the other side each time: official over roamcert's, roamcert over official's.
    node_official = official([{"op": "sign", "values": rewritten, "private_key": NODE_KEY,
                               "notary": party_ours.serialise(), "stash": previous}])[0]["notary"]
    node_ours = Notary.deserialise(party_official).stash(previous).signed(rewritten, NODE_KEY)
    undeclared = party_ours.serialise()  # the party's signature forwarded over a changed message
    answers = official([{"op": "verify", "notary": n, "values": rewritten}
                        for n in (node_official, node_ours.serialise(), undeclared)])
    assert answers == [{"valid": True, "error": None}, {"valid": True, "error": None},
                       {"valid": False, "error": "Request has been modified"}]
    for notary in (Notary.deserialise(node_official), node_ours):
        verdict = notary.verify(rewritten, expected_signatory=PARTY)
        assert verdict.valid and verdict.signer == NODE_ADDRESS, verdict
    assert not Notary.deserialise(undeclared).verify(rewritten)
    # A rewrite that declares the wrong previous value: both name rewrite 0.
    misstated = party_ours.stash({RESPONSE_URL: "https://elsewhere.test/"}).signed(rewritten, NODE_KEY)
    expected = "Rewrite 0: Rewritten request hash does not match"
    assert official([{"op": "verify", "notary": misstated.serialise(), "values": rewritten}]) == [
        {"valid": False, "error": expected}]
    assert misstated.verify(rewritten).error == expected


def test_verdicts_agree_where_the_format_cannot_verify() -> None:
    """Keys the official reader lower-cases or cannot parse: neither side verifies even its own signature."""
    messages: list[dict[str, Json]] = [{"body": {"Name": "x"}}, {"body": {"it's": "x"}}, {"body": {"a\\b": "x"}},
                                       {"body": {"a\\y": "x"}}, {"body": {"]": "z", "sp ace": "y"}}]
    notaries = [sign(m, PARTY_KEY) for m in messages]
    answers = official([{"op": "verify", "notary": n.serialise(), "values": m}
                        for n, m in zip(notaries, messages, strict=True)])
    theirs = [a["valid"] for a in answers]
    ours = [n.verify(m).valid for n, m in zip(notaries, messages, strict=True)]
    assert ours == theirs == [False, False, True, False, True]


_KEYS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_0123456789-.$ ", min_size=1, max_size=8)
_LEAVES = (st.none() | st.booleans() | st.integers(-(2**60), 2**60)
           | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=10))
_BODIES = st.recursive(_LEAVES, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_KEYS, inner, max_size=3),
                       max_leaves=10)
_MESSAGES = st.fixed_dictionaries({"headers": st.fixed_dictionaries({"x-correlation-id": st.text(max_size=10)}),
                                   "params": st.dictionaries(_KEYS, _LEAVES, max_size=2), "body": _BODIES})


@settings(max_examples=4, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(messages=st.lists(_MESSAGES, min_size=12, max_size=12))
def test_generated_messages_sign_alike_and_verify_across(messages: list[dict[str, Json]]) -> None:
    messages = json.loads(json.dumps(messages))  # what crosses the wire (tuples, -0.0 as JSON has them)
    answers = official([{"op": "sign", "values": m, "private_key": PARTY_KEY} for m in messages]
                       + [{"op": "verify", "notary": sign(m, PARTY_KEY).serialise(), "values": m} for m in messages])
    signed, verified = answers[:len(messages)], answers[len(messages):]
    for message, answer in zip(messages, signed, strict=True):
        theirs = Notary.deserialise(answer["notary"])
        assert theirs == sign(message, PARTY_KEY)
        assert theirs.verify(message).valid
    assert verified == [{"valid": True, "error": None}] * len(messages)
