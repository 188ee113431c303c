"""The roamcert pytest plugin: target and harness fixtures, catalogue tags, findings as verdicts, results file.

Scenario outcomes follow the closed set of :class:`Outcome`: a blocking finding makes a test case FAIL; a
harness problem (SUT unreachable, a step that could not run) is ERROR; a case about a role or module the SUT
does not declare is NOT_APPLICABLE; a case that needs a person or hook that is not there is MANUAL_PENDING.
"""

from __future__ import annotations

import importlib
import pkgutil
import time
import traceback
from collections.abc import Generator, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd.parser import Feature, Scenario, Step

from conformance.core.case import Case, StepRecord
from conformance.core.catalogue import load_catalogue
from conformance.core.errors import (
    ConfigurationError,
    HarnessError,
    ManualActionPending,
    NotApplicable,
    SetupFailed,
    VersionNotOffered,
)
from conformance.core.findings import Outcome
from conformance.core.hosts import HOST_CHECK_ID, NOT_CALLED, HostNotAllowed, host_finding
from conformance.core.limits import LIMIT_CHECK_ID, limit_finding
from conformance.core.protocol import protocol_version
from conformance.core.redaction import redact_text
from conformance.core.results import Continued, ResultsWriter, roamcert_version
from conformance.core.resume import (
    Earlier,
    case_key,
    check_continuable,
    declaration_from,
    read_earlier,
    read_state,
    write_state,
)
from conformance.ocpi.harness import Harness
from conformance.ocpi.target import NODE, PARTY_ROLES, Target, load_target, reference_target
from conformance.protocols import installed

# The built-in reference is certified through roamcert's reference hub unless a run asks for peer to peer: most
# roaming crosses a hub (roamcert issue 13); `--topology direct` keeps the peer-to-peer run.
REFERENCE_TOPOLOGY = "hub"
# The built-in reference's platforms when no --roles is given: every party role, the hub, and a node of a roaming
# network (docs/network.md).
REFERENCE_ROLES = (*PARTY_ROLES, NODE)


def _step_modules() -> list[str]:
    """Every module of each installed protocol version's steps package (a new domain needs no edit here)."""
    out: list[str] = []
    for item in installed():
        package = importlib.import_module(item.steps)
        out.extend(f"{item.steps}.{m.name}" for m in pkgutil.iter_modules(package.__path__)
                   if not m.name.startswith("_") and m.name != "verify")
    return out


pytest_plugins = _step_modules()

CASE = pytest.StashKey[Case]()
TAGS = pytest.StashKey[dict[str, str]]()
PHASES = {"pre-registration": 0, "registration": 1, "": 2, "final": 3}


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("roamcert", "roamcert certification")
    group.addoption("--roamcert-target", default="reference",
                    help="'reference' (the built-in reference partners) or a target TOML file")
    group.addoption("--roamcert-profile", action="append", default=[], metavar="ROLE=PROFILE",
                    help="fault profile of a reference platform, e.g. CPO=missing_link_header")
    group.addoption("--roamcert-roles", default="",
                    help="reference only: CPO,EMSP (two platforms) or CPO+EMSP (one platform holding both)")
    group.addoption("--roamcert-topology", default=None, choices=["direct", "hub", "network"],
                    help="reference only: direct (peer to peer) or hub (through roamcert's reference hub)")
    group.addoption("--roamcert-results", default=None, help="write the NDJSON results file here")
    group.addoption("--roamcert-id", action="append", default=[], help="run only these test case ids")
    group.addoption("--roamcert-module", action="append", default=[], help="run only these modules")
    group.addoption("--roamcert-role", action="append", default=[], help="run only cases for these SUT roles")
    group.addoption("--roamcert-interactive", action="store_true", help="prompt the operator for manual actions")
    group.addoption("--roamcert-continue", choices=["resume", "failed"], default=None,
                    help="continue the run in the results file: 'resume' runs the test cases it has not recorded "
                         "(a killed run), 'failed' re-runs those that ended FAIL or ERROR; both with the earlier "
                         "run's selection, merging into its results")


