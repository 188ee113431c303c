"""The self-test: every check fails, naming its requirement, against the fault profile made to trip it;
the conformant reference passes every scenario."""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from conformance.core.catalogue import load_catalogue
from conformance.ocpi.v2_2_1.checks import REGISTRY
from simulators.ocpi.profiles import PROFILES

pytestmark = pytest.mark.selftest

FAULTY = sorted(name for name in PROFILES if PROFILES[name].trips)


COMBINED = "combined"  # the conformant reference as one platform holding CPO and EMSP
CONFORMANT_NODE = "conformant_node"  # the conformant reference node (role NODE, not among the default roles)


BROAD = 12  # a check evaluated in more test cases than this is shown in one module's cases

# Profiles of the direct topology also run through roamcert's hub, so that "what roamcert says holds whether the
# platform sits peer to peer or behind a hub" stays checked in CI without a second pass over every profile (every
# one was run both ways once: docs/hub.md). Four once disagreed through the hub (roamcert's hub refusing what its
# partners accept; a fault's request bypassing the platform's routing or its hub-side response_url); two guard the
# hub-only paths: the SUT's pushes read at the hub, roamcert's requests judged at the hub's hop to the SUT.
VIA_HUB = sorted(["client_plain_token", "client_token_a_kept", "command_response_url_relative",
                  "command_token_authorized", "charge_session_left_active", "session_patch_ignored"])
THROUGH_HUB = "@hub"  # a run's key: the profile run through roamcert's hub
# A profile of topology hub also run across roamcert's two nodes (topology "network", docs/network.md): the
# network must show what the hub shows.
VIA_NETWORK = ["routing_headers_dropped"]
THROUGH_NETWORK = "@network"  # a run's key: the profile run across roamcert's network


def _cases(name: str) -> list[str]:
    """The test cases that evaluate a check the profile trips, for the profile's roles. A check evaluated almost
    everywhere (envelope, headers, pagination) is shown in the Locations cases, or else in the module with the
    fewest such cases: a fault that breaks it breaks it in every module alike."""
    profile = PROFILES[name]
    cases = [c for c in load_catalogue("OCPI", "2.2.1").test_cases.values() if set(c.roles) & profile.roles]
    ids: set[str] = set()
    for check_id in profile.trips:
        where = [c for c in cases if check_id in c.checks]
        if len(where) > BROAD and profile.shows_in:
            where = [c for c in where if c.module in profile.shows_in]
        elif len(where) > BROAD:
            modules = sorted({c.module for c in where}, key=lambda m: (m != "locations",
                                                                       sum(c.module == m for c in where), m))
            where = [c for c in where if c.module == modules[0]]
        ids |= {c.id for c in where}
    return sorted(ids)


def _run(name: str, out: Path) -> Path:
    if name == COMBINED:
        # Peer to peer: the test is about how roamcert registers with one platform holding both roles (through
        # the hub, the hub registers; tests/unit/test_sut_via_hub.py covers a two-party platform there).
        argv = [sys.executable, "-m", "conformance.cli", "run", "--roles", "CPO+EMSP", "--topology", "direct",
                "--out", str(out)]
    elif name == CONFORMANT_NODE:
        argv = [sys.executable, "-m", "conformance.cli", "run", "--target", "reference", "--roles", "NODE",
                "--out", str(out)]
    else:
        through_hub, through_network = name.endswith(THROUGH_HUB), name.endswith(THROUGH_NETWORK)
        name = name.removesuffix(THROUGH_HUB).removesuffix(THROUGH_NETWORK)
        roles = sorted(PROFILES[name].roles)
        argv = [sys.executable, "-m", "conformance.cli", "run", "--target", "reference", "--roles",
                ",".join(roles), "--out", str(out)]
        for role in roles:
            argv += ["--profile", f"{role}={name}"]
        # where the fault shows (direct unless it needs the hub), or through the hub for VIA_HUB
        argv += ["--topology", "hub" if through_hub else "network" if through_network else PROFILES[name].topology]
        for case_id in _cases(name):  # the other cases cannot show the fault; they need not run
            argv += ["--id", case_id]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=600, check=False)
    results = out / "results.ndjson"
    assert results.is_file(), f"profile {name}: no results\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
    return results


