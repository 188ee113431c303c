"""Target files: what system is under test, and how roamcert reaches it and is reached by it.

An OCPI target file, read with the protocol-neutral helpers of conformance/core/target.py. Example
(docs/target-example.toml):

    name = "Acme CPO staging"
    protocol = "OCPI"
    version = "2.2.1"
    roles = ["CPO"]                       # party roles the SUT holds (CPO, EMSP, SCSP, NSP; or HUB or NODE, alone)
    versions_url = "https://ocpi.acme.test/versions"
    token_a = "..."                       # or token_a_env = "ACME_TOKEN_A"
    extra_tokens_a = []                   # more fresh tokens A for registration error cases
    # Pre-registered: a connection made before the run, used by the module cases whatever registration does.
    token_c_env = "ACME_TOKEN_C"          # the token the SUT issued to roamcert (roamcert calls the SUT with it)
    token_b_env = "ACME_TOKEN_B"          # the token the SUT calls roamcert's partner with (its versions URL:
                                          # <partner public_url>/ocpi/<roamcert's role>/versions)

    allowed_hosts = ["ocpi-cdn.acme.test"]   # more hosts roamcert may call with credentials (besides each
                                          # versions URL's host): "host" (any port) or "host:port"

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

from conformance.core.hosts import HostPolicy
from conformance.core.limits import Bounds
from conformance.core.target import (
    COMMON_KEYS,
    Action,
    fail,
    read_target_file,
    target_common,
    target_protocol,
    target_secret,
    target_text,
    target_url,
)

__all__ = ["NODE", "SUT_ROLES", "TOPOLOGIES", "Action", "Platform", "Target", "load_target", "reference_target"]

PARTY_ROLES = ("CPO", "EMSP", "SCSP", "NSP", "HUB")
HUB = "HUB"  # a Hub reports itself only as role HUB (credentials_credentials_object): a platform of its own
NODE = "NODE"  # a node of a roaming network (docs/network.md): a hub among nodes, alone on its platform too
ALONE = (HUB, NODE)  # roles whose platform holds no other role
SUT_ROLES = (*PARTY_ROLES, NODE)  # a node is no party role: reference_target takes it only when asked (the plugin does)
_TOP_KEYS = COMMON_KEYS | {"ocpi"}
_OCPI_KEYS = {"version", "base64_token", "tariff_switches", "platform", "topology"}
# How roamcert's platforms reach the SUT: peer to peer, or through roamcert's in-process reference hub (docs/hub.md).
TOPOLOGIES = ("direct", "hub", "network")
# A pre-registered connection (token C to call the SUT, token B the SUT calls roamcert with), each also by
# environment variable.
_PRE_REGISTERED_KEYS = {"token_c", "token_c_env", "token_b", "token_b_env"}
_PLATFORM_KEYS = {"name", "roles", "versions_url", "token_a", "token_a_env", "extra_tokens_a"} | _PRE_REGISTERED_KEYS
# The single-platform form, at the top of the file: still read, as one [[ocpi.platform]].
_SINGLE_PLATFORM_KEYS = {"protocol", "version", "roles", "versions_url", "token_a", "token_a_env", "extra_tokens_a",
                         "base64_token", "tariff_switches", "topology"} | _PRE_REGISTERED_KEYS


@dataclass
class Platform:
    """One OCPI platform under test (it may hold several party roles)."""

    roles: tuple[str, ...]
    versions_url: str
    token_a: str | None = field(repr=False)  # credentials never reach a repr, a log or a traceback
    extra_tokens_a: list[str] = field(default_factory=list, repr=False)
    inprocess: bool = False
    name: str = ""  # its node name in the run's topology; made from its roles when the target gives none
    # A connection made before the run (pre-registered): the token C the SUT issued to roamcert, and the token B
    # the SUT calls roamcert's partner with. The module cases use it when roamcert's own registration fails.
    token_c: str | None = field(default=None, repr=False)
    token_b: str | None = field(default=None, repr=False)

    @property
    def pre_registered(self) -> bool:
        return self.token_c is not None

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
    timeout: float = 30.0  # the total deadline of one request: connect, headers and body together
    max_response_bytes: int = 4 * 1024 * 1024  # the decoded size of a response body roamcert reads
    retry_after_max: float = 10.0  # seconds waited in all on 429/503 + Retry-After for one request
    run_budget: float | None = None  # seconds for the whole run; the cases left then end SKIP
    base64_token: bool = True
    actions: dict[str, Action] = field(default_factory=dict)
    reference_profiles: dict[str, str] = field(default_factory=dict)  # role -> fault profile (reference only)
    tariff_switches_on: tuple[str, ...] = ()  # tariff interpretation switches the SUT is known to use
    allowed_hosts: tuple[str, ...] = ()  # hosts roamcert may call with credentials besides the versions URLs'
    # "hub": roamcert's platforms and the SUT talk through roamcert's reference hub; "network": through two
    # reference nodes of a roaming network and its registry (docs/network.md)
    topology: str = "direct"

    @property
    def via_hub(self) -> bool:
        return self.topology in ("hub", "network")

    @property
    def via_network(self) -> bool:
        return self.topology == "network"

    def bounds(self) -> Bounds:
        """The limits this target sets on each exchange and on the run."""
        return Bounds(timeout=self.timeout, max_response_bytes=self.max_response_bytes,
                      retry_after_max=self.retry_after_max, run_budget=self.run_budget)

    def host_policy(self, *own_urls: str) -> HostPolicy:
        """The hosts roamcert may call with credentials: each platform's versions URL host, ``allowed_hosts``,
        and roamcert's own platforms (``own_urls``: its partner; in-process references are platforms here)."""
        return HostPolicy.of([*(p.versions_url for p in self.platforms.values()), *own_urls], self.allowed_hosts)

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
                "profiles": dict(self.reference_profiles), **({"topology": self.topology} if self.via_hub else {})}


