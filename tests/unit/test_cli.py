"""The roamcert command line (conformance/cli.py), without full certification runs."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from conformance.cli import main
from conformance.core.catalogue import load_catalogue
from conformance.ocpi.v2_2_1.checks import REGISTRY
from simulators.ocpi.profiles import PROFILES

CATALOGUE = load_catalogue("OCPI", "2.2.1")


def test_list_prints_every_catalogue_id(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    listed = re.findall(r"^(OCPI-2\.2\.1-TC-\S+)", out, flags=re.MULTILINE)
    assert listed == list(CATALOGUE.test_cases)
    assert f"{len(CATALOGUE.test_cases)} test case(s)" in out
    case = CATALOGUE.test_cases["OCPI-2.2.1-TC-LOC-CPO-01"]
    assert case.title in out
    assert "requirements: " + ", ".join(CATALOGUE.requirements_of(case)) in out


def test_list_filters_by_module_and_role(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list", "--module", "locations", "--role", "emsp"]) == 0
    out = capsys.readouterr().out
    listed = re.findall(r"^(OCPI-2\.2\.1-TC-\S+)", out, flags=re.MULTILINE)
    expected = [c.id for c in CATALOGUE.test_cases.values() if c.module == "locations" and "EMSP" in c.roles]
    assert listed == expected
    assert len(expected) >= 1
    assert "OCPI-2.2.1-TC-LOC-CPO-01" not in out


@pytest.mark.parametrize("case_id", ["OCPI-2.2.1-TC-LOC-CPO-01", "ocpi-2.2.1-tc-loc-cpo-01"])
def test_explain(capsys: pytest.CaptureFixture[str], case_id: str) -> None:
    assert main(["explain", case_id]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    out = captured.out
    case = CATALOGUE.test_cases["OCPI-2.2.1-TC-LOC-CPO-01"]
    assert out.startswith(f"{case.id}: {case.title}\n")
    flat = " ".join(out.split())  # undo the line wrapping
    for number, step in enumerate(case.steps, 1):
        assert f"{number}. [{step.actor.upper()}] {' '.join(step.action.split())}" in flat
    for requirement in CATALOGUE.requirements_of(case):
        assert requirement in out
    for check_id in case.checks:
        assert f"{check_id} ({REGISTRY[check_id].severity.value})" in out
    assert "OCPI-2.2.1-TF-PAG-06" in out


def test_explain_unknown_id(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "NOPE"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "roamcert: no test case 'NOPE'" in captured.err
    assert "roamcert list" in captured.err


def test_actions_lists_every_action_a_scenario_may_ask_for(capsys: pytest.CaptureFixture[str]) -> None:
    from conformance.ocpi.target import reference_target

    assert main(["actions"]) == 0
    out = capsys.readouterr().out
    listed = set(re.findall(r"^([a-z_]+)\s", out, flags=re.MULTILINE))
    offered = set(reference_target().actions) - {"token-a"}  # the built-in reference offers every hook
    assert listed == offered and {"register", "present_token", "send_command"} <= listed
    assert "MANUAL_PENDING" in out


def test_profiles(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["profiles"]) == 0
    out = capsys.readouterr().out
    names = re.findall(r"^(\w+)\s", out, flags=re.MULTILINE)
    assert names == sorted(PROFILES)
    line = next(line for line in out.splitlines() if line.startswith("missing_link_header "))
    assert PROFILES["missing_link_header"].description in line
    assert "trips: ocpi.pagination.link_next" in out


def test_run_with_a_missing_target_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    assert main(["run", "--target", "/nonexistent.toml", "--out", str(out_dir)]) == 2
    captured = capsys.readouterr()
    text = captured.out + captured.err
    assert "/nonexistent.toml" in text
    assert "no such target file" in text
    assert "the run did not start" in captured.err
    assert not (out_dir / "results.ndjson").exists()


def test_run_with_an_invalid_target_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "bad.toml"
    target.write_text('roles = ["CHS"]\nversions_url = "https://x.test/versions"\n', encoding="utf-8")
    assert main(["run", "--target", str(target), "--out", str(tmp_path / "out")]) == 2
    captured = capsys.readouterr()
    text = captured.out + captured.err
    assert f"{target}: roles: unsupported role(s) ['CHS']" in text


def test_run_last_failed_without_earlier_results(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["run", "--last-failed", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert f"no earlier results at {tmp_path / 'results.ndjson'}" in err


def test_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["certify"])
    assert info.value.code == 2
    assert "invalid choice: 'certify'" in capsys.readouterr().err


def test_report_with_a_missing_results_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    missing = tmp_path / "results.ndjson"
    assert main(["report", str(missing), "--out", str(tmp_path / "out")]) == 2
    assert str(missing) in capsys.readouterr().err


def _reference_cdr(tmp_path: Path) -> tuple[Path, Path, str, dict[str, Any]]:
    from simulators.ocpi.v2_2_1.reference import reference_party

    party = reference_party("CPO", base_url="http://cpo.test")
    cdr = next(c for c in party.owned["cdrs"] if c["total_cost"]["excl_vat"] > 0)
    zone = next(loc["time_zone"] for loc in party.owned["locations"] if loc["id"] == cdr["cdr_location"]["id"])
    tariff_file, cdr_file = tmp_path / "tariff.json", tmp_path / "cdr.json"
    tariff_file.write_text(json.dumps(cdr["tariffs"][0]), encoding="utf-8")
    cdr_file.write_text(json.dumps({"data": cdr, "status_code": 1000, "timestamp": "2026-01-01T00:00:00Z"}),
                        encoding="utf-8")
    return tariff_file, cdr_file, zone, cdr


def test_price_explains_and_passes_a_correct_cdr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tariff_file, cdr_file, zone, cdr = _reference_cdr(tmp_path)
    assert main(["price", str(tariff_file), str(cdr_file), "--time-zone", zone]) == 0
    out = capsys.readouterr().out
    assert "verdict: PASS" in out and "total_cost" in out and cdr["tariffs"][0]["id"] in out


def test_price_fails_a_mispriced_cdr_naming_the_field(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tariff_file, cdr_file, zone, cdr = _reference_cdr(tmp_path)
    cdr["total_cost"]["excl_vat"] += 1.0
    cdr_file.write_text(json.dumps(cdr), encoding="utf-8")
    assert main(["price", str(tariff_file), str(cdr_file), "--time-zone", zone, "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["verdict"] == "FAIL"
    assert any(d.startswith("total_cost.excl_vat") for d in report["discrepancies"])


def test_price_needs_a_time_zone_and_known_switches(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tariff_file, cdr_file, _, _ = _reference_cdr(tmp_path)
    assert main(["price", str(tariff_file), str(cdr_file)]) == 2
    assert "--time-zone" in capsys.readouterr().err
    assert main(["price", str(tariff_file), str(cdr_file), "--time-zone", "UTC", "--switch", "nope"]) == 2
    assert "unknown tariff switch nope" in capsys.readouterr().err


def test_coverage_lists_every_requirement_by_module(capsys: pytest.CaptureFixture[str]) -> None:
    catalogue = load_catalogue("OCPI", "2.2.1")
    assert main(["coverage"]) == 0  # every requirement has a check in some test case, or a written reason
    out = capsys.readouterr().out
    for requirement in catalogue.requirements.values():
        assert requirement.id in out
    for module in {r.module for r in catalogue.requirements.values()}:
        assert f"\n{module}: " in out
    assert "UNCOVERED" not in out
