"""Project-owned JSON Schemas (draft 2020-12) for OCPI objects, and validation helpers.

The schema files live beside this module, one directory per version
(``v2_2_1/schemas/<Name>.json``, shared primitive types in ``types.json``).
All files of a version are put in one :class:`referencing.Registry`, so every
``$ref`` resolves offline.

Names are schema file stems (``"Location"``, ``"EVSE"``, ``"Response"``, ...).
A name may also point into a file: ``"types.json#/$defs/DateTime"``.

``errors()`` is the function most callers want: it returns human readable
messages, each starting with the JSON path of the offending value::

    $.evses[0].connectors[1].power_type: 'AC_4_PHASE' is not one of ['AC_1_PHASE', ...]
    $.id: 'id' is a required property

``partial=True`` validates a PATCH body: the top-level object may omit any
field (its ``required``/``dependentRequired`` rules are dropped), while every
value it does carry must still be complete and valid.
"""

from __future__ import annotations

import copy
import difflib
import functools
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match
from jsonschema.protocols import Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

__all__ = [
    "MAX_ERRORS",
    "SCHEMA_BASE_URI",
    "SchemaError",
    "error_details",
    "errors",
    "list_validator",
    "patch_validator",
    "schema",
    "schema_names",
    "supported_versions",
    "validator",
]

SCHEMA_BASE_URI = "https://roamcert.org/schemas/ocpi/{version}/"
MAX_ERRORS = 50

_HERE = Path(__file__).resolve().parent
_VERSION_DIR = re.compile(r"^v(\d+(?:_\d+)*)$")
_DRAFT = "https://json-schema.org/draft/2020-12/schema"
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

# The "no control characters" / "printable ASCII only" guards of types.json are
# written as `not: {pattern: ...}`; give them a readable message.
_NOT_MESSAGES = {
    "[\\x00-\\x1F\\x7F-\\x9F]": "contains control (non-printable) characters",
    "[^\\x20-\\x7E]": "contains characters outside printable ASCII (CiString)",
}

# Keywords that make a top-level object demand fields; dropped for PATCH bodies.
_REQUIRING = ("required", "dependentRequired")
_COMBINATORS = ("allOf", "anyOf", "oneOf")


@dataclass(frozen=True, order=True)
class SchemaError:
    """One validation problem: JSON path of the offending value, failing keyword, message."""

    path: str
    keyword: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


# --------------------------------------------------------------------------- loading


def supported_versions() -> list[str]:
    """OCPI versions that have schemas, e.g. ``["2.2.1"]``."""
    return sorted(_version_dirs())


@functools.cache
def _version_dirs() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for child in _HERE.iterdir():
        match = _VERSION_DIR.match(child.name)
        if match and (child / "schemas").is_dir():
            found[match.group(1).replace("_", ".")] = child / "schemas"
    return found


def _schema_dir(version: str) -> Path:
    dirs = _version_dirs()
    if version not in dirs:
        known = ", ".join(sorted(dirs)) or "none"
        raise KeyError(f"no OCPI schemas for version {version!r} (known versions: {known})")
    return dirs[version]


def _base_uri(version: str) -> str:
    return SCHEMA_BASE_URI.format(version=version)


@functools.cache
def _documents(version: str) -> dict[str, dict[str, Any]]:
    """All schema documents of a version, by file stem."""
    docs: dict[str, dict[str, Any]] = {}
    for path in sorted(_schema_dir(version).glob("*.json")):
        content = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(content, dict):
            raise ValueError(f"{path}: a schema file must hold a JSON object")
        expected = _base_uri(version) + path.name
        if content.get("$id") != expected:
            raise ValueError(f"{path}: $id must be {expected!r}, found {content.get('$id')!r}")
        docs[path.stem] = content
    return docs


@functools.cache
def _registry(version: str) -> Registry[Any]:
    resources = [
        (doc["$id"], Resource.from_contents(doc, default_specification=DRAFT202012))
        for doc in _documents(version).values()
    ]
    return Registry().with_resources(resources)


def schema_names(version: str) -> list[str]:
    """Names accepted by :func:`validator` for whole documents (``types`` holds only shared definitions)."""
    return sorted(name for name in _documents(version) if name != "types")


