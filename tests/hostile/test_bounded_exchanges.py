"""roamcert's client against a hostile partner over real HTTP: every exchange ends within its deadline and its
size cap, rate limits are waited out within a budget and named, odd answers are named as what they are.

Each test asserts the finding (or the limit recorded on the exchange), the wall time and, where the partner sends
much, the memory held (tracemalloc peak, far below what was sent)."""

from __future__ import annotations

import asyncio
import json
import socket
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from conformance.core.errors import LimitReached, SutUnreachable
from conformance.core.exchange import Exchange, ExchangeLog
from conformance.core.findings import Outcome, Severity
from conformance.core.limits import LIMIT_CHECK_ID, Bounds, limit_finding
from conformance.core.reading import DEFAULT_MAX_RESPONSE_BYTES
from conformance.ocpi.client import OcpiClient
from conformance.ocpi.v2_2_1.checks import Expect, run_checks
from tests.hostile.server import BOMB_INFLATED, gzip_bomb, hostile_server

MiB = 1 << 20


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with hostile_server(gzip_bomb()) as url:
        yield url


def _get(url: str, log: ExchangeLog | None = None, **bounds: float) -> tuple[Exchange | SutUnreachable, float, int]:
    """GET ``url`` with a fresh client: (the exchange or the SutUnreachable / LimitReached raised, seconds,
    tracemalloc peak)."""
    log = log if log is not None else ExchangeLog()

    async def call() -> Exchange:
        async with httpx.AsyncClient(timeout=30) as http:
            client = OcpiClient(http, log, version="2.2.1", token="hostile-token-C", **bounds)  # type: ignore[arg-type]
            return await client.request("GET", url)

    tracemalloc.start()
    started = time.monotonic()
    try:
        outcome: Exchange | SutUnreachable = asyncio.run(call())
    except SutUnreachable as exc:
        outcome = exc
    finally:
        elapsed = time.monotonic() - started
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return outcome, elapsed, peak


def _limit(log: ExchangeLog) -> str:
    [exchange] = log.exchanges
    assert exchange.status is None and exchange.limit is not None and exchange.error == exchange.limit
    return exchange.limit


def test_a_partner_dripping_its_body_is_cut_at_the_total_deadline(base: str) -> None:
    log = ExchangeLog()
    caught, elapsed, _ = _get(f"{base}/drip/versions", log, deadline=2)
    assert isinstance(caught, LimitReached) and f"{base}/drip/versions" in str(caught)
    assert 1.9 < elapsed < 3.5, elapsed
    limit = _limit(log)
    assert limit.startswith("total deadline of 2 s (connect, headers and body) reached with HTTP 200 and "), limit
    assert log.exchanges[0].response_body is not None and log.exchanges[0].response_body.startswith("{")


def test_a_partner_that_never_answers_is_cut_at_the_total_deadline(base: str) -> None:
    log = ExchangeLog()
    caught, elapsed, _ = _get(f"{base}/silent/versions", log, deadline=1.5)
    assert isinstance(caught, SutUnreachable) and not isinstance(caught, LimitReached) and elapsed < 3, elapsed
    assert str(caught).endswith("/silent/versions: no HTTP response (total deadline of 1.5 s (connect, headers and "
                                "body) reached with no response headers)")
    assert _limit(log) == "total deadline of 1.5 s (connect, headers and body) reached with no response headers"


def test_a_20_mb_body_is_read_up_to_the_cap_only(base: str) -> None:
    log = ExchangeLog()
    caught, elapsed, peak = _get(f"{base}/flood/versions?mb=20", log)
    assert isinstance(caught, LimitReached) and f"{base}/flood/versions" in str(caught)
    assert _limit(log) == ("response-size cap of 4 MiB reached: the decoded body of the HTTP 200 answer is larger, "
                           "roamcert stopped reading it")
    assert elapsed < 5, elapsed
    assert peak < 3 * DEFAULT_MAX_RESPONSE_BYTES, f"peak {peak / MiB:.1f} MiB for a 20 MiB body"


