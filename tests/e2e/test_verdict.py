"""The verdict names what could not be tested: a server that does not offer the version under test gets its own
verdict with one finding, and the summary says what each SUT platform declared and what was tested."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any


def _run(tmp_path: Path, *args: str) -> tuple[int, list[dict[str, Any]], str, Path]:
    out = tmp_path / "report"
    done = subprocess.run([sys.executable, "-m", "conformance.cli", "run", "--out", str(out), *args],
                          capture_output=True, text=True, timeout=300, check=False)
    results = out / "results.ndjson"
    assert results.is_file(), done.stdout[-3000:] + done.stderr[-3000:]
    return done.returncode, [json.loads(line) for line in results.read_text("utf-8").splitlines()], done.stdout, out


def test_a_server_offering_only_another_version_gets_its_own_verdict_with_one_finding(tmp_path: Path) -> None:
    code, records, stdout, out = _run(tmp_path, "--roles", "CPO", "--profile", "CPO=offers_only_2_2")
    cases = [r for r in records if r["type"] == "test_case"]
    summary = records[-1]
    assert summary["verdict"] == "VERSION_NOT_OFFERED" and code == 1
    failed = [(c["id"], f["check_id"], f["message"]) for c in cases for f in c["findings"] if f["outcome"] == "FAIL"]
    assert failed == [(failed[0][0], "ocpi.versions.mutual", "The versions list does not offer OCPI 2.2.1 "
                                                             "(it offers 2.2)")]
    assert [c["id"] for c in cases if c["outcome"] == "FAIL"] == [failed[0][0]]
    skipped = [c for c in cases if c["outcome"] == "SKIP"]
    assert len(skipped) >= 40
    assert {c["reason"] for c in skipped} == {"the SUT does not offer OCPI 2.2.1 (its versions endpoint offers 2.2): "
                                              "nothing of 2.2.1 can be tested"}
    (cpo,) = summary["sut"]
    assert {k: v for k, v in cpo.items() if k != "tested"} == {
        "platform": "sut-cpo", "roles": ["CPO"], "version": "2.2.1", "versions_offered": ["2.2"],
        "version_offered": False, "connection": "none", "declared": None, "declared_not_tested": None,
        "usual_not_declared": None}
    judged = [(t["module"], t["interface_role"]) for t in cpo["tested"] if {"PASS", "FAIL"} & set(t["outcomes"])]
    assert judged == [("credentials", "RECEIVER")]  # only where the one finding was made
    assert "roamcert verdict: VERSION_NOT_OFFERED" in stdout and "does not offer 2.2.1" in stdout
    junit = (out / "junit.xml").read_text("utf-8")
    assert 'type="VERSION_NOT_OFFERED"' in junit and "sut-cpo: offers 2.2, not 2.2.1" in junit
    assert "VERSION_NOT_OFFERED" in (out / "report.html").read_text("utf-8")


def test_the_summary_lists_what_each_platform_declared_and_what_was_tested(tmp_path: Path) -> None:
    code, records, stdout, _ = _run(tmp_path, "--roles", "EMSP", "--module", "locations")
    summary = records[-1]
    assert summary["verdict"] == "PASS" and code == 0
    (emsp,) = summary["sut"]
    assert (emsp["platform"], emsp["connection"], emsp["version_offered"]) == ("sut-emsp", "registered", True)
    declared = {(i["module"], i["interface_role"]) for i in emsp["declared"]}
    assert {("locations", "RECEIVER"), ("tokens", "SENDER"), ("sessions", "RECEIVER")} <= declared
    tested = {(i["module"], i["interface_role"]) for i in emsp["tested"]}
    assert tested == {("locations", "RECEIVER")}
    not_tested = {(i["module"], i["interface_role"]) for i in emsp["declared_not_tested"]}
    assert ("tokens", "SENDER") in not_tested and ("locations", "RECEIVER") not in not_tested
    assert emsp["usual_not_declared"] == []  # the reference eMSP declares every interface its role usually has
    assert "declared, not tested:" in stdout
