"""One self-contained HTML report for certification engineers.

No external resources: CSS and a little vanilla JS are inline, and a Content-Security-Policy
forbids loading anything else. Everything that comes from the results file (and so, in part,
from the system under test) goes through :func:`_e`, i.e. ``html.escape``; the page works
without JS (filters and "expand all" are the only things that need it).
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import os
import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path
from string import Template

from conformance.core.findings import Finding, Outcome

from .results import (
    OUTCOMES,
    ExchangeRecord,
    Requirement,
    Results,
    SutPlatform,
    TestCase,
    requirement_coverage,
    spec_url,
    summarize,
)

__all__ = ["render_html", "write_html"]

_DASH = '<span class="muted">—</span>'
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_SPEC_STEM = re.compile(r"[A-Za-z0-9_.-]+")
_FILTERS = (
    ("all", "All", "every test case"),
    ("failed", "Failed", "FAIL and ERROR"),
    ("passed", "Passed", "PASS"),
    ("na", "Not applicable", "NOT_APPLICABLE, SKIP and MANUAL_PENDING"),
)
_FILTER_OF = {
    "FAIL": "failed",
    "ERROR": "failed",
    "PASS": "passed",
    "NOT_APPLICABLE": "na",
    "SKIP": "na",
    "MANUAL_PENDING": "na",
}
_BADGE_CLASS = {
    "PASS": "pass",
    "FAIL": "fail",
    "ERROR": "error",
    "SKIP": "skip",
    "NOT_APPLICABLE": "na",
    "MANUAL_PENDING": "manual",
    "NOT_COVERED": "skip",
    "WARNING": "warn",
    "INCOMPLETE": "warn",
    "VERSION_NOT_OFFERED": "fail v-long",
}


def _e(value: object) -> str:
    """Escape any text for HTML (element content and quoted attributes); strip control characters."""
    return html.escape(_CONTROLS.sub("", str(value)), quote=True)


def _badge(outcome: str) -> str:
    return f'<span class="badge b-{_BADGE_CLASS.get(outcome, "other")}">{_e(outcome)}</span>'


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    if seconds < 60:
        return f"{seconds:.2f} s" if seconds < 10 else f"{seconds:.1f} s"
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min {secs:02d} s"


def _timestamp(value: str | None) -> str:
    if not value:
        return "—"
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return _e(value)
    zone = moment.tzname() or ""
    shown = moment.strftime("%Y-%m-%d %H:%M:%S") + (" UTC" if zone == "UTC" else f" {zone}".rstrip())
    return f'<time datetime="{_e(value)}">{_e(shown)}</time>'


def _breakable(text: str) -> str:
    """Escaped text with line break opportunities after "_" and before "#" (long spec anchors)."""
    return "<wbr>".join(_e(part) for part in re.split(r"(?<=_)|(?=#)", text))


def _spec(spec: str, base: str) -> str:
    """A spec reference as text plus a link to the spec sources of the run's protocol version."""
    if not spec:
        return _DASH
    url = spec_url(spec, base) if _SPEC_STEM.fullmatch(spec.partition("#")[0]) else None
    if url is None:
        return f"<code>{_e(spec)}</code>"
    return (
        f'<a class="spec" href="{_e(url)}" target="_blank" rel="noopener noreferrer">'
        f"<code>{_breakable(spec)}</code></a>"
    )


def _codes(values: Iterable[str]) -> str:
    items = [f'<code class="id">{_e(v)}</code>' for v in values]
    return " ".join(items) if items else _DASH


class _Anchors:
    """Unique, safe element ids for test cases, findings and exchanges."""

    def __init__(self, cases: Iterable[TestCase], spec_base: str = "") -> None:
        self.spec_base = spec_base  # where spec references link to
        self._ids: dict[int, str] = {}
        self.by_case_id: dict[str, str] = {}
        taken: set[str] = set()
        for index, tc in enumerate(cases):
            base = "tc-" + (re.sub(r"[^A-Za-z0-9_.-]+", "-", tc.id).strip("-") or str(index + 1))
            anchor, n = base, 1
            while anchor in taken:
                n += 1
                anchor = f"{base}-{n}"
            taken.add(anchor)
            self._ids[id(tc)] = anchor
            self.by_case_id.setdefault(tc.id, anchor)

    def case(self, tc: TestCase) -> str:
        return self._ids[id(tc)]

    def exchange(self, tc: TestCase, exchange_id: str) -> str:
        return f"{self.case(tc)}--{re.sub(r'[^A-Za-z0-9_.-]+', '-', exchange_id)}"


# --------------------------------------------------------------------------- header and summary


def _facts(results: Results) -> str:
    run, summary = results.run, results.summary
    facts = [
        ("Started", _timestamp(run.started)),
        ("Duration", _e(_duration(summary.duration_s))),
        ("Finished", _timestamp(summary.finished) if results.complete else "not finished"),
        ("Run ID", f"<code>{_e(run.run_id)}</code>"),
        ("roamcert", _e(run.roamcert_version or "—")),
        ("Versions URL", f"<code>{_e(run.target.versions_url)}</code>" if run.target.versions_url else "—"),
    ]
    return "".join(f"<div><dt>{name}</dt><dd>{value}</dd></div>" for name, value in facts)


