"""Continuing a run from its results file (docs/results-format.md): a killed run resumed (``--resume``), or the
failed test cases of a finished run re-run and merged into it (``--last-failed``).

The results file is the record of what was run; the run state file next to it (``run-state.json``, never a
credential) keeps what a later part of the same run needs and the results file does not hold: which of the
target's tokens A the run has used (a SUT accepts each only once), and what each SUT platform declared.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from conformance.core.declared import Declaration
from conformance.core.errors import ConfigurationError

__all__ = ["STATE_FILE", "Earlier", "case_key", "check_continuable", "declaration_from", "declaration_record",
           "read_earlier", "read_state", "write_atomically", "write_state"]

STATE_FILE = "run-state.json"


def case_key(record: Mapping[str, Any]) -> str:
    """What identifies one executed test case across the parts of a run: its catalogue id and SUT role."""
    return f"{record.get('id')}/{record.get('role') or '-'}"


@dataclass
class Earlier:
    """The readable part of an earlier results file."""

    path: Path
    run: dict[str, Any]
    cases: list[dict[str, Any]]
    summary: dict[str, Any] | None
    notes: list[str] = field(default_factory=list)

    @property
    def selection(self) -> dict[str, list[str]]:
        """The --id/--module/--role selection the earlier run was started with."""
        raw = self.run.get("selection")
        raw = raw if isinstance(raw, dict) else {}
        return {k: [str(v) for v in raw.get(k) or []] for k in ("id", "module", "role")}

    def keys(self) -> set[str]:
        return {case_key(c) for c in self.cases}


def read_earlier(path: Path) -> Earlier:
    """Read a results file written line by line; a last line cut off mid-write (a killed run) is ignored with a
    note. Any other unreadable line is a ConfigurationError naming it."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigurationError(f"{path}: no results file of an earlier run") from None
    except OSError as exc:
        raise ConfigurationError(f"{path}: cannot read it ({exc.strerror or exc})") from None
    lines = raw.split(b"\n")
    records: list[dict[str, Any]] = []
    notes: list[str] = []
    last = max((i for i, line in enumerate(lines) if line.strip()), default=-1)
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        try:
            record = json.loads(line.decode("utf-8"))
            if not isinstance(record, dict):
                raise ValueError("not a JSON object")
        except (UnicodeDecodeError, ValueError) as exc:
            if index == last:
                notes.append(f"{path}, line {index + 1}: cut off mid-write (the run was killed while writing it); "
                             "ignored, its test case runs again")
                continue
            raise ConfigurationError(f"{path}, line {index + 1}: not a results line ({exc})") from None
        records.append(record)
    if not records or records[0].get("type") != "run":
        raise ConfigurationError(f"{path}: not a roamcert results file (its first line is not a 'run' line)")
    summary = next((r for r in records if r.get("type") == "summary"), None)
    cases = [r for r in records if r.get("type") == "test_case"]
    return Earlier(path, records[0], cases, summary, notes)


def check_continuable(earlier: Earlier, target: Mapping[str, Any] | None, version: str, *, finished: bool) -> None:
    """Refuse, naming what is wrong, to continue results of another roamcert version or another target (``target``
    as the run line records it; None: not compared), or (for a resume, ``finished`` False) a run that finished,
    or (for a re-run of failed cases) one that did not."""
    path = earlier.path
    written_by = earlier.run.get("roamcert_version")
    if written_by != version:
        raise ConfigurationError(f"{path} was written by roamcert {written_by}, this is roamcert {version}: "
                                 "results in another version's format cannot be continued; start a new run")
    before = earlier.run.get("target")
    before = before if isinstance(before, dict) else {}
    target = before if target is None else target
    differ = [f"{key} {before.get(key)!r} (now {target.get(key)!r})" for key in sorted(set(before) | set(target))
              if before.get(key) != target.get(key)]
    if differ:
        raise ConfigurationError(f"{path} holds results of another target: " + "; ".join(differ)
                                 + ". Give the same --target, --profile and --roles, or another --out")
    if not finished and earlier.summary is not None:
        raise ConfigurationError(f"{path} holds a finished run (verdict {earlier.summary.get('verdict')}): "
                                 "there is nothing to resume; --last-failed re-runs its failed test cases")
    if finished and earlier.summary is None:
        raise ConfigurationError(f"{path} holds a run that did not finish (no summary line): "
                                 "--resume it first, then re-run its failed test cases")


def write_atomically(path: Path, lines: Iterable[str]) -> None:
    """Replace ``path`` by ``lines`` in one step: a reader (or a kill) sees the old file or the new one."""
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as out:
        out.writelines(lines)
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, path)


# -- the run state file --------------------------------------------------------------------------------------

def declaration_record(declaration: Declaration) -> dict[str, Any]:
    return {"platform": declaration.platform, "roles": list(declaration.roles), "version": declaration.version,
            "versions_offered": None if declaration.versions_offered is None else list(declaration.versions_offered),
            "interfaces": None if declaration.interfaces is None else [list(i) for i in declaration.interfaces],
            "connection": declaration.connection}


def declaration_from(record: Mapping[str, Any]) -> Declaration | None:
    """A Declaration from the run state file or from a summary's ``sut`` entry (None when it is not one)."""
    try:
        offered = record.get("versions_offered")
        interfaces = record["interfaces"] if "interfaces" in record else record.get("declared")
        if isinstance(interfaces, list):
            interfaces = tuple((str(i["module"]), str(i["interface_role"])) if isinstance(i, dict)
                               else (str(i[0]), str(i[1])) for i in interfaces)
        return Declaration(platform=str(record["platform"]), roles=tuple(record.get("roles") or ()),
                           version=str(record.get("version", "")),
                           versions_offered=None if offered is None else tuple(str(v) for v in offered),
                           interfaces=interfaces if isinstance(interfaces, tuple) else None,
                           connection=str(record.get("connection", "none")))
    except (KeyError, IndexError, TypeError):
        return None


def read_state(results: Path, run_id: object) -> dict[str, Any]:
    """The run state of the run ``run_id`` (empty when there is none, or it belongs to another run)."""
    try:
        state = json.loads((results.parent / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) and state.get("run_id") == run_id else {}


def write_state(results: Path, run_id: object, tokens_a_used: Mapping[str, Iterable[int]],
                declarations: Sequence[Declaration]) -> None:
    state = {"run_id": run_id, "tokens_a_used": {k: sorted(v) for k, v in tokens_a_used.items()},
             "declarations": [declaration_record(d) for d in declarations]}
    write_atomically(results.parent / STATE_FILE, [json.dumps(state) + "\n"])