TARGET = pytest.StashKey[Target]()
HARNESS = pytest.StashKey[Harness]()


def build_target(config: pytest.Config) -> Target:
    """The run's target, read once."""
    if TARGET not in config.stash:
        config.stash[TARGET] = _read_target(config)
    return config.stash[TARGET]


def _read_target(config: pytest.Config) -> Target:
    name = config.getoption("--roamcert-target")
    profiles: dict[str, str] = {}
    for item in config.getoption("--roamcert-profile"):
        role, _, profile = item.partition("=")
        if not profile:
            raise pytest.UsageError(f"--roamcert-profile {item!r}: use ROLE=PROFILE, e.g. CPO=missing_link_header")
        profiles[role.strip().upper()] = profile.strip()
    if name == "reference":
        roles_opt = config.getoption("--roamcert-roles")
        combined = "+" in roles_opt  # CPO+EMSP: one platform holding both roles
        roles = tuple(r.strip().upper() for r in roles_opt.replace("+", ",").split(",") if r.strip())
        return reference_target(profiles, roles=roles or REFERENCE_ROLES, combined=combined,
                                topology=config.getoption("--roamcert-topology") or REFERENCE_TOPOLOGY)
    if profiles:
        raise pytest.UsageError("--roamcert-profile applies to the reference target only")
    if config.getoption("--roamcert-topology"):
        raise pytest.UsageError("--roamcert-topology applies to the reference target only (a target file sets "
                                "topology = \"hub\" itself)")
    try:
        return load_target(Path(name))
    except ConfigurationError as exc:
        raise pytest.UsageError(str(exc)) from None


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "roamcert(**tags): catalogue tags of a scenario (id, module, role, ...)")
    config.stash[TAGS] = {}


# -- tags ----------------------------------------------------------------------------------------------------

@pytest.hookimpl(tryfirst=True)
def pytest_bdd_apply_tag(tag: str, function: Any) -> bool | None:
    key, sep, value = tag.partition(":")
    if not sep:
        return None
    pytest.mark.roamcert(**{key: value})(function)
    return True


def tags_of(item: pytest.Item) -> dict[str, str]:
    tags: dict[str, str] = {}
    for mark in reversed(list(item.iter_markers("roamcert"))):
        tags.update({k: str(v) for k, v in mark.kwargs.items()})
    return tags


def _example_role(item: pytest.Item) -> str | None:
    callspec = getattr(item, "callspec", None)
    example = callspec.params.get("_pytest_bdd_example") if callspec else None
    return str(example["role"]).upper() if isinstance(example, dict) and "role" in example else None


def _selection(config: pytest.Config) -> dict[str, list[str]]:
    """The run's --roamcert-id/-module/-role selection; a continued run keeps the earlier run's."""
    earlier = config.stash.get(EARLIER, None)
    if earlier is not None:
        return earlier.selection
    return {"id": list(config.getoption("--roamcert-id")), "module": list(config.getoption("--roamcert-module")),
            "role": list(config.getoption("--roamcert-role"))}