def _reference_version() -> str:
    """The newest OCPI version the reference partners speak."""
    import simulators.ocpi.app  # noqa: F401  (registers the modules of every version package)
    from simulators.ocpi.modules import MODULES

    return MODULES.versions("OCPI")[-1]


def reference_target(profiles: dict[str, str] | None = None, roles: tuple[str, ...] = PARTY_ROLES,
                     *, combined: bool = False, version: str | None = None, topology: str = "direct") -> Target:
    """The built-in reference, in-process: a platform per role, or (``combined``) one platform holding them all
    (but the hub, which holds no other role). Tokens A are issued at start-up."""
    profiles = {role: (profiles or {}).get(role, "conformant") for role in roles}
    parties = tuple(role for role in roles if role not in ALONE)
    groups = ([parties] if combined and parties else [(role,) for role in parties]) + \
        [(role,) for role in ALONE if role in roles]
    platforms: dict[str, Platform] = {}
    for group in groups:
        host = "-".join(r.lower() for r in group)
        path = "hub" if group == (NODE,) else host  # a node serves its versions where a hub does
        platform = Platform(roles=group, versions_url=f"http://reference-{host}.roamcert.test/ocpi/{path}/versions",
                            token_a=None, inprocess=True)
        platforms.update({role: platform for role in group})
    name = "roamcert reference" + ("" if set(profiles.values()) == {"conformant"} else
                                   " (" + ", ".join(f"{r}: {p}" for r, p in profiles.items()) + ")")
    if topology not in TOPOLOGIES:
        raise ValueError(f"topology {topology!r}: one of {', '.join(TOPOLOGIES)}")
    if topology == "hub":
        name += " through roamcert's hub"
    elif topology == "network":
        name += " across roamcert's two nodes"
    return Target(name=name, protocol="OCPI", version=version or _reference_version(), platforms=platforms,
                  actions=_reference_actions(),
                  reference_profiles=profiles, topology=topology)


