"""Fault profiles as behaviours.

An actor names each point where its behaviour may stray from the specification (a handler, a policy, a
serializer hook) as a :class:`Behaviour`: a typed point owned by one (protocol, version, module), holding its
conformant implementation. The actor's code always runs ``party.behaviours(POINT)``, never an ``if`` on a fault.

A fault profile is a small named object that replaces one or a few behaviours. Each replacement is a function
from the behaviour in force to the one to use instead, so it can wrap the conformant behaviour (change what it
returns, skip it, call it twice) rather than copy it, and profiles compose: ``a+b`` applies both. Profiles are
registered per (protocol, version, module) and looked up by name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

__all__ = ["PROFILES", "Behaviour", "Behaviours", "Profile", "ProfileRegistry", "Replacement", "replace", "set_to"]

T = TypeVar("T")


@dataclass(frozen=True, eq=False)
class Behaviour(Generic[T]):
    """A point where an actor's behaviour can be replaced; compared by identity."""

    protocol: str
    version: str  # "" where the point serves every version of the protocol (shared transport code)
    module: str
    name: str
    conformant: T

    def __repr__(self) -> str:
        return f"Behaviour({self.protocol} {self.version or '*'} {self.module}.{self.name})"


@dataclass(frozen=True)
class Replacement(Generic[T]):
    """One behaviour replaced: ``by`` takes the behaviour in force and returns the one to use."""

    point: Behaviour[T]
    by: Callable[[T], T]


def replace(point: Behaviour[T], by: Callable[[T], T]) -> Replacement[T]:
    return Replacement(point, by)


def set_to(point: Behaviour[T], value: T) -> Replacement[T]:
    """Replace a behaviour that is a plain value (a status, a timeout) by another value."""
    return Replacement(point, lambda _: value)


class Behaviours:
    """The behaviours a platform runs with: the conformant ones, but where its profiles replace them."""

    def __init__(self, replacements: Iterable[Replacement[Any]] = ()) -> None:
        self.replacements: tuple[Replacement[Any], ...] = tuple(replacements)
        self._by_point: dict[Behaviour[Any], list[Callable[[Any], Any]]] = {}
        for item in self.replacements:
            self._by_point.setdefault(item.point, []).append(item.by)

    def __call__(self, point: Behaviour[T]) -> T:
        current: Any = point.conformant
        for by in self._by_point.get(point, ()):
            current = by(current)
        return current  # type: ignore[no-any-return]

    def replaced(self, point: Behaviour[Any]) -> bool:
        return point in self._by_point

    def __add__(self, other: Behaviours) -> Behaviours:
        return Behaviours(self.replacements + other.replacements)


@dataclass(frozen=True)
class Profile:
    name: str
    description: str
    protocol: str
    version: str
    module: str  # the module whose behaviour it replaces (the first one, where it replaces several)
    roles: frozenset[str]  # party roles the profile applies to
    replacements: tuple[Replacement[Any], ...] = ()
    trips: frozenset[str] = field(default_factory=frozenset)  # check ids it must make fail
    shows_in: frozenset[str] = field(default_factory=frozenset)  # modules where a general check it trips fails
    topology: str = "direct"  # how the self-test connects roamcert to it: "hub" shows a fault of routing via a hub

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.protocol, self.version, self.module)

    def behaviours(self) -> Behaviours:
        return Behaviours(self.replacements)


class ProfileRegistry(Mapping[str, Profile]):
    """Every fault profile by name, and per (protocol, version, module); a name is registered once."""

    def __init__(self) -> None:
        self._profiles: dict[str, Profile] = {}

    def register(self, item: Profile) -> Profile:
        if item.name in self._profiles:
            raise ValueError(f"fault profile {item.name!r} registered twice")
        self._profiles[item.name] = item
        return item

    def __getitem__(self, name: str) -> Profile:
        return self._profiles[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._profiles)

    def __len__(self) -> int:
        return len(self._profiles)

    def of(self, protocol: str, version: str, module: str | None = None) -> list[Profile]:
        return [p for p in self._profiles.values() if p.protocol == protocol and p.version == version
                and (module is None or p.module == module)]

    def compose(self, names: str) -> Behaviours:
        """The behaviours of one profile, or of several joined by '+' (``no_request_id_echo+limit_ignored``)."""
        behaviours = Behaviours()
        for name in names.split("+"):
            if name.strip() not in self._profiles:
                known = ", ".join(sorted(self._profiles))
                raise KeyError(f"unknown fault profile {name.strip()!r}; known profiles: {known}")
            behaviours = behaviours + self._profiles[name.strip()].behaviours()
        return behaviours


PROFILES = ProfileRegistry()