def _selected(session: pytest.Session) -> list[str]:
    """The runs the selected tests need (so `-k profile_name` runs one profile, not all of them)."""
    names: list[str] = []
    for item in session.items:
        if Path(str(item.fspath)) != Path(__file__):  # other test modules may parametrize a "name" too
            continue
        callspec = getattr(item, "callspec", None)
        if callspec is not None and "name" in callspec.params:
            names.append(callspec.params["name"])
            if item.originalname == "test_profile_says_the_same_through_the_hub":
                names.append(callspec.params["name"] + THROUGH_HUB)
            if item.originalname == "test_profile_says_the_same_across_the_network":
                names.append(callspec.params["name"] + THROUGH_NETWORK)
        elif item.name in ("test_conformant_reference_passes_every_scenario",
                           "test_every_case_lists_the_request_checks_that_judge_the_suts_requests"):
            names.append("conformant")
        elif item.name == "test_one_platform_holding_both_roles_passes":
            names.append(COMBINED)
        elif item.name == "test_conformant_node_passes_every_network_scenario":
            names.append(CONFORMANT_NODE)
    return list(dict.fromkeys(names))


@pytest.fixture(scope="session")
def profile_runs(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    # Every pytest-xdist worker collects every test, so this module must run whole in one worker (--dist loadscope,
    # as the README's test command has it): split per test, each worker would start all the runs.
    base = tmp_path_factory.mktemp("profiles")
    names = _selected(request.session)
    with ThreadPoolExecutor(max_workers=4) as pool:
        paths = pool.map(lambda n: _run(n, base / n), names)
        return dict(zip(names, paths, strict=True))


def _records(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_conformant_reference_passes_every_scenario(profile_runs: dict[str, Path]) -> None:
    records = _records(profile_runs["conformant"])
    cases = [r for r in records if r["type"] == "test_case"]
    assert len(cases) >= 28
    not_passed = [(c["id"], c["role"], c["outcome"], c["reason"]) for c in cases if c["outcome"] != "PASS"]
    assert not_passed == []
    failed_findings = [f for c in cases for f in c["findings"] if f["outcome"] != "PASS"]
    assert failed_findings == []
    assert records[-1]["verdict"] == "PASS"


def test_conformant_node_passes_every_network_scenario(profile_runs: dict[str, Path]) -> None:
    records = _records(profile_runs[CONFORMANT_NODE])
    cases = [r for r in records if r["type"] == "test_case"]
    network = [c.id for c in load_catalogue("OCPI", "2.2.1").test_cases.values() if "NODE" in c.roles]
    assert sorted(c["id"] for c in cases) == sorted(network)
    assert [(c["id"], c["outcome"], c["reason"]) for c in cases if c["outcome"] != "PASS"] == []
    assert [f for c in cases for f in c["findings"] if f["outcome"] != "PASS"] == []
    unlisted = sorted({(c["id"], f["check_id"]) for c in cases for f in c["findings"]
                       if f["check_id"] not in load_catalogue("OCPI", "2.2.1").test_cases[c["id"]].checks})
    assert unlisted == []
    assert records[-1]["verdict"] == "PASS"


def test_every_case_lists_the_request_checks_that_judge_the_suts_requests(profile_runs: dict[str, Path]) -> None:
    """Request checks run on every request the SUT makes, in whatever case it makes it; a case in which the SUT
    calls roamcert lists them, so that its requirements show what was judged."""
    catalogue = load_catalogue("OCPI", "2.2.1")
    cases = [r for r in _records(profile_runs["conformant"]) if r["type"] == "test_case"]
    assert any(x["direction"] == "inbound" for c in cases for x in c["exchanges"])
    unlisted = sorted({(c["id"], f["check_id"]) for c in cases for f in c["findings"]
                       if "request" in REGISTRY[f["check_id"]].tags and "response" not in REGISTRY[f["check_id"]].tags
                       and f["check_id"] not in catalogue.test_cases[c["id"]].checks})
    assert unlisted == []


def test_one_platform_holding_both_roles_passes(profile_runs: dict[str, Path]) -> None:
    """Registration is per platform: the second role's registration and unregistration cases are skipped."""
    records = _records(profile_runs[COMBINED])
    cases = [r for r in records if r["type"] == "test_case"]
    other = sorted((c["id"], c["outcome"]) for c in cases if c["outcome"] != "PASS")
    assert other == [("OCPI-2.2.1-TC-CR-04", "SKIP"), ("OCPI-2.2.1-TC-CR-08", "SKIP")]
    assert records[-1]["verdict"] == "PASS"
    registration = next(c for c in cases if c["id"] == "OCPI-2.2.1-TC-CR-04" and c["outcome"] == "PASS")
    post = next(x for x in registration["exchanges"] if x["method"] == "POST")
    roles = sorted(r["role"] for r in json.loads(post["request_body"])["roles"])
    assert roles == ["CPO", "EMSP"], "roamcert presents one platform with both opposite roles"


@pytest.mark.parametrize("name", FAULTY)
def test_profile_trips_its_checks(profile_runs: dict[str, Path], name: str) -> None:
    _trips_its_checks(name, _records(profile_runs[name]))


@pytest.mark.parametrize("name", VIA_HUB)
def test_profile_says_the_same_through_the_hub(profile_runs: dict[str, Path], name: str) -> None:
    """Behind roamcert's hub the profile trips its checks, and roamcert finds exactly what it finds peer to peer:
    no deviation missed, none added by the hub (a request refused, a header it lacks only there)."""
    assert PROFILES[name].topology == "direct", "a profile of topology hub runs through the hub already"
    records = _records(profile_runs[name + THROUGH_HUB])
    _trips_its_checks(name, records)
    assert _failing_checks(records) == _failing_checks(_records(profile_runs[name]))


@pytest.mark.parametrize("name", VIA_NETWORK)
def test_profile_says_the_same_across_the_network(profile_runs: dict[str, Path], name: str) -> None:
    """Across roamcert's two nodes a profile that shows through the hub trips its checks, with exactly the
    failures it has through the hub: the nodes' own traffic is never judged."""
    assert PROFILES[name].topology == "hub"
    records = _records(profile_runs[name + THROUGH_NETWORK])
    _trips_its_checks(name, records)
    assert _failing_checks(records) == _failing_checks(_records(profile_runs[name]))


def _failing_checks(records: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return sorted({(c["id"], f["check_id"]) for c in records if c["type"] == "test_case" for f in c["findings"]
                   if f["outcome"] == "FAIL"})


def _trips_its_checks(name: str, records: list[dict[str, Any]]) -> None:
    profile = PROFILES[name]
    cases = [r for r in records if r["type"] == "test_case"]
    failing = {(f["check_id"], tuple(f["requirements"])) for c in cases for f in c["findings"]
               if f["outcome"] == "FAIL"}
    for check_id in sorted(profile.trips):
        wanted = (check_id, REGISTRY[check_id].requirements)
        assert wanted in failing, f"{name} did not make {check_id} fail with {wanted[1]}; failing: {sorted(failing)}"
    blocking = [c for c in cases if c["outcome"] == "FAIL"]
    # A FAIL names its cause: the first blocking finding's check, as the findings list it.
    assert [c["id"] for c in blocking if not any(
        (c["reason"] or "").startswith(f"{f['check_id']} (") for f in c["findings"]
        if f["outcome"] == "FAIL" and f["severity"] == "REQUIRED")] == [], f"{name}: a FAIL without its reason"
    if any(REGISTRY[c].severity.value == "REQUIRED" for c in profile.trips):
        assert blocking, f"{name}: a REQUIRED check failed but no test case did"
        assert records[-1]["verdict"] in ("FAIL", "VERSION_NOT_OFFERED")
    errors = [(c["id"], c["reason"]) for c in cases if c["outcome"] == "ERROR"]
    assert errors == [], f"{name}: the harness broke instead of reporting findings"


# A fault of the paginated list server shows in every list's test case of that feature, not only in one list's:
# (profile, the check that marks those test cases).
EVERY_LIST = [("date_from_ignored", "ocpi.pagination.date_filter"),
              ("date_to_inclusive", "ocpi.pagination.date_filter"),
              ("limit_ignored", "ocpi.pagination.offset"),
              ("offset_ignored", "ocpi.pagination.offset")]


@pytest.mark.parametrize(("name", "check_id"), EVERY_LIST)
def test_list_fault_fails_every_list(profile_runs: dict[str, Path], name: str, check_id: str) -> None:
    roles = PROFILES[name].roles
    wanted = sorted((case.id, role) for case in load_catalogue("OCPI",
                    "2.2.1").test_cases.values() if check_id in case.checks
                    for role in case.roles if role in roles)
    outcomes = {(r["id"], r["role"]): r["outcome"] for r in _records(profile_runs[name]) if r["type"] == "test_case"}
    assert len(wanted) >= 4
    assert [(case, outcomes.get(case)) for case in wanted if outcomes.get(case) != "FAIL"] == []


def test_every_check_has_a_fault_profile() -> None:
    tripped = {check_id for profile in PROFILES.values() for check_id in profile.trips}
    assert {c.id for c in REGISTRY} - tripped == set()
