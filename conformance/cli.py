"""The roamcert command line: run, serve, fuzz, list, explain, report, profiles."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import textwrap
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from conformance.core.catalogue import Catalogue, TestCase, load_catalogue
from conformance.core.errors import ConfigurationError
from reports.results import ReportInputError, SutPlatform

__all__ = ["main"]

REPO = Path(__file__).resolve().parent.parent
FEATURES = REPO / "features"


def _features_dir() -> Path:
    if not (FEATURES / "ocpi").is_dir():
        raise ConfigurationError(f"the scenarios are not at {FEATURES}; run roamcert from a source checkout "
                                 "(pip install -e .)")
    return FEATURES


def _continue_mode(args: argparse.Namespace, results: Path) -> str | None:
    """How this run continues an earlier one in its results file: None (a new run), 'resume' (a killed run: the
    test cases it has not recorded) or 'failed' (--last-failed: those that ended FAIL or ERROR, merged in).
    The earlier run's selection applies; the earlier file is kept as a backup before a re-run merges into it."""
    from conformance.core.results import roamcert_version
    from conformance.core.resume import check_continuable, read_earlier

    if not (args.resume or args.last_failed):
        return None
    option = "--resume" if args.resume else "--last-failed"
    if args.resume and args.last_failed:
        raise ConfigurationError("--resume and --last-failed do not go together: resume the killed run first")
    if args.id or args.module or args.role:
        raise ConfigurationError(f"{option} continues the earlier run with its own selection: "
                                 "drop --id, --module and --role")
    if not results.is_file():
        raise ConfigurationError(f"{option}: no earlier results at {results}")
    earlier = read_earlier(results)
    check_continuable(earlier, None, roamcert_version(), finished=not args.resume)  # the target: when it is read
    if args.resume:
        return "resume"
    if not any(c.get("outcome") in ("FAIL", "ERROR") for c in earlier.cases):
        return ""  # nothing to re-run
    backup = results.with_name(results.stem + ".previous" + results.suffix)
    backup.write_bytes(results.read_bytes())
    print(f"roamcert: the earlier results are kept in {backup}")
    return "failed"


def cmd_run(args: argparse.Namespace) -> int:
    import pytest

    from reports import write_all

    out = Path(args.resume or args.out)
    results = out / "results.ndjson"
    mode = _continue_mode(args, results)
    if mode == "":
        print("roamcert: no failed test cases in the last run; nothing to re-run")
        return 0
    # A resource warning raised while talking to a SUT must not abort a certification run.
    # Test-tool plugins a certification run never uses cost start-up time and CPU (hypothesis' alone ~11%).
    argv = [str(_features_dir()), "-q", "--tb=no", "-rN", "-p", "no:cacheprovider", "-p", "no:hypothesispytest",
            "-p", "no:benchmark", "-p", "no:schemathesis", "--no-header",
            "-W", "ignore::pytest.PytestUnraisableExceptionWarning", "-W", "ignore::ResourceWarning",
            "--roamcert-target", args.target, "--roamcert-results", str(results)]
    for profile in args.profile:
        argv += ["--roamcert-profile", profile]
    if mode:
        argv += ["--roamcert-continue", mode]
    for name, values in (("id", args.id), ("module", args.module), ("role", args.role)):
        for value in values:
            argv += [f"--roamcert-{name}", value]
    if args.roles:
        argv += ["--roamcert-roles", args.roles]
    if getattr(args, "topology", None):
        argv += ["--roamcert-topology", args.topology]
    if args.interactive:
        argv += ["--roamcert-interactive", "-s"]
    argv += args.pytest_args
    code = pytest.main(argv)
    if not results.is_file() or code == pytest.ExitCode.USAGE_ERROR:
        print(f"roamcert: the run did not start (pytest exit code {int(code)})", file=sys.stderr)
        return 2
    paths = write_all(results, out)
    from reports.results import load_results

    loaded = load_results(results)
    counts = ", ".join(f"{n} {o}" for o, n in sorted(loaded.summary.counts.items())) if loaded.summary else ""
    print(f"\nroamcert verdict: {loaded.verdict}  ({counts})")
    for platform in loaded.summary.sut:
        print(_declared_line(platform))
    for kind, path in paths.items():
        print(f"  {kind:8} {path}")
    if code == pytest.ExitCode.NO_TESTS_COLLECTED and not mode:  # a continued run may have nothing left to run
        print("roamcert: no test case matched the selection", file=sys.stderr)
        return 1
    return 0 if loaded.verdict == "PASS" else 1