def test_the_cap_is_the_targets(base: str) -> None:
    log = ExchangeLog()
    caught, _, peak = _get(f"{base}/flood/versions?mb=2", log, max_response_bytes=512 * 1024)
    assert isinstance(caught, LimitReached) and "cap of 512 KiB" in _limit(log)
    assert peak < 4 * MiB
    whole, _, _ = _get(f"{base}/flood/versions?mb=2", max_response_bytes=8 * MiB)
    assert isinstance(whole, Exchange) and whole.status == 200 and len(whole.raw_response_body or b"") > 2 * MiB


def test_a_gzip_bomb_is_never_inflated_beyond_the_cap(base: str) -> None:
    """1 MiB of gzip inflating to 1 GiB: roamcert inflates 4 MiB of it, and holds little more than that."""
    log = ExchangeLog()
    caught, elapsed, peak = _get(f"{base}/bomb/versions", log)
    assert isinstance(caught, LimitReached) and f"{base}/bomb/versions" in str(caught)
    assert "response-size cap of 4 MiB reached" in _limit(log)
    assert elapsed < 5, elapsed
    assert peak < 3 * DEFAULT_MAX_RESPONSE_BYTES, f"peak {peak / MiB:.1f} MiB"
    assert peak < BOMB_INFLATED // 50
    print(f"\npeak traced memory of one exchange against a {BOMB_INFLATED >> 30} GiB gzip bomb: "
          f"{peak / MiB:.1f} MiB in {elapsed:.2f} s")


def test_retry_after_in_seconds_is_waited_out_and_named(base: str) -> None:
    log = ExchangeLog()
    got, elapsed, _ = _get(f"{base}/rate?key=seconds&times=2&after=1", log, retry_wait=5)
    assert isinstance(got, Exchange) and got.status == 200
    assert 1.9 < elapsed < 4, elapsed
    assert got.retries == ("HTTP 429 asked to retry after 1 s: waited and sent the request again",) * 2
    assert [x.status for x in log.exchanges] == [429, 429, 200]
    assert len({x.request_header("X-Request-ID") for x in log.exchanges}) == 3  # each attempt is a new request
    assert got.to_dict()["retries"] == list(got.retries)


def test_retry_after_as_an_http_date_is_honoured(base: str) -> None:
    got, elapsed, _ = _get(f"{base}/rate?key=date&date=1", retry_wait=5)
    assert isinstance(got, Exchange) and got.status == 200 and elapsed < 4
    [note] = got.retries
    assert note.startswith("HTTP 503 asked to retry after ") and note.endswith("waited and sent the request again")


def test_a_wait_beyond_the_budget_is_not_waited_and_names_url_and_wait(base: str) -> None:
    log = ExchangeLog()
    caught, elapsed, _ = _get(f"{base}/rate?key=long&times=99&after=120", log, retry_wait=10)
    assert isinstance(caught, LimitReached) and elapsed < 2, elapsed
    assert f"{base}/rate?key=long" in str(caught) and "retry after 120 s" in str(caught)
    [exchange] = log.exchanges
    assert exchange.limit == ("rate limited: HTTP 429 asked to retry after 120 s, more than roamcert waits (at most "
                              "10 s in all for one request, 0 s already waited)")


def test_without_a_wait_budget_a_429_is_the_answer() -> None:
    """The reference partners' clients (no wait budget) are unchanged: a 429 comes back as it is."""
    with hostile_server() as url:
        got, elapsed, _ = _get(f"{url}/rate?key=x&times=1&after=0")
    assert isinstance(got, Exchange) and got.status == 429 and got.retries == () and elapsed < 2


@pytest.mark.parametrize("status", [200, 404])
def test_a_wrong_content_type_is_a_finding_on_every_answer(base: str, status: int) -> None:
    got, _, _ = _get(f"{base}/mislabelled?status={status}&type=text/html")
    assert isinstance(got, Exchange) and got.status == status
    [found] = [f for f in run_checks(got, Expect(), "response") if f.check_id == "ocpi.response.content_type"]
    assert found.outcome is Outcome.FAIL and found.actual == "text/html"
    assert found.message == f"The HTTP {status} response's body is not declared as application/json"


