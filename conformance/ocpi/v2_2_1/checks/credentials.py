"""Checks on the registration handshake and the credentials module (credentials.asciidoc).

The flows register, update and unregister and record what the SUT answered (the evidence classes below); these
checks judge it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from conformance.core.checks import Problem
from conformance.core.exchange import Exchange
from conformance.ocpi.auth import decode_token
from conformance.ocpi.status_codes import StatusCode
from conformance.ocpi.v2_2_1.checks._registrar import evidence_check
from conformance.ocpi.v2_2_1.checks._util import answer, data_of, short, status_code_of

__all__ = [
    "VERSION",
    "Answer",
    "ClientRegistration",
    "CredentialsRoles",
    "IssuedToken",
    "RegistrationAnswer",
    "TokenAAnswer",
    "TokenBCallbacks",
    "TokenRotation",
    "Unregistration",
    "VersionDetailsAnswer",
    "VersionsAnswer",
    "callback_with_token_b",
    "client_flow",
    "client_unreachable",
    "client_unreachable_code",
    "delete_when_unregistered",
    "mutual_version",
    "no_mutual_version",
    "no_mutual_version_code",
    "post_when_registered",
    "put_when_unregistered",
    "registration",
    "roles",
    "token_a_opens",
    "token_c_works",
    "token_printable",
    "unregister",
    "update_rotates_token",
    "version_details",
    "version_entry",
    "versions_offered",
]

CR = "credentials"
VI = "version_information_endpoint"

VERSION = "2.2.1"
# CREDENTIALS_TOKEN: 1-64 printable, non-whitespace ASCII characters
_PRINTABLE = re.compile(r"^[\x21-\x7e]{1,64}$")




def _absolute(url: Any) -> bool:
    return isinstance(url, str) and url.startswith(("http://", "https://"))


# -- evidence


@dataclass(frozen=True)
class Answer:
    """The SUT's answer to one request roamcert made."""

    answer: Exchange

    @property
    def exchange_ids(self) -> tuple[str, ...]:
        return (self.answer.id,)


@dataclass(frozen=True)
class TokenAAnswer:
    """The SUT's answer to roamcert's GET of its versions or version details (``what``) with token A."""

    answer: Exchange
    what: str

    @property
    def exchange_ids(self) -> tuple[str, ...]:
        return (self.answer.id,)


@dataclass(frozen=True)
class VersionsAnswer:
    """The data of the SUT's versions list, as roamcert read it before registering."""

    versions: Any
    exchange_ids: tuple[str, ...]


@dataclass(frozen=True)
class VersionDetailsAnswer:
    """The data of the SUT's 2.2.1 version details, as roamcert read it before registering."""

    details: Any
    exchange_ids: tuple[str, ...]


@dataclass(frozen=True)
class RegistrationAnswer:
    """The SUT's answer to roamcert's credentials POST made with ``token_a``."""

    answer: Exchange
    token_a: str

    @property
    def exchange_ids(self) -> tuple[str, ...]:
        return (self.answer.id,)


@dataclass(frozen=True)
class TokenBCallbacks:
    """roamcert's credentials POST and the SUT's calls to roamcert's versions endpoint while it was open."""

    post: Exchange
    callbacks: tuple[Exchange, ...]
    token_b: str  # the token B roamcert sent in its Credentials

    @property
    def exchange_ids(self) -> tuple[str, ...]:
        return (self.post.id, *(x.id for x in self.callbacks))


@dataclass(frozen=True)
class CredentialsRoles:
    """The roles list of the Credentials a platform gave, and the party roles the target says it holds."""

    roles: Any
    expected: tuple[str, ...]
    exchange_ids: tuple[str, ...]


@dataclass(frozen=True)
class IssuedToken:
    """The token C the SUT issued to roamcert."""

    token: str
    exchange_ids: tuple[str, ...]