def _recorded(config: pytest.Config) -> set[str]:
    """Keys and node ids of the test cases a continued run keeps from its earlier part (not run again)."""
    kept = config.stash.get(KEPT, [])
    return {case_key(r) for r in kept} | {str(r.get("nodeid")) for r in kept if r.get("nodeid")}


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    selection = _selection(config)
    ids = {i.upper() for i in selection["id"]}
    modules = {m.lower() for m in selection["module"]}
    roles = {r.upper() for r in selection["role"]} or set(build_target(config).platforms)
    recorded = _recorded(config)
    keep: list[pytest.Item] = []
    drop: list[pytest.Item] = []
    for item in items:
        tags = tags_of(item)
        if not tags:
            keep.append(item)
            continue
        role = tags.get("role") or _example_role(item) or ""
        wanted = (not ids or tags.get("id", "").upper() in ids) and (
            not modules or tags.get("module", "").lower() in modules) and (not roles or role in roles)
        if recorded and (item.nodeid in recorded or case_key({"id": tags.get("id"), "role": role}) in recorded):
            wanted = False  # finished in the earlier part of this run
        (keep if wanted else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
    keep.sort(key=lambda item: PHASES.get(tags_of(item).get("phase", ""), 2))
    items[:] = keep


# -- fixtures ------------------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def harness(pytestconfig: pytest.Config) -> Iterator[Harness]:
    target = build_target(pytestconfig)
    built = Harness(target, interactive=pytestconfig.getoption("--roamcert-interactive"))
    # every token A of the target stays scrubbed, those an earlier part of a resumed run used included
    built.log.secrets.update(t for tokens in pytestconfig.stash.get(TOKENS_A, {}).values() for t in tokens if t)
    pytestconfig.stash[HARNESS] = built  # read again at the session's end, for what the SUT declared
    yield built
    built.close()


@pytest.fixture
def case(request: pytest.FixtureRequest, harness: Harness) -> Case:
    made = Case(nodeid=request.node.nodeid, log=harness.begin_case())
    request.node.stash[CASE] = made
    return made


# -- steps and scenarios -------------------------------------------------------------------------------------

def pytest_bdd_before_scenario(request: pytest.FixtureRequest, feature: Feature, scenario: Scenario) -> None:
    current: Case = request.getfixturevalue("case")
    current.meta.update({"scenario": scenario.name, "feature": feature.rel_filename, "started": time.monotonic()})
    harness: Harness = request.getfixturevalue("harness")
    left = harness.budget_left()
    if left is not None and left <= 0:  # the run's time budget is spent: the cases left are not run, and say why
        cause = (f"not run: the run's time budget (run_budget = {harness.target.run_budget:g} s in the target) "
                 f"was spent before this test case")
        current.mark(Outcome.SKIP, cause)
        pytest.skip(cause)


def pytest_bdd_before_step(request: pytest.FixtureRequest, feature: Feature, scenario: Scenario, step: Step,
                           step_func: Any) -> None:
    current = request.node.stash.get(CASE, None)
    if current is not None:
        current.steps.append(StepRecord(keyword=step.keyword.strip(), name=step.name, outcome="PASS"))


def pytest_bdd_step_error(request: pytest.FixtureRequest, feature: Feature, scenario: Scenario, step: Step,
                          step_func: Any, step_func_args: dict[str, Any], exception: Exception) -> None:
    current = request.node.stash.get(CASE, None)
    if current is not None and current.steps:
        skipped = isinstance(exception, NotApplicable | ManualActionPending | SetupFailed | pytest.skip.Exception)
        current.steps[-1].outcome = "SKIP" if skipped else "ERROR"


def _summary(case: Case) -> str:
    lines = [f"{len(case.blocking())} requirement violation(s):"]
    for finding in case.blocking():
        lines.append(f"  [{finding.check_id}] {', '.join(finding.requirements)}: {finding.message}")
        if finding.expected is not None or finding.actual is not None:
            lines.append(f"      expected: {finding.expected}    actual: {finding.actual}")
        lines.append(f"      spec: {finding.spec}    evidence: {', '.join(finding.evidence)}")
    return "\n".join(lines)


def _judge_requests(item: pytest.Item) -> None:
    """Run the request checks on every request the SUT made to roamcert during this case (each once, in the case
    whose exchange log holds it), however the case ended: a failed step or a missing prerequisite does not let
    the SUT's requests go unjudged."""
    current = item.stash.get(CASE, None)
    if current is not None:
        harness: Harness = item._request.getfixturevalue("harness")  # type: ignore[attr-defined]
        current.check_requests(harness.request_expect())


def _name_held_back(item: pytest.Item) -> None:
    """One finding for each exchange of the case that roamcert (its client or its partner) held back: a URL not
    called because its host is not among the target's (conformance/core/hosts.py), or an answer cut at one of
    roamcert's limits (conformance/core/limits.py). Each says what was not tested, and why."""
    current = item.stash.get(CASE, None)
    harness = item.config.stash.get(HARNESS, None)
    if current is None or harness is None:
        return
    named = {e for f in current.findings if f.check_id in (HOST_CHECK_ID, LIMIT_CHECK_ID) for e in f.evidence}
    for x in current.log.exchanges:
        if x.id in named:
            continue
        if x.status is None and (x.error or "").startswith(NOT_CALLED):
            current.add([host_finding(str(x.error), x.url, harness.hosts.describe(), x.id)])
        elif x.limit is not None:
            current.add([limit_finding(x, harness.target.bounds())])


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
    try:
        try:
            result = yield
        finally:
            _judge_requests(item)
            _name_held_back(item)
    except NotApplicable as exc:
        _mark(item, Outcome.NOT_APPLICABLE, str(exc))
        pytest.skip(f"NOT_APPLICABLE: {exc}")
    except ManualActionPending as exc:
        _mark(item, Outcome.MANUAL_PENDING, str(exc))
        pytest.skip(f"MANUAL_PENDING: {exc}")
    except SetupFailed as exc:
        current = item.stash.get(CASE, None)
        if current is not None and current.blocking():
            raise AssertionError(redact_text(_summary(current), _secrets(item.config))) from None
        cause = str(exc) if isinstance(exc, VersionNotOffered | HostNotAllowed) else f"prerequisite failed: {exc}"
        _mark(item, Outcome.SKIP, cause)
        pytest.skip(cause)
    except HarnessError as exc:
        _mark(item, Outcome.ERROR, f"{type(exc).__name__}: {exc}")
        raise
    current = item.stash.get(CASE, None)
    if current is not None and current.blocking():
        raise AssertionError(redact_text(_summary(current), _secrets(item.config)))
    return result


def _mark(item: pytest.Item, outcome: Outcome, reason: str) -> None:
    current = item.stash.get(CASE, None)
    if current is not None:
        current.mark(outcome, reason)


# -- results ------------------------------------------------------------------------------------------------

def _writer(config: pytest.Config) -> ResultsWriter | None:
    return config.stash.get(WRITER, None)


WRITER = pytest.StashKey[ResultsWriter]()


EARLIER = pytest.StashKey[Earlier]()
KEPT = pytest.StashKey[list[dict[str, Any]]]()
# SUT node name -> the target's tokens A, in order (token_a, then extra_tokens_a), and which of them the run used
TOKENS_A = pytest.StashKey[dict[str, list[str | None]]]()
TOKENS_A_USED = pytest.StashKey[dict[str, set[int]]]()


def pytest_sessionstart(session: pytest.Session) -> None:
    config = session.config
    path = config.getoption("--roamcert-results")
    mode = config.getoption("--roamcert-continue")
    if mode and not path:
        raise pytest.UsageError("--roamcert-continue needs --roamcert-results: the results file to continue")
    if path:
        target = build_target(config)
        described = {**target.describe(), "spec_base": protocol_version(target.protocol, target.version).spec_base}
        continued = _continued(config, Path(path), described, mode) if mode else None
        _track_tokens_a(config, target)
        config.stash[WRITER] = ResultsWriter(Path(path), described, load_catalogue(target.protocol, target.version),
                                             selection=_selection(config), continued=continued)


def _continued(config: pytest.Config, path: Path, described: dict[str, Any], mode: str) -> Continued:
    """The earlier part of the run this one continues: checked, its kept records, its run state."""
    try:
        earlier = read_earlier(path)
        check_continuable(earlier, described, roamcert_version(), finished=mode == "failed")
    except ConfigurationError as exc:
        raise pytest.UsageError(str(exc)) from None
    kept = [r for r in earlier.cases if mode == "resume" or r.get("outcome") not in ("FAIL", "ERROR")]
    config.stash[EARLIER], config.stash[KEPT] = earlier, kept
    state = read_state(path, earlier.run.get("run_id"))
    config.stash[TOKENS_A_USED] = {str(k): {int(i) for i in v}
                                   for k, v in (state.get("tokens_a_used") or {}).items()}
    sut = state.get("declarations") or (earlier.summary or {}).get("sut") or []
    declarations = [d for d in (declaration_from(r) for r in sut if isinstance(r, dict)) if d is not None]
    terminal = config.pluginmanager.get_plugin("terminalreporter")
    for note in earlier.notes:
        if terminal is not None:
            terminal.write_line(f"roamcert: {note}")
    return Continued(run=earlier.run, cases=kept, declarations=declarations,
                     duration_s=sum(float(r.get("duration_s") or 0) for r in kept),
                     order={case_key(r): i for i, r in enumerate(earlier.cases)} if mode == "failed" else {})


def _track_tokens_a(config: pytest.Config, target: Target) -> None:
    """Remember the target's tokens A of each SUT platform it runs as a server of its own; in a continued run,
    leave out those the earlier part used (a SUT accepts a token A once)."""
    used = config.stash.setdefault(TOKENS_A_USED, {})
    originals: dict[str, list[str | None]] = {}
    for platform in {id(p): p for p in target.platforms.values()}.values():
        if platform.inprocess:  # an in-process reference issues fresh tokens A every run
            continue
        tokens = [platform.token_a, *platform.extra_tokens_a]
        originals[platform.node_name] = tokens
        spent = used.get(platform.node_name, set())
        left = [t for i, t in enumerate(tokens) if t and i not in spent]
        platform.token_a, platform.extra_tokens_a = (left[0], left[1:]) if left else (None, [])
    config.stash[TOKENS_A] = originals


def _save_state(config: pytest.Config, writer: ResultsWriter) -> None:
    """Write the run state (tokens A used, what each SUT platform declared) before a test case's line, so a run
    killed at any point can be resumed without reusing a spent token A."""
    harness = config.stash.get(HARNESS, None)
    used = config.stash.get(TOKENS_A_USED, {})
    if harness is not None:
        for node, tokens in config.stash.get(TOKENS_A, {}).items():
            conn = harness.connections.get(node)
            if conn is not None:
                used.setdefault(node, set()).update(i for i, t in enumerate(tokens) if t and t not in conn.tokens_a)
    write_state(writer.path, writer.run_id, used, harness.declarations() if harness is not None else [])


def _secrets(config: pytest.Config) -> set[str]:
    """Every credential the run has seen so far: the target's, those roamcert issued and those it was given."""
    found: set[str] = set()
    harness = config.stash.get(HARNESS, None)
    if harness is not None:
        found |= harness.log.secrets | harness.issued_tokens()
    for platform in build_target(config).platforms.values():
        found.update(t for t in (platform.token_a, *platform.extra_tokens_a, platform.token_b, platform.token_c) if t)
    return found


def _fail_reason(case: Case, secrets: Iterable[str] = ()) -> str:
    """Why a test case failed, in one line: its first blocking finding, and how many more there are (redacted
    before it is cut short, so that no part of a credential survives)."""
    blocking = case.blocking()
    first = blocking[0]
    more = f" (+{len(blocking) - 1} more)" if len(blocking) > 1 else ""
    return redact_text(f"{first.check_id} ({', '.join(first.requirements)}): {first.message}", secrets)[:500] + more


def _outcome(report: pytest.TestReport, current: Case | None,
             secrets: Iterable[str] = ()) -> tuple[Outcome, str | None]:
    """The test case's outcome and its cause: every outcome but PASS carries a non-empty one."""
    outcome, reason = _raw_outcome(report, current, secrets)
    if outcome is not Outcome.PASS and not (reason or "").strip():
        reason = f"{outcome.value} without a recorded cause (a roamcert bug: please report it)"
    return outcome, reason


def _raw_outcome(report: pytest.TestReport, current: Case | None,
                 secrets: Iterable[str] = ()) -> tuple[Outcome, str | None]:
    override = current.outcome_override if current else None
    if report.passed:
        return Outcome.PASS, None
    if report.skipped:
        if override:
            return override
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        return Outcome.SKIP, str(reason).removeprefix("Skipped: ")
    if override and override[0] is Outcome.ERROR:
        return override
    if current is not None and current.blocking():
        return Outcome.FAIL, _fail_reason(current, secrets)
    text = redact_text(str(report.longrepr) if report.longrepr else "unknown error", secrets)
    return Outcome.ERROR, "roamcert error (please report it): " + text.strip().splitlines()[-1][:500]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, Any]:
    report: pytest.TestReport = yield
    writer = _writer(item.config)
    tags = tags_of(item)
    finished = report.when == "call" or (report.when == "setup" and not report.passed)
    if writer is None or not tags or not finished:
        return report
    current = item.stash.get(CASE, None)
    secrets = _secrets(item.config)
    writer.secrets |= secrets
    outcome, reason = _outcome(report, current, secrets)
    if outcome is Outcome.ERROR and call.excinfo is not None and not isinstance(call.excinfo.value, HarnessError):
        detail = redact_text("".join(traceback.format_exception_only(call.excinfo.type, call.excinfo.value)).strip(),
                             secrets)
        reason = f"roamcert error (please report it): {detail[:500]}"
    target = build_target(item.config)
    catalogue = load_catalogue(target.protocol, target.version)
    entry = catalogue.test_cases.get(tags.get("id", ""))
    meta = current.meta if current else {}
    role = meta.get("role") or tags.get("role") or _example_role(item)
    _save_state(item.config, writer)
    writer.test_case({
        "id": tags.get("id", item.name),
        "title": entry.title if entry else meta.get("scenario", item.name),
        "module": tags.get("module", entry.module if entry else ""),
        "role": role,
        "interface_role": tags.get("interface") or (entry.interface_role if entry else None),
        "exercises": [{"module": m, "interface_role": r} for m, r in entry.exercises] if entry else [],
        "version": tags.get("version", target.version),
        "feature": meta.get("feature", ""),
        "scenario": meta.get("scenario", item.name),
        "nodeid": item.nodeid,
        "outcome": outcome.value,
        "duration_s": round(report.duration, 4),
        "reason": reason,
        "steps": [{"keyword": s.keyword, "name": s.name, "outcome": s.outcome} for s in current.steps]
        if current else [],
        "requirements": catalogue.requirements_of(entry) if entry else [],
        "findings": [f.to_dict() for f in current.findings] if current else [],
        "exchanges": [x.to_dict() for x in current.log.exchanges] if current else [],
    })
    terminal = item.config.pluginmanager.get_plugin("terminalreporter")
    if terminal is not None:
        why = f"  ({redact_text(reason, secrets)})" if reason else ""
        terminal.write_line(f"{outcome.value:15} {tags.get('id', item.name):26} {role or '-':5} "
                            f"{entry.title if entry else item.name}{why}")
    return report


def pytest_report_teststatus(report: pytest.TestReport, config: pytest.Config) -> tuple[str, str, str] | None:
    """In a roamcert run, one line per test case (written at makereport) replaces pytest's dots."""
    if _writer(config) is None or "roamcert" not in report.keywords:
        return None
    if report.when == "call" or report.skipped:
        return report.outcome, "", ""
    return ("error" if report.failed else ""), "", ""


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    writer = _writer(session.config)
    if writer is not None:
        _save_state(session.config, writer)
        harness = session.config.stash.get(HARNESS, None)
        verdict = writer.close(harness.declarations() if harness is not None else ())
        session.config.stash[VERDICT] = verdict


VERDICT = pytest.StashKey[str]()