def _header(results: Results) -> str:
    target = results.run.target
    verdict = results.verdict
    roles = ", ".join(target.roles) or "—"
    return f"""<header class="masthead">
<div class="wrap head-grid">
  <div class="verdict-box v-{_BADGE_CLASS.get(verdict, "fail")}" role="status">
    <div class="verdict-label">Verdict</div>
    <div class="verdict" id="verdict">{_e(verdict)}</div>
  </div>
  <div class="head-main">
    <div class="eyebrow">roamcert conformance report</div>
    <h1>{_e(target.name)}</h1>
    <p class="sub">{_e(target.protocol)} {_e(target.version)}<span class="sep">·</span>Roles: {_e(roles)}</p>
  </div>
  <dl class="facts">{_facts(results)}</dl>
</div>
</header>"""


def _notes(results: Results) -> str:
    if not results.notes:
        return ""
    items = "".join(f"<li>{_e(note)}</li>" for note in results.notes)
    cls = "alert-warn" if results.complete else "alert-warn alert-strong"
    return f'<div class="alert {cls}" role="alert"><strong>Attention</strong><ul>{items}</ul></div>'


def _tiles(results: Results) -> str:
    counts = {o: sum(tc.outcome.value == o for tc in results.test_cases) for o in OUTCOMES}
    total = len(results.test_cases)
    reqs = list(results.summary.requirements.values())
    covered = sum(r.outcome not in {"NOT_COVERED", "NOT_APPLICABLE"} for r in reqs)
    tiles = [
        ("Test cases", str(total), ""),
        ("Passed", str(counts["PASS"]), "t-pass"),
        ("Failed", str(counts["FAIL"]), "t-fail" if counts["FAIL"] else ""),
        ("Errors", str(counts["ERROR"]), "t-error" if counts["ERROR"] else ""),
        ("Not applicable / skipped", str(counts["NOT_APPLICABLE"] + counts["SKIP"]), ""),
        ("Manual pending", str(counts["MANUAL_PENDING"]), ""),
        ("Requirements exercised", f"{covered} / {len(reqs)}", ""),
    ]
    html_tiles = "".join(
        f'<div class="tile {cls}"><div class="tile-n">{_e(n)}</div>'
        f'<div class="tile-l">{_e(label)}</div></div>'
        for label, n, cls in tiles
    )
    bar = "".join(
        f'<span class="seg b-{_BADGE_CLASS[o]}" style="flex-grow:{n}" title="{_e(o)}: {n}"></span>'
        for o, n in counts.items()
        if n
    )
    return f'<div class="tiles">{html_tiles}</div><div class="bar" aria-hidden="true">{bar}</div>'


def _summary_table(results: Results) -> str:
    groups = summarize(results)
    head = "".join(f"<th class='num'>{_e(o.replace('_', ' '))}</th>" for o in OUTCOMES)
    rows = []
    totals = dict.fromkeys(OUTCOMES, 0)
    for (module, role), counts in groups.items():
        cells = []
        for outcome in OUTCOMES:
            n = counts[outcome]
            totals[outcome] += n
            cls = f"num c-{_BADGE_CLASS[outcome]}" if n else "num zero"
            cells.append(f'<td class="{cls}">{n}</td>')
        total = sum(counts.values())
        rows.append(
            f"<tr><td>{_e(module)}</td><td>{_e(role)}</td>{''.join(cells)}<td class='num'>{total}</td></tr>"
        )
    foot = "".join(f"<td class='num'>{totals[o]}</td>" for o in OUTCOMES)
    if not rows:
        return '<p class="muted">No test case was recorded.</p>'
    return f"""<table class="grid summary-table">
<thead><tr><th>Module</th><th>Role</th>{head}<th class="num">Total</th></tr></thead>
<tbody>{"".join(rows)}</tbody>
<tfoot><tr><td colspan="2">All</td>{foot}<td class="num">{sum(totals.values())}</td></tr></tfoot>
</table>"""


def _interfaces(items: Iterable[tuple[str, str]] | None, empty: str = "none") -> str:
    if items is None:
        return '<span class="muted">not read (roamcert never reached its version details)</span>'
    listed = [f"<code>{_e(module)}</code> {_e(role.lower())}" for module, role in items]
    return ", ".join(listed) if listed else f'<span class="muted">{_e(empty)}</span>'


def _platform(p: SutPlatform) -> str:
    if p.versions_offered is None:
        offered = '<span class="muted">not read</span>'
    else:
        offered = _e(", ".join(p.versions_offered) or "no version")
        if p.version_offered is False:
            offered += f' <strong class="c-fail">(not {_e(p.version)}: nothing of {_e(p.version)} was tested)</strong>'
    tested = [(t.module, t.interface_role) for t in p.tested if t.exercised]
    rows = [
        ("Versions offered", offered),
        ("Connection", _e(p.connection)),
        ("Declared", _interfaces(p.declared)),
        ("Tested (a case judged it)", _interfaces(tested)),
        ("Declared, not tested", _interfaces(p.declared_not_tested)),
        ("Usual for its role, not declared", _interfaces(p.usual_not_declared)),
    ]
    body = "".join(f"<tr><th>{name}</th><td>{value}</td></tr>" for name, value in rows)
    return (f'<h3>{_e(p.platform)} <span class="muted">{_e(", ".join(p.roles))}</span></h3>'
            f'<table class="grid declared-table"><tbody>{body}</tbody></table>')