def _reference_actions() -> dict[str, Action]:
    """Every trigger hook of the reference platforms, reached in-process at /admin/{name}."""
    import simulators.ocpi.app  # noqa: F401  (registers the hooks of every module file)
    from simulators.ocpi.admin import ADMIN_HOOKS

    return {name: Action(name, http=("POST", "admin")) for name in ADMIN_HOOKS}


def _platform(path: Path, data: dict[str, Any], where: str, name: str = "") -> Platform:
    """One SUT platform: its roles, versions URL and token A (``where`` prefixes the keys in messages)."""
    key = (lambda k: f"{where}.{k}") if where else (lambda k: k)
    roles_raw = data.get("roles")
    if not isinstance(roles_raw, list) or not roles_raw:
        raise fail(path, key("roles"), f"must be a non-empty list drawn from {list(SUT_ROLES)}")
    roles = tuple(str(r).upper() for r in roles_raw)
    bad = [r for r in roles if r not in SUT_ROLES]
    if bad:
        raise fail(path, key("roles"), f"unsupported role(s) {bad}; supported: {list(SUT_ROLES)}")
    if HUB in roles and len(roles) > 1:
        raise fail(path, key("roles"), "a Hub reports itself only as role HUB: its platform holds no other role")
    if NODE in roles and len(roles) > 1:
        raise fail(path, key("roles"), "a node is a hub among nodes: its platform holds no other role")
    versions_url = target_url(path, key("versions_url"),
                              target_text(path, data, "versions_url", required=True, where=where) or "")
    token_a = target_text(path, data, "token_a", where=where)
    env = target_text(path, data, "token_a_env", where=where)
    if token_a is None and env is not None:
        token_a = os.environ.get(env)
        if not token_a:
            raise fail(path, key("token_a_env"), f"environment variable {env} is not set")
    extra = data.get("extra_tokens_a", [])
    if not isinstance(extra, list) or not all(isinstance(t, str) and t for t in extra):
        raise fail(path, key("extra_tokens_a"), "must be a list of non-empty strings")
    token_c = target_secret(path, data, "token_c", where=where)
    token_b = target_secret(path, data, "token_b", where=where)
    if (token_c is None) != (token_b is None):
        given, missing = ("token_c", "token_b") if token_b is None else ("token_b", "token_c")
        raise fail(path, key(missing), f"is required with {given}: a pre-registered connection needs the token "
                                       "roamcert calls the SUT with (token_c) and the token the SUT calls roamcert "
                                       "with (token_b)")
    if token_c is not None and token_c == token_b:
        raise fail(path, key("token_b"), "must differ from token_c: each side issues its own token")
    return Platform(roles=roles, versions_url=versions_url, token_a=token_a, extra_tokens_a=list(extra), name=name,
                    token_c=token_c, token_b=token_b)


def _platforms(path: Path, data: dict[str, Any]) -> dict[str, Platform]:
    """The SUT platforms of an [ocpi] table: [[ocpi.platform]] entries, each holding one or several roles."""
    raw = data.get("platform")
    if not isinstance(raw, list) or not raw or not all(isinstance(item, dict) for item in raw):
        raise fail(path, "ocpi.platform", "must be one or more [[ocpi.platform]] tables (roles, versions_url, "
                                          "token_a or token_a_env)")
    platforms: dict[str, Platform] = {}
    for index, item in enumerate(raw, 1):
        where = f"ocpi.platform[{index}]"
        unknown = set(item) - _PLATFORM_KEYS
        if unknown:
            raise fail(path, f"{where}.{', '.join(sorted(unknown))}",
                       f"unknown key(s); known keys: {', '.join(sorted(_PLATFORM_KEYS))}")
        name = target_text(path, item, "name", where=where) or ""
        platform = _platform(path, item, where, name)
        for role in platform.roles:
            if role in platforms:
                raise fail(path, f"{where}.roles", f"the role {role} is held by an earlier platform already")
            platforms[role] = platform
    names = [p.node_name for p in {id(p): p for p in platforms.values()}.values()]
    if len(set(names)) != len(names):
        raise fail(path, "ocpi.platform", f"two platforms have the same name: {sorted(names)}")
    return platforms


