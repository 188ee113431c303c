"""roamcert's OCN Notary (conformance/network): the official package's format and verdicts, without Node.js.

The vectors below were made by the official package (npm @shareandcharge/ocn-notary 1.0.0, driven by
tests/interop/ocn_notary/driver.js) from roamcert's own test message and keys; tests/interop/test_ocn_notary_node.py
checks the same agreement live, both ways.

Profiles: HYPOTHESIS_PROFILE=dev (quick), ci (the default here), certify (thorough, before a release).
"""

from __future__ import annotations

import base64
import copy
import json
import os
import sys
from typing import Any

import brotli
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conformance.network.ethereum import Account
from conformance.network.notary import (
    MAX_NOTARY_BYTES,
    Mismatch,
    Notary,
    UnreadableSignature,
    sign,
    values_to_sign,
)
from conformance.network.signed_values import MAX_DEPTH, Json, assign, js_text, message_of, query, walk

settings.register_profile("dev", max_examples=15, deadline=None)
settings.register_profile("ci", max_examples=60, deadline=None, derandomize=True, database=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("certify", max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

PARTY_KEY = "0x" + "a1" * 32
NODE_KEY = "0x" + "b2" * 32
PARTY = Account.from_key(PARTY_KEY).address
NODE = Account.from_key(NODE_KEY).address
EMSP_RESPONSE_URL = "https://emsp.roamcert.test/ocpi/2.2.1/commands/START_SESSION/77"
NODE_RESPONSE_URL = "https://node-a.roamcert.test/ocpi/commands/START_SESSION/9"
PATH_RESPONSE_URL = "$['body']['response_url']"

REQUEST: dict[str, Json] = {
    "headers": {"x-correlation-id": "c0ffee00-0001", "ocpi-from-country-code": "NL", "ocpi-from-party-id": "RCM",
                "ocpi-to-country-code": "DE", "ocpi-to-party-id": "RCC"},
    "body": {"response_url": EMSP_RESPONSE_URL,
             "token": {"country_code": "NL", "party_id": "RCM", "uid": "TOKEN-001", "type": "RFID",
                       "contract_id": "NL-RCM-C00000001", "issuer": "roamcert", "valid": True,
                       "whitelist": "ALLOWED", "last_updated": "2026-01-02T03:04:05Z"},
             "location_id": "LOC-1", "evse_uid": "EVSE-1", "authorization_reference": None, "power": 22.0},
}
# The official package's signatures over REQUEST (by PARTY_KEY), and over it with response_url rewritten by a node.
OFFICIAL_HASH = "0x7633d3309e1dde4cfe1b58fd4cafe089d316379e8558c1af2731295180d4be0c"
OFFICIAL_RSV = ("0x69b6b246aac3065935d8d7b9b73e9d3a1726f6a69a28869a7d4433da8d800309"
                "46a581cf410d353b35b09ecceaee92dc7043773556d0c771e251de3793c072521c")
OFFICIAL_REWRITTEN = (
    "G/YEAGR/pv6080tKE4jq7feyOQ0kEZ/t5PwOUtrgTecpX4ERn2cbnSxKz8d5lkCEMwoDsSzdpkcI8TvWtM7Qq0dVB1lzU7O5ejnfGsO23rZO5lt3"
    "B4No661zH8arg4G3TtQ+7GSkzXBQp/HyoJn44fcHNLKAh27y1O8Zm/fR4310oYx8v3Uy36pV59n1tI7zfVzJ1dbJfEszcGYGQr2es1MoU+h1vGW/"
    "37AXpvGqT5n6Pmxo7VomCOlX77bK3S6GLuuhdY7a69z62fWGcxcd5v8htvz75KbJWe5sM94K/u0n+2qR20LNFNxVhKCzhCymgg0afdTFUnARGJPV"
    "Fn0UH7OzgYyL1pPT3hUbBV3wNqp9NbUbNVNwB4ZQA1tfvclOe8DCPpGIVGQSCBxC9cZRAFdAxJtCgJFNrBgYK3rHOhSKNeeSka2INwmxREu15JqD"
    "s9Wgd4ULB2eNZaaIOsRCFqLWRe2rNlxc5T5O92qm4C64D/BeUMu7HJN2KRtfIBFhcfLRBvRvbI3JJ7WvJrmdhi5NzeaPapLbaehdrj4OsuamZo/q"
    "5XyrlqYX/IYzteh902ZHR3LZNofTmC9Jpn7YpfWjkTbDkTk0h/qIxsvLfMXt6N//N3//n/378O/fl18/j0JQz5fy+OARGRGSaGaxVEUXFytbylUg"
    "JkbtMSSJzkXSuZqA2iSnI7AtAmQf4lPxxVifMyF4l9Bx5FBSCSiJMetgfPXZp2xi9CkHthaRc+QIgJCszy5qqlYDo8OCrkASIskiyTAFsBgCOucZ"
    "KAQtxmkWDAkJgnFGk9pXbbi4ynarY0cpfeCPziREpz18/Kgj1Dfa6vdskw+VAN4b9XzyDA=="
)


def _rewritten(request: dict[str, Json] | None = None) -> dict[str, Any]:
    changed: dict[str, Any] = copy.deepcopy(request or REQUEST)
    changed["body"]["response_url"] = NODE_RESPONSE_URL
    return changed


def _node_rewrite(notary: Notary) -> Notary:
    """A node that declares its rewrite of response_url, then signs what it forwards."""
    return notary.stash({PATH_RESPONSE_URL: EMSP_RESPONSE_URL}).signed(_rewritten(), NODE_KEY)


# The official package's format


def test_roamcert_signs_what_the_official_package_signs() -> None:
    notary = sign(REQUEST, PARTY_KEY)
    assert (notary.hash, notary.rsv, notary.signatory) == (OFFICIAL_HASH, OFFICIAL_RSV, PARTY)
    assert "$['body']['authorization_reference']" not in notary.fields  # null is not signed
    assert notary.fields[-1] == "$['body']['power']"


def test_an_official_signature_with_a_rewrite_verifies_in_roamcert() -> None:
    official = Notary.deserialise(OFFICIAL_REWRITTEN)
    assert official.signatory == NODE
    assert [(r.signatory, r.hash, r.rsv) for r in official.rewrites] == [(PARTY, OFFICIAL_HASH, OFFICIAL_RSV)]
    verdict = official.verify(_rewritten())
    assert verdict.valid, verdict
    assert (verdict.signer, verdict.original_signatory) == (NODE, PARTY)
    assert official.verify(_rewritten(), expected_signatory=PARTY)


def test_roamcert_serialises_the_official_notary_json() -> None:
    ours = _node_rewrite(sign(REQUEST, PARTY_KEY))
    assert ours == Notary.deserialise(OFFICIAL_REWRITTEN)
    # The same JSON text under the compression: the official key order, compact, non-ASCII kept.
    assert _json_text(ours.serialise()) == _json_text(OFFICIAL_REWRITTEN)


def _json_text(serialised: str) -> bytes:
    return bytes(brotli.decompress(base64.b64decode(serialised)))


def test_the_message_is_read_as_javascript_writes_values() -> None:
    assert walk({"b": 1, "10": 2.5, "2": True, "a": None, "e": "", "l": [1.0, {"x": "y"}]}) == (
        ["$['2']", "$['10']", "$['b']", "$['l'][0]", "$['l'][1]['x']"], "true2.511y")


@pytest.mark.parametrize(("value", "text"), [
    (1.0, "1"), (100.0, "100"), (-0.0, "0"), (0.1, "0.1"), (1.5e-6, "0.0000015"), (1e-7, "1e-7"),
    (1e21, "1e+21"), (1.2345678901234568e20, "123456789012345680000"), (2**53 + 1, "9007199254740992"),
    (-12, "-12"), (True, "true"), (None, ""), ([1, [2, None], "x"], "1,2,,x"), ({"a": 1}, "[object Object]"),
])
def test_values_read_as_javascript_text(value: Json, text: str) -> None:
    assert js_text(value) == text


def test_paths_are_read_as_the_official_jsonpath_reads_them() -> None:
    values: Json = {"body": {"arr": [10, 20], "0": "zero", "n": None, "dot.k": 7}}
    assert query(values, "$['body']['arr']['1']") == [20]  # a quoted index reads an array
    assert query(values, "$['body'][0]") == []  # a bare number never reads an object
    assert query(values, "$['body']['dot.k']") == [7]
    assert query(values, "$.body.arr[0]") == [10]
    assert message_of(["$['body']['n']", "$['body']['missing']", "$['BODY']['ARR'][1]"], values) == "20"
    assign(values, "$['body']['new']['deep']", "v")
    assign(values, "$['body']['arr'][3]", "x")
    assert values["body"]["new"] == {"deep": "v"} and values["body"]["arr"] == [10, 20, None, "x"]  # type: ignore[index,call-overload]


def test_values_to_sign_keep_the_signable_headers_lower_cased() -> None:
    values = values_to_sign(headers={"X-Request-ID": "r1", "X-Correlation-ID": "c1", "OCPI-to-party-id": "RCC",
                                     "Authorization": "Token secret", "Link": "<https://x>; rel=\"next\""},
                            params={"limit": 10}, body={"id": "LOC-1"})
    assert values == {"headers": {"x-correlation-id": "c1", "ocpi-to-party-id": "RCC",
                                  "link": '<https://x>; rel="next"'},
                      "params": {"limit": 10}, "body": {"id": "LOC-1"}}
    assert values_to_sign(body=[]) == {"body": []}


# Verdicts


def test_a_tampered_header_or_body_fails_and_names_a_missing_field() -> None:
    notary = sign(REQUEST, PARTY_KEY)
    for path, value in (("$['headers']['ocpi-to-party-id']", "XXX"), ("$['body']['token']['uid']", "TOKEN-002"),
                        ("$['body']['token']['valid']", "true "), ("$['body']['power']", 22.5)):
        tampered = copy.deepcopy(REQUEST)
        assign(tampered, path, value)
        verdict = notary.verify(tampered)
        assert (verdict.valid, verdict.mismatch, verdict.error) == (False, Mismatch.MODIFIED,
                                                                    "Request has been modified"), path
    dropped = copy.deepcopy(REQUEST)
    del dropped["body"]["evse_uid"]  # type: ignore[union-attr,arg-type]
    assert notary.verify(dropped).missing_fields == ("$['body']['evse_uid']",)


def test_an_added_field_is_not_covered_and_is_named() -> None:
    added = copy.deepcopy(REQUEST)
    assign(added, "$['body']['connector_id']", "2")
    verdict = sign(REQUEST, PARTY_KEY).verify(added)
    assert verdict.valid  # as in the official package: a Notary covers the fields it lists
    assert verdict.unsigned_fields == ("$['body']['connector_id']",)


def test_another_signatory_is_named() -> None:
    notary = sign(REQUEST, PARTY_KEY)
    claimed = Notary(notary.fields, notary.hash, notary.rsv, NODE)
    verdict = claimed.verify(REQUEST)
    assert (verdict.valid, verdict.mismatch, verdict.signer, verdict.signatory) == (
        False, Mismatch.SIGNATORY, PARTY, NODE)
    assert verdict.error == "Signatories do not match"
    unexpected = notary.verify(REQUEST, expected_signatory=NODE)
    assert (unexpected.valid, unexpected.mismatch) == (False, Mismatch.UNEXPECTED_SIGNATORY)
    # ethers refuses a mixed-case address whose EIP-55 checksum is wrong; an all-lower-case one is fine.
    assert Notary(notary.fields, notary.hash, notary.rsv, PARTY.lower()).verify(REQUEST)
    wrong_case = PARTY[:2] + PARTY[2:].swapcase()
    assert not Notary(notary.fields, notary.hash, notary.rsv, wrong_case).verify(REQUEST)


def test_a_declared_rewrite_verifies_and_an_undeclared_one_fails() -> None:
    party = sign(REQUEST, PARTY_KEY)
    assert _node_rewrite(party).verify(_rewritten()).original_signatory == PARTY
    # A node that signs its change without declaring it: verifies, but as the node's message, not the party's.
    undeclared = party.signed(_rewritten(), NODE_KEY)
    assert undeclared.verify(_rewritten(), expected_signatory=PARTY).mismatch == Mismatch.UNEXPECTED_SIGNATORY
    # A node that forwards the party's signature with a changed value.
    assert party.verify(_rewritten()).mismatch == Mismatch.MODIFIED
    # A declared rewrite that misstates the previous value.
    misstated = party.stash({PATH_RESPONSE_URL: "https://elsewhere.test/"}).signed(_rewritten(), NODE_KEY)
    verdict = misstated.verify(_rewritten())
    assert (verdict.mismatch, verdict.rewrite, verdict.error) == (
        Mismatch.REWRITE_MODIFIED, 0, "Rewrite 0: Rewritten request hash does not match")
    # A rewrite that names another signatory than the one who signed before it.
    forged = party.stash({PATH_RESPONSE_URL: EMSP_RESPONSE_URL})
    forged = Notary(forged.fields, forged.hash, forged.rsv, forged.signatory, (
        type(forged.rewrites[0])(forged.rewrites[0].rewritten_fields, party.hash, party.rsv, NODE),))
    assert forged.signed(_rewritten(), NODE_KEY).verify(_rewritten()).mismatch == Mismatch.REWRITE_SIGNATORY


def test_two_rewrites_are_checked_latest_first() -> None:
    first = _node_rewrite(sign(REQUEST, PARTY_KEY))
    again = _rewritten()
    again["headers"]["ocpi-to-party-id"] = "RCD"
    second = first.stash({"$['headers']['ocpi-to-party-id']": "RCC"}).signed(again, PARTY_KEY)
    verdict = second.verify(again)
    assert verdict.valid and verdict.original_signatory == PARTY
    wrong_first = copy.deepcopy(again)
    wrong_first["body"]["token"]["uid"] = "OTHER"
    broken = first.stash({"$['headers']['ocpi-to-party-id']": "RCC"}).signed(wrong_first, PARTY_KEY)
    assert broken.verify(wrong_first).rewrite == 0


def test_a_hostile_rewrite_or_message_is_refused_not_obeyed() -> None:
    party = sign(REQUEST, PARTY_KEY)
    far = party.stash({"$['body']['token']['groups'][999999999]": "x"}).signed(REQUEST, NODE_KEY)
    verdict = far.verify(REQUEST)
    assert (verdict.valid, verdict.mismatch, verdict.rewrite) == (False, Mismatch.REWRITE_MODIFIED, 0)
    assert "beyond" in (verdict.error or "")
    deep: list[Json] = []
    for _ in range(MAX_DEPTH):
        deep = [deep, "x"]
    expected = f"Request has been modified (values nested deeper than {MAX_DEPTH} levels)"
    assert party.verify({"body": deep}).error == expected
    assert sys.getrecursionlimit() < 10_000  # importing eth-account left the interpreter's limit as it was


def test_serialisation_round_trips() -> None:
    notary = _node_rewrite(sign({"body": {"name": "Zürich Ø"}}, PARTY_KEY))
    assert Notary.deserialise(notary.serialise()) == notary
    unpadded = notary.serialise().rstrip("=").replace("+", "-").replace("/", "_")
    assert Notary.deserialise(unpadded) == notary  # Node's base64 reader takes these too


def _packed(document: bytes) -> str:
    return base64.b64encode(brotli.compress(document)).decode()


@pytest.mark.parametrize(("serialised", "reason"), [
    ("not base64!", "not base64"),
    (base64.b64encode(b"\x00\x01plain").decode(), "Brotli"),
    (_packed(b"[1, 2]"), "not a JSON object"),
    (_packed(b'{"fields": "x", "hash": "", "rsv": "", "signatory": ""}'), "'fields'"),
    (_packed(b'{"fields": [], "hash": 1, "rsv": "", "signatory": ""}'), "'hash'"),
    (_packed(b'{"fields": [], "hash": "", "rsv": "", "signatory": "", "rewrites": [{"hash": ""}]}'), "rewrittenFields"),
    (_packed(b" " * (MAX_NOTARY_BYTES + 1)), "expands beyond"),
    (base64.b64encode(brotli.compress(b'{"fields": []}' * 50)[:-3]).decode(), "truncated"),
])
def test_unreadable_signatures_are_refused_with_a_reason(serialised: str, reason: str) -> None:
    with pytest.raises(UnreadableSignature, match=reason):
        Notary.deserialise(serialised)


# Properties

_KEYS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_0123456789-", min_size=1, max_size=8)
_LEAVES = (st.none() | st.booleans() | st.integers(-(2**60), 2**60)
           | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=12))
_JSON = st.recursive(_LEAVES, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_KEYS, inner, max_size=3),
                     max_leaves=12)
