"""`roamcert serve ROLE` in a process of its own, for the end-to-end tests: started, its banner read up to the end
(the store line), stopped at the end of the block."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

__all__ = ["Served", "free_port", "served"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class Served:
    banner: str
    process: subprocess.Popen[str]

    def field(self, name: str) -> list[str]:
        """Every value the banner gives for ``name`` (``token A`` is given once per slot)."""
        return [line.split(f"{name}:", 1)[1].strip() for line in self.banner.splitlines()
                if line.lstrip().startswith(f"{name}:")]


@contextmanager
def served(role: str, *options: str) -> Iterator[Served]:
    process = subprocess.Popen([sys.executable, "-m", "conformance.cli", "serve", role, *options],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert process.stdout is not None
        lines: list[str] = []
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not (lines and lines[-1].lstrip().startswith("store:")):
            line = process.stdout.readline()
            if not line:
                break
            lines.append(line.rstrip("\n"))
        found = Served("\n".join(lines), process)
        assert found.field("store"), f"roamcert serve {role} did not start:\n{found.banner}"
        yield found
    finally:
        if process.poll() is None:
            process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()
