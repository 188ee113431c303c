"""Fault profiles as behaviours (simulators/behaviours.py): replacements wrap the behaviour in force, compose in
order, and profiles are registered once by name and composed with '+'."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from simulators.behaviours import Behaviour, Behaviours, Profile, ProfileRegistry, replace, set_to
from simulators.ocpi import pagination
from simulators.ocpi.pagination import Window
from simulators.ocpi.profiles import PROFILES

GREETING = Behaviour("TEST", "1", "greetings", "greet", conformant=lambda name: f"hello {name}")
STATUS = Behaviour("TEST", "1", "greetings", "status", conformant=200)
Greet = Callable[[str], str]


def _shout(greet: Greet) -> Greet:
    return lambda name: greet(name).upper()


def _twice(greet: Greet) -> Greet:
    return lambda name: f"{greet(name)} {greet(name)}"


def test_the_conformant_behaviour_runs_where_nothing_replaces_it() -> None:
    behaviours = Behaviours()
    assert behaviours(GREETING)("ana") == "hello ana"
    assert behaviours(STATUS) == 200
    assert not behaviours.replaced(GREETING)


def test_replacements_wrap_the_behaviour_in_force_in_order() -> None:
    assert Behaviours([replace(GREETING, _shout), replace(GREETING, _twice)])(GREETING)("ana") == "HELLO ANA HELLO ANA"
    assert Behaviours([replace(GREETING, _twice), replace(GREETING, _shout)])(GREETING)("ana") == "HELLO ANA HELLO ANA"
    assert Behaviours([set_to(STATUS, 201)])(STATUS) == 201


def test_behaviours_add_up() -> None:
    both = Behaviours([replace(GREETING, _shout)]) + Behaviours([set_to(STATUS, 418)])
    assert (both(GREETING)("bo"), both(STATUS)) == ("HELLO BO", 418)


def test_a_registry_takes_a_name_once_and_composes_with_plus() -> None:
    registry = ProfileRegistry()
    shout = Profile("shout", "shouts", "TEST", "1", "greetings", frozenset({"CPO"}), (replace(GREETING, _shout),))
    teapot = Profile("teapot", "a teapot", "TEST", "1", "greetings", frozenset({"CPO"}), (set_to(STATUS, 418),))
    registry.register(shout)
    registry.register(teapot)
    with pytest.raises(ValueError, match="registered twice"):
        registry.register(shout)
    composed = registry.compose("shout+teapot")
    assert (composed(GREETING)("cy"), composed(STATUS)) == ("HELLO CY", 418)
    assert registry.of("TEST", "1", "greetings") == [shout, teapot]
    with pytest.raises(KeyError, match="unknown fault profile 'whisper'"):
        registry.compose("shout+whisper")


def test_two_pagination_profiles_compose() -> None:
    window = Window(selected=30, page=10, offset=0, page_size=10, max_page_size=10)
    headers = PROFILES.compose("missing_x_limit+wrong_total_count")(pagination.HEADERS)(window)
    assert headers == {"X-Total-Count": "32"}
    assert Behaviours()(pagination.HEADERS)(window) == {"X-Total-Count": "30", "X-Limit": "10"}


def test_every_reference_profile_names_its_module_and_version() -> None:
    for item in PROFILES.values():
        assert (item.protocol, item.version) == ("OCPI", "2.2.1"), item.name
        assert item.module, item.name