def _declared_line(platform: SutPlatform) -> str:
    """One SUT platform in the verdict: what it offers and declares, what was tested, what it left out."""
    def listed(items: Iterable[tuple[str, str]] | None) -> str:
        if items is None:
            return "not read"
        return ", ".join(f"{m} {r.lower()}".rstrip() for m, r in items) or "none"

    offered = "not read" if platform.versions_offered is None else ", ".join(platform.versions_offered) or "none"
    lines = [f"  {platform.platform} ({', '.join(platform.roles)}): offers {offered}; connection {platform.connection}"]
    if platform.version_offered is False:
        lines.append(f"    does not offer {platform.version}: nothing of {platform.version} was tested")
    lines.append(f"    declared: {listed(platform.declared)}")
    lines.append(f"    tested: {listed((t.module, t.interface_role) for t in platform.tested if t.exercised)}")
    if platform.declared_not_tested:
        lines.append(f"    declared, not tested: {listed(platform.declared_not_tested)}")
    if platform.usual_not_declared:
        lines.append(f"    usual for its role, not declared: {listed(platform.usual_not_declared)}")
    return "\n".join(lines)


def _state_file(path: str | None, role: str, port: int) -> Path | None:
    """Where a served actor keeps its data (None for ``:memory:``: in memory, as in-process).

    Without ``--store`` the data goes to an SQLite file under the XDG state directory ($XDG_STATE_HOME, else
    ~/.local/state), ``roamcert/serve-<role>-<port>.sqlite``: a restart finds it wherever it is started from, two
    actors served side by side do not share one, and no checkout gets a database file."""
    import os

    if path == ":memory:":
        return None
    if path is not None:
        return Path(path)
    state_home = os.environ.get("XDG_STATE_HOME", "")
    base = Path(state_home) if os.path.isabs(state_home) else Path.home() / ".local" / "state"
    file = base / "roamcert" / f"serve-{role}-{port}.sqlite"
    try:
        file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # the store holds tokens
    except OSError as exc:
        raise ConfigurationError(f"cannot create {file.parent} for the default store ({exc}); "
                                 "give --store FILE or --store :memory:") from None
    return file


def _serve_store(party: Any, path: str | None, role: str, port: int) -> tuple[Any, str, int]:
    """The keeper of a served platform's data (None for ``:memory:``), where it is kept (:func:`_state_file`),
    and how many received objects it restored."""
    from simulators.ocpi.store import Keeper, SqliteStore

    file = _state_file(path, role, port)
    if file is None:
        return None, "memory (lost at exit)", 0
    try:
        keeper = Keeper(party, SqliteStore(file))
        return keeper, str(file), keeper.restore()
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ConfigurationError(f"--store {file}: cannot restore from it ({exc})") from None


HUB_SLOTS = 4  # tokens A `roamcert serve hub` prints by default: one per platform expected to register
HUB_TIMEOUT = 5.0  # seconds a forwarded request may take (the hub then answers 4002)
# Seconds between the hub's still-alive rounds: mod_hub_client_info_flow's "when unsure, start with 5 minutes".
HUB_STILL_ALIVE = 300.0


def _hub(base_url: str, args: argparse.Namespace) -> Any:
    """The reference hub (docs/hub.md) `roamcert serve hub` starts."""
    from simulators.ocpi.v2_2_1.hub import ExpectedParty, reference_hub

    expected = [ExpectedParty.parse(text) for text in args.expect]
    return reference_hub(base_url, profile=args.profile, timeout=args.hub_timeout or HUB_TIMEOUT,
                         expected=expected, still_alive=HUB_STILL_ALIVE if args.still_alive is None
                         else args.still_alive)


