"""Target files: what system is under test, and how roamcert reaches it and is reached by it.

An OCPI target file, read with the protocol-neutral helpers of conformance/core/target.py. Example
(docs/target-example.toml):

    name = "Acme CPO staging"
    protocol = "OCPI"
    version = "2.2.1"
    roles = ["CPO"]                       # party roles the SUT holds (CPO, EMSP, SCSP)
    versions_url = "https://ocpi.acme.test/versions"
    token_a = "..."                       # or token_a_env = "ACME_TOKEN_A"
    extra_tokens_a = []                   # more fresh tokens A for registration error cases

    [partner]                             # roamcert's own platform, which the SUT calls back
    public_url = "http://203.0.113.5:9400"
    listen = "0.0.0.0:9400"

    [tls]
    ca_file = "ca.pem"                    # verify the SUT with this CA
    client_cert = "client.pem"            # optional client certificate (and client_key)
    verify = true                         # set false only to test against self-signed servers

    [actions.register]                    # how to make the SUT register with roamcert
    http = "POST http://127.0.0.1:8091/admin/register"   # JSON body {versions_url, token}
    # command = "acme-cli register --url $ROAMCERT_VERSIONS_URL --token $ROAMCERT_TOKEN_A"
    # prompt = true                       # ask the operator (interactive runs only)
"""

from __future__ import annotations

import os
import ssl
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from conformance.core.target import (
    Action,
    fail,
    read_target_file,
    target_actions,
    target_protocol,
    target_text,
    target_tls,
    target_url,
)

__all__ = ["Action", "Platform", "Target", "load_target", "reference_target"]

PARTY_ROLES = ("CPO", "EMSP", "SCSP")
_TOP_KEYS = {"name", "protocol", "version", "roles", "versions_url", "token_a", "token_a_env", "extra_tokens_a",
             "partner", "tls", "actions", "timeout", "base64_token", "tariff_switches"}


@dataclass
class Platform:
    """One OCPI platform under test (it may hold several party roles)."""

    roles: tuple[str, ...]
    versions_url: str
    token_a: str | None
    extra_tokens_a: list[str] = field(default_factory=list)
    inprocess: bool = False
    name: str = ""  # its node name in the run's topology; made from its roles when the target gives none

    @property
    def node_name(self) -> str:
        return self.name or "sut-" + "+".join(self.roles).lower()


@dataclass
class Target:
    name: str
    protocol: str
    version: str
    platforms: dict[str, Platform]  # party role -> platform holding it
    partner_public_url: str = "http://roamcert.partner.test"
    partner_listen: tuple[str, int] | None = None
    verify: ssl.SSLContext | bool = True
    client_cert: tuple[str, str] | None = None
    timeout: float = 30.0
    base64_token: bool = True
    actions: dict[str, Action] = field(default_factory=dict)
    reference_profiles: dict[str, str] = field(default_factory=dict)  # role -> fault profile (reference only)
    tariff_switches_on: tuple[str, ...] = ()  # tariff interpretation switches the SUT is known to use

    def tariff_switches(self) -> Any:
        """The tariff engine's Switches for this SUT (the spec's reading unless the target names others)."""
        from conformance.tariffs import switches_from_names

        return switches_from_names(self.tariff_switches_on)

    @property
    def roles(self) -> list[str]:
        return sorted(self.platforms)

    def describe(self) -> dict[str, Any]:
        """The target as it may appear in reports: never a token."""
        first = next(iter(self.platforms.values()), None)
        return {"name": self.name, "protocol": self.protocol, "version": self.version, "roles": self.roles,
                "versions_url": None if first is None or first.inprocess else first.versions_url,
                "profiles": dict(self.reference_profiles)}


def _reference_version() -> str:
    """The newest OCPI version the reference partners speak."""
    import simulators.ocpi.app  # noqa: F401  (registers the modules of every version package)
    from simulators.ocpi.modules import MODULES

    return MODULES.versions("OCPI")[-1]


def reference_target(profiles: dict[str, str] | None = None, roles: tuple[str, ...] = PARTY_ROLES,
                     *, combined: bool = False, version: str | None = None) -> Target:
    """The built-in reference, in-process: a CPO and an eMSP platform, or (``combined``) one platform holding
    both roles. Tokens A are issued at start-up."""
    profiles = {role: (profiles or {}).get(role, "conformant") for role in roles}
    groups = [roles] if combined else [(role,) for role in roles]
    platforms: dict[str, Platform] = {}
    for group in groups:
        path = "-".join(r.lower() for r in group)
        platform = Platform(roles=group, versions_url=f"http://reference-{path}.roamcert.test/ocpi/{path}/versions",
                            token_a=None, inprocess=True)
        platforms.update({role: platform for role in group})
    name = "roamcert reference" + ("" if set(profiles.values()) == {"conformant"} else
                                   " (" + ", ".join(f"{r}: {p}" for r, p in profiles.items()) + ")")
    return Target(name=name, protocol="OCPI", version=version or _reference_version(), platforms=platforms,
                  actions=_reference_actions(),
                  reference_profiles=profiles)


