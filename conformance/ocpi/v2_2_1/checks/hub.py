"""Checks of a Hub under test (transport_and_format_message_routing, status_codes_4xxx_hub_errors,
mod_hub_client_info): judged from what roamcert's own platforms sent through the Hub, what each of them received
from it, and what the Hub answered. Evaluated by conformance/ocpi/v2_2_1/flows/hub.py."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from conformance.core.checks import Problem
from conformance.core.exchange import Exchange
from conformance.ocpi.headers import (
    OCPI_FROM_COUNTRY_CODE,
    OCPI_FROM_PARTY_ID,
    OCPI_TO_COUNTRY_CODE,
    OCPI_TO_PARTY_ID,
    next_url,
)
from conformance.ocpi.schemas import errors as schema_errors
from conformance.ocpi.v2_2_1.checks._registrar import evidence_check
from conformance.ocpi.v2_2_1.checks._util import short, status_code_of

__all__ = ["Address", "Arrival", "ClientInfoList", "ClientInfoPushes", "Credentials", "GetAll", "HubError",
           "ListPage", "Relayed", "RelayedList", "Routed", "from_of", "to_of"]

Address = tuple[str, str]  # (country_code, party_id), upper-cased


def _address(country: str | None, party_id: str | None) -> Address | None:
    return None if not country and not party_id else ((country or "").upper(), (party_id or "").upper())


def to_of(x: Exchange, response: bool = False) -> Address | None:
    get = x.response_header if response else x.request_header
    return _address(get(OCPI_TO_COUNTRY_CODE), get(OCPI_TO_PARTY_ID))


def from_of(x: Exchange, response: bool = False) -> Address | None:
    get = x.response_header if response else x.request_header
    return _address(get(OCPI_FROM_COUNTRY_CODE), get(OCPI_FROM_PARTY_ID))


def _show(address: Address | None) -> str:
    return "none" if address is None else f"{address[0]}/{address[1]}"


def _json(x: Exchange, request: bool) -> Any:
    try:
        return x.request_json() if request else x.response_json()
    except ValueError:
        return None


@dataclass(frozen=True)
class Arrival:
    """A request one of roamcert's platforms received from the Hub."""

    platform: str  # its node name
    parties: tuple[Address, ...]  # the parties that platform holds
    exchange: Exchange
    url: str  # where the request belongs on that platform: its endpoint of the module, and the path below it


@dataclass(frozen=True)
class Routed:
    """A request one of roamcert's parties sent through the Hub, and every request the Hub then sent to roamcert's
    platforms."""

    sent: Exchange
    sender: Address  # OCPI-from as roamcert sent it
    receivers: tuple[Address, ...]  # the parties that must receive it (each once)
    arrivals: tuple[Arrival, ...]
    forwarded_from: Address  # OCPI-from due on the forwarded request (the sender; the Hub for a Broadcast Push)
    what: str  # what was sent, for messages

    @property
    def exchange_ids(self) -> tuple[str, ...]:
        return (self.sent.id, *(a.exchange.id for a in self.arrivals))

    def addressed(self) -> dict[Address, list[Arrival]]:
        out: dict[Address, list[Arrival]] = {}
        for arrival in self.arrivals:
            out.setdefault(to_of(arrival.exchange) or ("", ""), []).append(arrival)
        return out


def _delivery(evidence: Routed, rule: str) -> Iterator[Problem]:
    """Each receiver got the request once, at its platform's endpoint, addressed to it; nobody else got it."""
    addressed = evidence.addressed()
    for receiver in evidence.receivers:
        got = addressed.get(receiver, [])
        if not got:
            yield Problem(f"{evidence.what} did not reach {_show(receiver)} ({rule})",
                          f"one request addressed to {_show(receiver)}", "none",
                          evidence=(evidence.sent.id,))
        elif len(got) > 1:
            yield Problem(f"{evidence.what} reached {_show(receiver)} {len(got)} times", "once",
                          f"{len(got)} requests", evidence=tuple(a.exchange.id for a in got))
        for arrival in got:
            if receiver not in arrival.parties:
                yield Problem(f"A request addressed to {_show(receiver)} reached {arrival.platform}, which does not "
                              "hold that party", f"the platform of {_show(receiver)}", arrival.platform,
                              evidence=(arrival.exchange.id,))
            elif arrival.exchange.url.split("?")[0].rstrip("/") != arrival.url.split("?")[0].rstrip("/"):
                yield Problem(f"{evidence.what} reached {_show(receiver)} at another URL than its endpoint",
                              arrival.url, arrival.exchange.url, evidence=(arrival.exchange.id,))
    for address, got in addressed.items():
        if address not in evidence.receivers:
            for arrival in got:
                yield Problem(f"{evidence.what} reached a party it was not meant for: {arrival.platform}, addressed "
                              f"to {_show(to_of(arrival.exchange))}",
                              "only " + ", ".join(map(_show, evidence.receivers)) if evidence.receivers else "nobody",
                              f"{arrival.exchange.method} {arrival.exchange.url}", evidence=(arrival.exchange.id,))


