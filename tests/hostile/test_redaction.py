"""Redaction without exceptions: a token C of any length, raw or Base64, appears in no file or console output
of a run (the rule is conformance/core/redaction.py's; the run is tests/hostile/_token_length.py's)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conformance.core.redaction import PREFIX_MIN, SUBSTRING_MIN, wire_forms
from tests.hostile._token_length import CASES, token_of

LENGTHS = (1, 2, 8, 63, 64, 65, 255, 1000, 10000)
REPORTS = ("results.ndjson", "report.html", "report.json", "junit.xml", "coverage.json")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    base = tmp_path_factory.mktemp("token-lengths")
    groups = [LENGTHS[0::2], LENGTHS[1::2]]  # two interpreters, each running its lengths one after the other

    def run(lengths: tuple[int, ...]) -> None:
        subprocess.run([sys.executable, "-m", "tests.hostile._token_length", str(base), *map(str, lengths)],
                       cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)

    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(run, groups))
    return {length: base / str(length) for length in LENGTHS}


def _leaks(form: str, text: str) -> list[str]:
    """Where ``form`` (a credential as it may be written) shows in ``text``, by the rule of its length."""
    if len(form) >= SUBSTRING_MIN:
        needles = [form, form[:PREFIX_MIN]] if len(form) > PREFIX_MIN else [form]
        return [text[max(0, i - 40):i + 40] for n in needles if (i := text.find(n)) >= 0]
    whole = re.compile(rf"(?<![A-Za-z0-9_\-.~+/]){re.escape(form)}(?![A-Za-z0-9_\-.~+/=])")
    return [text[max(0, m.start() - 40):m.end() + 40] for m in whole.finditer(text)]


@pytest.mark.parametrize("length", LENGTHS)
def test_token_c_appears_in_no_output(runs: dict[int, Path], length: int) -> None:
    out, token = runs[length], token_of(length)
    console = (out / "console.txt").read_text(encoding="utf-8") if (out / "console.txt").is_file() else "(none)"
    for name in REPORTS:
        assert (out / name).is_file(), f"{name} not written\n{console[-3000:]}"
    # The token went through the run: registration happened with it, and what carried it is redacted.
    records = [json.loads(line) for line in (out / "results.ndjson").read_text(encoding="utf-8").splitlines()]
    case = next(r for r in records if r["type"] == "test_case" and r["id"] == CASES[0])
    printable = next(f for f in case["findings"] if f["check_id"] == "ocpi.credentials.token_printable")
    assert printable["outcome"] == ("PASS" if length <= 64 else "FAIL")
    assert any("[redacted]" in str(x["response_body"]) for x in case["exchanges"])
    for name in (*REPORTS, "console.txt"):
        text = (out / name).read_text(encoding="utf-8")
        for form in wire_forms(token):
            assert not _leaks(form, text), f"{name} shows the {length}-character token C: {_leaks(form, text)[:3]}"