@pytest.mark.parametrize(("status", "check"), [(200, "ocpi.envelope.shape"), (502, "ocpi.envelope.on_error")])
def test_invalid_utf8_is_named_as_such(base: str, status: int, check: str) -> None:
    got, _, _ = _get(f"{base}/not-utf8?status={status}")
    assert isinstance(got, Exchange) and got.status == status
    [found] = [f for f in run_checks(got, Expect(), "response") if f.check_id == check]
    offset = (got.raw_response_body or b"").index(b"\xe9")
    assert found.outcome is Outcome.FAIL
    assert found.message.endswith(f": the body is not valid UTF-8 (byte 0xe9 at offset {offset})"), found.message


BOUNDS = Bounds(timeout=2, max_response_bytes=512 * 1024, retry_after_max=10, run_budget=600)


@pytest.mark.parametrize(("path", "bounds", "name", "setting"), [
    ("/drip/versions", {"deadline": 2}, "total deadline", "timeout = 2 s, and what was left of run_budget = 600 s"),
    ("/flood/versions?mb=2", {"max_response_bytes": 512 * 1024}, "response-size cap",
     "max_response_bytes = 524288 (512 KiB)"),
    ("/rate?key=finding&times=99&after=120", {"retry_wait": 10}, "Retry-After wait budget", "retry_after_max = 10 s"),
])
def test_each_limit_reached_is_a_finding_naming_the_limit_and_the_url(
        base: str, path: str, bounds: dict[str, float], name: str, setting: str) -> None:
    log = ExchangeLog()
    caught, _, _ = _get(f"{base}{path}", log, **bounds)
    assert isinstance(caught, LimitReached)
    [exchange] = log.exchanges
    found = limit_finding(exchange, BOUNDS)
    assert found.check_id == LIMIT_CHECK_ID and found.outcome is Outcome.FAIL and found.severity is Severity.INFO
    assert not found.blocking  # roamcert's limit is no verdict on the SUT: the case stays ERROR, not FAIL
    assert f"roamcert's {name} ({setting}) was reached on GET {base}{path}: {exchange.limit}" in found.message
    assert found.expected == f"a complete answer within roamcert's {name}: {setting}"
    assert found.actual == exchange.limit and found.evidence == (exchange.id,)


def test_a_run_names_the_limit_reached_in_its_results_and_reports(base: str, tmp_path: Path) -> None:
    """A registration case against a gzip bomb: the case ERRORs (roamcert could not judge), the finding names the
    cap and the URL with the exchange as evidence, the run writes every report, and the finding is in each."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    url = f"{base}/bomb/ocpi/versions"
    target = tmp_path / "hostile.toml"
    target.write_text(f'name = "hostile"\ntimeout = 5\nmax_response_bytes = 1048576\nroles = ["CPO"]\n'
                      f'versions_url = "{url}"\ntoken_a = "hostile-A-0123456789"\n'
                      f'[partner]\nlisten = "127.0.0.1:{port}"\n', encoding="utf-8")
    out = tmp_path / "report"
    done = subprocess.run([sys.executable, "-m", "conformance.cli", "run", "--target", str(target), "--out", str(out),
                           "--id", "OCPI-2.2.1-TC-CR-04"], capture_output=True, text=True, timeout=120, check=False)
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    records = [json.loads(line) for line in (out / "results.ndjson").read_text(encoding="utf-8").splitlines()]
    [case] = [r for r in records if r["type"] == "test_case"]
    assert case["outcome"] == "ERROR" and "response-size cap of 1 MiB reached" in case["reason"]
    [found] = [f for f in case["findings"] if f["check_id"] == LIMIT_CHECK_ID]
    assert found["severity"] == "INFO" and found["actual"].startswith("response-size cap of 1 MiB reached")
    assert f"response-size cap (max_response_bytes = 1048576 (1 MiB)) was reached on GET {url}" in found["message"]
    [evidence] = [x for x in case["exchanges"] if x["id"] in found["evidence"]]
    assert evidence["url"] == url and evidence["status"] is None
    for name in ("report.html", "junit.xml", "report.json"):
        written = (out / name).read_text(encoding="utf-8")
        assert LIMIT_CHECK_ID in written, f"{name} does not show the finding"
    assert "hostile-A-0123456789" not in "".join(p.read_text(encoding="utf-8") for p in out.iterdir() if p.is_file())