def cmd_serve(args: argparse.Namespace) -> int:
    import os
    import secrets

    import uvicorn

    from conformance import serve_network
    from simulators.ocpi.app import build_app
    from simulators.ocpi.references import reference_party

    if args.role != "node" and any(getattr(args, name) for name in serve_network.NODE_OPTIONS):
        raise ConfigurationError("--registry, --key, --key-file and --identity are options of `roamcert serve node`")
    base = (args.public_url or f"http://{'127.0.0.1' if args.host in ('0.0.0.0', '::') else args.host}:{args.port}")
    node = args.role == "node"
    hub = args.role == "hub" or node  # a node is a hub for its own parties
    if not hub and (args.slots is not None or args.hub_timeout is not None or args.expect
                    or args.still_alive is not None):
        raise ConfigurationError("--slots, --hub-timeout, --expect and --still-alive are options of "
                                 "`roamcert serve hub`")
    if node and (args.expect or args.still_alive is not None):
        raise ConfigurationError("--expect and --still-alive are options of `roamcert serve hub`")
    if args.role == "registry":
        return serve_network.serve_registry(args, _state_file(args.store, args.role, args.port))
    if hub and ((args.slots is not None and args.slots < 1)
                or (args.hub_timeout is not None and args.hub_timeout <= 0)
                or (args.still_alive is not None and args.still_alive < 0)):
        raise ConfigurationError("--slots must be at least 1, --hub-timeout positive and --still-alive 0 (off) or "
                                 "positive")
    try:
        if node:
            party = serve_network.node_party(base, args, _state_file(args.store, args.role, args.port),
                                             timeout=args.hub_timeout or HUB_TIMEOUT)
        else:
            party = _hub(base, args) if hub else reference_party(args.role, base_url=base, profile=args.profile)
    except (KeyError, ValueError) as exc:
        raise ConfigurationError(str(exc.args[0] if exc.args else exc)) from None
    import httpx

    from simulators.ocpi.guard import LOOPBACK_HOSTS, HostGuard
    from simulators.ocpi.party import host_of

    party.allowed_hosts = frozenset(h.lower().strip("[]") for h in args.allow_host) if args.allow_host \
        else LOOPBACK_HOSTS
    given_secret = args.admin_secret or os.environ.get("ROAMCERT_ADMIN_SECRET") or None
    party.admin_secret = given_secret or secrets.token_urlsafe(24)
    party.log.secrets.add(party.admin_secret)  # redacted wherever the platform's exchanges are shown
    client = httpx.AsyncClient(timeout=30.0, transport=HostGuard(party.allowed_hosts))  # never follows redirects
    party.http_factory = lambda: client
    peer_options = (args.peer_versions_url, args.peer_token_in, args.peer_token_out)
    if any(peer_options) and not all(peer_options):
        raise ConfigurationError("a pre-registered peer needs --peer-versions-url, --peer-token-in and "
                                 "--peer-token-out together")
    if args.peer_versions_url and not party.may_call(args.peer_versions_url):
        raise ConfigurationError(f"--peer-versions-url: {host_of(args.peer_versions_url)!r} is not an allowed host; "
                                 "add it with --allow-host")
    keeper, kept_in, restored = _serve_store(party, args.store, args.role, args.port)
    token_a = party.issue_token_a(args.token_a)
    # A token A serves one registration: a hub hands one to each platform expected to register with it.
    tokens_a = [token_a] + [party.issue_token_a() for _ in range((args.slots or HUB_SLOTS) - 1 if hub else 0)]
    if args.peer_versions_url:
        from simulators.ocpi.v2_2_1.credentials import pre_registered_peer

        pre_registered_peer(party, args.peer_versions_url, args.peer_token_in, args.peer_token_out)
    from simulators.ocpi.store import Durable

    app = build_app(party)
    server = uvicorn.Server(uvicorn.Config(app if keeper is None else Durable(app, keeper), host=args.host,
                                           port=args.port, log_level="warning"))

    async def serve() -> None:
        if node:  # listed before it serves: a node the registry does not list cannot be reached by others
            await serve_network.list_node(party)
        task = asyncio.create_task(server.serve())
        while not server.started and not task.done():
            await asyncio.sleep(0.02)
        if server.started:  # the banner means "ready": scripts may read the token and connect at once
            parties = ", ".join(f"{i.role} {i.country_code}/{i.party_id}" for i in party.identities)
            print(f"roamcert reference {args.role if hub else 'platform'} ({parties}), profile {args.profile}")
            print(f"  versions URL: {party.versions_url()}")
            for line in serve_network.node_banner(party) if node else ():
                print(line)
            if hub:
                print(f"  slots:        {len(tokens_a)} (one token A per platform that registers; more: --slots, "
                      "/admin/token-a)")
                print(f"  timeout:      {args.hub_timeout or HUB_TIMEOUT:g} s for a forwarded request (then 4002)")
                interval = 0.0 if node else HUB_STILL_ALIVE if args.still_alive is None else args.still_alive
                print(f"  still alive:  {f'every {interval:g} s' if interval else 'off'} (--still-alive)")
                if args.expect:
                    expected = ", ".join(text.upper() for text in args.expect)
                    print(f"  expected:     {expected} (PLANNED until they register)")
            for token in tokens_a:
                print(f"  token A:      {token}")
            # The one line that shows the admin secret: for the operator, who configures it in the target's actions.
            print("  admin secret: " + ("as given (--admin-secret or ROAMCERT_ADMIN_SECRET)" if given_secret
                                        else str(party.admin_secret)))
            print(f"  admin hooks:  POST {base}/admin/NAME with 'Authorization: Bearer <admin secret>' "
                  f"(more tokens A: /admin/token-a, registration: /admin/register)")
            print(f"  calls only:   {', '.join(sorted(party.allowed_hosts or ()))} (--allow-host)")
            print(f"  store:        {kept_in} ({restored} received objects restored)" if keeper is not None else
                  f"  store:        {kept_in}", flush=True)
            if keeper is not None:
                await keeper.resume()  # the work still due when the store was last written (command results)
        await task

    async def serve_and_close() -> None:
        try:
            await serve()
        finally:  # the one pooled client of every outbound call, with its kept-alive connections
            await client.aclose()

    try:
        asyncio.run(serve_and_close())
    finally:
        if keeper is not None:
            keeper.save()
            keeper.store.close()
    return 0 if server.started else 2