def _body_kept(evidence: Routed) -> Iterator[Problem]:
    sent = _json(evidence.sent, request=True)
    for arrival in evidence.arrivals:
        if arrival.exchange.method != evidence.sent.method:
            yield Problem("The Hub forwarded the request with another method", evidence.sent.method,
                          arrival.exchange.method, evidence=(arrival.exchange.id,))
        if sent is not None and _json(arrival.exchange, request=True) != sent:
            yield Problem("The Hub forwarded another body than the one sent (objects go through a Hub unchanged, "
                          "last_updated included)", short(sent), short(_json(arrival.exchange, request=True)),
                          evidence=(arrival.exchange.id,))


@evidence_check("ocpi.hub.delivered_to_addressee")
def delivered_to_addressee(evidence: Routed) -> Iterator[Problem]:
    """The party the OCPI-to headers name, and only it, receives the request, unchanged."""
    yield from _delivery(evidence, "the OCPI-to headers named it")
    yield from _body_kept(evidence)


@evidence_check("ocpi.hub.forwarded_routing_headers")
def forwarded_routing_headers(evidence: Routed) -> Iterator[Problem]:
    for arrival in evidence.arrivals:
        to, sender = to_of(arrival.exchange), from_of(arrival.exchange)
        if to is None or to not in arrival.parties:
            yield Problem(f"The request the Hub forwarded to {arrival.platform} does not name the receiving party "
                          "in its OCPI-to headers", " or ".join(map(_show, arrival.parties)), _show(to),
                          evidence=(arrival.exchange.id,))
        if sender != evidence.forwarded_from:
            yield Problem(f"The request the Hub forwarded to {arrival.platform} names another sender in its "
                          "OCPI-from headers", _show(evidence.forwarded_from), _show(sender),
                          evidence=(arrival.exchange.id,))


@evidence_check("ocpi.hub.request_id_renewed")
def request_id_renewed(evidence: Routed) -> Iterator[Problem]:
    incoming = evidence.sent.request_header("X-Request-ID")
    seen: set[str] = set()
    for arrival in evidence.arrivals:
        forwarded = arrival.exchange.request_header("X-Request-ID")
        if not forwarded:
            yield Problem("The Hub's forwarded request carries no X-Request-ID", "a new X-Request-ID", "none",
                          evidence=(arrival.exchange.id,))
        elif forwarded == incoming or forwarded in seen:
            yield Problem("The Hub forwarded the request with an X-Request-ID it did not renew",
                          f"an X-Request-ID other than {incoming}", forwarded, evidence=(arrival.exchange.id,))
        seen.add(forwarded or "")


@evidence_check("ocpi.hub.correlation_id_kept")
def correlation_id_kept(evidence: Routed) -> Iterator[Problem]:
    incoming = evidence.sent.request_header("X-Correlation-ID")
    for arrival in evidence.arrivals:
        forwarded = arrival.exchange.request_header("X-Correlation-ID")
        if forwarded != incoming:
            yield Problem("The Hub's forwarded request does not carry the X-Correlation-ID of the request it "
                          "forwards", incoming, forwarded, evidence=(arrival.exchange.id,))


@dataclass(frozen=True)
class Relayed:
    """The answer a receiver gave the Hub (as roamcert's platform sent it), and the answer the sender got."""

    sent: Exchange
    arrival: Arrival | None
    sender: Address
    receiver: Address

    @property
    def exchange_ids(self) -> tuple[str, ...]:
        return (self.sent.id, *((self.arrival.exchange.id,) if self.arrival else ()))


