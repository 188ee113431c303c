"""The reference platforms: whom they are, and the builder each OCPI version package registers for them.

Generic code (the harness, ``roamcert serve``) asks here for a reference platform; the version package builds it
with that version's seed data and fault profile.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from simulators.ocpi.modules import MODULES, load_versions
from simulators.ocpi.party import Identity, Party

__all__ = ["IDENTITIES", "parse_roles", "reference_builder", "reference_node", "reference_node_builder",
           "reference_party"]

IDENTITIES = {
    "CPO": Identity("CPO", "NL", "RCP", "roamcert reference CPO"),
    "EMSP": Identity("EMSP", "NL", "REM", "roamcert reference eMSP"),
    "SCSP": Identity("SCSP", "NL", "RSC", "roamcert reference SCSP"),
    "NSP": Identity("NSP", "NL", "RNS", "roamcert reference NSP"),
    "HUB": Identity("HUB", "NL", "RHB", "roamcert reference hub"),  # a platform of its own (docs/hub.md)
}

Builder = Callable[[tuple[Identity, ...], str, str, bool], Party]  # identities, base_url, profile, seed
_BUILDERS: dict[str, Builder] = {}
# A reference node of a roaming network (docs/network.md): base_url, and key, registry_url, identity, profile,
# timeout, registry_max_age by keyword.
NodeBuilder = Callable[..., Party]
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
    """Register the builder of ``version``'s reference nodes."""

    def register(builder: NodeBuilder) -> NodeBuilder:
        if version in _NODE_BUILDERS:
            raise ValueError(f"the reference node of OCPI {version} is registered twice")
        _NODE_BUILDERS[version] = builder
        return builder

    return register


def reference_node(base_url: str, *, version: str | None = None, key: str, registry_url: str, identity: Identity,
                   profile: str = "conformant", timeout: float = 5.0, registry_max_age: float = 1.0) -> Party:
    """A reference node speaking ``version`` (the newest that has nodes when None), its messages signed with the
    operator's ``key``, reading the registry at ``registry_url``."""
    load_versions()
    wanted = version or (sorted(_NODE_BUILDERS)[-1] if _NODE_BUILDERS else "")
    builder = _NODE_BUILDERS.get(wanted)
    if builder is None:
        raise ValueError(f"no reference node speaks OCPI {wanted}; nodes speak {', '.join(sorted(_NODE_BUILDERS))}")
    return builder(base_url, key=key, registry_url=registry_url, identity=identity, profile=profile,
                   timeout=timeout, registry_max_age=registry_max_age)
