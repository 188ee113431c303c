"""Reference runs whose CPO issues a token C of given lengths, one run each, in one process:
``python -m tests.hostile._token_length OUT LENGTH...`` writes OUT/LENGTH/ and OUT/LENGTH/console.txt.

The fault profile ``token_c_length_N`` is registered here only (it trips no check: it exists to carry a token of
an unusual length through every report), then the registration case runs against the reference CPO.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import sys
from pathlib import Path

CASES = ("OCPI-2.2.1-TC-CR-04",)  # registration: the token C crosses a body, a header and a finding


def token_of(length: int) -> str:
    """A token of ``length`` printable characters, unlike any text a report holds on its own."""
    stream = "Zq7Xw3Kv" + "".join(hashlib.sha256(f"roamcert-{i}".encode()).hexdigest().upper()[::-1]
                                   for i in range(length // 32 + 1))
    return stream[:length]


def main(length: int, out: str) -> int:
    from conformance.cli import main as roamcert
    from simulators.behaviours import replace
    from simulators.ocpi.endpoint import Call
    from simulators.ocpi.v2_2_1 import credentials
    from simulators.ocpi.v2_2_1.credentials import IssueTokenC
    from simulators.ocpi.v2_2_1.profiles._register import profile

    def fixed(issue: IssueTokenC) -> IssueTokenC:
        def issued(call: Call) -> tuple[str, str]:
            issue(call)
            return token_of(length), token_of(length)

        return issued

    name = f"token_c_length_{length}"
    profile(name, f"Issues a token C of {length} characters.", roles=("CPO",),
            replaces=[replace(credentials.TOKEN_C, fixed)])
    argv = ["run", "--target", "reference", "--roles", "CPO", "--profile", f"CPO={name}", "--out", out]
    for case in CASES:
        argv += ["--id", case]
    # roamcert's own modules are imported before pytest starts (the profile must exist when the harness is built)
    return roamcert([*argv, "--", "-W", "ignore::pytest.PytestAssertRewriteWarning"])


def main_many(out: str, lengths: list[int]) -> int:
    """One run per length, each console captured in its folder (one interpreter: the imports are paid once)."""
    worst = 0
    for length in lengths:
        folder = Path(out) / str(length)
        folder.mkdir(parents=True, exist_ok=True)
        console = io.StringIO()
        with contextlib.redirect_stdout(console), contextlib.redirect_stderr(console):
            code = main(length, str(folder))
        (folder / "console.txt").write_text(console.getvalue(), encoding="utf-8")
        worst = max(worst, code if code != 1 else 0)  # 1: a FAIL verdict (tokens over 64 characters), expected
    return worst


if __name__ == "__main__":
    sys.exit(main_many(sys.argv[1], [int(n) for n in sys.argv[2:]]))