@dataclass(frozen=True)
class TokenRotation:
    """roamcert's credentials PUT with a new token B and, only after a successful PUT, its GETs of the SUT's
    versions with the previous token C (``stale``) and with the new one (``fresh``)."""

    put: Exchange
    previous_token: str
    stale: Exchange | None = None
    fresh: Exchange | None = None

    @property
    def exchange_ids(self) -> tuple[str, ...]:
        return tuple(x.id for x in (self.put, self.stale, self.fresh) if x is not None)


@dataclass(frozen=True)
class Unregistration:
    """roamcert's credentials DELETE and its GET of the SUT's versions with the same token afterwards."""

    delete: Exchange
    after: Exchange

    @property
    def exchange_ids(self) -> tuple[str, ...]:
        return (self.delete.id, self.after.id)


@dataclass(frozen=True)
class ClientRegistration:
    """How the SUT, as the credentials Sender, registered with roamcert: whether a registration completed, the
    requests it made to roamcert and roamcert's reads of the SUT's versions meanwhile."""

    registered: bool
    inbound: tuple[Exchange, ...]
    callbacks: tuple[Exchange, ...]
    token_a: str  # the token A roamcert gave the SUT to start with
    exchange_ids: tuple[str, ...]


# -- the SUT's versions and version details


def version_entry(versions: Any) -> dict[str, Any] | None:
    """The entry for OCPI 2.2.1 in a versions list, if there is one."""
    if not isinstance(versions, list):
        return None
    return next((v for v in versions if isinstance(v, dict) and v.get("version") == VERSION), None)


def versions_offered(versions: Any) -> tuple[str, ...] | None:
    """The versions a versions list offers, or None when the answer is no list at all."""
    if not isinstance(versions, list):
        return None
    return tuple(str(v["version"]) for v in versions if isinstance(v, dict) and "version" in v)


@evidence_check("ocpi.versions.token_a")
def token_a_opens(evidence: TokenAAnswer) -> Iterator[Problem]:
    x = evidence.answer
    if x.status in (401, 403):
        yield Problem(f"The SUT refused CREDENTIALS_TOKEN_A on its {evidence.what} (GET {x.url}): token A must "
                      "open the versions and version details until registration is done, or no one can register",
                      f"HTTP 200 with the {evidence.what}", answer(x))


@evidence_check("ocpi.versions.mutual")
def mutual_version(answer: VersionsAnswer) -> Iterator[Problem]:
    entry = version_entry(answer.versions)
    if entry is None:
        offered = versions_offered(answer.versions)
        yield Problem("The versions list does not offer OCPI 2.2.1" + (
            f" (it offers {', '.join(offered) or 'no version'})" if offered is not None else ""),
            "{version: 2.2.1, url: …}", short(answer.versions))
    elif not _absolute(entry.get("url")):
        yield Problem("The versions list gives OCPI 2.2.1 without an absolute URL", "{version: 2.2.1, url: https://…}",
                      short(entry))


@evidence_check("ocpi.versions.details")
def version_details(answer: VersionDetailsAnswer) -> Iterator[Problem]:
    data = answer.details
    endpoints = data.get("endpoints") if isinstance(data, dict) else None
    if not isinstance(endpoints, list):
        yield Problem("The version details carry no endpoints list", "endpoints: [...]", short(data))
        endpoints = []
    if not any(isinstance(e, dict) and e.get("identifier") == "credentials" for e in endpoints):
        yield Problem("No credentials endpoint is listed", "identifier: credentials", "absent")
    for e in endpoints:
        if isinstance(e, dict) and not _absolute(e.get("url")):
            yield Problem(f"Endpoint {e.get('identifier')} has no absolute URL", "https://…", short(e.get("url")))


# -- roamcert registering with the SUT


