"""A roaming network of two reference nodes (docs/network.md) over real HTTP on loopback: what crossing two nodes
costs against one hub and against a direct call, and how much two nodes carry.

    python benchmarks/network.py latency [--triples 300]
    python benchmarks/network.py throughput [--parties 10] [--seconds 15] [--concurrency 2]

latency: the registry (`roamcert serve registry`), node A and node B (`roamcert serve node`), the hub (`roamcert
serve hub`) and a CPO (`roamcert serve cpo`), each in its own process; an eMSP in this one. The CPO registers
with the hub and with node A, the eMSP with the CPO, the hub and node B; both list themselves in the registry on
their nodes. The eMSP GETs the same Location from the CPO directly, through the hub, and through node B and node
A, in interleaved triples (the order rotating), over kept-alive connections; prints the median of each and the
ratios nodes/direct, nodes/hub and hub/direct.

throughput: the registry and the two nodes in their own processes; ``--parties`` platforms in this one, the CPOs
on node A, the eMSPs on node B, each a party of its own listed in the registry. Every platform keeps
``--concurrency`` requests in flight to a random party of the opposite role, so every request crosses both nodes
(an eMSP GETs a CPO's Location; a CPO GETs its Location back from an eMSP, pushed across the nodes first). Prints
the requests per second answered with status_code 1000, the latency quantiles and each node's CPU time.

Signing: nodes always sign the messages they send each other and always verify those they take (a node without
it would accept any message from anyone), so there is no unsigned run to compare with; the throughput run
measures the signed network and, beside it, what one signature and one verification of such a message cost on
this machine, to say what share of a node's CPU signing takes.

Figures, not assertions: the machine may be shared. Each run stays under a minute with the defaults.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field

import httpx

# the helpers of the hub's benchmark (run as `python benchmarks/network.py`, its directory is on sys.path)
from hub import (
    ADMIN_SECRET,
    ENV,
    _authorization,
    _benchmark_platforms,
    _free_port,
    _get,
    _load,
    _peer_at,
    _platforms,
    _push_first_location,
    _routing,
)

from conformance.core.runtime import Network
from conformance.network import registry_messages as m
from conformance.network.message import NetworkMessage, node_signature, node_signer
from simulators.ocpi.party import Identity
from simulators.ocpi.references import IDENTITIES, reference_party
from simulators.ocpi.v2_2_1.credentials import register_with
from simulators.ocpi.v2_2_1.seed.locations import seed_locations


@dataclass
class Served:
    process: subprocess.Popen[str]
    fields: dict[str, list[str]] = field(default_factory=dict)

    def first(self, name: str) -> str:
        return self.fields[name][0].split()[0]


@contextmanager
def served(role: str, *extra: str) -> Iterator[Served]:
    """`roamcert serve ROLE` in its own process (in-memory store), read up to the end of its banner."""
    process = subprocess.Popen([sys.executable, "-m", "conformance.cli", "serve", role, "--port", str(_free_port()),
                                "--store", ":memory:", *extra], stdout=subprocess.PIPE, text=True, env=ENV)
    try:
        assert process.stdout is not None
        found = Served(process)
        for line in process.stdout:
            name, _, value = line.strip().partition(":")
            if value:
                found.fields.setdefault(name, []).append(value.strip())
            if name == "store":
                break
        if "store" not in found.fields:
            raise SystemExit(f"roamcert serve {role} did not start")
        yield found
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()


async def _list(registry: str, identity: Identity, operator: str) -> None:
    """List the party ``identity`` on the node of ``operator``, signed with a key of its own."""
    key = m.new_key()
    address = m.address_of(key)
    update = m.set_party(address, identity.country_code, identity.party_id, [identity.role], operator)
    async with httpx.AsyncClient(timeout=30.0) as http:
        answer = await http.put(f"{registry}/registry/parties/{address}",
                                json={"country_code": identity.country_code, "party_id": identity.party_id,
                                      "roles": [identity.role], "operator": operator,
                                      "signature": m.sign(update, key)})
    if answer.status_code != 200:
        raise SystemExit(f"the registry refused {identity.party_id}: {answer.text}")


async def _join(platform_versions_url: str, versions_url: str, token_a: str) -> None:
    """A served platform registers with a hub or node through its own hook."""
    async with httpx.AsyncClient(timeout=30.0) as admin:
        joined = await admin.post(platform_versions_url.split("/ocpi/")[0] + "/admin/register",
                                  headers={"Authorization": f"Bearer {ADMIN_SECRET}"},
                                  json={"versions_url": versions_url, "token": token_a})
    if joined.status_code != 200:
        raise SystemExit(f"the CPO did not register with {versions_url}: {joined.text}")


ROUTES = ("direct", "hub", "nodes")


async def _latency(registry: Served, node_a: Served, node_b: Served, hub: Served, cpo: Served, triples: int) -> None:
    network = Network(timeout=30.0)
    emsp = reference_party("EMSP", base_url=f"http://127.0.0.1:{_free_port()}")
    cpo_identity = IDENTITIES["CPO"]  # what `roamcert serve cpo` holds, with its seed data
    try:
        await _platforms(network, [emsp])
        await register_with(emsp, cpo.first("versions URL"), cpo.fields["token A"][0])
        await register_with(emsp, hub.first("versions URL"), hub.fields["token A"][0])
        await register_with(emsp, node_b.first("versions URL"), node_b.fields["token A"][0])
        await _join(cpo.first("versions URL"), hub.first("versions URL"), hub.fields["token A"][1])
        await _join(cpo.first("versions URL"), node_a.first("versions URL"), node_a.fields["token A"][0])
        await _list(registry.first("registry URL"), cpo_identity, node_a.first("operator"))
        await _list(registry.first("registry URL"), emsp.identity("EMSP"), node_b.first("operator"))
        headers = _routing(emsp.identity("EMSP"), cpo_identity)
        location_id = seed_locations(country_code=cpo_identity.country_code, party_id=cpo_identity.party_id)[0]["id"]
        routes = {}
        for name, served_at in zip(ROUTES, (cpo, hub, node_b), strict=True):
            peer = _peer_at(emsp, served_at.first("versions URL"))
            sender = peer.endpoint("locations", "SENDER")
            assert sender is not None
            routes[name] = (f"{sender.rstrip('/')}/{location_id}",
                            dict(headers, Authorization=_authorization(peer.token_out)))
        times: dict[str, list[float]] = {name: [] for name in ROUTES}
        async with httpx.AsyncClient(timeout=30.0) as http:
            for index in range(triples + 20):  # the first 20 warm the connections (and the look-ups) up
                order = ROUTES[index % 3:] + ROUTES[:index % 3]
                measured = {name: await _get(http, *routes[name]) for name in order}
                if index >= 20:
                    for name, elapsed in measured.items():
                        times[name].append(elapsed)
        median = {name: statistics.median(times[name]) for name in ROUTES}
        print(f"GET of one Location, {triples} interleaved triples over loopback (each actor in its own process)")
        print(f"  median direct {median['direct'] * 1000:.2f} ms, through the hub {median['hub'] * 1000:.2f} ms, "
              f"across two nodes {median['nodes'] * 1000:.2f} ms")
        print(f"  ratios of the medians: nodes/direct {median['nodes'] / median['direct']:.2f}, "
              f"nodes/hub {median['nodes'] / median['hub']:.2f}, hub/direct {median['hub'] / median['direct']:.2f}")
        for name in ROUTES:
            q = statistics.quantiles(times[name], n=20)
            print(f"  {name:6}: p5 {q[0] * 1000:.2f} ms, p95 {q[-1] * 1000:.2f} ms")
        # each triple ran back to back, so its ratios are the least touched by the load of a shared machine
        paired = {(a, b): statistics.median(x / y for x, y in zip(times[a], times[b], strict=True))
                  for a, b in (("nodes", "direct"), ("nodes", "hub"), ("hub", "direct"))}
        print("  medians of the per-triple ratios: " + ", ".join(f"{a}/{b} {r:.2f}" for (a, b), r in paired.items()))
    finally:
        await network.aclose()


def _signing_cost(rounds: int = 200) -> float:
    """Seconds one node signature plus one verification of a forwarded GET's message take here."""
    key = m.new_key()
    text = NetworkMessage(method="GET", module="locations", interface_role="SENDER", sender=("NL", "E00"),
                          receiver=("NL", "C00"), request_id="0" * 36, correlation_id="1" * 36,
                          url_path="LOC0001").to_json()
    started = time.process_time()
    for _ in range(rounds):
        node_signer(text, node_signature(text, key))
    return (time.process_time() - started) / rounds