def load_target(path: Path) -> Target:
    """An OCPI target: the settings every target has (name, partner, tls, actions, timeout) and an [ocpi] table
    with its version and one [[ocpi.platform]] per SUT platform. The earlier single-platform form, with
    protocol, version, roles, versions_url and token_a at the top, is still read."""
    data = read_target_file(path)
    unknown = set(data) - _TOP_KEYS - _SINGLE_PLATFORM_KEYS
    if unknown:
        known = ", ".join(sorted(_TOP_KEYS | _SINGLE_PLATFORM_KEYS))
        raise fail(path, ", ".join(sorted(unknown)), f"unknown key(s); known keys: {known}")
    if "ocpi" in data:
        mixed = sorted(set(data) & _SINGLE_PLATFORM_KEYS)
        if mixed:
            raise fail(path, ", ".join(mixed), "belong(s) in the [ocpi] table now (version, base64_token, "
                                               "tariff_switches) or in an [[ocpi.platform]] (roles, versions_url, "
                                               "token_a, token_a_env, extra_tokens_a, token_c, token_b)")
        table = data["ocpi"]
        if not isinstance(table, dict):
            raise fail(path, "ocpi", "must be a table: [ocpi] with version and [[ocpi.platform]] entries")
        unknown = set(table) - _OCPI_KEYS
        if unknown:
            raise fail(path, "ocpi." + ", ".join(sorted(unknown)),
                       f"unknown key(s); known keys: {', '.join(sorted(_OCPI_KEYS))}")
        protocol, version = target_protocol(path, {"protocol": "OCPI", **table}, "OCPI")
        platforms = _platforms(path, table)
        settings, prefix = table, "ocpi."
    else:
        protocol, version = target_protocol(path, data, "OCPI")
        if protocol != "OCPI":
            raise fail(path, "protocol", f"{protocol} targets are read by the {protocol} package, not as OCPI")
        platform = _platform(path, data, "")
        platforms = {role: platform for role in platform.roles}
        settings, prefix = data, ""
    common = target_common(path, data)
    base64_token = settings.get("base64_token", True)
    if not isinstance(base64_token, bool):
        raise fail(path, f"{prefix}base64_token", "must be true or false")
    switches = settings.get("tariff_switches", [])
    if not isinstance(switches, list) or not all(isinstance(s, str) for s in switches):
        raise fail(path, f"{prefix}tariff_switches",
                   "must be a list of switch names (see `roamcert price --switches`)")
    from conformance.tariffs import switches_from_names

    try:
        switches_from_names(switches)
    except (KeyError, ValueError) as exc:
        raise fail(path, f"{prefix}tariff_switches", str(exc.args[0] if exc.args else exc)) from None
    topology = settings.get("topology", "direct")
    if topology not in TOPOLOGIES:
        raise fail(path, f"{prefix}topology", f"must be one of {', '.join(repr(t) for t in TOPOLOGIES)}")
    return Target(
        topology=str(topology),
        tariff_switches_on=tuple(switches),
        name=common.name or path.stem,
        protocol=protocol,
        version=version,
        platforms=platforms,
        partner_public_url=common.partner_public_url or "http://roamcert.partner.test",
        partner_listen=common.partner_listen,
        verify=common.verify,
        client_cert=common.client_cert,
        timeout=common.timeout,
        max_response_bytes=common.max_response_bytes,
        retry_after_max=common.retry_after_max,
        run_budget=common.run_budget,
        base64_token=base64_token,
        actions=common.actions,
        allowed_hosts=common.allowed_hosts,
    )
