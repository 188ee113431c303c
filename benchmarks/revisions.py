"""Wall time of the full reference certification run at two revisions of roamcert, measured side by side in one
run of this script (rounds interleaved, so both see the same load on a shared machine).

    python benchmarks/revisions.py --before REV [--after REV] [--repeat 5]

Each revision is checked out into a temporary git worktree and run from there (`python -m conformance.cli run
--target reference`, process start-up included), so the two never share code. Prints each round, the medians and
the ratio after/before, and the number of test cases and their verdict on each side. Figures, not assertions.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _worktree(rev: str, where: Path) -> Path:
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(where), rev], check=True)
    return where


def _run(checkout: Path, out: Path) -> float:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "conformance.cli", "run", "--target", "reference", "--out", str(out)],
                          cwd=checkout, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if not (out / "results.ndjson").is_file():
        raise SystemExit(f"the run at {checkout} did not start ({done.returncode}):\n{done.stderr[-2000:]}")
    return elapsed


def _summary(out: Path) -> str:
    records = [json.loads(line) for line in (out / "results.ndjson").read_text(encoding="utf-8").splitlines()]
    cases = sum(1 for r in records if r.get("type") == "test_case")
    return f"{cases} test cases, verdict {records[-1].get('verdict', '?')}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", required=True, help="the earlier revision (a commit, tag or branch)")
    parser.add_argument("--after", default="HEAD", help="the later revision (default: HEAD)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    times: dict[str, list[float]] = {"before": [], "after": []}
    with tempfile.TemporaryDirectory() as tmp:
        trees = {side: _worktree(getattr(args, side), Path(tmp) / side) for side in times}
        try:
            for index in range(args.repeat):
                for side in (("before", "after") if index % 2 == 0 else ("after", "before")):
                    times[side].append(_run(trees[side], Path(tmp) / f"{side}{index}"))
                print(f"round {index + 1}: before {times['before'][-1]:.2f} s, after {times['after'][-1]:.2f} s",
                      flush=True)
            before, after = statistics.median(times["before"]), statistics.median(times["after"])
            print(f"median: before ({args.before}) {before:.2f} s, after ({args.after}) {after:.2f} s, "
                  f"ratio after/before {after / before:.3f}")
            print(f"before: {_summary(Path(tmp) / 'before0')}; after: {_summary(Path(tmp) / 'after0')}")
        finally:
            for tree in trees.values():
                subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=False)


if __name__ == "__main__":
    main()
