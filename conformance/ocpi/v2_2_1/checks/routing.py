"""Checks on the message-routing headers (transport_and_format_message_routing): the configuration modules
(versions, credentials, hub client info) are never routed, so neither the SUT's answers from them nor its requests
to roamcert's carry OCPI-from/to headers; a SUT talking through roamcert's hub (topology "hub") addresses each of its
functional module requests by them, and a SUT answering a routed request addresses its answer back by them."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

from conformance.core.checks import Problem
from conformance.core.exchange import Exchange
from conformance.ocpi.auth import decode_token
from conformance.ocpi.expect import Expect
from conformance.ocpi.headers import (
    OCPI_FROM_COUNTRY_CODE,
    OCPI_FROM_PARTY_ID,
    OCPI_TO_COUNTRY_CODE,
    OCPI_TO_PARTY_ID,
    ROUTING_HEADERS,
)
from conformance.ocpi.v2_2_1.checks._registrar import check

__all__: list[str] = []

# Objects only the configuration modules answer with (versions list, version details, credentials)
_CONFIGURATION_SCHEMAS = frozenset({"Version", "VersionDetails", "Credentials"})
# roamcert's own versions, version details, credentials and hub client info URLs (simulators/ocpi/party.py)
_OWN_CONFIGURATION_PATH = re.compile(r"/ocpi/[^/]+/((versions|\d+(\.\d+)+(/[a-z]+/credentials)?)/?$"
                                     r"|\d+(\.\d+)+/[a-z]+/(?P<hub>hubclientinfo)(/|$))")


def _configuration(x: Exchange, e: Expect) -> bool:
    if x.direction == "inbound":
        return bool(_OWN_CONFIGURATION_PATH.search(urlsplit(x.url).path))
    return x.status is not None and e.schema in _CONFIGURATION_SCHEMAS


@check("ocpi.routing.configuration_modules", tags=["response", "request"], applies=_configuration)
def configuration_not_routed(x: Exchange, e: Expect) -> Iterator[Problem]:
    inbound = x.direction == "inbound"
    present = [h for h in ROUTING_HEADERS if (x.request_header(h) if inbound else x.response_header(h)) is not None]
    if present:
        what = "The SUT's request to roamcert's" if inbound else "The SUT's answer from its"
        found = _OWN_CONFIGURATION_PATH.search(urlsplit(x.url).path) if inbound else None
        module = ("hub client info" if found and found["hub"] else
                  "credentials" if "/credentials" in x.url else "versions")
        yield Problem(f"{what} {module} endpoint carries "
                      "routing headers, which the configuration modules must not use",
                      "no OCPI-from/to headers", ", ".join(present))


# A functional module's URL at a hub: /ocpi/<hub>/<version>/<interface role>/<module>[/...]
_MODULE_PATH = re.compile(r"/ocpi/[^/]+/\d+(?:\.\d+)+/(?P<interface>sender|receiver)/(?P<module>[a-z]+)(?:/|$)")
_CONFIGURATION = frozenset({"versions", "credentials", "hubclientinfo"})
_PUSHES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _routed_via_hub(x: Exchange, e: Expect) -> bool:
    if x.direction != "inbound" or e.via_hub is None:
        return False
    path = urlsplit(x.url).path
    found = _MODULE_PATH.search(path)
    return path.startswith(e.via_hub.path + "/") and found is not None and found["module"] not in _CONFIGURATION


def _pair(x: Exchange, country: str, party: str) -> tuple[str | None, str | None]:
    return x.request_header(country), x.request_header(party)


@check("ocpi.routing.via_hub", tags=["request"], applies=_routed_via_hub)
def routed_via_hub(x: Exchange, e: Expect) -> Iterator[Problem]:
    """Through a hub, every functional module request names its sender (OCPI-from: one of the calling platform's
    own parties) and either the party it is for, or the hub (a Broadcast Push, or a GET All on a Sender's list), or
    no receiver at all (an Open Routing Request): transport_and_format_message_routing, its header tables."""
    assert e.via_hub is not None
    hub = e.via_hub
    found = _MODULE_PATH.search(urlsplit(x.url).path)
    assert found is not None
    what = f"{x.method} {x.url}"
    sender = _pair(x, OCPI_FROM_COUNTRY_CODE, OCPI_FROM_PARTY_ID)
    if None in sender:
        given = [h for h, v in zip((OCPI_FROM_COUNTRY_CODE, OCPI_FROM_PARTY_ID), sender, strict=True) if v is not None]
        yield Problem(f"The SUT's {what} through the hub does not name its sender: through a hub every request "
                      "carries OCPI-from-country-code and OCPI-from-party-id",
                      "both OCPI-from headers", ", ".join(given) or "none")
    else:
        decoded, raw = decode_token(x.request_header("Authorization"))
        own = hub.parties_of(decoded) or hub.parties_of(raw)
        key = (str(sender[0]).upper(), str(sender[1]).upper())
        if own and key not in own:
            yield Problem(f"The SUT's {what} names as its sender {key[0]}/{key[1]}, which is not one of the parties "
                          "its platform registered with the hub", ", ".join(f"{c}/{p}" for c, p in sorted(own)),
                          f"{key[0]}/{key[1]}")
    to = _pair(x, OCPI_TO_COUNTRY_CODE, OCPI_TO_PARTY_ID)
    if to == (None, None):
        return  # an Open Routing Request: the hub finds the receiver
    if None in to:
        yield Problem(f"The SUT's {what} gives only one of the OCPI-to headers", "both OCPI-to headers, or neither "
                      "(an Open Routing Request)", f"{OCPI_TO_COUNTRY_CODE}={to[0]}, {OCPI_TO_PARTY_ID}={to[1]}")
        return
    key = (str(to[0]).upper(), str(to[1]).upper())
    if key == hub.hub:
        if x.method == "GET" and found["interface"] != "sender":
            yield Problem(f"The SUT's {what} addresses the hub with a GET that is not on a Sender's list: a GET with "
                          "the hub in the OCPI-to headers is a GET All via the hub, a Broadcast Push is only a push",
                          "OCPI-to the party asked", f"{key[0]}/{key[1]} (the hub)")
        elif x.method not in _PUSHES and x.method != "GET":
            yield Problem(f"The SUT's {what} addresses the hub, which only a Broadcast Push or a GET All does",
                          "OCPI-to the party addressed", f"{key[0]}/{key[1]} (the hub)")
    elif key not in hub.known:
        yield Problem(f"The SUT's {what} is addressed to {key[0]}/{key[1]}, a party the hub does not know",
                      "a party of the hub's client info list (or the hub)", f"{key[0]}/{key[1]}")


def _pair_of(headers: Callable[[str], str | None], country: str, party: str) -> tuple[str | None, str | None]:
    return headers(country), headers(party)


def _key(pair: tuple[str | None, str | None]) -> tuple[str, str] | None:
    return None if None in pair else (str(pair[0]).upper(), str(pair[1]).upper())  # CiString: any case


def _routed_request(x: Exchange, e: Expect) -> bool:
    """roamcert asked a functional module of the SUT as a routed request (through its hub, or between platforms
    holding several parties): the request names its sender."""
    if x.direction != "outbound" or x.status is None or e.sut_is_hub or e.schema in _CONFIGURATION_SCHEMAS:
        return False
    found = _MODULE_PATH.search(urlsplit(x.url).path)
    if found is not None and found["module"] in _CONFIGURATION:
        return False
    return _key(_pair_of(x.request_header, OCPI_FROM_COUNTRY_CODE, OCPI_FROM_PARTY_ID)) is not None


@check("ocpi.routing.answer", tags=["response"], applies=_routed_request)
def routed_answer(x: Exchange, e: Expect) -> Iterator[Problem]:
    """The answer to a routed request goes back to the party that asked, from the party that was asked: its OCPI-to
    headers name the request's OCPI-from party and its OCPI-from headers the request's OCPI-to party
    (transport_and_format_message_routing, the "Direct response", "Broadcast response" and "Open response" rows)."""
    asked_by = _key(_pair_of(x.request_header, OCPI_FROM_COUNTRY_CODE, OCPI_FROM_PARTY_ID))
    asked = _key(_pair_of(x.request_header, OCPI_TO_COUNTRY_CODE, OCPI_TO_PARTY_ID))
    to = _pair_of(x.response_header, OCPI_TO_COUNTRY_CODE, OCPI_TO_PARTY_ID)
    sender = _pair_of(x.response_header, OCPI_FROM_COUNTRY_CODE, OCPI_FROM_PARTY_ID)
    what = f"The SUT's answer (HTTP {x.status}) to {x.method} {x.url}"
    for name, pair, wanted in (("OCPI-to", to, asked_by), ("OCPI-from", sender, asked)):
        given = _key(pair)
        shown = "none" if pair == (None, None) else f"{pair[0]}/{pair[1]}"
        if given is None:
            yield Problem(f"{what} lacks {'both' if pair == (None, None) else 'one of the'} {name} headers: an "
                          "answer from a functional module to a routed request carries all four routing headers",
                          f"{name} {wanted[0]}/{wanted[1]}" if wanted else f"both {name} headers", shown)
        elif wanted is not None and given != wanted:
            whom = "the party that sent the request" if name == "OCPI-to" else "the party the request was sent to"
            yield Problem(f"{what} is addressed with {name} {given[0]}/{given[1]}, which is not {whom}",
                          f"{name} {wanted[0]}/{wanted[1]}", shown)