def _fuzz_platforms(args: argparse.Namespace) -> tuple[dict[str, Any], Any]:
    """The target record for the results file and a context manager yielding the platforms to fuzz."""
    import contextlib

    from conformance.ocpi.target import load_target
    from conformance.ocpi.v2_2_1.fuzz import VERSION, served_reference
    from conformance.ocpi.v2_2_1.fuzz_session import FuzzConnections, fuzz_connections

    if args.target == "reference":
        from simulators.ocpi.references import parse_roles

        roles = [r.strip() for r in args.roles.split(",") if r.strip()]
        try:
            for role in roles or [""]:
                parse_roles(role)
        except ValueError as exc:
            raise ConfigurationError(str(exc)) from None

        @contextlib.contextmanager
        def reference() -> Any:
            with contextlib.ExitStack() as stack:
                yield FuzzConnections([stack.enter_context(served_reference(role, args.profile)) for role in roles])

        record = {"name": "reference", "protocol": "OCPI", "version": VERSION,
                  "roles": sorted(r.upper() for r in roles), "versions_url": None,
                  "profiles": {r.upper(): args.profile for r in roles}}
        return record, reference()
    target = load_target(Path(args.target))
    missing = [p.node_name for p in target.platforms.values() if p.token_c is None and p.token_a is None]
    if missing:
        raise ConfigurationError(f"fuzz needs, for each platform, a token_a (roamcert registers, as roamcert run "
                                 f"does) or a pre-registered token_c; {', '.join(sorted(set(missing)))} has neither")
    return target.describe(), fuzz_connections(target)


def cmd_fuzz(args: argparse.Namespace) -> int:
    """Schema fuzzing of the SUT's declared endpoints (conformance/ocpi/v2_2_1/fuzz.py)."""
    import importlib.util
    import time

    if importlib.util.find_spec("schemathesis") is None:
        raise ConfigurationError("fuzz needs schemathesis: pip install 'roamcert[fuzz]'")
    import conformance.ocpi.v2_2_1.checks  # noqa: F401  (registers the exchange checks that judge each answer)
    from conformance.core.checks import run_checks
    from conformance.core.results import ResultsWriter
    from conformance.ocpi.v2_2_1.fuzz import VERSION, FuzzError, FuzzOptions, case_record, fuzz_platform
    from reports import write_all

    options = FuzzOptions(max_examples=args.max_examples, time_limit=args.time_limit, seed=args.seed)
    record, platforms = _fuzz_platforms(args)
    record["fuzz"] = {"max_examples": options.max_examples, "time_limit_s": options.time_limit, "seed": options.seed}
    out = Path(args.out)
    writer = ResultsWriter(out / "results.ndjson", record, load_catalogue("OCPI", VERSION))
    deadline = time.monotonic() + options.time_limit
    try:
        with platforms as fuzzed:
            writer.secrets |= fuzzed.secrets
            for name, why in sorted(fuzzed.failed.items()):
                print(f"roamcert: {name}: {why}", file=sys.stderr)
            for platform in fuzzed.platforms:
                writer.secrets |= {platform.token}
                try:
                    results = fuzz_platform(platform, options, deadline, lambda x, e: run_checks(x, e, "response"))
                except (FuzzError, OSError) as exc:
                    print(f"roamcert: {platform.name}: {exc}", file=sys.stderr)
                    continue
                for result in results:
                    writer.test_case(case_record(platform, result))
                    where = " ".join(x for x in (result.module, result.interface_role.lower(), result.path,
                                                 result.variant) if x)
                    print(f"  {platform.name:16} {result.method:4} {where:62} {result.cases:5} requests "
                          f"{result.duration_s:7.2f} s  {sum(f.outcome.value != 'PASS' for f in result.findings)} "
                          "problem(s)" + (f"  (SKIP: {result.skip_reason})" if result.skip_reason else ""))
    finally:
        verdict = writer.close()
    paths = write_all(out / "results.ndjson", out)
    print(f"\nroamcert fuzz verdict: {verdict}")
    for kind, path in paths.items():
        print(f"  {kind:8} {path}")
    return 0 if verdict == "PASS" else 1


def _catalogues() -> list[Catalogue]:
    """The catalogue of every installed protocol version."""
    from conformance.protocols import installed

    return [load_catalogue(item.protocol, item.version) for item in installed()]


def _roles(case: TestCase) -> str:
    return ",".join(case.roles)


