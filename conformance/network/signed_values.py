"""The values an OCN Notary signs, read the way the official package reads them.

The Notary signs a JSON object ``{"headers": ..., "params": ..., "body": ...}`` by walking it depth first: every
leaf that is not null and not an empty string contributes its JSONPath (``$['body']['token']['uid']``,
``$['body']['evses'][0]``) to the signed field list and its text to one message, with no separator. A verifier
reads each listed path back out of the message it received (the official package lower-cases the path first) and
rebuilds the message. The text of a value is JavaScript's: ``1.0`` reads ``1``, ``true`` reads ``true``, a missing
or null value reads as nothing, an object as ``[object Object]``. Only the bracket paths the walk writes are read
here (plus plain dotted names); any other JSONPath is :class:`UnreadablePath`. A quoted name is matched as
written, escapes included, as the official reader matches it, so a key holding a quote, upper-case letters, or a
backslash before a character other than ``'bfnrt/\\`` or ``u`` can be signed but never verified, there or here.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import TypeAlias

__all__ = [
    "MAX_DEPTH",
    "Json",
    "TooDeep",
    "UnreadablePath",
    "assign",
    "js_text",
    "leaf_paths",
    "message_of",
    "query",
    "walk",
]

Json: TypeAlias = "bool | int | float | str | list[Json] | dict[str, Json] | None"
Step: TypeAlias = "str | int"

#: Integers a JavaScript number holds exactly; larger ones are read as the nearest double, as JSON.parse does.
_SAFE_INTEGER = 2**53
#: JavaScript orders an object's array-index keys ("0", "7", but not "07" or "-1") first, ascending.
_ARRAY_INDEX_LIMIT = 2**32 - 1
#: How far past the end of an array a restored value may be put.
_MAX_GAP = 10_000
#: How deep values are read; OCPI objects nest a handful of levels, and each level costs the whole path again.
MAX_DEPTH = 64
# A quoted name is taken as written, escapes and all, once the official reader's lexer has accepted it.
_STEP = re.compile(r"\['((?:\\['bfnrt/\\]|\\u[a-fA-F0-9]{4}|[^'\\])*)'\]"
                   r'|\["((?:\\["bfnrt/\\]|\\u[a-fA-F0-9]{4}|[^"\\])*)"\]'
                   r"|\[(0|[1-9][0-9]*)\]|\.([a-zA-Z_]+[a-zA-Z0-9_]*)")


class UnreadablePath(ValueError):
    """A signed field or rewritten field names a JSONPath outside the forms the Notary writes."""


class TooDeep(ValueError):
    """Values nested deeper than :data:`MAX_DEPTH`."""


def _deeper(depth: int) -> int:
    if depth >= MAX_DEPTH:
        raise TooDeep(f"values nested deeper than {MAX_DEPTH} levels")
    return depth + 1


def _is_array_index(key: str) -> bool:
    return key.isascii() and key.isdigit() and str(int(key)) == key and int(key) < _ARRAY_INDEX_LIMIT


def _object_order(value: Mapping[str, Json]) -> list[str]:
    keys = list(value)
    indices = sorted((k for k in keys if _is_array_index(k)), key=int)
    return indices + [k for k in keys if not _is_array_index(k)]


def _js_number(value: float) -> str:
    """Number.prototype.toString() of a double: the shortest round-trip digits, JavaScript's notation."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    exact = Decimal(repr(abs(value))).as_tuple()
    digits = "".join(map(str, exact.digits))
    point = len(digits) + int(exact.exponent)
    digits = digits.rstrip("0")
    count = len(digits)
    if count <= point <= 21:
        return sign + digits + "0" * (point - count)
    if 0 < point <= 21:
        return sign + digits[:point] + "." + digits[point:]
    if -6 < point <= 0:
        return sign + "0." + "0" * -point + digits
    exponent = point - 1
    mantissa = digits[0] + ("." + digits[1:] if count > 1 else "")
    return f"{sign}{mantissa}e{'+' if exponent >= 0 else '-'}{abs(exponent)}"