async def _throughput(registry: Served, node_a: Served, node_b: Served, count: int, seconds: float,
                      concurrency: int) -> None:
    network = Network(timeout=30.0)
    cpos, emsps = _benchmark_platforms(count)
    try:
        await _platforms(network, cpos + emsps)
        for group, node in ((cpos, node_a), (emsps, node_b)):
            for platform, token_a in zip(group, node.fields["token A"], strict=False):
                await register_with(platform, node.first("versions URL"), token_a)
                await _list(registry.first("registry URL"), platform.identities[0], node.first("operator"))
        for cpo in cpos:  # each eMSP holds one Location of each CPO, which that CPO then reads back
            await _push_first_location(cpo, emsps)
        measured = await _load(cpos, emsps, seconds, concurrency, [node_a.process.pid, node_b.process.pid])
        node_cpu = measured.cpu
        per_request = sum(node_cpu) / max(measured.ok, 1)
        signing = _signing_cost()
        print(f"{count} platforms ({len(cpos)} CPOs on node A, {len(emsps)} eMSPs on node B), {concurrency} "
              f"request(s) in flight each, every request across both nodes, {measured.elapsed:.1f} s, messages "
              "signed")
        print("\n".join(measured.lines()))
        print(f"  CPU: node A {node_cpu[0]:.1f} s, node B {node_cpu[1]:.1f} s ({per_request * 1000:.1f} ms of both "
              f"per request), the platforms and the load {measured.own_cpu:.1f} s")
        # node A signs the message, node B verifies it; the answer goes back as the message's HTTP answer, unsigned
        print(f"  signing: one signature and one verification per request, {signing * 1000:.2f} ms here: "
              f"{signing / per_request:.0%} of the nodes' CPU per request")
    finally:
        await network.aclose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="what", required=True)
    latency = sub.add_parser("latency", help="latency across two nodes against one hub and a direct call")
    latency.add_argument("--triples", type=int, default=300)
    throughput = sub.add_parser("throughput", help="sustained requests per second across two nodes")
    throughput.add_argument("--parties", type=int, default=10)
    throughput.add_argument("--seconds", type=float, default=15.0)
    throughput.add_argument("--concurrency", type=int, default=2)
    args = parser.parse_args()
    if args.what == "throughput" and args.parties < 2:
        parser.error("--parties: at least 2 (a CPO and an eMSP)")
    with ExitStack() as stack:
        registry = stack.enter_context(served("registry"))
        url = registry.first("registry URL")
        slots = str(max(1, args.parties - args.parties // 2)) if args.what == "throughput" else "1"
        node_a = stack.enter_context(served("node", "--registry", url, "--identity", "NL/NDA", "--slots", slots))
        node_b = stack.enter_context(served("node", "--registry", url, "--identity", "NL/NDB", "--slots", slots))
        if args.what == "latency":
            hub = stack.enter_context(served("hub", "--slots", "2"))
            cpo = stack.enter_context(served("cpo"))
            asyncio.run(_latency(registry, node_a, node_b, hub, cpo, args.triples))
        else:
            asyncio.run(_throughput(registry, node_a, node_b, args.parties, args.seconds, args.concurrency))


if __name__ == "__main__":
    main()
