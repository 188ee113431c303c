"""The reference hub (docs/hub.md) over real HTTP on loopback: what forwarding costs, and how much it carries.

    python benchmarks/hub.py latency [--pairs 300]
    python benchmarks/hub.py throughput [--parties 10] [--seconds 15] [--concurrency 2]

latency: the hub (`roamcert serve hub`) and a CPO (`roamcert serve cpo`) each in its own process, an eMSP in this
one registered with both. The eMSP GETs the same Location from the CPO directly and through the hub (routing
headers to the CPO), in interleaved pairs (the order alternating), over kept-alive connections; prints the
median of each and the ratio hub/direct (the issue's target: at most 1.5), and the CPU time the hub and the CPO
spent per request (less touched by a shared machine than elapsed time). Both servers run the same way
(`roamcert serve`, the same uvicorn settings), the eMSP calls both with one kept-alive client, and the hub keeps its
connection to the CPO alive (one pooled client per served platform).

throughput: the hub in its own process, ``--parties`` platforms in this one (half CPOs, half eMSPs, each a party of
its own) registered with it through its tokens A. Every platform keeps ``--concurrency`` requests in flight, each
addressed to a random party of the opposite role: an eMSP GETs one of the CPO's Locations (Sender interface), a
CPO GETs its Location back from the eMSP (Receiver interface; each CPO pushed one to each eMSP first). GETs, not
pushes: a reference Receiver validates each pushed Location against the JSON Schema (tens of ms), which would
measure the receivers, not the hub. Prints the forwarded requests per second the hub answered with status_code 1000, the
others, and the latency quantiles. The platforms and the load share this process: on a small machine they, not
the hub alone, may be the limit; the hub's own CPU time is printed beside the rate to tell.

Figures, not assertions: the machine may be shared. Each run stays under a minute with the defaults.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from conformance.core.runtime import Network
from simulators.ocpi.app import build_app
from simulators.ocpi.party import Identity, Party, Peer
from simulators.ocpi.references import IDENTITIES, reference_party
from simulators.ocpi.v2_2_1.credentials import register_with
from simulators.ocpi.v2_2_1.seed.locations import seed_locations

ADMIN_SECRET = secrets.token_urlsafe(24)  # the served CPO's, for its /admin/register hook
ENV = dict(os.environ, ROAMCERT_ADMIN_SECRET=ADMIN_SECRET)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Served:
    process: subprocess.Popen[str]
    versions_url: str
    tokens_a: list[str] = field(default_factory=list)


@contextmanager
def served(role: str, *extra: str) -> Iterator[Served]:
    """`roamcert serve ROLE` in its own process, read up to the end of its banner."""
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "conformance.cli", "serve", role, "--port", str(port), *extra],
                               stdout=subprocess.PIPE, text=True, env=ENV)
    try:
        assert process.stdout is not None
        found = Served(process, "")
        for line in process.stdout:
            if "versions URL:" in line:
                found.versions_url = line.split("versions URL:")[1].strip()
            if "token A:" in line:
                found.tokens_a.append(line.split("token A:")[1].strip())
            if line.strip().startswith("store:"):
                break
        if not found.versions_url:
            raise SystemExit(f"roamcert serve {role} did not start")
        yield found
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc), for the hub's share of a run."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _authorization(token: str) -> str:
    return "Token " + base64.b64encode(token.encode()).decode()


def _routing(sender: Identity, to: Identity) -> dict[str, str]:
    return {"OCPI-from-country-code": sender.country_code, "OCPI-from-party-id": sender.party_id,
            "OCPI-to-country-code": to.country_code, "OCPI-to-party-id": to.party_id}


def _peer_at(platform: Party, versions_url: str) -> Peer:
    return next(peer for peer in platform.peers.values() if peer.versions_url == versions_url)


async def _platforms(network: Network, parties: list[Party]) -> None:
    for party in parties:
        party.http_factory = network.client
        await network.serve(build_app(party), "127.0.0.1", int(party.base_url.rsplit(":", 1)[1]))


async def _get(http: httpx.AsyncClient, url: str, headers: dict[str, str]) -> float:
    started = time.perf_counter()
    answer = await http.get(url, headers=headers)
    elapsed = time.perf_counter() - started
    if answer.status_code != 200 or answer.json().get("status_code") != 1000:
        raise SystemExit(f"GET {url}: HTTP {answer.status_code} {answer.text[:300]}")
    return elapsed


async def _latency(hub: Served, cpo: Served, pairs: int) -> None:
    network = Network(timeout=30.0)
    emsp = reference_party("EMSP", base_url=f"http://127.0.0.1:{_free_port()}")
    try:
        await _platforms(network, [emsp])
        await register_with(emsp, cpo.versions_url, cpo.tokens_a[0])
        await register_with(emsp, hub.versions_url, hub.tokens_a[0])
        async with httpx.AsyncClient(timeout=30.0) as admin:  # the CPO joins the hub through its own hook
            joined = await admin.post(cpo.versions_url.split("/ocpi/")[0] + "/admin/register",
                                      headers={"Authorization": f"Bearer {ADMIN_SECRET}"},
                                      json={"versions_url": hub.versions_url, "token": hub.tokens_a[1]})
            if joined.status_code != 200:
                raise SystemExit(f"the CPO did not register with the hub: {joined.text}")
        direct_peer, hub_peer = _peer_at(emsp, cpo.versions_url), _peer_at(emsp, hub.versions_url)
        cpo_identity = IDENTITIES["CPO"]  # what `roamcert serve cpo` holds, with its seed data
        headers = _routing(emsp.identity("EMSP"), cpo_identity)
        location_id = seed_locations(country_code=cpo_identity.country_code, party_id=cpo_identity.party_id)[0]["id"]
        routes = {}
        for name, peer in (("direct", direct_peer), ("hub", hub_peer)):
            sender = peer.endpoint("locations", "SENDER")
            assert sender is not None
            routes[name] = (f"{sender.rstrip('/')}/{location_id}",
                            dict(headers, Authorization=_authorization(peer.token_out)))
        times: dict[str, list[float]] = {"direct": [], "hub": []}
        async with httpx.AsyncClient(timeout=30.0) as http:
            for index in range(pairs + 20):  # the first 20 pairs warm the connections up and are not counted
                if index == 20:
                    cpu_before = {served.process.pid: _cpu_seconds(served.process.pid) for served in (hub, cpo)}
                order = ("direct", "hub") if index % 2 == 0 else ("hub", "direct")
                measured = {name: await _get(http, *routes[name]) for name in order}
                if index >= 20:
                    for name, elapsed in measured.items():
                        times[name].append(elapsed)
        cpu = {pid: _cpu_seconds(pid) - before for pid, before in cpu_before.items()}
        direct, via_hub = statistics.median(times["direct"]), statistics.median(times["hub"])
        print(f"GET of one Location, {pairs} interleaved pairs over loopback (hub and CPO in their own processes)")
        print(f"  median direct {direct * 1000:.2f} ms, through the hub {via_hub * 1000:.2f} ms, "
              f"ratio hub/direct {via_hub / direct:.2f} (target <= 1.5)")
        for name in ("direct", "hub"):
            q = statistics.quantiles(times[name], n=20)
            print(f"  {name:6}: p5 {q[0] * 1000:.2f} ms, p95 {q[-1] * 1000:.2f} ms")
        # each pair ran back to back, so its ratio is the least touched by the load of a shared machine
        paired = statistics.median(h / d for h, d in zip(times["hub"], times["direct"], strict=True))
        print(f"  median of the per-pair ratios hub/direct {paired:.2f}")
        # CPU time is less touched by a shared machine than elapsed time: what each request costs each process
        print(f"  CPU per request: the hub {cpu[hub.process.pid] / pairs * 1000:.2f} ms per forwarded one, "
              f"the CPO {cpu[cpo.process.pid] / (2 * pairs) * 1000:.2f} ms (it answers both)")
    finally:
        await network.aclose()


async def _push_first_location(cpo: Party, emsps: list[Party]) -> None:
    (peer,) = cpo.peers.values()
    me, location = cpo.identities[0], cpo.owned["locations"][0]
    url = f"{peer.endpoint('locations', 'RECEIVER')}/{me.country_code}/{me.party_id}/{location['id']}"
    async with httpx.AsyncClient(timeout=30.0) as http:
        for emsp in emsps:
            headers = dict(_routing(me, emsp.identities[0]), Authorization=_authorization(peer.token_out))
            answer = await http.put(url, headers=headers, json=location)
            if answer.json().get("status_code") != 1000:
                raise SystemExit(f"PUT {url} to {emsp.identities[0].party_id}: {answer.text[:300]}")


def _owned_location(cpo: Party) -> str:
    return str(random.choice(cpo.owned["locations"])["id"])


def _benchmark_platforms(count: int) -> tuple[list[Party], list[Party]]:
    """``count`` platforms, half CPOs (the odd one a CPO), half eMSPs, each a party of its own on its own port."""
    cpos = [reference_party("CPO", base_url=f"http://127.0.0.1:{_free_port()}",
                            identities=[Identity("CPO", "NL", f"C{i:02d}", f"benchmark CPO {i}")])
            for i in range(count - count // 2)]
    emsps = [reference_party("EMSP", base_url=f"http://127.0.0.1:{_free_port()}",
                             identities=[Identity("EMSP", "NL", f"E{i:02d}", f"benchmark eMSP {i}")])
             for i in range(count // 2)]
    return cpos, emsps


@dataclass
class Load:
    """What a sustained load measured: answers by status_code, latencies, and CPU seconds of each watched process
    and of this one."""

    elapsed: float
    answered: dict[str, int]
    latencies: list[float]
    cpu: list[float]
    own_cpu: float

    @property
    def ok(self) -> int:
        return self.answered.get("1000", 0)

    def lines(self) -> list[str]:
        """The rate and latency lines both benchmarks print."""
        others = {code: n for code, n in self.answered.items() if code != "1000"}
        q = statistics.quantiles(self.latencies, n=20) if len(self.latencies) > 1 else [0.0] * 19
        return [f"  forwarded and answered 1000: {self.ok} ({self.ok / self.elapsed:.0f} per second); others: "
                f"{others or 'none'}",
                f"  latency: median {statistics.median(self.latencies) * 1000:.1f} ms, p95 {q[-1] * 1000:.1f} ms"]


async def _load(cpos: list[Party], emsps: list[Party], seconds: float, concurrency: int, pids: list[int]) -> Load:
    """Every platform keeps ``concurrency`` GETs in flight to random parties of the opposite role (an eMSP GETs a
    CPO's Location, a CPO its Location back from an eMSP) for ``seconds``, after a 2 s warm-up not counted; the
    CPU of the processes ``pids`` is measured over the same time."""
    platforms = cpos + emsps
    answered: dict[str, int] = {}
    latencies: list[float] = []

    async def load(platform: Party, http: httpx.AsyncClient, until: float) -> None:
        (peer,) = platform.peers.values()
        auth = _authorization(peer.token_out)
        me = platform.identities[0]
        others = emsps if me.role == "CPO" else cpos
        while time.perf_counter() < until:
            other = random.choice(others)
            headers = dict(_routing(me, other.identities[0]), Authorization=auth)
            if me.role == "EMSP":
                url = f"{peer.endpoint('locations', 'SENDER')}/{_owned_location(other)}"
            else:
                url = (f"{peer.endpoint('locations', 'RECEIVER')}/{me.country_code}/{me.party_id}/"
                       f"{platform.owned['locations'][0]['id']}")
            request = http.build_request("GET", url, headers=headers)
            started = time.perf_counter()
            try:
                answer = await http.send(request)
                code = str(answer.json().get("status_code") if answer.status_code < 500 else answer.status_code)
            except (httpx.HTTPError, ValueError) as exc:
                code = type(exc).__name__
            latencies.append(time.perf_counter() - started)
            answered[code] = answered.get(code, 0) + 1

    # one small connection pool per platform, as each platform would have its own
    https = [httpx.AsyncClient(timeout=30.0, limits=httpx.Limits(max_connections=concurrency)) for _ in platforms]
    try:
        warm_until = time.perf_counter() + 2.0
        await asyncio.gather(*(load(p, http, warm_until) for p, http in zip(platforms, https, strict=True)
                               for _ in range(concurrency)))
        answered.clear()
        latencies.clear()
        cpu_before, started = [_cpu_seconds(pid) for pid in pids], time.perf_counter()
        own_before = time.process_time()
        await asyncio.gather(*(load(p, http, started + seconds) for p, http in zip(platforms, https, strict=True)
                               for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
        cpu = [_cpu_seconds(pid) - before for pid, before in zip(pids, cpu_before, strict=True)]
        return Load(elapsed, answered, latencies, cpu, time.process_time() - own_before)
    finally:
        for http in https:
            await http.aclose()


async def _throughput(hub: Served, count: int, seconds: float, concurrency: int) -> None:
    network = Network(timeout=30.0)
    cpos, emsps = _benchmark_platforms(count)
    platforms = cpos + emsps
    try:
        await _platforms(network, platforms)
        for platform, token_a in zip(platforms, hub.tokens_a, strict=True):
            await register_with(platform, hub.versions_url, token_a)
        for cpo in cpos:  # each eMSP holds one Location of each CPO, which that CPO then reads back
            await _push_first_location(cpo, emsps)
        measured = await _load(cpos, emsps, seconds, concurrency, [hub.process.pid])
        (hub_cpu,) = measured.cpu
        print(f"{count} platforms ({len(cpos)} CPOs, {len(emsps)} eMSPs) registered with the hub, "
              f"{concurrency} request(s) in flight each, {measured.elapsed:.1f} s")
        print("\n".join(measured.lines()))
        print(f"  CPU: the hub {hub_cpu:.1f} s ({hub_cpu / max(measured.ok, 1) * 1000:.1f} ms per forwarded request), "
              f"the platforms and the load {measured.own_cpu:.1f} s, in {measured.elapsed:.1f} s on "
              f"{os.cpu_count()} core(s)")
    finally:
        await network.aclose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="what", required=True)
    latency = sub.add_parser("latency", help="forwarding latency against a direct call")
    latency.add_argument("--pairs", type=int, default=300)
    throughput = sub.add_parser("throughput", help="sustained forwarded requests per second")
    throughput.add_argument("--parties", type=int, default=10)
    throughput.add_argument("--seconds", type=float, default=15.0)
    throughput.add_argument("--concurrency", type=int, default=2)
    args = parser.parse_args()
    if args.what == "latency":
        with served("hub", "--slots", "2") as hub, served("cpo") as cpo:
            asyncio.run(_latency(hub, cpo, args.pairs))
    else:
        if args.parties < 2:
            parser.error("--parties: at least 2 (a CPO and an eMSP)")
        with served("hub", "--slots", str(args.parties)) as hub:
            asyncio.run(_throughput(hub, args.parties, args.seconds, args.concurrency))


if __name__ == "__main__":
    main()
