"""The requirement inventory against the specification, both ways: every MUST-class and SHOULD-class statement of an
in-scope spec file is inventoried and mapped (or, for a SHOULD, listed as open), every inventoried statement still
exists in the spec (a stale fingerprint fails), and every mapping names requirements the catalogue holds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conformance.core.catalogue import Catalogue, Requirement, load_catalogue
from conformance.core.inventory import MUST_CLASS, InventoryFile, Statement, inventory_figures, load_inventory
from tests.spec_paths import OCPI_2_2_1_DIR, SPEC_DIR, requires_spec
from tests.spec_statements import Statement as SpecStatement
from tests.spec_statements import statements

#: Spec files whose MUST-class statements the inventory must account for. Extend it when a module's inventory
#: file (conformance/ocpi/v2_2_1/catalogue/inventory/<stem>.toml) is written.
IN_SCOPE = (
    "transport_and_format",
    "credentials",
    "version_information_endpoint",
    "status_codes",
    "types",
    "mod_locations",
    "mod_sessions",
    "mod_cdrs",
    "mod_tariffs",
    "mod_tokens",
    "mod_commands",
    "mod_charging_profiles",
    "mod_hub_client_info",
)

CATALOGUE = load_catalogue("OCPI", "2.2.1")
INVENTORY = load_inventory("OCPI", "2.2.1")
spec = pytest.mark.spec


def _skeleton(missing: list[SpecStatement]) -> str:
    """TOML entries to paste into the inventory for statements it lacks (line numbers to find them by)."""
    return "\n".join(f'# {s.file}.asciidoc line {s.line}\n[[statement]]\nanchor = "{s.anchor}"\n'
                     f'fingerprint = "{s.fingerprint}"\nkeyword = "{s.keyword}"\nrequirements = []\n'
                     for s in missing)


# --------------------------------------------------------------------------------------------- without the spec


def test_inventory_files_are_exactly_the_files_in_scope() -> None:
    assert sorted(INVENTORY) == sorted(IN_SCOPE)


def test_every_mapping_names_catalogue_requirements() -> None:
    unknown = sorted((s.spec, s.fingerprint, rid) for item in INVENTORY.values() for s in item.statements
                     for rid in s.requirements if rid not in CATALOGUE.requirements)
    assert unknown == []


def test_every_statement_is_mapped_or_says_why_it_binds_no_party() -> None:
    for item in INVENTORY.values():
        for s in item.statements:
            assert [bool(s.requirements), bool(s.not_a_party_rule), bool(s.open)].count(True) == 1, (s.spec,
                                                                                                    s.fingerprint)
            for reason in (s.not_a_party_rule, s.open):
                assert reason is None or len(reason) > 30, f"{s.spec} {s.fingerprint}: give a real reason"
            assert s.open is None or s.keyword == "SHOULD", f"{s.spec} {s.fingerprint}: a MUST is never left open"


def test_mapped_requirements_are_must_level() -> None:
    """A MUST-class statement is carried by MUST requirements (a SHOULD one would understate it)."""
    levels = {rid: r.level for rid, r in CATALOGUE.requirements.items()}
    weak = sorted((s.spec, s.fingerprint, rid) for item in INVENTORY.values() for s in item.statements
                  if s.keyword in MUST_CLASS for rid in s.requirements if levels.get(rid, "MUST") != "MUST")
    assert weak == []


def test_should_statements_carried_by_a_must_say_where_the_must_comes_from() -> None:
    """A SHOULD-class statement maps to SHOULD requirements; one whose requirement is a MUST (the stronger rule
    stated elsewhere) says so in a note, so that a recommendation is never silently counted as a rule."""
    levels = {rid: r.level for rid, r in CATALOGUE.requirements.items()}
    should = [s for item in INVENTORY.values() for s in item.statements if s.keyword == "SHOULD"]
    assert len(should) >= 10
    silent = sorted((s.spec, s.fingerprint) for s in should
                    if any(levels.get(rid) == "MUST" for rid in s.requirements) and not s.note)
    assert silent == []


def test_every_mapped_statement_is_covered_or_justified() -> None:
    for module, row in inventory_figures(CATALOGUE).items():
        assert row["uncovered"] == row["unknown_requirement"] == 0, (module, row)
        assert row["statements"] == row["not_a_party_rule"] + row["covered"] + row["justified"], (module, row)
        assert row["statements"] == row["upper"] + row["lower"], (module, row)
        should = row["should"]
        assert should["uncovered"] == should["unknown_requirement"] == 0, (module, should)
        assert should["statements"] == (should["not_a_party_rule"] + should["covered"] + should["justified"]
                                        + should["open"]), (module, should)


def test_figures_count_covered_justified_and_uncovered_statements() -> None:
    catalogue = Catalogue(protocol="OCPI", version="2.2.1", requirements={
        "R-CHECKED": Requirement("R-CHECKED", "t", "s#s_a", "m", "MUST"),
        "R-REASONED": Requirement("R-REASONED", "t", "s#s_a", "m", "MUST", unobservable="why"),
        "R-OPEN": Requirement("R-OPEN", "t", "s#s_a", "m", "MUST"),
    })
    inventory = [InventoryFile("s", "m", (
        Statement("s", "s_a", "00000001", "MUST", ("R-CHECKED", "R-REASONED")),
        Statement("s", "s_a", "00000002", "must", ("R-REASONED",)),
        Statement("s", "s_a", "00000003", "MUST", ("R-OPEN",)),
        Statement("s", "s_a", "00000004", "MUST", ("R-GONE",)),
        Statement("s", "s_a", "00000005", "must", not_a_party_rule="describes the document"),
        Statement("s", "s_a", "00000006", "SHOULD", ("R-CHECKED",)),
        Statement("s", "s_a", "00000007", "SHOULD", ("R-REASONED",)),
        Statement("s", "s_a", "00000008", "SHOULD", open="observable, no check yet"),
        Statement("s", "s_a", "00000009", "SHOULD", open="observable, no check yet either"),
    ))]
    row = inventory_figures(catalogue, inventory, verified={"R-CHECKED"})["m"]
    assert row == {"spec_files": ["s"], "statements": 5, "upper": 3, "lower": 2, "not_a_party_rule": 1,
                   "mapped": 3, "covered": 1, "justified": 1, "uncovered": 1, "unknown_requirement": 1,
                   "should": {"statements": 4, "covered": 1, "justified": 1, "open": 2, "not_a_party_rule": 0,
                              "uncovered": 0, "unknown_requirement": 0}}


# --------------------------------------------------------------------------------------------- against the spec


def _spec_statements(stem: str) -> list[SpecStatement]:
    return statements(OCPI_2_2_1_DIR / f"{stem}.asciidoc")


@spec
@requires_spec
@pytest.mark.parametrize("stem", IN_SCOPE)
def test_every_statement_of_the_spec_is_inventoried(stem: str) -> None:
    inventoried = {s.key for s in INVENTORY[stem].statements}
    found = _spec_statements(stem)
    keys = [s.key for s in found]
    assert len(set(keys)) == len(keys), f"{stem}: one sentence twice in a section; the inventory needs a count"
    missing = [s for s in found if s.key not in inventoried]
    assert not missing, f"{stem}: {len(missing)} statement(s) not inventoried:\n{_skeleton(missing)}"


@spec
@requires_spec
@pytest.mark.parametrize("stem", IN_SCOPE)
def test_every_inventoried_statement_is_still_in_the_spec(stem: str) -> None:
    found = {s.key: s for s in _spec_statements(stem)}
    stale = [(s.anchor, s.fingerprint) for s in INVENTORY[stem].statements if s.key not in found]
    assert stale == [], f"{stem}: fingerprints that match no MUST-class statement of the spec (text changed?)"
    wrong = [(s.fingerprint, s.keyword, found[s.key].keyword) for s in INVENTORY[stem].statements
             if found[s.key].keyword != s.keyword]
    assert wrong == []


@spec
@requires_spec
def test_the_reading_counts_what_the_requirements_index_counts() -> None:
    """Our sentence reading gives the MUST and lower-case must/shall counts of REQUIREMENTS-INDEX.md."""
    index = (SPEC_DIR / "REQUIREMENTS-INDEX.md").read_text(encoding="utf-8")
    header = "| file | any | MUST | SHOULD | MAY | NOT | lc must/shall |"
    assert header in index
    rows = {m.group(1): (int(m.group(2)), int(m.group(3)))
            for m in re.finditer(r"^\| (\w+)\.asciidoc \| \d+ \| (\d+) \| \d+ \| \d+ \| \d+ \| (\d+) \|", index, re.M)}
    should = {m.group(1): int(m.group(2))
              for m in re.finditer(r"^\| (\w+)\.asciidoc \| \d+ \| \d+ \| (\d+) \|", index, re.M)}
    for path in sorted(Path(OCPI_2_2_1_DIR).glob("*.asciidoc")):
        found = _spec_statements(path.stem)
        counted = (sum(s.keyword == "MUST" for s in found), sum(s.keyword == "must" for s in found))
        assert counted == rows[path.stem], path.name
        # the index counts SHOULD and SHOULD NOT; our SHOULD class adds the sentences with RECOMMENDED only
        with_should = sum(s.keyword == "SHOULD" and re.search(r"\bSHOULD\b", s.text) is not None for s in found)
        assert with_should == should[path.stem], path.name


# --------------------------------------------------------------------------------------------- where the figures show


def test_coverage_command_prints_the_inventory_per_module(capsys: pytest.CaptureFixture[str]) -> None:
    from conformance.cli import main

    assert main(["coverage"]) == 0
    out = capsys.readouterr().out.split("MUST-class statements of the specification", 1)[1]
    figures = inventory_figures(CATALOGUE)
    for module, row in figures.items():
        line = next(line for line in out.splitlines() if line.split()[:1] == [module])
        assert line.split()[1:7] == [str(row["statements"]), f"{row['upper']}/{row['lower']}", str(row["mapped"]),
                                     str(row["covered"]), str(row["justified"]), str(row["not_a_party_rule"])]
    total = sum(row["statements"] for row in figures.values())
    assert next(line for line in out.splitlines() if line.split()[:1] == ["total"]).split()[1] == str(total)


def test_coverage_command_prints_the_should_statements_per_module(capsys: pytest.CaptureFixture[str]) -> None:
    from conformance.cli import main

    assert main(["coverage"]) == 0
    out = capsys.readouterr().out.split("SHOULD-class statements of the specification", 1)[1]
    figures = {module: row["should"] for module, row in inventory_figures(CATALOGUE).items()}
    shown = [module for module, row in figures.items() if row["statements"]]
    assert shown
    for module in shown:
        row = figures[module]
        line = next(line for line in out.splitlines() if line.split()[:1] == [module])
        assert line.split()[1:6] == [str(row[k]) for k in ("statements", "covered", "justified", "open",
                                                              "not_a_party_rule")]
    total = next(line for line in out.splitlines() if line.split()[:1] == ["total"]).split()[1:6]
    assert total == [str(sum(row[k] for row in figures.values()))
                     for k in ("statements", "covered", "justified", "open", "not_a_party_rule")]


def test_the_results_summary_carries_the_inventory(tmp_path: Path) -> None:
    import json

    from conformance.core.results import ResultsWriter

    writer = ResultsWriter(tmp_path / "results.ndjson", {"name": "t"}, CATALOGUE)
    writer.close()
    summary = json.loads((tmp_path / "results.ndjson").read_text(encoding="utf-8").splitlines()[-1])
    assert summary["type"] == "summary"
    assert summary["inventory"] == inventory_figures(CATALOGUE)
