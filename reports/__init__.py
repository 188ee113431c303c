"""Reports for a roamcert run, every format written from the one NDJSON results file.

>>> paths = write_all("results.ndjson", "out")  # doctest: +SKIP
>>> sorted(paths)  # doctest: +SKIP
['coverage', 'html', 'json', 'junit']
"""

from __future__ import annotations

import os
from pathlib import Path

from .html import render_html, write_html
from .json_report import write_coverage, write_json
from .junit import write_junit
from .results import (
    INCOMPLETE,
    VERSION_NOT_OFFERED,
    ExchangeRecord,
    ReportInputError,
    Requirement,
    RequirementCoverage,
    Results,
    Run,
    Step,
    Summary,
    SutPlatform,
    Target,
    TestCase,
    TestedInterface,
    load_results,
    requirement_coverage,
    summarize,
)

__all__ = [
    "INCOMPLETE",
    "REPORT_FILES",
    "VERSION_NOT_OFFERED",
    "ExchangeRecord",
    "ReportInputError",
    "Requirement",
    "RequirementCoverage",
    "Results",
    "Run",
    "Step",
    "Summary",
    "SutPlatform",
    "Target",
    "TestCase",
    "TestedInterface",
    "load_results",
    "render_html",
    "requirement_coverage",
    "summarize",
    "write_all",
    "write_coverage",
    "write_html",
    "write_json",
    "write_junit",
]

#: Report kind -> file name that :func:`write_all` writes in the output directory.
REPORT_FILES = {
    "html": "report.html",
    "junit": "junit.xml",
    "json": "report.json",
    "coverage": "coverage.json",
}


def write_all(results_path: str | os.PathLike[str], out_dir: str | os.PathLike[str]) -> dict[str, Path]:
    """Load ``results_path`` once and write every report into ``out_dir`` (created if needed).

    Returns report kind (``html``, ``junit``, ``json``, ``coverage``) -> path written.
    Raises :class:`ReportInputError` when the results file is malformed; nothing is written then.
    """
    results = load_results(results_path)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    return {
        "html": write_html(results, out / REPORT_FILES["html"]),
        "junit": write_junit(results, out / REPORT_FILES["junit"]),
        "json": write_json(results, out / REPORT_FILES["json"]),
        "coverage": write_coverage(results, out / REPORT_FILES["coverage"]),
    }