def _declared(results: Results) -> str:
    """Per SUT platform: what it declared, what was tested, and what its role usually has but it did not declare."""
    if not results.summary.sut:
        return ""
    return ('<section id="declared"><h2>Declared and tested</h2>'
            + "".join(_platform(p) for p in results.summary.sut) + "</section>")


def _attention(results: Results, anchors: _Anchors) -> str:
    bad = [tc for tc in results.test_cases if tc.outcome in (Outcome.FAIL, Outcome.ERROR)]
    if not bad:
        return ""
    items = []
    for tc in bad:
        why = next((f.message for f in tc.blocking_findings), tc.reason or "")
        items.append(
            f'<li>{_badge(tc.outcome.value)} <a href="#{anchors.case(tc)}"><code>{_e(tc.id)}</code></a> '
            f'{_e(tc.title)}<span class="why">{_e(why)}</span></li>'
        )
    return f"""<section id="attention"><h2>Needs attention <span class="count">{len(bad)}</span></h2>
<ul class="attention">{"".join(items)}</ul></section>"""


def _coverage(results: Results, anchors: _Anchors) -> str:
    rows = []
    for item in requirement_coverage(results):
        req: Requirement = item.requirement
        links = " ".join(
            f'<a href="#{anchors.by_case_id[tc_id]}">{_e(tc_id)}</a>'
            for tc_id in item.test_cases
            if tc_id in anchors.by_case_id
        )
        rows.append(
            f"<tr><td><code>{_e(req.id)}</code></td><td>{_e(req.title) or _DASH}</td>"
            f"<td>{_spec(req.spec, anchors.spec_base)}</td><td>{_e(req.module)}</td><td>{_badge(req.outcome)}</td>"
            f"<td class='links'>{links or _DASH}</td></tr>"
        )
    if not rows:
        return '<p class="muted">No requirement was listed.</p>'
    return f"""<table class="grid coverage-table">
<thead><tr><th>Requirement</th><th>Title</th><th>Spec</th><th>Module</th><th>Outcome</th>
<th>Test cases</th></tr></thead>
<tbody>{"".join(rows)}</tbody></table>"""


# --------------------------------------------------------------------------- test cases


def _pretty(body: str) -> str:
    try:
        parsed = json.loads(body)
    except ValueError:
        return body
    if not isinstance(parsed, dict | list):
        return body
    return json.dumps(parsed, indent=2, ensure_ascii=False)


def _headers(headers: Mapping[str, str]) -> str:
    if not headers:
        return '<pre class="code muted">(no headers)</pre>'
    lines = "\n".join(f'<span class="hn">{_e(k)}:</span> {_e(v)}' for k, v in headers.items())
    return f'<pre class="code">{lines}</pre>'


def _body(body: str | None) -> str:
    if body is None:
        return '<pre class="code muted">(no body)</pre>'
    if not body:
        return '<pre class="code muted">(empty body)</pre>'
    return f'<pre class="code">{_e(_pretty(body))}</pre>'


