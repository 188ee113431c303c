"""Wall time of a full certification run of the reference: in-process (ASGITransport) against real HTTP
(`roamcert serve` + a target file), measured side by side in one run of this script.

    python benchmarks/reference_run.py [--repeat 3]

Prints each measurement and the median ratio HTTP / in-process. Figures, not assertions: the machine is shared.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


ADMIN_SECRET = secrets.token_urlsafe(24)  # the served reference's admin secret, passed by environment variable
ENV = dict(os.environ, ROAMCERT_ADMIN_SECRET=ADMIN_SECRET)


def _run(argv: list[str]) -> float:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "conformance.cli", "run", *argv], capture_output=True, text=True,
                          check=False, env=ENV)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"run failed ({done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return elapsed


def in_process(out: Path) -> float:
    return _run(["--target", "reference", "--roles", "CPO", "--out", str(out)])


def _actions(port: int) -> str:
    """Every action a CPO scenario may ask for, through the served reference's trigger hooks."""
    import simulators.ocpi.app  # noqa: F401  (registers the hooks)
    from simulators.ocpi.admin import ADMIN_HOOKS

    return "".join(f'[actions.{name}]\nhttp = "POST http://127.0.0.1:{port}/admin/{name}"\n'
                   'secret_env = "ROAMCERT_ADMIN_SECRET"\n'
                   for name, hook in ADMIN_HOOKS.items() if not hook.roles or "CPO" in hook.roles)


def _cases(out: Path) -> int:
    lines = (out / "results.ndjson").read_text(encoding="utf-8").splitlines()
    return sum(1 for line in lines if json.loads(line)["type"] == "test_case")


def over_http(out: Path) -> float:
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "conformance.cli", "serve", "cpo", "--port", str(port)],
                              stdout=subprocess.PIPE, text=True, env=ENV)
    try:
        assert server.stdout is not None
        token = next(line.split("token A:")[1].strip() for line in server.stdout if "token A:" in line)
        extra = []
        for _ in range(3):
            request = urllib.request.Request(f"http://127.0.0.1:{port}/admin/token-a", method="POST",
                                             headers={"Authorization": f"Bearer {ADMIN_SECRET}"})
            with urllib.request.urlopen(request, timeout=5) as response:
                extra.append(json.load(response)["token"])
        target = out.parent / f"{out.name}.toml"
        target.write_text(f'roles = ["CPO"]\nversions_url = "http://127.0.0.1:{port}/ocpi/cpo/versions"\n'
                          f'token_a = "{token}"\nextra_tokens_a = {json.dumps(extra)}\n'
                          f'[partner]\nlisten = "127.0.0.1:{_free_port()}"\n' + _actions(port))
        return _run(["--target", str(target), "--out", str(out)])
    finally:
        server.terminate()
        server.wait(timeout=10)
        if server.stdout is not None:
            server.stdout.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    inproc: list[float] = []
    http: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        for index in range(args.repeat):  # interleaved, so both see the same machine load
            inproc.append(in_process(Path(tmp) / f"inproc{index}"))
            http.append(over_http(Path(tmp) / f"http{index}"))
            print(f"round {index + 1}: in-process {inproc[-1]:.2f} s, real HTTP {http[-1]:.2f} s", flush=True)
        print(f"median: in-process {statistics.median(inproc):.2f} s, real HTTP {statistics.median(http):.2f} s, "
              f"ratio HTTP/in-process {statistics.median(http) / statistics.median(inproc):.2f} "
              f"(CPO certification, {_cases(Path(tmp) / 'inproc0')} test cases in-process, "
              f"{_cases(Path(tmp) / 'http0')} over HTTP, process start-up included)")


if __name__ == "__main__":
    main()