@evidence_check("ocpi.hub.answer_relayed")
def answer_relayed(evidence: Relayed) -> Iterator[Problem]:
    if evidence.arrival is None:
        yield Problem("No request reached the receiver, so no answer could be relayed", _show(evidence.receiver),
                      "none")
        return
    given, got = _json(evidence.arrival.exchange, request=False), _json(evidence.sent, request=False)
    if not isinstance(given, dict) or not isinstance(got, dict):
        yield Problem("The answer the sender got is not the receiver's OCPI answer", short(given), short(got))
        return
    for key in ("status_code", "data"):
        if got.get(key) != given.get(key):
            yield Problem(f"The Hub relayed the receiver's answer with another {key} (an answer goes back "
                          "unchanged, last_updated included)", short(given.get(key)), short(got.get(key)))
    to, sender = to_of(evidence.sent, response=True), from_of(evidence.sent, response=True)
    if (to, sender) != (evidence.sender, evidence.receiver):
        yield Problem("The relayed answer's routing headers do not go to the requesting party from the receiving "
                      "one", f"to {_show(evidence.sender)}, from {_show(evidence.receiver)}",
                      f"to {_show(to)}, from {_show(sender)}")


@evidence_check("ocpi.hub.broadcast_reach")
def broadcast_reach(evidence: Routed) -> Iterator[Problem]:
    """Every entitled party of roamcert's, and no other, receives the push; the Hub answers the sender itself."""
    yield from _delivery(evidence, "a Broadcast Push goes to every connected party it concerns")
    yield from _body_kept(evidence)
    code = status_code_of(evidence.sent)
    if code != 1000:
        yield Problem("The Hub did not accept the Broadcast Push", "status_code 1000", short(code))
    # The Hub's answer "optionally" names the Hub in its OCPI-from headers; what it names must be right.
    to, sender = to_of(evidence.sent, response=True), from_of(evidence.sent, response=True)
    if (to is not None and to != evidence.sender) or (sender is not None and sender != evidence.forwarded_from):
        yield Problem("The Hub's answer to a Broadcast Push names another party than the requesting one (OCPI-to) "
                      "or the Hub (OCPI-from)", f"to {_show(evidence.sender)}, from {_show(evidence.forwarded_from)}",
                      f"to {_show(to)}, from {_show(sender)}")


@evidence_check("ocpi.hub.open_routing")
def open_routing(evidence: Routed) -> Iterator[Problem]:
    """An Open Routing Request reaches the party the Hub determines from its content, and only it."""
    yield from _delivery(evidence, "the Hub determines the receiver from the request")


@dataclass(frozen=True)
class ListPage:
    """One page of a list the Hub served, and the URL of the Hub's endpoint for that list."""

    exchange: Exchange
    hub_endpoint: str


@dataclass(frozen=True)
class GetAll:
    """A GET All via the Hub: the pages read (following the Hub's Links) and the objects due."""

    pages: tuple[ListPage, ...]
    due: frozenset[tuple[str, str, str]]  # (country_code, party_id, id) of every object of the Senders due
    ours: frozenset[Address]  # roamcert's parties (the Hub may hold other parties' objects too)
    sender: Address
    hub: Address | None

    @property
    def exchange_ids(self) -> tuple[str, ...]:
        return tuple(p.exchange.id for p in self.pages)


def _key(item: Any) -> tuple[str, str, str]:
    if not isinstance(item, dict):
        return ("", "", "")
    return (str(item.get("country_code", "")).upper(), str(item.get("party_id", "")).upper(), str(item.get("id")))


def _items(x: Exchange) -> list[Any]:
    body = _json(x, request=False)
    data = body.get("data") if isinstance(body, dict) else None
    return data if isinstance(data, list) else []


