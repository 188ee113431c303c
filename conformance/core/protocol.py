"""The protocol versions roamcert knows, each registered by its own package.

The core never imports a protocol package. A protocol version package (``conformance.ocpi.v2_2_1``) registers a
:class:`ProtocolVersion` when it is imported: where its catalogue lives, where its spec anchors resolve, and which
packages hold its checks and steps. The composition roots (the pytest plugin and the CLI) import the installed
protocol packages through :mod:`conformance.protocols`; everything else asks this registry.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["ProtocolVersion", "UnknownProtocol", "protocol_version", "protocol_versions", "register_protocol"]


class UnknownProtocol(LookupError):
    """No installed package speaks this protocol version."""


@dataclass(frozen=True)
class ProtocolVersion:
    protocol: str  # "OCPI", "OCHP"
    version: str  # as the spec writes it
    package: str  # the version package, e.g. "conformance.ocpi.v2_2_1"
    catalogue: Path  # folder with catalogue.toml, per-module fragments and inventory/
    spec_base: str  # a spec reference "<file stem>#<anchor>" resolves against this URL
    checks: str  # package whose modules register the checks
    steps: str  # package whose modules hold the pytest-bdd steps
    features: str  # folder under features/ holding the scenarios, e.g. "ocpi/2.2.1"

    @property
    def key(self) -> tuple[str, str]:
        return (self.protocol, self.version)

    def spec_url(self, reference: str) -> str:
        """A link to ``"<file stem>#<anchor>"`` in the published spec sources."""
        stem, _, anchor = reference.partition("#")
        return f"{self.spec_base}{stem}.asciidoc" + (f"#{anchor}" if anchor else "")


_REGISTERED: dict[tuple[str, str], ProtocolVersion] = {}


def register_protocol(item: ProtocolVersion) -> ProtocolVersion:
    existing = _REGISTERED.get(item.key)
    if existing is not None and existing != item:
        raise ValueError(f"{item.protocol} {item.version} is registered twice ({existing.package}, {item.package})")
    _REGISTERED[item.key] = item
    return item


def protocol_version(protocol: str, version: str) -> ProtocolVersion:
    try:
        return _REGISTERED[(protocol.upper(), version)]
    except KeyError:
        known = ", ".join(f"{p} {v}" for p, v in sorted(_REGISTERED)) or "none"
        raise UnknownProtocol(f"{protocol} {version} is not supported (roamcert speaks: {known})") from None


def protocol_versions() -> list[ProtocolVersion]:
    return [_REGISTERED[key] for key in sorted(_REGISTERED)]