def _reference_actions() -> dict[str, Action]:
    """Every trigger hook of the reference platforms, reached in-process at /admin/{name}."""
    import simulators.ocpi.app  # noqa: F401  (registers the hooks of every module file)
    from simulators.ocpi.admin import ADMIN_HOOKS

    return {name: Action(name, http=("POST", "admin")) for name in ADMIN_HOOKS}


def load_target(path: Path) -> Target:
    data = read_target_file(path)
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise fail(path, ", ".join(sorted(unknown)), f"unknown key(s); known keys: {', '.join(sorted(_TOP_KEYS))}")
    protocol, version = target_protocol(path, data, "OCPI")
    if protocol != "OCPI":
        raise fail(path, "protocol", f"{protocol} targets are read by the {protocol} package, not as OCPI")
    roles_raw = data.get("roles")
    if not isinstance(roles_raw, list) or not roles_raw:
        raise fail(path, "roles", f"must be a non-empty list drawn from {list(PARTY_ROLES)}")
    roles = tuple(str(r).upper() for r in roles_raw)
    bad = [r for r in roles if r not in PARTY_ROLES]
    if bad:
        raise fail(path, "roles", f"unsupported role(s) {bad}; supported: {list(PARTY_ROLES)}")
    versions_url = target_url(path, "versions_url", target_text(path, data, "versions_url", required=True) or "")
    token_a = target_text(path, data, "token_a")
    env = target_text(path, data, "token_a_env")
    if token_a is None and env is not None:
        token_a = os.environ.get(env)
        if not token_a:
            raise fail(path, "token_a_env", f"environment variable {env} is not set")
    extra = data.get("extra_tokens_a", [])
    if not isinstance(extra, list) or not all(isinstance(t, str) and t for t in extra):
        raise fail(path, "extra_tokens_a", "must be a list of non-empty strings")
    platform = Platform(roles=roles, versions_url=versions_url, token_a=token_a, extra_tokens_a=list(extra))
    partner = data.get("partner", {})
    if not isinstance(partner, dict):
        raise fail(path, "partner", "must be a table with public_url and listen")
    public_url = target_text(path, partner, "public_url")
    listen_raw = target_text(path, partner, "listen")
    listen = None
    if listen_raw is not None:
        host, _, port = listen_raw.rpartition(":")
        if not host or not port.isdigit() or not 1 <= int(port) <= 65535:
            raise fail(path, "partner.listen", f"must be HOST:PORT, not {listen_raw!r}")
        listen = (host, int(port))
    if public_url is None and listen is not None:
        public_url = f"http://{'127.0.0.1' if listen[0] in ('0.0.0.0', '::') else listen[0]}:{listen[1]}"
    verify, cert = target_tls(path, data.get("tls"))
    timeout = data.get("timeout", 30)
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0:
        raise fail(path, "timeout", "must be a positive number of seconds")
    base64_token = data.get("base64_token", True)
    if not isinstance(base64_token, bool):
        raise fail(path, "base64_token", "must be true or false")
    switches = data.get("tariff_switches", [])
    if not isinstance(switches, list) or not all(isinstance(s, str) for s in switches):
        raise fail(path, "tariff_switches", "must be a list of switch names (see `roamcert price --switches`)")
    from conformance.tariffs import switches_from_names

    try:
        switches_from_names(switches)
    except (KeyError, ValueError) as exc:
        raise fail(path, "tariff_switches", str(exc.args[0] if exc.args else exc)) from None
    return Target(
        tariff_switches_on=tuple(switches),
        name=target_text(path, data, "name") or path.stem,
        protocol=protocol,
        version=version,
        platforms={role: platform for role in roles},
        partner_public_url=target_url(path, "partner.public_url", public_url) if public_url else
        "http://roamcert.partner.test",
        partner_listen=listen,
        verify=verify,
        client_cert=cert,
        timeout=float(timeout),
        base64_token=base64_token,
        actions=target_actions(path, data.get("actions")),
    )
