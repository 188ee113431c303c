"""A reference CPO and a reference eMSP on one in-process network, one registered with the other: real servers
and clients talking OCPI over ASGI, for the tests of what happens between them."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from conformance.core.runtime import Network
from simulators.ocpi.app import build_app
from simulators.ocpi.party import Party
from simulators.ocpi.v2_2_1.credentials import register_with
from simulators.ocpi.v2_2_1.reference import reference_party

__all__ = ["Platforms", "two_platforms"]


@dataclass
class Platforms:
    """The two platforms and the event loop their calls run on."""

    cpo: Party
    emsp: Party
    loop: asyncio.AbstractEventLoop

    def run(self, coro: Any) -> Any:
        return self.loop.run_until_complete(coro)


@contextmanager
def two_platforms(registering: str) -> Iterator[tuple[Party, Party, asyncio.AbstractEventLoop]]:
    """(cpo, emsp, loop), the platform holding ``registering`` (CPO or EMSP) having registered with the other."""
    network = Network()
    cpo = reference_party("CPO", base_url="http://cpo.test")
    emsp = reference_party("EMSP", base_url="http://emsp.test")
    for party in (cpo, emsp):
        party.http_factory = network.client
        network.mount(party.base_url, build_app(party))
    client, server = (cpo, emsp) if registering == "CPO" else (emsp, cpo)
    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(register_with(client, server.versions_url(), server.issue_token_a()))
        yield cpo, emsp, loop
    finally:
        loop.run_until_complete(network.aclose())
        loop.close()