def cmd_list(args: argparse.Namespace) -> int:
    count = 0
    for catalogue in _catalogues():
        rows = [c for c in catalogue.test_cases.values()
                if (not args.module or c.module == args.module) and (not args.role or args.role.upper() in c.roles)]
        for case in rows:
            print(f"{case.id:28} {_roles(case):9} {case.module:16} {case.title}")
            print(f"{'':28} requirements: {', '.join(catalogue.requirements_of(case))}")
        count += len(rows)
    print(f"\n{count} test case(s)")
    return 0


def cmd_explain(args: argparse.Namespace) -> int:
    found = [(catalogue, c) for catalogue in _catalogues() for c in catalogue.test_cases.values()
             if c.id.casefold() == args.id.casefold()]
    if not found:
        raise ConfigurationError(f"no test case {args.id!r}; `roamcert list` shows them")
    catalogue, case = found[0]
    wrap = textwrap.TextWrapper(width=100, initial_indent="    ", subsequent_indent="      ")
    print(f"{case.id}: {case.title}")
    print(f"  module {case.module}, SUT role(s) {_roles(case)}, interface {case.interface_role or '-'}")
    print(f"  purpose: {case.purpose}")
    print("  prerequisites:")
    for item in case.prerequisites:
        print(wrap.fill(item))
    print("  steps:")
    for number, step in enumerate(case.steps, 1):
        manual = " (manual: an operator or a trigger hook)" if step.manual else ""
        print(wrap.fill(f"{number}. [{step.actor.upper()}] {step.action}{manual}"))
    print("  tool validations:")
    for item in case.tool_validations:
        print(wrap.fill(item))
    print("  checks and requirements:")
    for check_id in case.checks:
        registered = catalogue.checks[check_id]
        print(wrap.fill(f"{check_id} ({registered.severity}): {registered.title}"))
        for rid in registered.requirements:
            requirement = catalogue.requirements[rid]
            print(wrap.fill(f"  {rid} [{requirement.level}] {requirement.title}  <{requirement.spec}>"))
    return 0


def cmd_coverage(args: argparse.Namespace) -> int:
    """Requirement coverage per module: which checks and test cases verify each requirement."""
    return max(_coverage(catalogue, args) for catalogue in _catalogues())


def _coverage(catalogue: Catalogue, args: argparse.Namespace) -> int:
    print(f"{catalogue.protocol} {catalogue.version}")
    outcomes: dict[str, str] = {}
    if args.results:
        from reports.results import load_results, requirement_coverage

        outcomes = {row.requirement.id: row.requirement.outcome
                    for row in requirement_coverage(load_results(Path(args.results)))}
    cases_of: dict[str, list[str]] = {}
    checks_of: dict[str, list[str]] = {}
    for case in catalogue.test_cases.values():
        for check_id in case.checks:
            for rid in catalogue.checks[check_id].requirements:
                cases_of.setdefault(rid, []).append(case.id)
                checks_of.setdefault(rid, []).append(check_id)
    uncovered = 0
    for module in sorted({r.module for r in catalogue.requirements.values()}):
        rows = [r for r in catalogue.requirements.values() if r.module == module]
        covered = [r for r in rows if r.id in cases_of or r.unobservable]
        print(f"\n{module}: {len(covered)}/{len(rows)} requirements covered or justified")
        for requirement in rows:
            if requirement.id in cases_of:
                state = outcomes.get(requirement.id, "covered")
                detail = ", ".join(sorted(set(cases_of[requirement.id])))
            elif requirement.unobservable:
                state, detail = "justified", requirement.unobservable
            else:
                state, detail = "UNCOVERED", "no check in any test case"
                uncovered += 1
            print(f"  {requirement.id:24} {requirement.level:6} {state:14} {detail}")
    total = len(catalogue.requirements)
    print(f"\n{total - uncovered}/{total} requirements covered or justified")
    unmapped = _print_inventory(catalogue)
    return 1 if uncovered or unmapped else 0


def _print_inventory(catalogue: Catalogue) -> int:
    """The requirement inventory per module: MUST-class statements of the spec and how they are carried.
    Returns the number of statements mapped to no covered or justified requirement."""
    from conformance.core.inventory import inventory_figures

    figures = inventory_figures(catalogue)
    columns = ("statements", "mapped", "covered", "justified", "not_a_party_rule")
    print("\nMUST-class statements of the specification (requirement inventory; MUST = upper-case key word, "
          "must = lower-case must/shall):")
    print(f"  {'module':16} {'statements':>10} {'MUST/must':>10} {'mapped':>7} {'covered':>8} {'justified':>10} "
          f"{'no party':>9}  spec files")
    totals = dict.fromkeys(columns, 0)
    open_statements = 0
    for module, row in figures.items():
        for key in columns:
            totals[key] += row[key]
        open_statements += row["uncovered"] + row["unknown_requirement"]
        print(f"  {module:16} {row['statements']:>10} {str(row['upper']) + '/' + str(row['lower']):>10} "
              f"{row['mapped']:>7} {row['covered']:>8} {row['justified']:>10} {row['not_a_party_rule']:>9}  "
              f"{', '.join(row['spec_files'])}")
    print(f"  {'total':16} {totals['statements']:>10} {'':>10} {totals['mapped']:>7} {totals['covered']:>8} "
          f"{totals['justified']:>10} {totals['not_a_party_rule']:>9}")
    if open_statements:
        print(f"  {open_statements} statement(s) map to requirements that are neither covered nor justified, "
              "or that the catalogue lacks")
    return open_statements + _print_should(figures)