def schema(version: str, name: str) -> dict[str, Any]:
    """A deep copy of the schema document ``name`` (a file stem, ``types`` included)."""
    docs = _documents(version)
    if name not in docs:
        raise KeyError(_unknown_name(version, name))
    return copy.deepcopy(docs[name])


def _unknown_name(version: str, name: str) -> str:
    names = schema_names(version)
    close = difflib.get_close_matches(name, names, n=3)
    hint = f"; did you mean {', '.join(close)}?" if close else f"; known: {', '.join(names)}"
    return f"no OCPI {version} schema named {name!r}{hint}"


def _root_schema(version: str, name: str) -> dict[str, Any]:
    """The schema to validate against for ``name``: a document or a reference into one."""
    docs = _documents(version)
    if "#" in name:
        file_name, _, pointer = name.partition("#")
        stem = file_name.removesuffix(".json")
        if stem not in docs:
            raise KeyError(_unknown_name(version, stem))
        target = _base_uri(version) + f"{stem}.json#{pointer}"
        try:
            _registry(version).resolver().lookup(target)
        except Exception as exc:  # referencing raises several unrelated types here
            raise KeyError(f"no OCPI {version} schema at {name!r}: {exc}") from None
        return {"$schema": _DRAFT, "$ref": target}
    if name not in docs or name == "types":
        raise KeyError(_unknown_name(version, name))
    return docs[name]


def _strip_requiring(node: dict[str, Any]) -> dict[str, Any]:
    """Copy of a top-level schema without the rules that demand fields be present.

    Recurses only through combinators and then/else branches of the *same*
    object, never into ``properties``/``items`` (nested values must stay complete)
    and never into ``if`` (its ``required`` only decides whether a rule applies).
    """
    out = {k: v for k, v in node.items() if k not in _REQUIRING}
    for key in _COMBINATORS:
        if key in out:
            out[key] = [_strip_requiring(sub) if isinstance(sub, dict) else sub for sub in out[key]]
    for key in ("then", "else"):
        if isinstance(out.get(key), dict):
            out[key] = _strip_requiring(out[key])
    return out


@functools.cache
def _build(version: str, name: str, partial: bool, many: bool) -> Validator:
    root = _root_schema(version, name)
    if partial:
        root = _strip_requiring(copy.deepcopy(root))
        if "$id" in root:
            # A distinct $id in the same directory: relative $refs still resolve to the real files.
            root["$id"] = _base_uri(version) + f"{name}.partial.json"
    if many:
        if partial or "$id" not in root:
            # A partial document is not in the registry: embed it; a pointer name is already a $ref.
            item = root if partial else {"$ref": root["$ref"]}
        else:
            item = {"$ref": root["$id"]}
        root = {"$schema": _DRAFT, "type": "array", "items": item}
    validator_ = Draft202012Validator(root, registry=_registry(version))
    return cast(Validator, validator_)


# --------------------------------------------------------------------------- public validators


def validator(version: str, name: str) -> Validator:
    """A cached draft 2020-12 validator for the complete object/enum ``name`` of OCPI ``version``.

    Raises :class:`KeyError` for an unknown version or name.
    """
    return _build(version, name, False, False)


def patch_validator(version: str, name: str) -> Validator:
    """Like :func:`validator`, for PATCH bodies: top-level fields are all optional."""
    return _build(version, name, True, False)


def list_validator(version: str, name: str, *, partial: bool = False) -> Validator:
    """A validator for a JSON array whose items are each a ``name`` (e.g. a paginated ``data`` list)."""
    return _build(version, name, partial, True)


# --------------------------------------------------------------------------- error reporting


def _json_path(root: str, parts: Iterable[str | int]) -> str:
    path = root
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        elif _IDENTIFIER.match(part):
            path += f".{part}"
        else:
            path += f"[{json.dumps(part)}]"
    return path


def _missing_properties(error: ValidationError) -> list[str]:
    """Names of the properties a ``required``/``dependentRequired`` error is about."""
    instance = error.instance
    if not isinstance(instance, Mapping):
        return []
    if error.validator == "required":
        wanted: Iterable[Any] = cast(Iterable[Any], error.validator_value)
    else:
        value = cast(Mapping[str, Iterable[Any]], error.validator_value)
        wanted = [item for deps in value.values() for item in deps]
    return [p for p in wanted if isinstance(p, str) and p not in instance and repr(p) in error.message]