@evidence_check("ocpi.hub.get_all")
def get_all(evidence: GetAll) -> Iterator[Problem]:
    """The combined list holds every object of the connected Senders, each once under its owner, nothing else."""
    keys = [_key(item) for page in evidence.pages for item in _items(page.exchange)]
    missing = sorted(evidence.due - set(keys))
    if missing:
        yield Problem(f"GET All via the Hub left out {len(missing)} object(s) of connected Senders",
                      "every object of every connected Sender", ", ".join("/".join(k) for k in missing[:5]))
    twice = sorted({k for k in keys if keys.count(k) > 1})
    if twice:
        yield Problem(f"GET All via the Hub returned {len(twice)} object(s) more than once (one party's objects "
                      "passed on under another)", "each object once", ", ".join("/".join(k) for k in twice[:5]))
    strangers = sorted(k for k in set(keys) - evidence.due if k[:2] in evidence.ours)
    if strangers:
        yield Problem(f"GET All via the Hub returned {len(strangers)} object(s) of roamcert's parties that are no "
                      "Sender's of that module", "objects of the connected Senders only",
                      ", ".join("/".join(k) for k in strangers[:5]))
    first = evidence.pages[0].exchange if evidence.pages else None
    if first is not None:
        to, sender = to_of(first, response=True), from_of(first, response=True)
        if evidence.hub is not None and (to, sender) != (evidence.sender, evidence.hub):
            yield Problem("The answer to a GET All via the Hub does not go to the requesting party from the Hub",
                          f"to {_show(evidence.sender)}, from {_show(evidence.hub)}",
                          f"to {_show(to)}, from {_show(sender)}", evidence=(first.id,))


def _link_target(x: Exchange) -> str | None:
    return next_url(x.response_header("Link"))


def _pagination(pages: tuple[ListPage, ...], total: int | None) -> Iterator[Problem]:
    for index, page in enumerate(pages):
        x = page.exchange
        last = index == len(pages) - 1
        target = _link_target(x)
        if not last and target is None:
            yield Problem("A page of a list the Hub served has no next-page Link though more objects follow",
                          'Link: <hub URL>; rel="next"', "none", evidence=(x.id,))
        if target is not None and not target.startswith(page.hub_endpoint.rstrip("/")):
            yield Problem("The next-page Link of a list the Hub served does not point at the Hub (the client talks "
                          "only to the Hub)", page.hub_endpoint + "?...", target, evidence=(x.id,))
        for header in ("X-Total-Count", "X-Limit"):
            if x.response_header(header) is None:
                yield Problem(f"A page of a list the Hub served has no {header} header", header, "none",
                              evidence=(x.id,))
    count = sum(len(_items(p.exchange)) for p in pages)
    if total is not None and count != total:
        yield Problem("Following the Hub's Links did not read as many objects as its X-Total-Count announced",
                      str(total), str(count))


@evidence_check("ocpi.hub.get_all_paginated")
def get_all_paginated(evidence: GetAll) -> Iterator[Problem]:
    total = evidence.pages[0].exchange.response_header("X-Total-Count") if evidence.pages else None
    yield from _pagination(evidence.pages, int(total) if total and total.isdigit() else None)


@dataclass(frozen=True)
class RelayedList:
    """A list GET addressed to one party, relayed by the Hub, page by page."""

    pages: tuple[ListPage, ...]
    receiver_endpoint: str

    @property
    def exchange_ids(self) -> tuple[str, ...]:
        return tuple(p.exchange.id for p in self.pages)


@evidence_check("ocpi.hub.link_rewritten")
def link_rewritten(evidence: RelayedList) -> Iterator[Problem]:
    """The receiver's next-page Link points at the Hub once relayed; X-Total-Count and X-Limit are kept."""
    for page in evidence.pages[:-1]:
        target = _link_target(page.exchange)
        if target is not None and target.startswith(evidence.receiver_endpoint.rstrip("/")):
            yield Problem("The Hub relayed the receiver's next-page Link unchanged: it points at the receiver's "
                          "platform, which the client cannot call", page.hub_endpoint + "?...", target,
                          evidence=(page.exchange.id,))
    total = evidence.pages[0].exchange.response_header("X-Total-Count") if evidence.pages else None
    yield from _pagination(evidence.pages, int(total) if total and total.isdigit() else None)


@dataclass(frozen=True)
class HubError:
    """A request the Hub cannot deliver: what it answered, the status codes due, and what reached roamcert."""

    sent: Exchange
    due: frozenset[int]
    why: str
    arrivals: tuple[Arrival, ...] = ()

    @property
    def exchange_ids(self) -> tuple[str, ...]:
        return (self.sent.id, *(a.exchange.id for a in self.arrivals))


def _hub_error(evidence: HubError) -> Iterator[Problem]:
    code = status_code_of(evidence.sent)
    if code not in evidence.due:
        yield Problem(f"The Hub answered a request {evidence.why} with another status code",
                      " or ".join(map(str, sorted(evidence.due))), short(code))
    for arrival in evidence.arrivals:
        yield Problem(f"The Hub forwarded a request {evidence.why}", "nothing forwarded",
                      f"{arrival.exchange.method} {arrival.exchange.url}", evidence=(arrival.exchange.id,))


