"""The hosts roamcert may send credentials to: credentials stay with the target.

roamcert calls, with a token, only hosts the target names: the host of each versions URL it gives, the hosts of
its ``allowed_hosts`` list, and roamcert's own platforms (its partner, the in-process reference platforms). A URL
that a system under test advertises on any other host (an endpoint of its version details, a ``Link`` to the next
page, a ``response_url``, the versions URL in a Credentials object) is not called: the attempt is recorded as an
exchange with an error naming the URL and the allowed hosts, and :class:`HostNotAllowed` is raised.

An entry is a host name (any port of that host) or ``host:port`` (that port only); names compare without case.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from conformance.core.errors import HeldBack, SetupFailed
from conformance.core.findings import Finding, Outcome, Severity

__all__ = ["HOST_CHECK_ID", "NOT_CALLED", "HostNotAllowed", "HostPolicy", "host_finding"]

NOT_CALLED = "not called: "
#: The id of the finding that names a URL roamcert did not call (a harness finding, not a rule of the protocol).
HOST_CHECK_ID = "roamcert.hosts.not_called"


def _split(url: str) -> tuple[str, int | None]:
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = None
    return (parts.hostname or "").lower().rstrip("."), port


def host_of(url: str) -> str:
    return _split(url)[0]


@dataclass(frozen=True)
class HostPolicy:
    """The hosts credentials may go to: ``hosts`` (any port) and ``host_ports`` (one port each)."""

    hosts: frozenset[str]
    host_ports: frozenset[tuple[str, int]] = frozenset()

    @classmethod
    def of(cls, urls: Iterable[str], entries: Iterable[str] = ()) -> HostPolicy:
        """The hosts of ``urls`` (the target's versions URLs, roamcert's own platforms) and the ``entries`` of an
        ``allowed_hosts`` list (``host`` or ``host:port``)."""
        hosts = {host_of(url) for url in urls} - {""}
        ports: set[tuple[str, int]] = set()
        for entry in entries:
            name, sep, port = entry.strip().lower().rpartition(":")
            if sep and port.isdigit() and name and not name.endswith(":"):  # host:port (an IPv6 host is bracketed)
                ports.add((name.strip("[]").rstrip("."), int(port)))
            else:
                hosts.add(entry.strip().lower().strip("[]").rstrip("."))
        return cls(frozenset(hosts), frozenset(ports))

    def allows(self, url: str) -> bool:
        host, port = _split(url)
        if not host:
            return False
        if host in self.hosts:
            return True
        if port is None:
            port = {"http": 80, "https": 443}.get(urlsplit(url).scheme.lower())
        return port is not None and (host, port) in self.host_ports

    def describe(self) -> str:
        entries = sorted(self.hosts) + sorted(f"{h}:{p}" for h, p in self.host_ports)
        return ", ".join(entries) or "none"

    def refusal(self, method: str, url: str) -> str:
        """Why ``url`` is not called (the exchange's error and the test case's cause)."""
        return (f"{NOT_CALLED}{method} {url}: host {host_of(url) or '(none)'} is not among the target's hosts "
                f"({self.describe()}); roamcert sends credentials only to those (list the host in allowed_hosts "
                "in the target to let roamcert call it)")


class HostNotAllowed(HeldBack, SetupFailed):
    """A URL on a host the target does not name: not called. To a reference partner it is a peer that could not be
    reached (handled as such); to a test case it is a prerequisite that failed, so the case is skipped with this
    cause and a finding names the URL (the plugin adds it)."""

    def __init__(self, message: str, url: str, allowed: str, exchange_id: str | None = None) -> None:
        super().__init__(message)
        self.url = url
        self.allowed = allowed
        self.exchange_id = exchange_id


def host_finding(message: str, url: str, allowed: str, exchange_id: str | None) -> Finding:
    """The finding for a URL roamcert did not call: not a verdict on the SUT (a URL on another host breaks no rule
    of the protocol), so its severity is INFO: it never fails a test case, reports show it as a warning, and it
    says what was not tested and why."""
    return Finding(check_id=HOST_CHECK_ID, outcome=Outcome.FAIL, message=message, severity=Severity.INFO,
                   expected=f"a URL on one of the target's hosts: {allowed}", actual=url,
                   evidence=(exchange_id,) if exchange_id else ())