@evidence_check("ocpi.credentials.registration")
def registration(evidence: RegistrationAnswer) -> Iterator[Problem]:
    x = evidence.answer
    data = data_of(x)
    token_c = data.get("token") if isinstance(data, dict) else None
    if status_code_of(x) != StatusCode.GENERIC_SUCCESS or not isinstance(token_c, str) or not token_c:
        yield Problem("Registration did not succeed", "status_code 1000 with Credentials data", answer(x))
    elif token_c == evidence.token_a:
        yield Problem("The server returned token A as the new token", "a new token C", "token A")


@evidence_check("ocpi.credentials.callback_with_token_b")
def callback_with_token_b(evidence: TokenBCallbacks) -> Iterator[Problem]:
    token_b = evidence.token_b
    used_b = [x for x in evidence.callbacks if decode_token(x.request_header("Authorization"))[0] == token_b
              or x.request_header("Authorization") == f"Token {token_b}"]
    if not used_b:
        yield Problem("The server did not read roamcert's versions with token B during the POST",
                      "GET <roamcert versions URL> with Authorization: Token <base64 of B>",
                      f"{len(evidence.callbacks)} call(s) to the versions endpoint, none with token B")


@evidence_check("ocpi.credentials.roles")
def roles(evidence: CredentialsRoles) -> Iterator[Problem]:
    """The platform's CredentialsRole list must hold each party role the target says it holds."""
    entries = evidence.roles if isinstance(evidence.roles, list) else []
    listed = {str(r.get("role", "")).upper() for r in entries if isinstance(r, dict)}
    missing = [role for role in evidence.expected if role not in listed]
    if missing:
        yield Problem(f"The Credentials do not list the role(s) {', '.join(missing)} the platform holds",
                      ", ".join(evidence.expected), ", ".join(sorted(listed)) or "(none)")


@evidence_check("ocpi.credentials.token_printable")
def token_printable(evidence: IssuedToken) -> Iterator[Problem]:
    if not _PRINTABLE.match(evidence.token):
        yield Problem("Token C is not 1-64 printable non-whitespace ASCII characters", "[!-~]{1,64}",
                      f"{len(evidence.token)} characters")


@evidence_check("ocpi.credentials.token_c_works")
def token_c_works(evidence: Answer) -> Iterator[Problem]:
    x = evidence.answer
    if x.status != 200 or status_code_of(x) != StatusCode.GENERIC_SUCCESS:
        yield Problem("A request with token C was not served", "HTTP 200, status_code 1000", answer(x))


# -- registrations the SUT must refuse


def _registered_anyway(x: Exchange, code: int) -> Iterator[Problem]:
    """The SUT must not register roamcert (nor redirect the POST) when it cannot."""
    status = status_code_of(x)
    if isinstance(status, int) and 1000 <= status < 2000 and (x.status or 500) < 400:
        yield Problem("Registration succeeded although it should have failed", f"status_code {code}",
                      f"HTTP {x.status}, status_code {status}")
    elif x.status is not None and 300 <= x.status < 400:
        yield Problem("The SUT redirected instead of answering the registration", f"status_code {code}",
                      f"HTTP {x.status} to {x.response_header('Location')}")


def _refusal_code(x: Exchange, code: int) -> Iterator[Problem]:
    status = status_code_of(x)
    if status != code:
        yield Problem(f"The failure is not reported with status_code {code}", str(code),
                      f"HTTP {x.status}, status_code {short(status)}")


@evidence_check("ocpi.credentials.client_unreachable")
def client_unreachable(evidence: Answer) -> Iterator[Problem]:
    return _registered_anyway(evidence.answer, StatusCode.UNABLE_TO_USE_CLIENT_API.value)


@evidence_check("ocpi.credentials.client_unreachable_code")
def client_unreachable_code(evidence: Answer) -> Iterator[Problem]:
    return _refusal_code(evidence.answer, StatusCode.UNABLE_TO_USE_CLIENT_API.value)


@evidence_check("ocpi.credentials.no_mutual_version")
def no_mutual_version(evidence: Answer) -> Iterator[Problem]:
    return _registered_anyway(evidence.answer, StatusCode.UNSUPPORTED_VERSION.value)