_MESSAGES = st.fixed_dictionaries({}, optional={
    "headers": st.dictionaries(st.sampled_from(["x-correlation-id", "ocpi-to-party-id", "link"]),
                               st.text(min_size=1, max_size=20)),
    "params": st.dictionaries(_KEYS, _LEAVES, max_size=3),
    "body": _JSON,
})
_KEYS_TO_SIGN = st.binary(min_size=32, max_size=32).filter(lambda k: 0 < int.from_bytes(k, "big") < 2**256 - 2**129)


@given(values=_MESSAGES, key=_KEYS_TO_SIGN)
def test_what_roamcert_signs_verifies_after_a_round_trip(values: dict[str, Json], key: bytes) -> None:
    notary = Notary.deserialise(sign(values, key).serialise())
    verdict = notary.verify(json.loads(json.dumps(values)))
    assert verdict.valid, verdict
    assert verdict.original_signatory == Account.from_key(key).address and verdict.unsigned_fields == ()


@given(values=_MESSAGES, data=st.data())
def test_changing_any_character_of_a_signed_value_is_caught(values: dict[str, Json], data: st.DataObject) -> None:
    notary = sign(values, PARTY_KEY)
    if not notary.fields:
        return  # nothing is signed, so nothing can be tampered with
    path = data.draw(st.sampled_from(notary.fields))
    text = js_text(query(values, path)[0])
    at = data.draw(st.integers(0, len(text) - 1))
    other = data.draw(st.characters(codec="utf-8").filter(lambda c: c != text[at]))
    tampered = copy.deepcopy(values)
    assign(tampered, path, text[:at] + other + text[at + 1:])
    verdict = notary.verify(tampered)
    assert (verdict.valid, verdict.mismatch) == (False, Mismatch.MODIFIED)


