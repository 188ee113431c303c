"""MUST-class and SHOULD-class statements of the OCPI AsciiDoc sources, each located by file, section anchor and
fingerprint.

The reading follows the counting method of ``../shared/spec/count_requirements.py`` (REQUIREMENTS-INDEX.md):
prose paragraphs, list items, headings and table cells are text units (code and literal blocks are
skipped); units are split into sentences at ``.``, ``!`` or ``?`` followed by white space and an upper-case
letter or markup opener. A sentence is a statement when it holds an upper-case MUST, MUST NOT, SHALL,
SHALL NOT or REQUIRED ("NOT REQUIRED" is a permission, not a rule) -- keyword class ``MUST`` -- or, with no
upper-case key word at all, a lower-case "must" or "shall" -- keyword class ``must``, since OCPI often words
its rules that way. A sentence with no MUST-class key word but an upper-case SHOULD, SHOULD NOT, RECOMMENDED or
NOT RECOMMENDED is of keyword class ``SHOULD``. A lower-case "should" makes no statement: the spec declares its
key words in upper case (terminology.asciidoc, RFC 2119) and words plain advice with a lower-case "should".

The fingerprint is the first 8 hex digits of the SHA-1 of the sentence with its AsciiDoc markup cleaned and
its white space collapsed (:func:`fingerprint`); the inventory under conformance/ocpi/v2_2_1/catalogue records only the
fingerprint, never the text. The text is kept here in memory to explain a failing test, nothing else.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Statement", "fingerprint", "statements"]

_KW_UPPER = re.compile(r"\b(MUST NOT|MUST|SHALL NOT|SHALL|SHOULD NOT|SHOULD|NOT RECOMMENDED|RECOMMENDED|REQUIRED|"
                       r"MAY)\b")
_MUST_CLASS = {"MUST", "MUST NOT", "SHALL", "SHALL NOT", "REQUIRED"}
_SHOULD_CLASS = {"SHOULD", "SHOULD NOT", "RECOMMENDED", "NOT RECOMMENDED"}
_LOWER_MUST = re.compile(r"\b(must|shall)\b")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[A-Z<`*_\"'(\[])")
_HEADING = re.compile(r"^(={1,6})\s+(.*?)\s*$")
_ANCHOR = re.compile(r"^\[\[([^\]]+)\]\]\s*$")
_BLOCK_FENCES = ("----", "....", "////", "++++")
_LIST_OR_ADMONITION = re.compile(r"^\s*(\*+|-|\.+|\d+\.)\s+|^(NOTE|TIP|IMPORTANT|WARNING|CAUTION):")
_TABLE_CELL_SPEC = re.compile(r"\s*(\d*\+|\d*\*|[adehlmsv]|\d*\.\d*\+)?\s*")


@dataclass(frozen=True)
class Statement:
    file: str  # spec file stem, e.g. "mod_cdrs"
    anchor: str  # anchor of the enclosing section (of the nearest anchored heading above it)
    fingerprint: str
    keyword: str  # "MUST": upper-case MUST-class key word; "must": lower-case must/shall only; "SHOULD": SHOULD-class
    line: int  # 1-based line of the unit the sentence starts in, for messages
    text: str  # for messages only; never stored in the project

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.file, self.anchor, self.fingerprint)


def fingerprint(sentence: str) -> str:
    """First 8 hex digits of the SHA-1 of the sentence with white space collapsed."""
    normalised = " ".join(sentence.split())
    return hashlib.sha1(normalised.encode("utf-8"), usedforsecurity=False).hexdigest()[:8]


def _clean(text: str) -> str:
    text = re.sub(r"<<[^,>]*,([^>]*)>>", r"\1", text)
    text = re.sub(r"<<([^>]*)>>", r"\1", text)
    text = re.sub(r"(https?://\S+?)\[([^\]]*)\]", r"\2", text)
    text = text.replace("&amp;", "&").replace("&gt;", ">").replace("&lt;", "<").replace("{nbsp}", " ")
    text = re.sub(r"\s+\+$", "", text)
    return re.sub(r"\s+", " ", text).strip()


def _keyword(sentence: str) -> str | None:
    if re.search(r"key ?words", sentence, re.I) and re.search(r"RFC ?2119", sentence, re.I):
        return None  # the sentence that defines the key words
    upper = set()
    for match in _KW_UPPER.finditer(sentence):
        word = match.group(1)
        if word == "REQUIRED" and sentence[max(0, match.start() - 4) : match.start()].upper() == "NOT ":
            upper.add("MAY")
        else:
            upper.add(word)
    if upper & _MUST_CLASS:
        return "MUST"
    if upper & _SHOULD_CLASS:
        return "SHOULD"
    if not upper and _LOWER_MUST.search(sentence):
        return "must"
    return None


def _units(lines: list[str]) -> Iterator[tuple[int, str]]:
    """(0-based line, text) of every prose paragraph, list item, heading and table cell, in line order."""
    units: list[tuple[int, str]] = []
    cells: list[list[int | str]] = []
    paragraph: list[str] = []
    paragraph_line = 0
    block: str | None = None
    in_table = False

    def flush() -> None:
        if paragraph:
            units.append((paragraph_line, _clean(" ".join(paragraph))))
            paragraph.clear()

    for i, raw in enumerate(lines):
        line = raw.rstrip()
        if block:
            if line == block:
                block = None
            continue
        if line in _BLOCK_FENCES:
            flush()
            block = line
            continue
        if in_table:
            if line == "|===":
                in_table = False
            elif line.strip():
                parts = re.split(r"(?<!\\)\|", line)
                parts = [re.sub(r"\s+(?:\d+\+)?a$|\s+\d+\+$", "", p) if k < len(parts) - 1 else p
                         for k, p in enumerate(parts)]
                first, rest = parts[0], parts[1:]
                if not (rest and _TABLE_CELL_SPEC.fullmatch(first)) and cells:
                    cells[-1][1] = f"{cells[-1][1]} {first.strip()}"  # a cell continued on this line
                cells.extend([i, p.strip()] for p in rest)
            continue
        if line == "|===":
            flush()
            in_table = True
            continue
        heading = _HEADING.match(line)
        if heading:
            flush()
            units.append((i, _clean(heading.group(2))))
            continue
        if re.match(r"^\[.*\]$", line) or not line.strip():
            flush()
            continue
        if line.startswith("//") or re.match(r"^:[\w-]+:", line) or line.startswith(("include::", "image::")):
            flush()
            continue
        if _LIST_OR_ADMONITION.match(line):
            flush()
        if not paragraph:
            paragraph_line = i
        paragraph.append(line.strip())
    flush()
    units.extend((int(ln), _clean(str(text))) for ln, text in cells if text)
    units.sort(key=lambda u: u[0])
    return iter(units)


def _anchors(lines: list[str], stem: str) -> list[tuple[int, str]]:
    """(0-based heading line, anchor) of every heading; an unanchored heading takes its parent's anchor."""
    out: list[tuple[int, str]] = []
    stack: list[tuple[int, str]] = []  # (level, anchor)
    anchor: str | None = None
    block: str | None = None
    for i, line in enumerate(lines):
        stripped = line.rstrip()
        if block:
            block = None if stripped == block else block
            continue
        if stripped in _BLOCK_FENCES:
            block = stripped
            continue
        heading = _HEADING.match(stripped)
        if heading:
            level = len(heading.group(1))
            while stack and stack[-1][0] >= level:
                stack.pop()
            own = anchor or (stack[-1][1] if stack else stem)
            stack.append((level, own))
            out.append((i, own))
            anchor = None
            continue
        match = _ANCHOR.match(stripped)
        if match:
            anchor = match.group(1)
        elif stripped:
            anchor = None
    return out


def statements(path: Path) -> list[Statement]:
    """Every MUST-class statement (upper-case key word, or lower-case must/shall) and every SHOULD-class statement
    of one AsciiDoc file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    stem = path.stem
    headings = _anchors(lines, stem)
    out: list[Statement] = []
    for line, unit in _units(lines):
        anchor = stem
        for heading_line, heading_anchor in headings:
            if heading_line > line:
                break
            anchor = heading_anchor
        for sentence in (s.strip() for s in _SENTENCE_END.split(unit)):
            keyword = _keyword(sentence) if sentence else None
            if keyword:
                out.append(Statement(stem, anchor, fingerprint(sentence), keyword, line + 1, sentence))
    return out