def _details(error: ValidationError, root: str) -> Iterator[SchemaError]:
    parts = list(error.absolute_path)
    keyword = str(error.validator)
    message = error.message
    subschema: Mapping[str, Any] = error.schema if isinstance(error.schema, Mapping) else {}
    if keyword == "not" and isinstance(error.validator_value, Mapping):
        pattern = error.validator_value.get("pattern")
        if pattern in _NOT_MESSAGES:
            message = f"{error.instance!r} {_NOT_MESSAGES[pattern]}"
    elif keyword == "pattern" and "title" in subschema:
        message = (
            f"{error.instance!r} is not a valid {subschema['title']} (must match {error.validator_value!r})"
        )
    elif keyword in ("anyOf", "oneOf") and error.context:
        # Name the most relevant alternative's complaint to make the message actionable.
        best = best_match(error.context)
        if best is not None:
            message = f"{message} (e.g. {best.message})"
    comment = subschema.get("$comment")
    if isinstance(comment, str) and "$id" not in subschema:
        # Cross-field rules carry a $comment that says which rule of the spec they encode.
        message = f"{message} ({comment})"
    if keyword in ("required", "dependentRequired"):
        missing = _missing_properties(error)
        if missing:
            for prop in missing:
                yield SchemaError(_json_path(root, [*parts, prop]), keyword, message)
            return
    yield SchemaError(_json_path(root, parts), keyword, message)


def _drop_nulls(instance: object) -> object:
    """``instance`` without null-valued object members, recursively.

    In OCPI 2.2.1 an optional field that is not set may be null (terminology#terminology_cardinality: "?"
    and "*" fields "might be null"); a null required field then reads as absent, which the schema reports.
    """
    if isinstance(instance, dict):
        return {key: _drop_nulls(value) for key, value in instance.items() if value is not None}
    if isinstance(instance, list):
        return [_drop_nulls(item) for item in instance]
    return instance


def error_details(
    version: str,
    name: str,
    instance: object,
    *,
    partial: bool = False,
    many: bool = False,
    root: str = "$",
    limit: int | None = MAX_ERRORS,
) -> list[SchemaError]:
    """Structured validation problems of ``instance`` against ``name``, sorted by path.

    ``partial`` validates a PATCH body, ``many`` a JSON array of ``name`` items,
    ``root`` is the JSON path prefix (use ``"$.data"`` for the data of a response).
    """
    try:
        key = json.dumps(instance, sort_keys=True, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError):  # not plain JSON data: validate it as it is, uncached
        found = _validate(version, name, partial, many, root, instance)
    else:
        found = _validate_json(version, name, partial, many, root, key)
    return list(found) if limit is None else list(found[:limit])


@functools.lru_cache(maxsize=8192)
def _validate_json(version: str, name: str, partial: bool, many: bool, root: str, text: str) -> tuple[SchemaError, ...]:
    """Validation memoised by the instance's canonical JSON: a certification run meets the same objects often
    (every traversal of a CPO's Locations), and $ref-heavy validation is the run's most expensive work."""
    return _validate(version, name, partial, many, root, json.loads(text))


def _validate(version: str, name: str, partial: bool, many: bool, root: str,
              instance: object) -> tuple[SchemaError, ...]:
    return tuple(sorted(
        {
            detail
            for error in _build(version, name, partial, many).iter_errors(_drop_nulls(instance))
            for detail in _details(error, root)
        }
    ))


def errors(
    version: str,
    name: str,
    instance: object,
    *,
    partial: bool = False,
    many: bool = False,
    root: str = "$",
    limit: int | None = MAX_ERRORS,
) -> list[str]:
    """Human readable validation messages (``"<json path>: <problem>"``), sorted, at most ``limit``.

    An empty list means ``instance`` is valid. Unknown version/name raises :class:`KeyError`.
    """
    return [
        str(d)
        for d in error_details(version, name, instance, partial=partial, many=many, root=root, limit=limit)
    ]