def _status(status: int | None) -> str:
    if status is None:
        return '<span class="status s-none">no response</span>'
    cls = {2: "s-ok", 3: "s-redirect", 4: "s-client", 5: "s-server"}.get(status // 100, "s-none")
    return f'<span class="status {cls}">{status}</span>'


def _exchange(tc: TestCase, x: ExchangeRecord, anchors: _Anchors, cited_by: list[tuple[str, str]]) -> str:
    direction = "roamcert → SUT" if x.direction == "outbound" else "SUT → roamcert"
    elapsed = f"{x.elapsed_ms:.1f} ms" if x.elapsed_ms is not None else "—"
    tag = '<span class="tag">evidence</span>' if cited_by else ""
    error = f'<div class="alert alert-error"><strong>Error</strong> {_e(x.error)}</div>' if x.error else ""
    error += "".join(f'<div class="alert alert-warn"><strong>Rate limited</strong> {_e(note)}</div>'
                     for note in x.retries)
    back = ""
    if cited_by:
        links = " ".join(f'<a href="#{a}"><code>{_e(label)}</code></a>' for a, label in cited_by)
        back = f'<p class="backrefs">Cited by {links}</p>'
    opened = " open" if x.error or (cited_by and tc.outcome in (Outcome.FAIL, Outcome.ERROR)) else ""
    return f"""<details class="exchange" id="{anchors.exchange(tc, x.id)}"{opened}>
<summary><code class="xid">{_e(x.id)}</code><span class="dir">{_e(direction)}</span>
<span class="method">{_e(x.method)}</span><span class="url">{_e(x.url)}</span>{_status(x.status)}
<span class="elapsed">{_e(elapsed)}</span>{tag}</summary>
<div class="x-body">{error}{back}
<div class="x-grid">
<div><h5>Request</h5>{_headers(x.request_headers)}{_body(x.request_body)}</div>
<div><h5>Response</h5>{_headers(x.response_headers)}{_body(x.response_body)}</div>
</div></div></details>"""


def _evidence(tc: TestCase, finding: Finding, anchors: _Anchors) -> str:
    if not finding.evidence:
        return ""
    links = []
    for xid in finding.evidence:
        x = tc.exchange(xid)
        if x is None:
            links.append(f'<span class="muted"><code>{_e(xid)}</code> (not recorded)</span>')
            continue
        status = x.status if x.status is not None else "no response"
        label = f"{x.id}: {x.method} {x.url} → {status}"
        links.append(f'<a class="ev" href="#{anchors.exchange(tc, xid)}">{_e(label)}</a>')
    return f'<div class="evidence"><span class="k">Evidence</span>{"".join(links)}</div>'


def _value_box(title: str, value: str | None) -> str:
    content = _e(_pretty(value)) if value is not None else '<span class="muted">(not given)</span>'
    return f'<div class="vb"><h5>{title}</h5><pre class="code">{content}</pre></div>'


def _finding(tc: TestCase, index: int, finding: Finding, anchors: _Anchors) -> str:
    if finding.blocking:
        kind, label = "fail", finding.outcome.value
    elif finding.outcome is Outcome.FAIL:
        kind, label = "warn", "WARNING"
    else:
        kind, label = _BADGE_CLASS.get(finding.outcome.value, "other"), finding.outcome.value
    compare = ""
    if finding.expected is not None or finding.actual is not None:
        compare = f'<div class="compare">{_value_box("Expected", finding.expected)}'
        compare += f"{_value_box('Actual', finding.actual)}</div>"
    return f"""<div class="finding f-{kind}" id="{anchors.case(tc)}-f{index}">
<div class="f-head">{_badge(label)}<code class="check">{_e(finding.check_id)}</code>
<span class="sev sev-{_e(finding.severity.value.lower())}">{_e(finding.severity.value)}</span>
<span class="reqs">{_codes(finding.requirements)}</span></div>
<p class="msg">{_e(finding.message)}</p>{compare}
<div class="f-foot"><span class="k">Spec</span>{_spec(finding.spec, anchors.spec_base)}</div>
{_evidence(tc, finding, anchors)}</div>"""


def _findings(tc: TestCase, anchors: _Anchors) -> str:
    if not tc.findings:
        return ""
    order = sorted(
        enumerate(tc.findings, start=1),
        key=lambda pair: (not pair[1].blocking, pair[1].outcome is not Outcome.FAIL, pair[1].outcome.value),
    )
    cards = [_finding(tc, i, f, anchors) for i, f in order if f.outcome is not Outcome.PASS]
    passed = [(i, f) for i, f in order if f.outcome is Outcome.PASS]
    rows = "".join(
        f'<tr id="{anchors.case(tc)}-f{i}"><td>{_badge("PASS")}</td><td><code>{_e(f.check_id)}</code></td>'
        f"<td>{_codes(f.requirements)}</td><td>{_e(f.message)}</td><td>{_spec(f.spec, anchors.spec_base)}</td></tr>"
        for i, f in passed
    )
    table = f'<table class="grid passed-checks"><tbody>{rows}</tbody></table>' if rows else ""
    return f"<h4>Findings <span class='count'>{len(tc.findings)}</span></h4>{''.join(cards)}{table}"


def _steps(tc: TestCase) -> str:
    if not tc.steps:
        return ""
    items = "".join(
        f'<li class="st-{_BADGE_CLASS.get(s.outcome.value, "other")}">'
        f'<span class="kw">{_e(s.keyword)}</span> '
        f"<span class='sn'>{_e(s.name)}</span>{_badge(s.outcome.value)}</li>"
        for s in tc.steps
    )
    return f'<h4>Steps</h4><ol class="steps">{items}</ol>'


def _case_facts(tc: TestCase) -> str:
    facts = [
        ("Module", _e(tc.module)),
        ("Role", _e(tc.role) + (f" ({_e(tc.interface_role)})" if tc.interface_role else "")),
        ("Version", _e(tc.version or "—")),
        ("Duration", _e(_duration(tc.duration_s))),
        ("Requirements", _codes(tc.requirements)),
        ("Scenario", _e(tc.scenario or "—")),
        ("Feature", f"<code>{_e(tc.feature)}</code>" if tc.feature else "—"),
        ("Node id", f"<code>{_e(tc.nodeid)}</code>" if tc.nodeid else "—"),
    ]
    return '<dl class="kv">' + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in facts) + "</dl>"