@given(values=_MESSAGES, data=st.data())
def test_changing_any_digit_of_the_signature_is_caught(values: dict[str, Json], data: st.DataObject) -> None:
    notary = sign(values, PARTY_KEY)
    at = data.draw(st.integers(2, 2 + 127))  # r and s; ethers reads v by its parity alone
    digit = data.draw(st.sampled_from("0123456789abcdef").filter(lambda d: d != notary.rsv[at].lower()))
    forged = Notary(notary.fields, notary.hash, notary.rsv[:at] + digit + notary.rsv[at + 1:], notary.signatory)
    verdict = forged.verify(values)
    assert (verdict.valid, verdict.mismatch) == (False, Mismatch.SIGNATORY)
    assert verdict.signer != PARTY


def test_the_signable_headers_are_the_ocpi_headers_of_those_names() -> None:
    """conformance.network may not import conformance.ocpi: its list is checked against OCPI's names here."""
    from conformance.network.notary import SIGNABLE_HEADERS
    from conformance.ocpi import headers as ocpi

    assert tuple(h.lower() for h in (
        ocpi.X_CORRELATION_ID, ocpi.OCPI_FROM_COUNTRY_CODE, ocpi.OCPI_FROM_PARTY_ID, ocpi.OCPI_TO_COUNTRY_CODE,
        ocpi.OCPI_TO_PARTY_ID, ocpi.X_LIMIT, ocpi.X_TOTAL_COUNT, ocpi.LINK, ocpi.LOCATION)) == SIGNABLE_HEADERS
