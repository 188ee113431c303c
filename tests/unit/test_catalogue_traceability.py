"""Traceability in both directions: requirements <-> checks <-> test cases <-> scenarios <-> fault profiles."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pytest_bdd.parser import Feature, FeatureParser

from conformance.core.catalogue import load_catalogue
from conformance.ocpi.v2_2_1.checks import REGISTRY
from simulators.ocpi.profiles import PROFILES
from tests.spec_paths import OCPI_2_2_1_DIR, requires_spec

FEATURES = Path(__file__).resolve().parents[2] / "features"
FEATURE_FILES = sorted(FEATURES.rglob("*.feature"))
CATALOGUE = load_catalogue("OCPI", "2.2.1")
CHECK_IDS = {c.id for c in REGISTRY}
ID_TAG = re.compile(r"^id:(.+)$")
# Documents other than the OCPI specification that requirements cite: a roaming network's rules are the Open
# Charging Network node's (catalogue/network.toml), whose documentation the OCPI sources do not hold.
OTHER_DOCUMENTS = {"ocn-node"}


def _parse(path: Path) -> Feature:
    return FeatureParser(str(path.parent), path.name).parse()


def _tag(tags: set[str], key: str) -> list[str]:
    return sorted(t.split(":", 1)[1] for t in tags if t.startswith(f"{key}:"))


def _scenarios() -> list[tuple[Path, Feature, str, set[str], list[str]]]:
    """(file, feature, scenario name, scenario tags, roles named by Examples) for every scenario."""
    out = []
    for path in FEATURE_FILES:
        feature = _parse(path)
        for name, scenario in feature.scenarios.items():
            roles: list[str] = []
            for examples in scenario.examples:
                if "role" in examples.example_params:
                    column = examples.example_params.index("role")
                    roles.extend(row[column].upper() for row in examples.examples)
            out.append((path, feature, name, set(scenario.tags), roles))
    return out


SCENARIOS = _scenarios()


def test_the_suite_has_content() -> None:
    assert len(FEATURE_FILES) >= 5
    assert len(SCENARIOS) == len(CATALOGUE.test_cases)
    assert len(REGISTRY) >= 40
    assert len(CATALOGUE.requirements) >= 40


# --------------------------------------------------------------------------------------------- checks <-> requirements


def test_every_check_names_catalogue_requirements() -> None:
    unknown = sorted((c.id, r) for c in REGISTRY for r in c.requirements if r not in CATALOGUE.requirements)
    assert unknown == []
    assert [c.id for c in REGISTRY if not c.requirements] == []


def test_every_requirement_is_verified_or_declared_unobservable() -> None:
    verified = {r for c in REGISTRY for r in c.requirements}
    orphans = sorted(r.id for r in CATALOGUE.requirements.values() if r.id not in verified and not r.unobservable)
    assert orphans == []
    # a requirement declared unobservable is not silently verified after all
    both = sorted(r.id for r in CATALOGUE.requirements.values() if r.unobservable and r.id in verified)
    assert both == []


def _spec_refs() -> list[tuple[str, str]]:
    refs = [(f"check {c.id}", c.spec) for c in REGISTRY]
    refs += [(f"requirement {r.id}", r.spec) for r in CATALOGUE.requirements.values()]
    return refs


def test_spec_references_are_file_prefixed_anchors() -> None:
    # the OCPI 2.2.1 AsciiDoc anchors all start with their file stem: "<stem>#<stem>_<section>"
    for owner, ref in _spec_refs():
        stem, sep, anchor = ref.partition("#")
        assert sep and stem and anchor.startswith(f"{stem}_"), f"{owner}: {ref!r}"


@pytest.mark.spec
@requires_spec
def test_spec_references_exist_in_the_specification() -> None:
    missing = []
    for owner, ref in _spec_refs():
        stem, _, anchor = ref.partition("#")
        if stem in OTHER_DOCUMENTS:
            continue
        source = OCPI_2_2_1_DIR / f"{stem}.asciidoc"
        if not source.is_file() or f"[[{anchor}]]" not in source.read_text(encoding="utf-8"):
            missing.append((owner, ref))
    assert missing == []


# --------------------------------------------------------------------------------------------- checks <-> test cases


def test_every_check_is_used_by_a_test_case() -> None:
    used = {check_id for case in CATALOGUE.test_cases.values() for check_id in case.checks}
    assert sorted(CHECK_IDS - used) == []


def test_every_test_case_check_exists() -> None:
    unknown = sorted((case.id, c) for case in CATALOGUE.test_cases.values() for c in case.checks if c not in CHECK_IDS)
    assert unknown == []
    assert [case.id for case in CATALOGUE.test_cases.values() if not case.checks] == []


def test_requirements_of_a_test_case_come_from_its_checks() -> None:
    case = CATALOGUE.test_cases["OCPI-2.2.1-TC-LOC-CPO-01"]
    expected = []
    for check_id in case.checks:
        expected.extend(r for r in REGISTRY[check_id].requirements if r not in expected)
    assert CATALOGUE.requirements_of(case) == expected
    assert "OCPI-2.2.1-TF-PAG-06" in expected


# --------------------------------------------------------------------------------------------- scenarios <-> test cases


@pytest.mark.parametrize(("path", "name"), [(s[0], s[2]) for s in SCENARIOS],
                         ids=[f"{s[0].name}:{s[2]}" for s in SCENARIOS])
def test_scenario_has_exactly_one_known_id(path: Path, name: str) -> None:
    tags = next(s[3] for s in SCENARIOS if s[0] == path and s[2] == name)
    ids = [m.group(1) for t in tags if (m := ID_TAG.match(t))]
    assert len(ids) == 1, f"{path.name}: {name!r} has id tags {ids}"
    assert ids[0] in CATALOGUE.test_cases


def test_feature_level_has_no_id_tag() -> None:
    for path in FEATURE_FILES:
        assert _tag(_parse(path).tags, "id") == [], path.name


def test_every_test_case_has_exactly_one_scenario() -> None:
    ids = [i for s in SCENARIOS for i in _tag(s[3], "id")]
    assert sorted(ids) == sorted(CATALOGUE.test_cases)  # no case without a scenario, no id twice


def test_scenario_ids_also_appear_as_raw_tags_in_the_files() -> None:
    # the plain-text view of the same fact, independent of the parser
    raw = sorted(m for path in FEATURE_FILES
                 for m in re.findall(r"@id:(\S+)", path.read_text(encoding="utf-8")))
    assert raw == sorted(CATALOGUE.test_cases)


@pytest.mark.parametrize("path", FEATURE_FILES, ids=[p.name for p in FEATURE_FILES])
def test_feature_tags_match_the_catalogue(path: Path) -> None:
    feature = _parse(path)
    modules = _tag(feature.tags, "module")
    assert len(modules) == 1, f"{path.name}: feature needs exactly one @module: tag"
    versions = _tag(feature.tags, "version")
    assert versions in ([], [CATALOGUE.version])
    feature_roles = _tag(feature.tags, "role")
    interfaces = _tag(feature.tags, "interface")
    for name, scenario in feature.scenarios.items():
        tags = set(scenario.tags)
        case = CATALOGUE.test_cases[_tag(tags, "id")[0]]
        assert case.module == modules[0], f"{path.name}: {name!r} is @module:{modules[0]}, catalogue {case.module}"
        for role in feature_roles + _tag(tags, "role"):
            assert role in case.roles, f"{case.id}: @role:{role} not in catalogue roles {case.roles}"
        for interface in interfaces + _tag(tags, "interface"):
            assert interface == case.interface_role, f"{case.id}: @interface:{interface} vs {case.interface_role}"


def test_example_roles_match_the_catalogue_roles() -> None:
    for path, feature, _name, tags, roles in SCENARIOS:
        case = CATALOGUE.test_cases[_tag(tags, "id")[0]]
        tagged = _tag(feature.tags | tags, "role")
        covered = sorted(set(roles) | set(tagged))
        assert covered == sorted(case.roles), f"{path.name}: {case.id} runs for {covered}, catalogue {case.roles}"


# ------------------------------------------------------------------------------ fault profiles <-> checks


def test_profiles_trip_only_registered_checks() -> None:
    unknown = sorted((p.name, c) for p in PROFILES.values() for c in p.trips if c not in CHECK_IDS)
    assert unknown == []


def test_every_check_is_tripped_by_a_profile() -> None:
    tripped = {c for p in PROFILES.values() for c in p.trips}
    assert sorted(CHECK_IDS - tripped) == []


def test_conformant_profiles_trip_nothing() -> None:
    assert PROFILES["conformant"].trips == frozenset()
    assert PROFILES["lenient_partner"].trips == frozenset()


def test_a_profile_trips_checks_of_test_cases_for_its_roles() -> None:
    """A profile limited to some roles must trip checks that some test case for those roles evaluates."""
    for profile in PROFILES.values():
        for check_id in profile.trips:
            cases = [c for c in CATALOGUE.test_cases.values() if check_id in c.checks and set(c.roles) & profile.roles]
            assert cases, f"{profile.name}: no test case for {sorted(profile.roles)} evaluates {check_id}"