def _test_case(tc: TestCase, anchors: _Anchors) -> str:
    outcome = tc.outcome.value
    opened = " open" if tc.outcome in (Outcome.FAIL, Outcome.ERROR) else ""
    reason = f'<p class="reason"><span class="k">Reason</span>{_e(tc.reason)}</p>' if tc.reason else ""
    cited: dict[str, list[tuple[str, str]]] = {}
    for i, f in enumerate(tc.findings, start=1):
        for xid in f.evidence:
            cited.setdefault(xid, []).append((f"{anchors.case(tc)}-f{i}", f.check_id))
    exchanges = "".join(_exchange(tc, x, anchors, cited.get(x.id, [])) for x in tc.exchanges)
    if exchanges:
        exchanges = f"<h4>HTTP exchanges <span class='count'>{len(tc.exchanges)}</span></h4>{exchanges}"
    n_warn = len(tc.warnings)
    warn = f'<span class="tag tag-warn">{n_warn} warning{"s" * (n_warn != 1)}</span>' if n_warn else ""
    if tc.reason and not opened:
        warn += f'<span class="tc-reason" title="{_e(tc.reason)}">{_e(tc.reason)}</span>'

    return f"""<details class="tc o-{_BADGE_CLASS.get(outcome, "other")}" id="{anchors.case(tc)}"
 data-outcome="{_e(outcome)}" data-filter="{_FILTER_OF.get(outcome, "na")}"{opened}>
<summary>{_badge(outcome)}<span class="tc-id">{_e(tc.id)}</span><span class="tc-title">{_e(tc.title)}</span>
{warn}<span class="tc-meta">{_e(tc.module)} · {_e(tc.role)} · {_e(_duration(tc.duration_s))}</span></summary>
<div class="tc-body">{_case_facts(tc)}{reason}{_steps(tc)}{_findings(tc, anchors)}{exchanges}</div>
</details>"""


def _toolbar(results: Results) -> str:
    counts = {key: 0 for key, _, _ in _FILTERS}
    counts["all"] = len(results.test_cases)
    for tc in results.test_cases:
        counts[_FILTER_OF.get(tc.outcome.value, "na")] += 1
    buttons = "".join(
        f'<button type="button" data-filter="{key}" aria-pressed="{str(key == "all").lower()}" '
        f'title="Show {hint}">{label} <span class="n">{counts[key]}</span></button>'
        for key, label, hint in _FILTERS
    )
    return f"""<div class="toolbar" role="toolbar" aria-label="Filter test cases">
<div class="filters">{buttons}</div>
<div class="tools"><span id="shown-count" class="muted"></span>
<button type="button" data-toggle="open">Expand all</button>
<button type="button" data-toggle="close">Collapse all</button></div></div>"""


# --------------------------------------------------------------------------- page

_PAGE = Template("""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="$csp">
<meta name="roamcert-verdict" content="$verdict">
<meta name="generator" content="roamcert $version">
<title>$verdict · $target · roamcert conformance report</title>
<style>$css</style>
</head>
<body>
$header
<main class="wrap">
$notes
<section id="summary"><h2>Summary</h2>$tiles$summary_table</section>
$declared
$attention
<section id="coverage"><h2>Requirement coverage <span class="count">$n_requirements</span></h2>
$coverage</section>
<section id="test-cases"><h2>Test cases <span class="count">$n_cases</span></h2>
$toolbar
<div class="cases">$cases</div>
<p id="no-match" class="muted" hidden>No test case matches this filter.</p>
</section>
</main>
<footer class="wrap">Generated by roamcert $version from <code>$source</code> ·
run <code>$run_id</code></footer>
<script>$script</script>
</body>
</html>
""")


def _csp() -> str:
    digest = base64.b64encode(hashlib.sha256(SCRIPT.encode("utf-8")).digest()).decode("ascii")
    return (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
        f"script-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'"
    )


def render_html(results: Results) -> str:
    """The HTML report as a string."""
    anchors = _Anchors(results.test_cases, results.run.target.spec_base)
    return _PAGE.substitute(
        csp=_csp(),
        verdict=_e(results.verdict),
        version=_e(results.run.roamcert_version),
        target=_e(results.run.target.name),
        css=CSS,
        header=_header(results),
        notes=_notes(results),
        tiles=_tiles(results),
        summary_table=_summary_table(results),
        declared=_declared(results),
        attention=_attention(results, anchors),
        n_requirements=len(results.summary.requirements),
        coverage=_coverage(results, anchors),
        n_cases=len(results.test_cases),
        toolbar=_toolbar(results),
        cases="\n".join(_test_case(tc, anchors) for tc in results.test_cases),
        source=_e(results.source.name),
        run_id=_e(results.run.run_id),
        script=SCRIPT,
    )


def write_html(results: Results, path: str | os.PathLike[str]) -> Path:
    """Write the self-contained HTML report to ``path``; returns the path."""
    out = Path(path)
    out.write_text(render_html(results), encoding="utf-8")
    return out


# --------------------------------------------------------------------------- inline assets