@evidence_check("ocpi.credentials.no_mutual_version_code")
def no_mutual_version_code(evidence: Answer) -> Iterator[Problem]:
    return _refusal_code(evidence.answer, StatusCode.UNSUPPORTED_VERSION.value)


# -- methods the credentials endpoint does not allow in a state


def _not_allowed(x: Exchange, what: str) -> Iterator[Problem]:
    if x.status != 405:
        yield Problem(f"{what} was not answered with HTTP 405", "HTTP 405", answer(x))


@evidence_check("ocpi.credentials.put_when_unregistered")
def put_when_unregistered(evidence: Answer) -> Iterator[Problem]:
    return _not_allowed(evidence.answer, "PUT credentials before registration")


@evidence_check("ocpi.credentials.delete_when_unregistered")
def delete_when_unregistered(evidence: Answer) -> Iterator[Problem]:
    return _not_allowed(evidence.answer, "DELETE credentials before registration")


@evidence_check("ocpi.credentials.post_when_registered")
def post_when_registered(evidence: Answer) -> Iterator[Problem]:
    return _not_allowed(evidence.answer, "A second POST from a registered party")


# -- updating and deleting the credentials


@evidence_check("ocpi.credentials.update_rotates_token")
def update_rotates_token(evidence: TokenRotation) -> Iterator[Problem]:
    put = evidence.put
    data = data_of(put)
    new_c = data.get("token") if isinstance(data, dict) else None
    if not isinstance(new_c, str) or status_code_of(put) != StatusCode.GENERIC_SUCCESS:
        yield Problem("The credentials PUT did not succeed", "status_code 1000 with Credentials", answer(put))
        return
    if evidence.stale is None or evidence.fresh is None:
        raise ValueError("a successful PUT must be followed by GETs with the previous and the new token")
    if new_c == evidence.previous_token:
        yield Problem("The PUT answered the same token", "a new token", "the previous token")
    elif evidence.stale.status != 401:
        yield Problem("The previous token still works after the update", "HTTP 401", f"HTTP {evidence.stale.status}")
    if evidence.fresh.status != 200:
        yield Problem("The new token does not work", "HTTP 200", f"HTTP {evidence.fresh.status}")


@evidence_check("ocpi.credentials.unregister")
def unregister(evidence: Unregistration) -> Iterator[Problem]:
    delete = evidence.delete
    if delete.status != 200 or status_code_of(delete) != StatusCode.GENERIC_SUCCESS:
        yield Problem("DELETE credentials did not succeed", "HTTP 200, status_code 1000", answer(delete))
    if evidence.after.status != 401:
        yield Problem("The token still works after unregistering", "HTTP 401", f"HTTP {evidence.after.status}")


# -- the SUT registering with roamcert


@evidence_check("ocpi.credentials.client_flow")
def client_flow(evidence: ClientRegistration) -> Iterator[Problem]:
    callbacks = evidence.callbacks
    if not evidence.registered:
        yield Problem("The SUT did not complete a registration with roamcert", "POST credentials",
                      f"{len(evidence.inbound)} request(s) from the SUT, none completing registration; "
                      f"roamcert's reads of the SUT's versions: "
                      + (", ".join(f"HTTP {x.status or x.error}" for x in callbacks) or "none"))
        return
    reads = [x for x in evidence.inbound if x.method == "GET" and x.status == 200
             and decode_token(x.request_header("Authorization"))[0] == evidence.token_a]
    if len(reads) < 2:
        yield Problem("The SUT did not read roamcert's versions and version details with token A before POSTing",
                      "2 GETs with token A", f"{len(reads)}")
    if not any(x.status == 200 for x in callbacks):
        yield Problem("roamcert could not read the SUT's versions with the token B it sent",
                      "HTTP 200 from the SUT's versions URL",
                      ", ".join(f"HTTP {x.status or x.error}" for x in callbacks) or "no call")
