"""What the step that made an OCPI exchange expects of it: the evidence every OCPI exchange check reads."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Expect", "HubView", "PageRequest"]


@dataclass(frozen=True)
class PageRequest:
    """The pagination parameters roamcert put on a list request."""

    offset: int | None = None
    limit: int | None = None
    date_from: str | None = None
    date_to: str | None = None


@dataclass(frozen=True)
class HubView:
    """What roamcert's hub knows when the SUT talks through it: its own party, the parties each calling token's
    platform registered (the SUT's own), and every party it can route to (country code, party id; upper-cased)."""

    hub: tuple[str, str]
    path: str  # the path of the hub's base URL: the SUT's requests there are judged
    own: tuple[tuple[str, frozenset[tuple[str, str]]], ...]  # (token the platform calls with, its parties)
    known: frozenset[tuple[str, str]]

    def parties_of(self, token: str | None) -> frozenset[tuple[str, str]]:
        return next((parties for t, parties in self.own if t == token), frozenset())


@dataclass(frozen=True)
class Expect:
    """What the step that made an exchange expects of it; checks read only this and the exchange."""

    schema: str | None = None  # object schema the `data` field must follow
    many: bool = False  # `data` is a list of `schema`
    paginated: bool = False
    page: PageRequest | None = None
    status_codes: frozenset[int] | None = None  # acceptable OCPI status codes
    advised_codes: frozenset[int] | None = None  # codes the spec advises, not requires (judged by the step's check)
    http_statuses: frozenset[int] | None = None  # acceptable HTTP statuses
    request_id: str | None = None
    correlation_id: str | None = None
    resource_exists: bool | None = None  # False: the request addressed an unknown object
    created: bool | None = None  # a push of a valid object: True, one the server did not hold; False, one it held
    tokens: frozenset[str] = frozenset()  # credentials tokens roamcert issued (for checks on SUT requests)
    tokens_a: frozenset[str] = frozenset()  # those of them that are CREDENTIALS_TOKEN_A (registration only)
    via_hub: HubView | None = None  # the SUT's requests reach roamcert's hub (topology "hub")
    # the SUT is a Hub: an answer it gives itself (a 4xxx, a refused sender) is the Hub's, not the addressed party's,
    # and what it relays is judged against the receiver's answer (checks/hub.py)
    sut_is_hub: bool = False
