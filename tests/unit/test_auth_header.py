"""The OCPI 2.2.1 Authorization header: 'Token ' + Base64(UTF-8 token) (conformance/ocpi/auth.py)."""

from __future__ import annotations

import base64

import pytest

from conformance.ocpi.auth import authorization_header, decode_token, encode_token

TOKENS = [
    "IpbJOXxkxOAuKR92z0nEcmVF3Qw09VG7I7d/WCg0koM=",  # the spec's example value, itself Base64-looking
    "ebf3b399-779f-4497-9b9d-ac6ad3cc44d2",
    "a",
    "tökén-€-日本",  # non-ASCII: encoded as UTF-8 octets
    "with space and \"quotes\"",
]


@pytest.mark.parametrize("token", TOKENS)
def test_round_trip(token: str) -> None:
    header = authorization_header(token)
    assert header == "Token " + base64.b64encode(token.encode("utf-8")).decode("ascii")
    assert decode_token(header) == (token, encode_token(token))


def test_encode_is_base64_of_utf8() -> None:
    assert encode_token("tökén") == "dMO2a8Opbg=="
    assert encode_token("example-token") == "ZXhhbXBsZS10b2tlbg=="


def test_unencoded_header() -> None:
    assert authorization_header("plain-token", base64_encoded=False) == "Token plain-token"


@pytest.mark.parametrize("token", ["ebf3b399-779f-4497-9b9d-ac6ad3cc44d2", "tok!en", "tökén", "abc"])
def test_plain_token_detected(token: str) -> None:
    """A token sent as is (not Base64) does not decode: (None, raw credential)."""
    assert decode_token(f"Token {token}") == (None, token)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Bearer eDEyMw==", (None, "eDEyMw==")),
        ("Basic dXNlcjpwYXNz", (None, "dXNlcjpwYXNz")),
        ("Tokenx eDEyMw==", (None, "eDEyMw==")),
        ("eDEyMw==", (None, None)),  # no scheme, no credential
    ],
)
def test_wrong_scheme(header: str, expected: tuple[str | None, str | None]) -> None:
    assert decode_token(header) == expected


@pytest.mark.parametrize(
    ("header", "raw"),
    [
        ("Token  eDEyMw==", " eDEyMw=="),  # two spaces after the scheme
        ("Token eDEyMw== ", "eDEyMw== "),  # trailing space
        ("Token eDEy Mw==", "eDEy Mw=="),  # space inside the credential
        ("Token\teDEyMw==", None),  # a tab is not the one space the spec asks for
    ],
)
def test_extra_whitespace_is_not_decoded(header: str, raw: str | None) -> None:
    decoded, credential = decode_token(header)
    assert decoded is None
    assert credential == raw


def test_leading_space_is_not_the_token_scheme() -> None:
    assert decode_token(" Token eDEyMw==") == (None, "Token eDEyMw==")


@pytest.mark.parametrize("header", [None, "", "Token", "Token "])
def test_empty(header: str | None) -> None:
    assert decode_token(header) == (None, None)


def test_base64_of_non_utf8_octets_is_not_a_token() -> None:
    credential = base64.b64encode(b"\xff\xfe\xfd").decode()
    assert decode_token(f"Token {credential}") == (None, credential)


def test_base64_without_padding_is_not_accepted() -> None:
    # RFC 4648 Base64 of "ab" is "YWI="; the unpadded form is not valid Base64
    assert decode_token("Token YWI=") == ("ab", "YWI=")
    assert decode_token("Token YWI") == (None, "YWI")
