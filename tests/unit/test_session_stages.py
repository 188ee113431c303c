"""The Sessions roamcert's CPO pushes to an eMSP: every stage a valid Session, and each PATCH, applied as
mod_sessions says a Receiver applies it, taking one stage to the next."""

from __future__ import annotations

import copy
import itertools
from typing import Any

import pytest

from conformance.ocpi.schemas import errors
from simulators.behaviours import Behaviours
from simulators.ocpi.v2_2_1.pricing import cdr_pricer
from simulators.ocpi.v2_2_1.seed.cdrs import seed_cdrs
from simulators.ocpi.v2_2_1.seed.locations import seed_locations
from simulators.ocpi.v2_2_1.seed.session_stages import session_patch, session_stages
from simulators.ocpi.v2_2_1.seed.tariffs import seed_tariffs

LOCATIONS = seed_locations()
TARIFFS = seed_tariffs()
CDRS = [c for c in seed_cdrs(LOCATIONS, TARIFFS, cdr_pricer(Behaviours()), count=8) if not c.get("credit")]
ZONES = {loc["id"]: loc["time_zone"] for loc in LOCATIONS}


def _stages(cdr: dict[str, Any]) -> list[dict[str, Any]]:
    return session_stages(cdr, TARIFFS, time_zone=ZONES[cdr["cdr_location"]["id"]])


def _applied(session: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(session)
    patch = copy.deepcopy(patch)
    periods = patch.pop("charging_periods", [])
    out.update(patch)
    out["charging_periods"] = out.get("charging_periods", []) + periods
    return out


@pytest.mark.parametrize("cdr", CDRS, ids=[c["id"] for c in CDRS])
def test_stages_are_valid_sessions_from_active_to_completed(cdr: dict[str, Any]) -> None:
    stages = _stages(cdr)
    assert len(stages) == len(cdr["charging_periods"])
    assert [s["status"] for s in stages] == ["ACTIVE"] * (len(stages) - 1) + ["COMPLETED"]
    for stage in stages:
        assert errors("2.2.1", "Session", stage) == []
        assert stage["id"] == cdr["session_id"]
    assert [len(s["charging_periods"]) for s in stages] == list(range(1, len(stages) + 1))
    stamps = [s["last_updated"] for s in stages]
    assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)
    final = stages[-1]
    assert (final["kwh"], final["total_cost"], final["end_date_time"]) == (
        cdr["total_energy"], cdr["total_cost"], cdr["end_date_time"])
    assert "end_date_time" not in stages[0]


@pytest.mark.parametrize("cdr", CDRS, ids=[c["id"] for c in CDRS])
def test_each_patch_takes_a_stage_to_the_next(cdr: dict[str, Any]) -> None:
    stages = _stages(cdr)
    for before, after in itertools.pairwise(stages):
        patch = session_patch(before, after)
        assert "last_updated" in patch
        assert errors("2.2.1", "Session", patch, partial=True) == []
        assert _applied(before, patch) == after
    assert _applied(stages[0], session_patch(stages[0], stages[-1])) == stages[-1]


def test_a_session_authorised_in_real_time_carries_its_authorization_reference() -> None:
    cdr = next(c for c in CDRS if c["auth_method"] == "AUTH_REQUEST")
    assert all(s["authorization_reference"] for s in _stages(cdr))