CSS = """
:root{--bg:#f4f6f9;--card:#fff;--ink:#1d2939;--muted:#667085;--line:#e4e7ec;--head:#0f1b2d;
--pass:#15803d;--pass-bg:#e8f5ec;--fail:#c62828;--fail-bg:#fdecec;--error:#b54708;--error-bg:#fff1e6;
--warn:#a15c07;--warn-bg:#fff7e0;--na:#475467;--na-bg:#eef1f5;--manual:#5b3fc4;--manual-bg:#f1edfd;
--link:#1d4ed8;
--mono:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono","DejaVu Sans Mono",monospace}
*{box-sizing:border-box}
html{font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;
color:var(--ink);background:var(--bg)}
body{margin:0}
a{color:var(--link);text-decoration:none}a:hover{text-decoration:underline}
code,pre{font-family:var(--mono);font-size:12.5px}
code{background:#f2f4f7;border-radius:4px;padding:1px 5px;overflow-wrap:break-word}
.grid td:first-child code,code.id{white-space:nowrap}
.muted{color:var(--muted)}
.wrap{max-width:1240px;margin:0 auto;padding:0 24px}
.masthead{background:var(--head);color:#f2f4f7;padding:26px 0;margin-bottom:24px;
border-bottom:4px solid #24344d}
.head-grid{display:grid;grid-template-columns:auto 1fr auto;gap:32px;align-items:center}
.verdict-box{border-radius:12px;padding:12px 28px 14px;text-align:center;min-width:200px;color:#fff;
box-shadow:0 2px 10px rgba(0,0,0,.25)}
.v-pass{background:var(--pass)}.v-fail{background:var(--fail)}.v-warn{background:#c2570c}
.verdict-label{font-size:11px;letter-spacing:.14em;text-transform:uppercase;opacity:.85}
.verdict{font-size:44px;font-weight:800;letter-spacing:.05em;line-height:1.1}
.v-warn .verdict{font-size:30px;padding:7px 0 4px}
.v-long .verdict{font-size:20px;padding:14px 0 8px}
.eyebrow{font-size:11px;letter-spacing:.12em;text-transform:uppercase;color:#98a2b3}
h1{margin:2px 0 4px;font-size:26px;font-weight:700;overflow-wrap:anywhere}
.sub{margin:0;color:#d0d5dd}.sep{margin:0 10px;color:#667085}
.facts{display:grid;grid-template-columns:repeat(2,minmax(150px,auto));gap:8px 28px;margin:0;font-size:13px}
.facts dt{color:#98a2b3;font-size:10.5px;text-transform:uppercase;letter-spacing:.08em}
.facts dd{margin:0;color:#f2f4f7;overflow-wrap:anywhere;max-width:340px}
.facts code{color:#f2f4f7;background:rgba(255,255,255,.1)}
section{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:20px 22px;
margin-bottom:20px;box-shadow:0 1px 2px rgba(16,24,40,.04)}
h2{font-size:16px;margin:0 0 14px;font-weight:650}
h4{font-size:13px;margin:18px 0 8px;text-transform:uppercase;letter-spacing:.06em;color:#475467}
h5{font-size:11px;margin:0 0 4px;text-transform:uppercase;letter-spacing:.06em;color:var(--muted)}
.count{display:inline-block;min-width:22px;padding:0 7px;border-radius:10px;background:#eef1f5;
color:#475467;font-size:12px;font-weight:600;text-align:center;vertical-align:1px}
.alert{border-radius:8px;padding:12px 16px;margin-bottom:20px;border:1px solid}
.alert ul{margin:4px 0 0;padding-left:20px}
.alert-warn{background:var(--warn-bg);border-color:#f5d58a;color:#7a4505}
.alert-strong{border-left:6px solid #d97706}
.alert-error{background:var(--error-bg);border-color:#f9c8a7;color:#8a3a06;margin:0 0 10px;padding:8px 12px}
.tiles{display:grid;grid-template-columns:repeat(7,1fr);gap:10px;margin-bottom:10px}
.tile{border:1px solid var(--line);border-radius:8px;padding:10px 12px;background:#fcfcfd}
.tile-n{font-size:22px;font-weight:700}.tile-l{font-size:12px;color:var(--muted)}
.t-pass .tile-n{color:var(--pass)}.t-fail{background:var(--fail-bg);border-color:#f5c2c2}
.t-fail .tile-n{color:var(--fail)}.t-error{background:var(--error-bg)}.t-error .tile-n{color:var(--error)}
.bar{display:flex;height:8px;border-radius:4px;overflow:hidden;background:#eef1f5;margin-bottom:18px}
.seg{display:block;min-width:3px}
.grid{width:100%;border-collapse:collapse;font-size:13px}
.grid th{text-align:left;font-size:11px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted);
font-weight:600;border-bottom:2px solid var(--line);padding:7px 10px;white-space:nowrap}
.grid td{border-bottom:1px solid var(--line);padding:7px 10px;vertical-align:top}
.grid tbody tr:hover{background:#f9fafb}
.grid tfoot td{font-weight:700;border-bottom:0;border-top:2px solid var(--line)}
.num{text-align:right;font-variant-numeric:tabular-nums}
.zero{color:#c0c6d0}
.c-pass{color:var(--pass);font-weight:700}.c-fail{color:var(--fail);font-weight:700}
.c-error{color:var(--error);font-weight:700}.c-na,.c-skip{color:var(--na);font-weight:700}
.c-manual{color:var(--manual);font-weight:700}
.links a{margin-right:8px;font-family:var(--mono);font-size:12px;white-space:nowrap}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:11px;font-weight:700;
letter-spacing:.03em;white-space:nowrap;border:1px solid transparent;line-height:1.6}
.b-pass{background:var(--pass-bg);color:var(--pass);border-color:#b7e1c4}
.b-fail{background:var(--fail-bg);color:var(--fail);border-color:#f5c2c2}
.b-error{background:var(--error-bg);color:var(--error);border-color:#f9c8a7}
.b-warn{background:var(--warn-bg);color:var(--warn);border-color:#f5d58a}
.b-na,.b-skip,.b-other{background:var(--na-bg);color:var(--na);border-color:#d5dae1}
.b-manual{background:var(--manual-bg);color:var(--manual);border-color:#d6cbf8}
.seg.b-pass{background:var(--pass)}.seg.b-fail{background:var(--fail)}.seg.b-error{background:#e07b1a}
.seg.b-na,.seg.b-skip{background:#98a2b3}.seg.b-manual{background:#8b73e0}
.attention{list-style:none;margin:0;padding:0}
.attention li{padding:8px 0;border-bottom:1px solid var(--line);display:flex;gap:10px;align-items:baseline;
flex-wrap:wrap}
.attention li:last-child{border-bottom:0}
.why{flex-basis:100%;color:#475467;padding-left:4px;font-size:13px}
.toolbar{display:flex;justify-content:space-between;align-items:center;gap:12px;flex-wrap:wrap;
margin-bottom:14px}
.toolbar button{font:inherit;font-size:13px;border:1px solid #d0d5dd;background:#fff;color:var(--ink);
border-radius:6px;padding:5px 12px;cursor:pointer}
.toolbar button:hover{background:#f2f4f7}
.filters button[aria-pressed=true]{background:var(--head);border-color:var(--head);color:#fff}
.filters button .n{display:inline-block;margin-left:4px;padding:0 6px;border-radius:8px;
background:rgba(127,127,127,.18);font-size:11px}
.tools{display:flex;gap:8px;align-items:center}
.filters{display:flex;gap:6px}
details.tc{border:1px solid var(--line);border-left:4px solid #d0d5dd;border-radius:8px;margin-bottom:10px;
background:#fff}
details.tc.o-pass{border-left-color:var(--pass)}details.tc.o-fail{border-left-color:var(--fail)}
details.tc.o-error{border-left-color:#e07b1a}details.tc.o-manual{border-left-color:#8b73e0}
details.tc>summary{cursor:pointer;padding:10px 14px;display:flex;gap:12px;align-items:center;
list-style:none}
details>summary::-webkit-details-marker{display:none}
details.tc>summary::before,details.exchange>summary::before{content:"\\25B8";color:#98a2b3;
transition:transform .15s;display:inline-block}
details[open].tc>summary::before,details[open].exchange>summary::before{transform:rotate(90deg)}
details[open].tc>summary{border-bottom:1px solid var(--line);background:#fafbfc;
border-radius:8px 8px 0 0}
.tc-id{font-family:var(--mono);font-size:12.5px;font-weight:600;white-space:nowrap}
.tc-title{font-weight:500;min-width:0}
.tc-reason{flex:1;min-width:0;color:var(--muted);font-size:12.5px;white-space:nowrap;overflow:hidden;
text-overflow:ellipsis}
.tc-meta{color:var(--muted);font-size:12px;white-space:nowrap;margin-left:auto}
.tc-body{padding:6px 18px 16px}
.kv{display:grid;grid-template-columns:max-content 1fr max-content 1fr;gap:4px 16px;margin:10px 0 0;
font-size:13px}
.kv dt{color:var(--muted)}.kv dd{margin:0;overflow-wrap:anywhere}
.k{display:inline-block;min-width:70px;color:var(--muted);font-size:12px;margin-right:8px}
.reason{margin:12px 0 0;padding:8px 12px;background:#f9fafb;border-radius:6px;border:1px solid var(--line)}
.steps{margin:0;padding:0;list-style:none;counter-reset:s}
.steps li{counter-increment:s;display:flex;gap:8px;align-items:baseline;padding:4px 0;
border-bottom:1px dashed #eaecf0}
.steps li::before{content:counter(s);color:#98a2b3;font-size:11px;min-width:16px;text-align:right}
.steps .kw{font-weight:700;color:#344054;min-width:44px}
.steps .sn{flex:1}
.finding{border:1px solid var(--line);border-radius:8px;padding:12px 14px;margin-bottom:10px}
.f-fail{border-color:#f5c2c2;background:#fffafa;border-left:4px solid var(--fail)}
.f-warn{border-color:#f5d58a;background:#fffdf5;border-left:4px solid #d97706}
.f-error{border-color:#f9c8a7;background:#fffaf5;border-left:4px solid #e07b1a}
.f-head{display:flex;gap:10px;align-items:center;flex-wrap:wrap}
.check{font-weight:700;background:transparent;padding:0}
.sev{font-size:10.5px;letter-spacing:.06em;color:var(--muted);border:1px solid #d0d5dd;border-radius:4px;
padding:0 5px}
.sev-required{color:#7a271a;border-color:#f1b5ae}
.reqs{margin-left:auto}
.msg{margin:8px 0;font-size:14px;font-weight:500}
.compare{display:grid;grid-template-columns:1fr 1fr;gap:10px;margin:8px 0}
.vb pre{margin:0}
.f-foot,.evidence{font-size:13px;margin-top:6px;display:flex;gap:6px;flex-wrap:wrap;align-items:baseline}
.ev{font-family:var(--mono);font-size:12px;background:#eef4ff;border-radius:4px;padding:1px 6px;
overflow-wrap:anywhere}
pre.code{background:#f8f9fb;border:1px solid var(--line);border-radius:6px;padding:8px 10px;margin:0 0 8px;
white-space:pre-wrap;overflow-wrap:anywhere;max-height:420px;overflow:auto}
.hn{color:#475467;font-weight:600}
.passed-checks{margin-top:6px}
details.exchange{border:1px solid var(--line);border-radius:6px;margin-bottom:8px}
details.exchange>summary{cursor:pointer;padding:7px 10px;display:flex;gap:10px;align-items:center;
list-style:none;font-size:13px}
details.exchange:target,.finding:target{outline:2px solid var(--link);outline-offset:2px}
.xid{font-weight:700}
.dir{color:var(--muted);font-size:12px;white-space:nowrap}
.method{font-family:var(--mono);font-weight:700;font-size:12px}
.url{font-family:var(--mono);font-size:12px;flex:1;overflow-wrap:anywhere}
.status{font-family:var(--mono);font-weight:700;font-size:12px;padding:0 6px;border-radius:4px}
.s-ok{background:var(--pass-bg);color:var(--pass)}.s-redirect{background:#eef4ff;color:var(--link)}
.s-client{background:var(--warn-bg);color:var(--warn)}.s-server,.s-none{background:var(--fail-bg);
color:var(--fail)}
.elapsed{color:var(--muted);font-size:12px;white-space:nowrap}
.tag{font-size:10.5px;text-transform:uppercase;letter-spacing:.06em;background:#eef4ff;color:var(--link);
border-radius:4px;padding:0 6px;white-space:nowrap}
.tag-warn{background:var(--warn-bg);color:var(--warn)}
.x-body{padding:4px 10px 8px;border-top:1px solid var(--line)}
.x-grid{display:grid;grid-template-columns:1fr 1fr;gap:12px;margin-top:8px}
.x-grid>div{min-width:0}
.backrefs{font-size:12px;margin:8px 0 0;color:var(--muted)}
footer{color:var(--muted);font-size:12px;padding-bottom:32px}
[hidden]{display:none!important}
@media (max-width:900px){.head-grid{grid-template-columns:1fr}.tiles{grid-template-columns:repeat(2,1fr)}
.compare,.x-grid{grid-template-columns:1fr}.kv{grid-template-columns:max-content 1fr}}
@media print{html{background:#fff}.toolbar{display:none}section{box-shadow:none;break-inside:auto}
.masthead{-webkit-print-color-adjust:exact;print-color-adjust:exact}pre.code{max-height:none}}
"""