@evidence_check("ocpi.hub.unknown_receiver")
def unknown_receiver(evidence: HubError) -> Iterator[Problem]:
    yield from _hub_error(evidence)


@evidence_check("ocpi.hub.not_connected")
def not_connected(evidence: HubError) -> Iterator[Problem]:
    yield from _hub_error(evidence)


@evidence_check("ocpi.hub.error_family")
def error_family(evidence: HubError) -> Iterator[Problem]:
    yield from _hub_error(evidence)


@evidence_check("ocpi.hub.sender_verified")
def sender_verified(evidence: HubError) -> Iterator[Problem]:
    """A party's token never works for another party: a request naming a party of another platform in its
    OCPI-from headers is refused and goes nowhere."""
    code = status_code_of(evidence.sent)
    if code == 1000:
        yield Problem(f"The Hub accepted a request {evidence.why}", "a refusal (2xxx or 4xxx)", short(code))
    for arrival in evidence.arrivals:
        yield Problem(f"The Hub forwarded a request {evidence.why}", "nothing forwarded",
                      f"{arrival.exchange.method} {arrival.exchange.url}", evidence=(arrival.exchange.id,))


@dataclass(frozen=True)
class ClientInfoPushes:
    """The ClientInfo objects the Hub PUT to roamcert's platforms after one party's status changed."""

    party: Address
    status: str
    due_at: tuple[str, ...]  # the platforms that must be told
    pushes: tuple[Arrival, ...]
    trigger: tuple[str, ...]  # exchange ids of what made the status change

    @property
    def exchange_ids(self) -> tuple[str, ...]:
        return (*self.trigger, *(a.exchange.id for a in self.pushes))


@evidence_check("ocpi.hub.client_info_pushed")
def client_info_pushed(evidence: ClientInfoPushes) -> Iterator[Problem]:
    told = set()
    for push in evidence.pushes:
        info = _json(push.exchange, request=True)
        if (push.exchange.method == "PUT" and isinstance(info, dict) and _key(info)[:2] == evidence.party
                and info.get("status") == evidence.status):
            told.add(push.platform)
    for platform in evidence.due_at:
        if platform not in told:
            yield Problem(f"The Hub did not push {_show(evidence.party)} {evidence.status} to {platform}'s "
                          "hubclientinfo Receiver", f"PUT .../{evidence.party[0]}/{evidence.party[1]} with status "
                          f"{evidence.status}", "none")


@dataclass(frozen=True)
class ClientInfoList:
    pages: tuple[Exchange, ...]
    due: tuple[Address, ...]  # parties the list must show CONNECTED

    @property
    def exchange_ids(self) -> tuple[str, ...]:
        return tuple(x.id for x in self.pages)


@evidence_check("ocpi.hub.client_info_list")
def client_info_list(evidence: ClientInfoList) -> Iterator[Problem]:
    infos = [item for page in evidence.pages for item in _items(page)]
    for item in infos:
        errors = schema_errors("2.2.1", "ClientInfo", item)
        if errors:
            yield Problem("A ClientInfo in the Hub's list is not valid", "a ClientInfo", "; ".join(errors[:3]))
    status = {_key(item)[:2]: item.get("status") for item in infos if isinstance(item, dict)}
    for party in evidence.due:
        if status.get(party) != "CONNECTED":
            yield Problem(f"The Hub's ClientInfo list does not show {_show(party)} CONNECTED", "CONNECTED",
                          short(status.get(party)))


@dataclass(frozen=True)
class Credentials:
    """The Credentials object the Hub returned to each of roamcert's platforms at registration."""

    answers: tuple[Exchange, ...]

    @property
    def exchange_ids(self) -> tuple[str, ...]:
        return tuple(x.id for x in self.answers)


@evidence_check("ocpi.hub.credentials_role")
def credentials_role(evidence: Credentials) -> Iterator[Problem]:
    for x in evidence.answers:
        body = _json(x, request=False)
        data = body.get("data") if isinstance(body, dict) else None
        roles = data.get("roles") if isinstance(data, dict) else None
        named = [r.get("role") for r in roles if isinstance(r, dict)] if isinstance(roles, list) else None
        if named != ["HUB"]:
            yield Problem("The Hub's Credentials name other roles than the Hub's own", "roles: [HUB]", short(named),
                          evidence=(x.id,))
