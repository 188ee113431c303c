"""Checks on the message-routing headers (transport_and_format_message_routing): the configuration modules
(versions, credentials, hub client info) are never routed, so neither the SUT's answers from them nor its requests
to roamcert's carry OCPI-from/to headers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from conformance.core.checks import Problem
from conformance.core.exchange import Exchange
from conformance.ocpi.expect import Expect
from conformance.ocpi.headers import ROUTING_HEADERS
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