def js_text(value: Json, _depth: int = 0) -> str:
    """The text JavaScript gives ``value`` when it is concatenated to a string (as an element of an array, so
    null reads as nothing)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        if abs(value) < _SAFE_INTEGER:
            return str(value)
        try:
            return _js_number(float(value))
        except OverflowError:
            return "Infinity" if value > 0 else "-Infinity"
    if isinstance(value, float):
        return _js_number(value)
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        depth = _deeper(_depth)
        return ",".join(js_text(item, depth) for item in value)
    return "[object Object]"


def walk(values: Json) -> tuple[list[str], str]:
    """The signed field list and the message of ``values``, in the order the official package walks them."""
    fields: list[str] = []
    parts: list[str] = []

    def visit(path: str, value: Json, depth: int) -> None:
        if value is None or value == "":
            return
        if isinstance(value, list):
            deeper = _deeper(depth)
            for index, item in enumerate(value):
                visit(f"{path}[{index}]", item, deeper)
        elif isinstance(value, dict):
            deeper = _deeper(depth)
            for key in _object_order(value):
                visit(f"{path}['{key}']", value[key], deeper)
        else:
            fields.append(path)
            parts.append(js_text(value))

    visit("$", values, 0)
    return fields, "".join(parts)


def leaf_paths(values: Json) -> list[str]:
    """The paths the Notary would sign in ``values``."""
    return walk(values)[0]


def _steps(path: str) -> list[Step]:
    if not path.startswith("$"):
        raise UnreadablePath(f"not a JSONPath from the root: {path!r}")
    steps: list[Step] = []
    position = 1
    while position < len(path):
        match = _STEP.match(path, position)
        if match is None:
            raise UnreadablePath(f"JSONPath {path!r} is unreadable at character {position}")
        quoted, double_quoted, index, name = match.groups()
        if index is not None:
            steps.append(int(index))
        else:
            steps.append(next(s for s in (quoted, double_quoted, name) if s is not None))
        position = match.end()
    return steps


def _index(step: Step) -> int:
    """The array index a step names, or -1 (JavaScript reads "1" as an index of an array too)."""
    if isinstance(step, int):
        return step
    return int(step) if _is_array_index(step) else -1


def _child(container: Json, step: Step) -> Iterator[Json]:
    # JavaScript reads a quoted array index on an array, but never a bare number on an object.
    if isinstance(container, list):
        index = _index(step)
        if 0 <= index < len(container):
            yield container[index]
    elif isinstance(container, dict) and isinstance(step, str) and step in container:
        yield container[step]


def query(values: Json, path: str) -> list[Json]:
    """What ``jp.query(values, path)`` finds: the value at ``path`` in a one-element list, or nothing."""
    found: list[Json] = [values]
    for step in _steps(path):
        found = [child for node in found for child in _child(node, step)]
    return found


def message_of(fields: list[str], values: Json) -> str:
    """The message a verifier rebuilds from ``values``: each field's path lower-cased, as the official package
    reads it."""
    return "".join(js_text(query(values, field.lower())) for field in fields)


def assign(values: Json, path: str, value: Json) -> None:
    """Put ``value`` at ``path`` in ``values`` in place, creating missing objects and arrays on the way, as
    ``jp.value(values, path, value)`` does when a verifier restores the fields a node rewrote."""
    steps = _steps(path)
    if not steps:
        return
    node = values
    for depth, step in enumerate(steps[:-1]):
        found = list(_child(node, step))
        if found and (isinstance(found[0], (dict, list)) or found[0]):
            node = found[0]
            continue
        # JavaScript replaces a falsy value (or fills a gap) with a new container, shaped by the next step.
        fresh: Json = [] if isinstance(steps[depth + 1], int) else {}
        if not _put(node, step, fresh):
            return
        node = fresh
    _put(node, steps[-1], value)


def _put(container: Json, step: Step, value: Json) -> bool:
    if isinstance(container, list):
        index = _index(step)
        if index < 0:
            return False
        if index > len(container) + _MAX_GAP:
            # JavaScript makes a sparse array; a list here would hold every gap, so a far index is refused.
            raise UnreadablePath(f"array index {index} is beyond {_MAX_GAP} past the end of the array")
        container.extend([None] * (index + 1 - len(container)))
        container[index] = value
        return True
    if isinstance(container, dict):
        container[str(step)] = value
        return True
    return False
