"""Continuing a run from its results file (conformance/core/resume.py, the results writer, `roamcert run --resume`
and `--last-failed`), without certification runs: what is refused and why, a line cut off mid-write, the merge."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conformance.cli import main
from conformance.core.catalogue import load_catalogue
from conformance.core.declared import Declaration
from conformance.core.errors import ConfigurationError
from conformance.core.protocol import protocol_version
from conformance.core.results import Continued, ResultsWriter, roamcert_version
from conformance.core.resume import read_earlier, read_state, write_state
from conformance.ocpi.target import Platform, reference_target
from conformance.pytest_plugin import TOKENS_A, TOKENS_A_USED, _track_tokens_a

CATALOGUE = load_catalogue("OCPI", "2.2.1")


def _target() -> dict[str, Any]:
    """The reference target as a run line records it."""
    target = reference_target()
    return {**target.describe(), "spec_base": protocol_version(target.protocol, target.version).spec_base}


def _case(case_id: str, role: str, outcome: str = "PASS") -> dict[str, Any]:
    return {"type": "test_case", "id": case_id, "title": "t", "module": "locations", "role": role,
            "interface_role": "SENDER", "version": "2.2.1", "nodeid": f"x::{case_id}[{role}]", "outcome": outcome,
            "duration_s": 1.5, "reason": None if outcome == "PASS" else "why", "steps": [], "requirements": [],
            "findings": [], "exchanges": []}


def _results(tmp_path: Path, *cases: dict[str, Any], summary: str | None = None, version: str | None = None,
             tail: str = "") -> Path:
    run = {"type": "run", "run_id": "r-1", "started": "2026-01-01T00:00:00Z",
           "roamcert_version": version or roamcert_version(), "target": _target(), "selection": {}}
    lines = [run, *cases] + ([{"type": "summary", "verdict": summary, "counts": {}}] if summary else [])
    path = tmp_path / "results.ndjson"
    path.write_text("".join(json.dumps(r) + "\n" for r in lines) + tail, encoding="utf-8")
    return path


def test_a_line_cut_off_mid_write_is_ignored_with_a_note(tmp_path: Path) -> None:
    path = _results(tmp_path, _case("A", "CPO"), tail='{"type": "test_case", "id": "B", "rol')
    earlier = read_earlier(path)
    assert [c["id"] for c in earlier.cases] == ["A"]
    assert earlier.summary is None
    assert len(earlier.notes) == 1 and "line 3: cut off mid-write" in earlier.notes[0]


def test_an_unreadable_line_before_the_last_is_an_error_naming_it(tmp_path: Path) -> None:
    path = _results(tmp_path, _case("A", "CPO"))
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([lines[0], "{not json", lines[1]]) + "\n", encoding="utf-8")
    with pytest.raises(ConfigurationError, match=r"results.ndjson, line 2: not a results line"):
        read_earlier(path)


def test_a_file_that_is_no_results_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "results.ndjson"
    path.write_text(json.dumps(_case("A", "CPO")) + "\n", encoding="utf-8")
    with pytest.raises(ConfigurationError, match="not a roamcert results file"):
        read_earlier(path)


def test_resume_refuses_a_finished_run(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = _results(tmp_path, _case("A", "CPO"), summary="PASS")
    before = path.read_bytes()
    assert main(["run", "--resume", str(tmp_path)]) == 2
    assert f"{path} holds a finished run (verdict PASS): there is nothing to resume" in capsys.readouterr().err
    assert path.read_bytes() == before


def test_resume_refuses_another_roamcert_version(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = _results(tmp_path, _case("A", "CPO"), version="0.0.1-old")
    assert main(["run", "--resume", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert f"{path} was written by roamcert 0.0.1-old, this is roamcert {roamcert_version()}" in err
    assert "another version's format" in err


def test_resume_refuses_results_of_another_target(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = _results(tmp_path, _case("A", "CPO"))
    before = path.read_bytes()
    profile = ["--profile", "CPO=missing_link_header"]
    assert main(["run", "--resume", str(tmp_path), "--target", "reference", *profile]) == 2
    err = capsys.readouterr().err
    assert f"{path} holds results of another target: name 'roamcert reference'" in err
    assert "profiles" in err and "missing_link_header" in err
    assert path.read_bytes() == before


def test_resume_without_results_and_with_a_selection_is_refused(capsys: pytest.CaptureFixture[str],
                                                                tmp_path: Path) -> None:
    assert main(["run", "--resume", str(tmp_path)]) == 2
    assert f"--resume: no earlier results at {tmp_path / 'results.ndjson'}" in capsys.readouterr().err
    _results(tmp_path, _case("A", "CPO"))
    assert main(["run", "--resume", str(tmp_path), "--module", "locations"]) == 2
    assert "continues the earlier run with its own selection" in capsys.readouterr().err


def test_last_failed_refuses_a_run_that_did_not_finish(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    _results(tmp_path, _case("A", "CPO", "FAIL"))
    assert main(["run", "--last-failed", "--out", str(tmp_path)]) == 2
    assert "holds a run that did not finish (no summary line): --resume it first" in capsys.readouterr().err
    assert not (tmp_path / "results.previous.ndjson").exists()


def test_last_failed_with_nothing_failed_leaves_the_results_alone(capsys: pytest.CaptureFixture[str],
                                                                  tmp_path: Path) -> None:
    path = _results(tmp_path, _case("A", "CPO"), summary="PASS")
    before = path.read_bytes()
    assert main(["run", "--last-failed", "--out", str(tmp_path)]) == 0
    assert "nothing to re-run" in capsys.readouterr().out
    assert path.read_bytes() == before


def test_a_continued_writer_keeps_the_earlier_cases_and_summarises_them_all(tmp_path: Path) -> None:
    path = _results(tmp_path, _case("A", "CPO"), _case("B", "CPO", "FAIL"), tail='{"type": "test_c')
    earlier = read_earlier(path)
    declared = Declaration("sut-cpo", ("CPO",), "2.2.1", ("2.2.1",), (("locations", "SENDER"),), "registered")
    writer = ResultsWriter(path, _target(), CATALOGUE, continued=Continued(
        run=earlier.run, cases=earlier.cases, declarations=[declared], duration_s=3.0))
    assert writer.run_id == "r-1"
    writer.test_case({k: v for k, v in _case("C", "CPO").items() if k != "type"})
    never_read = Declaration("sut-cpo", ("CPO",), "2.2.1", None, None, "none")
    assert writer.close([never_read]) == "FAIL"
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [r["type"] for r in records] == ["run", "test_case", "test_case", "test_case", "summary"]
    assert records[0]["run_id"] == "r-1"
    assert [r["id"] for r in records[1:4]] == ["A", "B", "C"]
    summary = records[-1]
    assert summary["counts"] == {"PASS": 2, "FAIL": 1}
    assert summary["duration_s"] >= 3.0
    # the platform this part never read keeps what the earlier part saw of it
    assert summary["sut"][0]["versions_offered"] == ["2.2.1"]
    assert summary["sut"][0]["connection"] == "registered"


def test_a_re_run_case_takes_the_place_of_its_earlier_line(tmp_path: Path) -> None:
    path = _results(tmp_path, _case("A", "CPO"), _case("B", "CPO"), _case("C", "CPO"), summary="FAIL")
    earlier = read_earlier(path)
    kept = [c for c in earlier.cases if c["id"] != "B"]
    writer = ResultsWriter(path, _target(), CATALOGUE, continued=Continued(
        run=earlier.run, cases=kept, order={f"{c['id']}/CPO": i for i, c in enumerate(earlier.cases)}))
    writer.test_case({k: v for k, v in _case("B", "CPO").items() if k != "type"})
    assert writer.close() == "PASS"
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [r.get("id") for r in records] == [None, "A", "B", "C", None]
    assert records[-1]["type"] == "summary"


def test_a_continued_run_leaves_out_the_tokens_a_the_earlier_part_used(tmp_path: Path) -> None:
    """A SUT accepts a token A once: the run state says which of the target's tokens A were used."""
    platform = Platform(roles=("CPO",), versions_url="https://sut.test/versions", token_a="a0",
                        extra_tokens_a=["a1", "a2"])
    target = reference_target()
    target.platforms = {"CPO": platform}

    class Config:
        stash = pytest.Stash()

    config = Config()
    write_state(tmp_path / "results.ndjson", "r-1", {"sut-cpo": [0, 2]}, [])
    state = read_state(tmp_path / "results.ndjson", "r-1")
    assert read_state(tmp_path / "results.ndjson", "another run") == {}
    config.stash[TOKENS_A_USED] = {k: set(v) for k, v in state["tokens_a_used"].items()}
    _track_tokens_a(config, target)  # type: ignore[arg-type]
    assert (platform.token_a, platform.extra_tokens_a) == ("a1", [])
    assert config.stash[TOKENS_A]["sut-cpo"] == ["a0", "a1", "a2"]  # indices stay those of the target file
    assert "a0" not in (tmp_path / "run-state.json").read_text(encoding="utf-8")  # never a credential