def _print_should(figures: dict[str, dict[str, Any]]) -> int:
    """The SHOULD-class statements per module: covered by a check, justified as not observable, open (observable,
    no check yet; listed, not failed), binding no party. Returns the number mapped inconsistently."""
    columns = ("statements", "covered", "justified", "open", "not_a_party_rule")
    print("\nSHOULD-class statements of the specification (SHOULD, SHOULD NOT, RECOMMENDED, NOT RECOMMENDED; "
          "open = observable, no check yet):")
    print(f"  {'module':16} {'statements':>10} {'covered':>8} {'justified':>10} {'open':>5} {'no party':>9}")
    totals = dict.fromkeys(columns, 0)
    inconsistent = 0
    for module, row in figures.items():
        should = row["should"]
        if not should["statements"]:
            continue
        for key in columns:
            totals[key] += should[key]
        inconsistent += should["uncovered"] + should["unknown_requirement"]
        print(f"  {module:16} {should['statements']:>10} {should['covered']:>8} {should['justified']:>10} "
              f"{should['open']:>5} {should['not_a_party_rule']:>9}")
    print(f"  {'total':16} {totals['statements']:>10} {totals['covered']:>8} {totals['justified']:>10} "
          f"{totals['open']:>5} {totals['not_a_party_rule']:>9}")
    if inconsistent:
        print(f"  {inconsistent} statement(s) map to requirements that are neither covered nor justified, "
              "or that the catalogue lacks")
    return inconsistent


def cmd_report(args: argparse.Namespace) -> int:
    from reports import write_all

    for kind, path in write_all(Path(args.results), Path(args.out)).items():
        print(f"{kind:8} {path}")
    return 0


def _json_file(path: str, what: str) -> object:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigurationError(f"{path}: no such {what} file") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ConfigurationError(f"{path}: not a readable JSON {what}: {exc}") from None


def _unwrap(document: object) -> object:
    """Accept a bare object or list, or an OCPI response envelope around it."""
    if isinstance(document, dict) and "data" in document and "status_code" in document:
        return document["data"]
    return document


def cmd_price(args: argparse.Namespace) -> int:
    from conformance.tariffs import SWITCHES, TariffError, compare, price_cdr, switches_from_names

    if args.list_switches:
        for name, info in SWITCHES.items():
            print(f"{name}: {info.description}\n    spec: {info.spec}\n    alternative: {info.alternative}")
        return 0
    if not args.tariff or not args.cdr:
        raise ConfigurationError("price needs TARIFF.json and CDR.json (or --switches to list the switches)")
    if not args.time_zone:
        raise ConfigurationError("price needs --time-zone: the location's IANA time zone (CDR times are UTC, "
                                 "tariff restrictions are local)")
    loaded = _unwrap(_json_file(args.tariff, "tariff"))
    tariffs = [t for t in (loaded if isinstance(loaded, list) else [loaded]) if isinstance(t, dict)]
    cdr = _unwrap(_json_file(args.cdr, "CDR"))
    if not isinstance(cdr, dict) or not tariffs:
        raise ConfigurationError("the CDR file must hold one CDR object and the tariff file Tariff object(s)")
    try:
        switches = switches_from_names(args.switch)
        pricing = price_cdr(cdr, tariffs, time_zone=args.time_zone, switches=switches)
    except (TariffError, ValueError, KeyError) as exc:
        raise ConfigurationError(f"cannot price {args.cdr}: {exc}") from None
    discrepancies = compare(cdr, pricing) if any(k.startswith("total_") for k in cdr) else []
    verdict = "FAIL" if discrepancies else "PASS"
    if args.json:
        print(json.dumps({"pricing": pricing.to_dict(), "verdict": verdict,
                          "discrepancies": [str(d) for d in discrepancies]}, indent=2))
    else:
        print(pricing.explain())
        print(f"\nverdict: {verdict}")
        for discrepancy in discrepancies:
            print(f"  {discrepancy}")
    return 1 if discrepancies else 0