SCRIPT = """
(function () {
  "use strict";
  var doc = document;
  var cases = Array.prototype.slice.call(doc.querySelectorAll("details.tc"));
  var buttons = Array.prototype.slice.call(doc.querySelectorAll(".filters button"));
  var shown = doc.getElementById("shown-count");
  var none = doc.getElementById("no-match");
  function apply(filter) {
    var n = 0;
    cases.forEach(function (el) {
      var ok = filter === "all" || el.getAttribute("data-filter") === filter;
      el.hidden = !ok;
      if (ok) { n += 1; }
    });
    buttons.forEach(function (b) {
      b.setAttribute("aria-pressed", String(b.getAttribute("data-filter") === filter));
    });
    shown.textContent = n + " of " + cases.length + " shown";
    none.hidden = n !== 0;
  }
  buttons.forEach(function (b) {
    b.addEventListener("click", function () { apply(b.getAttribute("data-filter")); });
  });
  doc.querySelectorAll("button[data-toggle]").forEach(function (b) {
    b.addEventListener("click", function () {
      var open = b.getAttribute("data-toggle") === "open";
      cases.forEach(function (el) { if (!el.hidden) { el.open = open; } });
    });
  });
  function reveal(id) {
    var el = id && doc.getElementById(id);
    if (!el) { return; }
    var tc = el.closest("details.tc");
    if (tc && tc.hidden) { apply("all"); }
    for (var p = el; p; p = p.parentElement) {
      if (p.tagName === "DETAILS") { p.open = true; }
    }
  }
  function fromHash(hash) {
    try { return decodeURIComponent(hash.slice(1)); } catch (e) { return ""; }
  }
  doc.addEventListener("click", function (ev) {
    var a = ev.target.closest ? ev.target.closest("a[href^='#']") : null;
    if (a) { reveal(fromHash(a.getAttribute("href"))); }
  });
  window.addEventListener("hashchange", function () { reveal(fromHash(location.hash)); });
  window.addEventListener("beforeprint", function () {
    doc.querySelectorAll("details").forEach(function (d) { d.open = true; });
  });
  apply("all");
  if (location.hash) { reveal(fromHash(location.hash)); }
  doc.documentElement.setAttribute("data-js", "ready");
})();
"""
