"""Where the (unmodified) protocol specifications live for tests that read them.

CI checks out ``../shared`` beside the repository, so the specs are found at
``<repo>/../shared/spec``. Tests that read them are marked ``spec`` and skip,
with a reason, when the folder is absent.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

__all__ = [
    "OCPI_2_2_1_DIR",
    "REPO_DIR",
    "SPEC_DIR",
    "Section",
    "Table",
    "iter_sections",
    "parse_first_table",
    "requires_spec",
]

REPO_DIR = Path(__file__).resolve().parents[1]
SPEC_DIR = REPO_DIR.parent / "shared" / "spec"
OCPI_2_2_1_DIR = SPEC_DIR / "ocpi-2.2.1"

requires_spec = pytest.mark.skipif(
    not SPEC_DIR.is_dir(),
    reason=f"specification folder {SPEC_DIR} is absent (CI puts ../shared/spec beside the checkout)",
)


# --------------------------------------------------------------------------- AsciiDoc reading helpers

_ANCHOR = re.compile(r"^\[\[([^\]]+)\]\]\s*$")
_HEADING = re.compile(r"^(=+)\s+(.*?)\s*$")
_COLS = re.compile(r'^\[.*cols="([^"]+)"')
_ESCAPED_BAR = "\x00"


@dataclass(frozen=True)
class Section:
    """A heading of a spec document with the anchor right above it and its lines up to the next heading."""

    file: str
    anchor: str | None
    title: str
    lines: tuple[str, ...]

    def first_table(self) -> Table | None:
        return parse_first_table(self.lines)


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def column(self, *names: str) -> int:
        """Index of the first header cell equal to one of ``names``."""
        for i, cell in enumerate(self.header):
            if cell in names:
                return i
        raise KeyError(f"none of {names} in table header {self.header}")


def iter_sections(path: Path) -> Iterator[Section]:
    """All headed sections of an AsciiDoc file."""
    anchor: str | None = None
    current: tuple[str | None, str] | None = None
    body: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        heading = _HEADING.match(line)
        if heading:
            if current is not None:
                yield Section(path.name, current[0], current[1], tuple(body))
            current, body = (anchor, heading.group(2)), []
            anchor = None
            continue
        match = _ANCHOR.match(line)
        if match:
            anchor = match.group(1)
        elif line.strip():
            anchor = None
        body.append(line)
    if current is not None:
        yield Section(path.name, current[0], current[1], tuple(body))


def parse_first_table(lines: Iterable[str]) -> Table | None:
    """The first ``|===`` table in ``lines``: header row and body rows, cells stripped.

    Cells are split on unescaped ``|``; rows are formed by the column count of the
    ``cols`` attribute (or of the first line), so multi-line cells work. A trailing
    run of empty cells (a stray ``|`` at the end of a row) is dropped.
    """
    ncols: int | None = None
    inside = False
    text: list[str] = []
    for line in lines:
        if not inside:
            cols = _COLS.match(line)
            if cols:
                ncols = len(cols.group(1).split(","))
            if line.strip() == "|===":
                inside = True
            continue
        if line.strip() == "|===":
            break
        text.append(line)
    if not inside:
        return None
    body = "\n".join(text).replace("\\|", _ESCAPED_BAR)
    if ncols is None:
        first = next(line for line in text if line.strip())
        ncols = first.count("|")
    cells = [c.strip().replace(_ESCAPED_BAR, "|") for c in body.split("|")[1:]]
    while cells and len(cells) % ncols and cells[-1] == "":
        cells.pop()
    if len(cells) % ncols:
        raise ValueError(f"table cells ({len(cells)}) do not fill rows of {ncols}: {cells[:8]}...")
    rows = [tuple(cells[i : i + ncols]) for i in range(0, len(cells), ncols)]
    return Table(header=rows[0], rows=tuple(rows[1:]))
