"""Real HTTP end to end: `roamcert serve` in one process, `roamcert run` with a target file in another."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

REQUIREMENT = {"missing_link_header": "OCPI-2.2.1-TF-PAG-03", "pushed_field_lost": "OCPI-2.2.1-LOC-03"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def served(role: str, profile: str, *extra: str) -> Iterator[tuple[int, str]]:
    """A `roamcert serve` subprocess: yields its port and token A (its admin secret is kept in ADMIN_SECRETS)."""
    port = _free_port()
    # In memory: a certification starts from a fresh platform, and no default store is left behind.
    process = subprocess.Popen([sys.executable, "-m", "conformance.cli", "serve", role, "--port", str(port),
                                "--profile", profile, "--store", ":memory:", *extra],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert process.stdout is not None
        token = secret = ""
        deadline = time.monotonic() + 30
        while not (token and secret) and time.monotonic() < deadline:
            line = process.stdout.readline()
            if "token A:" in line:
                token = line.split("token A:")[1].strip()
            if "admin secret:" in line:
                secret = line.split("admin secret:")[1].strip()
        assert token, "roamcert serve did not print its token A"
        assert secret, "roamcert serve did not print its admin secret"
        ADMIN_SECRETS[port] = secret
        for _ in range(100):  # wait until it answers
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/ocpi/{role}/versions", timeout=1)
            except urllib.error.HTTPError:
                break  # 401 without a token: it is up
            except OSError:
                time.sleep(0.1)
        yield port, token
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()


ADMIN_SECRETS: dict[int, str] = {}


def _token_a(port: int) -> str:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/admin/token-a", method="POST",
                                     headers={"Authorization": f"Bearer {ADMIN_SECRETS[port]}"})
    with urllib.request.urlopen(request, timeout=5) as response:
        return str(json.load(response)["token"])


def _certify(tmp_path: Path, role: str, port: int, token: str, *, partner_port: int | None = None,
             pre_registered: str = "", args: tuple[str, ...] = ()) -> tuple[int, list[dict[str, Any]], Path]:
    extra = [_token_a(port) for _ in range(3)]
    target = tmp_path / "target.toml"
    secret = 'secret_env = "ROAMCERT_TEST_ADMIN_SECRET"\n'  # the target names the variable, not the secret
    platform = (f'roles = ["{role.upper()}"]\nversions_url = "http://127.0.0.1:{port}/ocpi/{role}/versions"\n'
                f'token_a = "{token}"\nextra_tokens_a = {json.dumps(extra)}\n{pre_registered}')
    # The CPO's target is in the single-platform form of the first target files, the eMSP's in the [ocpi] table.
    table = f'[ocpi]\n[[ocpi.platform]]\nname = "served-{role}"\n{platform}'
    head, ocpi = (platform, "") if role == "cpo" else ("", table)
    target.write_text(
        f'name = "reference {role} over HTTP"\n{head}'
        f'[partner]\nlisten = "127.0.0.1:{partner_port or _free_port()}"\n'
        f'[actions.register]\nhttp = "POST http://127.0.0.1:{port}/admin/register"\n{secret}'
        f'[actions.send_command]\nhttp = "POST http://127.0.0.1:{port}/admin/send_command"\n{secret}'
        + "".join(f'[actions.{hook}]\nhttp = "POST http://127.0.0.1:{port}/admin/{hook}"\n{secret}'
                  for hook in ("present_token", "advance_clock", "stop_charging", "change_active_charging_profile",
                               "send_charging_profile", "get_active_charging_profile", "clear_charging_profile",
                               "charge_point_answers"))
        + ocpi,
        encoding="utf-8")
    out = tmp_path / "report"
    done = subprocess.run([sys.executable, "-m", "conformance.cli", "run", "--target", str(target), "--out", str(out),
                           *args],
                          capture_output=True, text=True, timeout=300, check=False,
                          env=dict(os.environ, ROAMCERT_TEST_ADMIN_SECRET=ADMIN_SECRETS[port]))
    assert (out / "results.ndjson").is_file(), done.stdout[-3000:] + done.stderr[-3000:]
    records = [json.loads(line) for line in (out / "results.ndjson").read_text(encoding="utf-8").splitlines()]
    return done.returncode, records, out


@pytest.mark.parametrize("role", ["cpo", "emsp"])
def test_conformant_reference_over_http_passes(tmp_path: Path, role: str) -> None:
    with served(role, "conformant") as (port, token):
        code, records, out = _certify(tmp_path, role, port, token)
        cases = [r for r in records if r["type"] == "test_case"]
        assert [(c["id"], c["outcome"], c["reason"]) for c in cases if c["outcome"] != "PASS"] == []
        assert len(cases) >= 13
        assert records[-1]["verdict"] == "PASS" and code == 0
        registered_by_sut = [c for c in cases if c["id"] == "OCPI-2.2.1-TC-CR-07"]
        assert registered_by_sut and registered_by_sut[0]["outcome"] == "PASS"
        text = (out / "report.html").read_text(encoding="utf-8") + (out / "results.ndjson").read_text("utf-8")
        assert token not in text, "token A leaked into the report"
        assert ADMIN_SECRETS[port] not in text, "the admin secret leaked into the report"


def test_a_cpo_certified_again_is_not_judged_on_what_the_first_run_did(tmp_path: Path) -> None:
    """A back-end is certified again and again; Sessions an earlier run left ACTIVE carry what that run did to them
    (a profile set, a local limit), so a scenario whose verdict depends on a Session's history uses one roamcert
    started itself in this run."""
    with served("cpo", "conformant") as (port, token):
        outcomes = []
        for run in ("first", "second"):
            (tmp_path / run).mkdir()
            code, records, _ = _certify(tmp_path / run, "cpo", port, token if run == "first" else _token_a(port),
                                        args=("--module", "chargingprofiles"))
            outcomes.append([(c["id"], c["outcome"], c["reason"]) for c in records
                             if c["type"] == "test_case" and c["outcome"] != "PASS"])
            assert code == 0, outcomes[-1]
    assert outcomes == [[], []]


@pytest.mark.parametrize(("role", "profile"), [("cpo", "missing_link_header"), ("emsp", "pushed_field_lost")])
def test_faulty_reference_over_http_fails_naming_the_requirement(tmp_path: Path, role: str, profile: str) -> None:
    with served(role, profile) as (port, token):
        code, records, out = _certify(tmp_path, role, port, token)
    assert code == 1 and records[-1]["verdict"] == "FAIL"
    failed = {r for c in records if c["type"] == "test_case" for f in c["findings"] if f["outcome"] == "FAIL"
              for r in f["requirements"]}
    assert REQUIREMENT[profile] in failed
    assert REQUIREMENT[profile] in (out / "report.html").read_text(encoding="utf-8")


MODULES = {"locations", "sessions", "cdrs", "tariffs", "tokens", "commands", "chargingprofiles", "hubclientinfo"}


def test_pre_registered_connection_runs_the_module_cases_when_registration_is_broken(tmp_path: Path) -> None:
    """A CPO whose version details refuse token A cannot be registered with; pre-registered through the target
    (token C to call it, token B it calls roamcert with), its module cases still run and pass, while the
    registration cases fail naming the refusal."""
    partner_port = _free_port()
    token_c, token_b = "pre-registered-C-7f3a9d", "pre-registered-B-2c81e4"
    peer = ["--peer-versions-url", f"http://127.0.0.1:{partner_port}/ocpi/emsp/versions",
            "--peer-token-in", token_c, "--peer-token-out", token_b]
    with served("cpo", "details_refuse_token_a", *peer) as (port, token):
        code, records, out = _certify(tmp_path, "cpo", port, token, partner_port=partner_port,
                                      pre_registered=f'token_c = "{token_c}"\ntoken_b = "{token_b}"\n')
    cases = [r for r in records if r["type"] == "test_case"]
    outcome = {c["id"]: (c["outcome"], c["reason"] or "") for c in cases}
    for case_id in ("OCPI-2.2.1-TC-CR-01", "OCPI-2.2.1-TC-CR-02", "OCPI-2.2.1-TC-CR-03", "OCPI-2.2.1-TC-CR-04"):
        assert outcome[case_id][0] == "FAIL", (case_id, outcome[case_id])
        assert outcome[case_id][1].startswith("ocpi.versions.token_a (OCPI-2.2.1-CR-18): The SUT refused "
                                              "CREDENTIALS_TOKEN_A on its version details"), outcome[case_id]
    modules = [c for c in cases if c["module"] in MODULES]
    assert len(modules) >= 40
    assert [(c["id"], c["outcome"], c["reason"]) for c in modules if c["outcome"] != "PASS"] == []
    for case_id in ("OCPI-2.2.1-TC-CR-06", "OCPI-2.2.1-TC-CR-08"):  # the pre-registered connection is kept
        assert outcome[case_id][0] == "SKIP" and "pre-registered" in outcome[case_id][1], outcome[case_id]
    assert records[-1]["verdict"] == "FAIL" and code == 1
    sut = records[-1]["sut"][0]
    assert sut["connection"] == "pre-registered" and sut["version_offered"] is True
    text = (out / "report.html").read_text(encoding="utf-8") + (out / "results.ndjson").read_text("utf-8")
    assert token_c not in text and token_b not in text, "a pre-registered token leaked into the report"
