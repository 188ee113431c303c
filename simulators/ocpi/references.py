"""The reference platforms: whom they are, and the builder each OCPI version package registers for them.

Generic code (the harness, ``roamcert serve``) asks here for a reference platform; the version package builds it
with that version's seed data and fault profile.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from simulators.ocpi.modules import MODULES, load_versions
from simulators.ocpi.party import Identity, Party

__all__ = ["IDENTITIES", "NodeBuilder", "parse_roles", "reference_builder", "reference_node_builder",
           "reference_node_party", "reference_party"]

IDENTITIES = {
    "CPO": Identity("CPO", "NL", "RCP", "roamcert reference CPO"),
    "EMSP": Identity("EMSP", "NL", "REM", "roamcert reference eMSP"),
    "SCSP": Identity("SCSP", "NL", "RSC", "roamcert reference SCSP"),
    "NSP": Identity("NSP", "NL", "RNS", "roamcert reference NSP"),
    "HUB": Identity("HUB", "NL", "RHB", "roamcert reference hub"),  # a platform of its own (docs/hub.md)
}

Builder = Callable[[tuple[Identity, ...], str, str, bool], Party]  # identities, base_url, profile, seed
_BUILDERS: dict[str, Builder] = {}
# base_url, key (the operator's), registry_url, identity (the hub party it reports itself as), profile, timeout
NodeBuilder = Callable[[str, str, str, Identity, str, float], Party]
_NODE_BUILDERS: dict[str, NodeBuilder] = {}


def reference_builder(version: str) -> Callable[[Builder], Builder]:
    """Register the builder of ``version``'s reference platforms."""

    def register(builder: Builder) -> Builder:
        if version in _BUILDERS:
            raise ValueError(f"the reference platform of OCPI {version} is registered twice")
        _BUILDERS[version] = builder
        return builder

    return register


def parse_roles(roles: str | Iterable[str]) -> tuple[str, ...]:
    """'CPO', 'cpo+emsp' or ['CPO', 'EMSP'] -> ('CPO', 'EMSP'), checked against the roles we can play."""
    names = roles.replace("+", ",").split(",") if isinstance(roles, str) else list(roles)
    parsed = tuple(dict.fromkeys(name.strip().upper() for name in names if name.strip()))
    unknown = [role for role in parsed if role not in IDENTITIES]
    if not parsed or unknown:
        raise ValueError(f"no reference platform for role(s) {unknown or list(names)}; "
                         f"choose from {', '.join(IDENTITIES)}")
    return parsed


def reference_party(roles: str | Iterable[str], *, base_url: str, profile: str = "conformant",
                    seed: bool = True, version: str | None = None,
                    identities: Iterable[Identity] | None = None) -> Party:
    """A reference platform holding ``roles`` with (unless ``seed`` is false) its seed data and the named fault
    profile, speaking ``version`` (the newest the reference speaks when None). ``identities`` names its parties
    where several reference platforms of one role meet (on a Hub): one per role, in place of the usual ones."""
    load_versions()
    wanted = version or MODULES.versions("OCPI")[-1]
    builder = _BUILDERS.get(wanted)
    if builder is None:
        raise ValueError(f"no reference platform speaks OCPI {wanted}; it speaks {', '.join(sorted(_BUILDERS))}")
    named = {identity.role: identity for identity in identities or ()}
    held = parse_roles(roles)
    strangers = sorted(set(named) - set(held))
    if strangers:
        raise ValueError(f"identities for role(s) {strangers} the platform does not hold ({', '.join(held)})")
    return builder(tuple(named.get(role, IDENTITIES[role]) for role in held), base_url.rstrip("/"), profile, seed)


def reference_node_builder(version: str) -> Callable[[NodeBuilder], NodeBuilder]:
    """Register the builder of ``version``'s reference nodes of a roaming network (docs/network.md)."""

    def register(builder: NodeBuilder) -> NodeBuilder:
        if version in _NODE_BUILDERS:
            raise ValueError(f"the reference node of OCPI {version} is registered twice")
        _NODE_BUILDERS[version] = builder
        return builder

    return register


def reference_node_party(*, base_url: str, key: str, registry_url: str, identity: Identity, version: str | None = None,
                         profile: str = "conformant", timeout: float = 5.0) -> Party:
    """A reference node at ``base_url`` listed in the registry at ``registry_url``, its messages signed with the
    operator's ``key``, speaking ``version`` (the newest the reference speaks when None)."""
    load_versions()
    wanted = version or MODULES.versions("OCPI")[-1]
    builder = _NODE_BUILDERS.get(wanted)
    if builder is None:
        raise ValueError(f"no reference node speaks OCPI {wanted}")
    return builder(base_url.rstrip("/"), key, registry_url, identity, profile, timeout)
