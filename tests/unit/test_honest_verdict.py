"""The verdict says what was and was not tested: the check on token A at the versions endpoints, the versions
list that does not offer the version under test, the results writer's verdict and per-platform summary, the
usual interfaces of a role, and a cause for every outcome but PASS."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from conformance.core.case import Case
from conformance.core.catalogue import load_catalogue
from conformance.core.declared import Declaration, platform_record
from conformance.core.exchange import Exchange, ExchangeLog
from conformance.core.findings import Outcome
from conformance.core.results import ResultsWriter
from conformance.ocpi.v2_2_1.checks import REGISTRY
from conformance.ocpi.v2_2_1.checks import credentials as cr
from conformance.pytest_plugin import _outcome

LOG = ExchangeLog()
DETAILS = "https://sut.test/ocpi/cpo/2.2.1"


def _answer(status: int, body: Any) -> Exchange:
    return LOG.record(direction="outbound", method="GET", url=DETAILS, request_headers=[], request_body=None,
                      status=status, response_headers=[("content-type", "application/json")],
                      response_body=json.dumps(body), elapsed_ms=3.0, protocol="OCPI", version="2.2.1")


@pytest.mark.parametrize("status", [401, 403])
def test_token_a_refused_on_the_version_details_says_exactly_that(status: int) -> None:
    refused = _answer(status, {"status_code": 2000, "timestamp": "2026-01-05T08:00:00Z"})
    (finding,) = REGISTRY["ocpi.versions.token_a"].judge(cr.TokenAAnswer(refused, "version details"))
    assert finding.outcome is Outcome.FAIL and finding.requirements == ("OCPI-2.2.1-CR-18",)
    assert finding.message.startswith(f"The SUT refused CREDENTIALS_TOKEN_A on its version details (GET {DETAILS})")
    assert finding.actual == f"HTTP {status}, status_code 2000" and finding.evidence == (refused.id,)


@pytest.mark.parametrize("status", [200, 404, 500])
def test_other_answers_are_not_a_refusal_of_token_a(status: int) -> None:
    answer = _answer(status, {"status_code": 1000, "timestamp": "2026-01-05T08:00:00Z"})
    findings = REGISTRY["ocpi.versions.token_a"].judge(cr.TokenAAnswer(answer, "version details"))
    assert [f.outcome for f in findings] == [Outcome.PASS]


@pytest.mark.parametrize(("versions", "message"), [
    ([{"version": "2.2", "url": "https://sut.test/2.2"}, {"version": "2.1.1", "url": "https://sut.test/2.1.1"}],
     "The versions list does not offer OCPI 2.2.1 (it offers 2.2, 2.1.1)"),
    ([], "The versions list does not offer OCPI 2.2.1 (it offers no version)"),
    ({"oops": 1}, "The versions list does not offer OCPI 2.2.1"),
    ([{"version": "2.2.1", "url": "/ocpi/2.2.1"}], "The versions list gives OCPI 2.2.1 without an absolute URL"),
])
def test_the_versions_list_says_what_it_offers_instead(versions: Any, message: str) -> None:
    (finding,) = REGISTRY["ocpi.versions.mutual"].judge(cr.VersionsAnswer(versions, ("x1",)))
    assert (finding.outcome, finding.message) == (Outcome.FAIL, message)


def test_versions_offered() -> None:
    assert cr.versions_offered([{"version": "2.2"}, {"url": "x"}, "junk", {"version": "2.1.1"}]) == ("2.2", "2.1.1")
    assert cr.versions_offered({"version": "2.2.1"}) is None


CATALOGUE = load_catalogue("OCPI", "2.2.1")


def _writer(tmp_path: Path) -> ResultsWriter:
    return ResultsWriter(tmp_path / "results.ndjson", {"name": "t"}, CATALOGUE)


def _case(role: str, module: str, interface: str, outcome: str) -> dict[str, Any]:
    return {"id": f"{module}-{outcome}", "role": role, "module": module, "interface_role": interface,
            "outcome": outcome, "reason": None if outcome == "PASS" else "why", "findings": [], "requirements": []}


def _summary(path: Path) -> dict[str, Any]:
    line: dict[str, Any] = json.loads(path.read_text("utf-8").splitlines()[-1])
    return line


DECLARED = Declaration(platform="acme", roles=("CPO",), version="2.2.1", versions_offered=("2.1.1", "2.2.1"),
                       interfaces=(("locations", "SENDER"), ("tariffs", "SENDER"), ("credentials", "SENDER")),
                       connection="registered")


def test_the_summary_lists_declared_tested_and_usual_interfaces(tmp_path: Path) -> None:
    writer = _writer(tmp_path)
    writer.test_case(_case("CPO", "locations", "SENDER", "PASS"))
    writer.test_case(_case("CPO", "tariffs", "SENDER", "SKIP"))
    writer.test_case(_case("EMSP", "tokens", "SENDER", "FAIL"))  # another role: not this platform's
    assert writer.close([DECLARED]) == "FAIL"
    (acme,) = _summary(writer.path)["sut"]
    assert acme["version_offered"] is True and acme["connection"] == "registered"
    assert acme["tested"] == [{"module": "locations", "interface_role": "SENDER", "outcomes": {"PASS": 1}},
                              {"module": "tariffs", "interface_role": "SENDER", "outcomes": {"SKIP": 1}}]
    assert acme["declared_not_tested"] == [{"module": "tariffs", "interface_role": "SENDER"},
                                           {"module": "credentials", "interface_role": "SENDER"}]
    assert acme["usual_not_declared"] == [{"module": m, "interface_role": r} for m, r in (
        ("sessions", "SENDER"), ("cdrs", "SENDER"), ("tokens", "RECEIVER"), ("commands", "RECEIVER"))]


def test_a_platform_that_does_not_offer_the_version_gives_its_own_verdict(tmp_path: Path) -> None:
    writer = _writer(tmp_path)
    writer.test_case(_case("CPO", "credentials", "RECEIVER", "FAIL"))
    other = Declaration(platform="old", roles=("CPO",), version="2.2.1", versions_offered=("2.2",),
                        interfaces=None, connection="none")
    assert writer.close([other]) == "VERSION_NOT_OFFERED"
    (old,) = _summary(writer.path)["sut"]
    assert (old["version_offered"], old["declared"], old["usual_not_declared"]) == (False, None, None)


def test_versions_never_read_do_not_make_that_verdict(tmp_path: Path) -> None:
    writer = _writer(tmp_path)
    writer.test_case(_case("CPO", "locations", "SENDER", "PASS"))
    unread = Declaration("x", ("CPO",), "2.2.1", None, None, "none")
    assert unread.version_offered is None and writer.close([unread]) == "PASS"
    assert platform_record(unread, {}, {})["declared_not_tested"] is None


def test_the_catalogue_knows_what_each_role_usually_implements() -> None:
    usual = CATALOGUE.usual_interfaces
    assert set(usual) == {"CPO", "EMSP", "SCSP", "NSP"}
    assert ("locations", "SENDER") in usual["CPO"] and ("locations", "RECEIVER") in usual["EMSP"]
    modules = {module for interfaces in usual.values() for module, _ in interfaces}
    assert modules <= {c.module for c in CATALOGUE.test_cases.values()}


class _Report:
    def __init__(self, outcome: str, longrepr: Any = None) -> None:
        self.passed, self.skipped, self.failed = outcome == "passed", outcome == "skipped", outcome == "failed"
        self.longrepr = longrepr


def test_every_outcome_but_pass_carries_a_cause() -> None:
    case = Case(nodeid="n", log=ExchangeLog())
    assert _outcome(_Report("passed"), case) == (Outcome.PASS, None)  # type: ignore[arg-type]
    outcome, reason = _outcome(_Report("skipped", ("f", 1, "Skipped: ")), case)  # type: ignore[arg-type]
    assert outcome is Outcome.SKIP and reason == "SKIP without a recorded cause (a roamcert bug: please report it)"
    case.mark(Outcome.NOT_APPLICABLE, "")
    outcome, reason = _outcome(_Report("skipped", ("f", 1, "x")), case)  # type: ignore[arg-type]
    assert outcome is Outcome.NOT_APPLICABLE and reason and "without a recorded cause" in reason
    case.mark(Outcome.SKIP, "the SUT does not offer OCPI 2.2.1")
    assert _outcome(_Report("skipped"), case) == (  # type: ignore[arg-type]
        Outcome.SKIP, "the SUT does not offer OCPI 2.2.1")


def test_an_interface_whose_cases_failed_counts_as_tested() -> None:
    assert platform_record(DECLARED, {("locations", "SENDER"): Counter({"FAIL": 2})}, {})["declared_not_tested"] == [
        {"module": "tariffs", "interface_role": "SENDER"}, {"module": "credentials", "interface_role": "SENDER"}]


def test_interfaces_a_case_exercises_beyond_its_module_count_as_tested(tmp_path: Path) -> None:
    """A Hub case's module is "hub"; the Hub's Tokens Receiver it relays a push through is tested all the same."""
    writer = _writer(tmp_path)
    writer.test_case({**_case("HUB", "hub", "", "PASS"),
                      "exercises": [{"module": "tokens", "interface_role": "RECEIVER"}]})
    hub = Declaration("hub", ("HUB",), "2.2.1", ("2.2.1",),
                      (("tokens", "RECEIVER"), ("tokens", "SENDER")), "registered")
    assert writer.close([hub]) == "PASS"
    (record,) = _summary(writer.path)["sut"]
    assert [(t["module"], t["interface_role"]) for t in record["tested"]] == [("hub", ""), ("tokens", "RECEIVER")]
    assert record["declared_not_tested"] == [{"module": "tokens", "interface_role": "SENDER"}]


def test_every_hub_case_names_the_hub_interfaces_it_exercises() -> None:
    hub_cases = [c for c in CATALOGUE.test_cases.values() if c.module == "hub"]
    assert hub_cases and all(c.exercises for c in hub_cases)
    declared_by_a_hub = {m for c in hub_cases for m, _ in c.exercises}
    assert declared_by_a_hub <= {c.module for c in CATALOGUE.test_cases.values()}