def cmd_actions(args: argparse.Namespace) -> int:
    """The actions scenarios may ask a SUT to perform, as a target file's [actions.NAME] would configure them."""
    import simulators.ocpi.app  # noqa: F401  (registers the trigger hooks of every module file)
    from simulators.ocpi.admin import ADMIN_HOOKS

    for name, hook in sorted(ADMIN_HOOKS.items()):
        if name == "token-a":
            continue  # a convenience of `roamcert serve`, not an action any scenario asks for
        roles = ",".join(sorted(hook.roles)) or "any"
        print(f"{name:34} {roles:9} {hook.description}")
    print("\nConfigure each in the target file as [actions.NAME] with http = \"POST https://...\" (JSON body), "
          "command = \"...\" (payload in $ROAMCERT_* variables) or prompt = true; a case whose action is not "
          "configured is MANUAL_PENDING.")
    return 0


def cmd_profiles(args: argparse.Namespace) -> int:
    from simulators.ocpi.profiles import PROFILES

    for name, profile in sorted(PROFILES.items()):
        print(f"{name:34} {','.join(sorted(profile.roles)):9} {profile.description}")
        if profile.trips:
            print(f"{'':34} trips: {', '.join(sorted(profile.trips))}")
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="roamcert", description="Open conformance test suite for EV e-roaming.")
    sub = top.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="certify a system under test and write the reports")
    run.add_argument("--target", default="reference", help="'reference' or a target TOML file")
    run.add_argument("--profile", action="append", default=[], metavar="ROLE=PROFILE",
                     help="reference only: fault profile of the reference CPO or EMSP")
    run.add_argument("--roles", default="", help="reference only: CPO, EMSP, CPO,EMSP or CPO+EMSP (one platform); "
                     "HUB and NODE (a node of a roaming network), each alone; all of them by default")
    run.add_argument("--topology", choices=["direct", "hub", "network"], default=None,
                     help="reference only: hub (the default) puts roamcert's reference hub between the reference "
                          "platforms and roamcert's parties; network puts two reference nodes of a roaming network and "
                          "a registry there (docs/network.md); direct runs peer to peer; a target file sets its own "
                          "topology")
    run.add_argument("--out", default="roamcert-report", help="report directory (default: roamcert-report)")
    run.add_argument("--id", action="append", default=[], help="only this test case id (repeatable)")
    run.add_argument("--module", action="append", default=[], help="only this module (repeatable)")
    run.add_argument("--role", action="append", default=[], help="only cases for this SUT role (repeatable)")
    run.add_argument("--last-failed", action="store_true",
                     help="re-run the cases that failed (FAIL or ERROR) in --out last time and merge their outcomes "
                          "into its results (the earlier file is kept as results.previous.ndjson)")
    run.add_argument("--resume", metavar="DIR", default=None,
                     help="continue the killed run whose results are in DIR: run the test cases it has not recorded "
                          "(same --target, --profile and --roles; its selection), then write the summary and the "
                          "reports over all of them")
    run.add_argument("--interactive", action="store_true", help="prompt for manual actions")
    run.add_argument("pytest_args", nargs="*", help="extra pytest arguments (after --)")
    run.set_defaults(func=cmd_run)

    serve = sub.add_parser("serve", help="serve a reference CPO, eMSP, SCSP, NSP, hub, registry or node over HTTP")
    serve.add_argument("role", choices=["cpo", "emsp", "scsp", "nsp", "cpo+emsp", "hub", "registry", "node"],
                       help="cpo+emsp: one platform, both roles; hub: the reference hub (docs/hub.md), which "
                            "platforms register with and which routes their requests; registry and node: a roaming "
                            "network's registry and its nodes (docs/network.md)")
    serve.add_argument("--port", type=int, default=8091)
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    serve.add_argument("--admin-secret", default=None,
                       help="the secret the /admin/* hooks require (default: $ROAMCERT_ADMIN_SECRET, else random, "
                            "printed at start)")
    serve.add_argument("--store", default=None, metavar="FILE",
                       help="the SQLite file (WAL) keeping what the platform receives, acknowledges and starts and "
                            "whom it registered with, so a restart serves it again (default: "
                            "$XDG_STATE_HOME/roamcert/serve-<role>-<port>.sqlite, ~/.local/state without "
                            "XDG_STATE_HOME; ':memory:' keeps it in memory, lost at exit)")
    serve.add_argument("--allow-host", action="append", default=[], metavar="HOST",
                       help="a host this server may call: registration, pushes, command results (repeatable; "
                            "default: the loopback hosts 127.0.0.1, localhost, ::1)")
    serve.add_argument("--public-url", default=None, help="base URL the partner reaches this server at")
    serve.add_argument("--profile", default="conformant", help="fault profile (see `roamcert profiles`)")
    serve.add_argument("--token-a", default=None, help="use this CREDENTIALS_TOKEN_A instead of a random one")
    serve.add_argument("--slots", type=int, default=None, metavar="N",
                       help=f"hub: how many tokens A to print, one per platform expected to register (default "
                            f"{HUB_SLOTS}; each serves one registration)")
    serve.add_argument("--hub-timeout", type=float, default=None, metavar="SECONDS",
                       help=f"hub: how long a forwarded request may take before the hub answers 4002 "
                            f"(default {HUB_TIMEOUT:g})")
    serve.add_argument("--expect", action="append", default=[], metavar="CC/PARTY/ROLE",
                       help="hub: a party expected to register (e.g. NL/ABC/CPO), listed PLANNED in the hub's "
                            "ClientInfo until it does (repeatable)")
    serve.add_argument("--still-alive", type=float, default=None, metavar="SECONDS",
                       help=f"hub: seconds between still-alive checks, a GET on the versions endpoint of each "
                            f"platform quiet for as long (default {HUB_STILL_ALIVE:g}; 0: off)")
    serve.add_argument("--registry", default=None, metavar="URL",
                       help="node: the registry the node lists itself in and looks parties up in (required)")
    serve.add_argument("--key", default=None, metavar="HEX",
                       help="node: the operator's private key, which signs its listing and its messages (printed "
                            "only as its address; default: generated, kept beside the store)")
    serve.add_argument("--key-file", default=None, metavar="FILE", help="node: read the operator's key from FILE")
    serve.add_argument("--identity", default=None, metavar="CC/PID",
                       help="node: the hub party the node reports itself as (default NL/N and two characters of "
                            "the port)")
    serve.add_argument("--peer-versions-url", default=None,
                       help="a partner registered out of band (pre-registered): its versions URL")
    serve.add_argument("--peer-token-in", default=None, help="the token that partner calls this server with")
    serve.add_argument("--peer-token-out", default=None, help="the token this server calls that partner with")
    serve.set_defaults(func=cmd_serve)

    fuzz = sub.add_parser("fuzz", help="schema fuzzing of the SUT's declared endpoints (schemathesis)")
    fuzz.add_argument("--target", default="reference", help="'reference' or a target TOML file with token_c")
    fuzz.add_argument("--roles", default="cpo,emsp", help="reference only: the reference platforms to fuzz")
    fuzz.add_argument("--profile", default="conformant", help="reference only: fault profile of those platforms")
    fuzz.add_argument("--max-examples", type=int, default=25, help="generated requests per operation")
    fuzz.add_argument("--time-limit", type=float, default=120.0, help="seconds for the whole fuzz run")
    fuzz.add_argument("--seed", type=int, default=0, help="the generator's seed (the same seed, the same requests)")
    fuzz.add_argument("--out", default="roamcert-fuzz", help="report directory (default: roamcert-fuzz)")
    fuzz.set_defaults(func=cmd_fuzz)

    listing = sub.add_parser("list", help="list the test cases")
    listing.add_argument("--module")
    listing.add_argument("--role")
    listing.set_defaults(func=cmd_list)

    explain = sub.add_parser("explain", help="show one test case in full")
    explain.add_argument("id")
    explain.set_defaults(func=cmd_explain)

    coverage = sub.add_parser("coverage", help="requirement coverage per module (with outcomes from a results file)")
    coverage.add_argument("--results", help="a results.ndjson whose outcomes to show")
    coverage.set_defaults(func=cmd_coverage)

    report = sub.add_parser("report", help="render reports from a results file")
    report.add_argument("results")
    report.add_argument("--out", default="roamcert-report")
    report.set_defaults(func=cmd_report)

    price = sub.add_parser("price", help="price a CDR from tariffs and explain every cost line")
    price.add_argument("tariff", nargs="?", help="a Tariff (or a list, or an OCPI response) as JSON")
    price.add_argument("cdr", nargs="?", help="a CDR (or an OCPI response around one) as JSON")
    price.add_argument("--time-zone", help="the location's IANA time zone, e.g. Europe/Amsterdam (required)")
    price.add_argument("--switch", action="append", default=[], help="an interpretation switch to turn on")
    price.add_argument("--switches", dest="list_switches", action="store_true", help="list the switches")
    price.add_argument("--json", action="store_true", help="print the pricing and verdict as JSON")
    price.set_defaults(func=cmd_price)

    actions = sub.add_parser("actions", help="list the actions scenarios may ask the SUT to perform")
    actions.set_defaults(func=cmd_actions)

    profiles = sub.add_parser("profiles", help="list the fault profiles of the reference partners")
    profiles.set_defaults(func=cmd_profiles)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.func(args))
    except (ConfigurationError, ReportInputError) as exc:
        print(f"roamcert: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into a pager or head that stopped reading
        return 0


if __name__ == "__main__":
    sys.exit(main())
