"""Credential redaction: one rule for every text roamcert writes (results, reports, console).

A credential (a token A, B or C, in its raw form and in the Base64 form OCPI puts on the wire) is replaced by
``[redacted]`` wherever it stands:

* in the places credentials live, whatever their length: the value of an ``Authorization`` header, a
  ``token``/``password``/``secret`` field of a JSON body, the query parameter ``token=`` and a URL's userinfo
  (see :mod:`conformance.core.exchange`);
* anywhere else (bodies, URLs, finding messages, expected and actual values, causes), by value:

  - a credential of :data:`SUBSTRING_MIN` characters or more is replaced wherever it occurs, even inside a
    longer text;
  - a shorter one is replaced only where it stands as a whole token: not preceded by a letter, a digit or one of
    ``_-.~+/``, nor followed by one of those or ``=`` (the characters that may continue a token or its Base64
    form; ``token=a`` is redacted, ``a==`` is not). A one-character
    token ``a`` thus blanks the word "a" in a sentence and the quoted value ``'a'`` in a schema message, never
    the letter a inside other words.

* a text cut short before it was redacted (a check shortens a quoted value to a few hundred characters) may hold
  only the start of a credential: the first :data:`PREFIX_MIN` characters of one, or more, are redacted together
  with whatever follows them up to the next whitespace, quote or angle bracket.

Redaction happens before any text is cut short, so no prefix of a long credential survives a truncation.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

__all__ = ["PREFIX_MIN", "REDACTED", "SUBSTRING_MIN", "redact_text", "redact_value", "wire_forms"]

REDACTED = "[redacted]"
SUBSTRING_MIN = 8
PREFIX_MIN = 16
_BEFORE = r"A-Za-z0-9_\-.~+/"
_AFTER = _BEFORE + "="


def wire_forms(secret: str) -> list[str]:
    """The forms a credential takes in what roamcert records: raw, and Base64 (padded and unpadded)."""
    if not secret:
        return []
    encoded = base64.b64encode(secret.encode("utf-8")).decode("ascii")
    return list(dict.fromkeys([secret, encoded, encoded.rstrip("=")]))


@lru_cache(maxsize=64)
def _pattern(secrets: frozenset[str]) -> re.Pattern[str] | None:
    forms = {form for secret in secrets for form in wire_forms(secret) if form}
    if not forms:
        return None
    ordered = sorted(forms, key=lambda f: (-len(f), f))  # the longest form first: a padded form before its prefix
    alternatives = [re.escape(f) if len(f) >= SUBSTRING_MIN else
                    rf"(?<![{_BEFORE}]){re.escape(f)}(?![{_AFTER}])" for f in ordered]
    alternatives += [re.escape(f[:PREFIX_MIN]) + r"""[^\s'"<>]*""" for f in ordered if len(f) > PREFIX_MIN]
    return re.compile("|".join(alternatives))


def redact_text(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every credential in ``secrets`` replaced by the rule above."""
    pattern = _pattern(frozenset(s for s in secrets if s))
    if pattern is None or not text:
        return text
    return pattern.sub(REDACTED, text)


def redact_value(value: Any, secrets: Iterable[str]) -> Any:
    """A JSON-like value (dicts, lists, strings, numbers) with every string redacted; keys are kept."""
    frozen = frozenset(s for s in secrets if s)
    if not frozen:
        return value
    return _sweep(value, frozen)


def _sweep(value: Any, secrets: frozenset[str]) -> Any:
    if isinstance(value, str):
        return redact_text(value, secrets)
    if isinstance(value, dict):
        return {key: _sweep(item, secrets) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_sweep(item, secrets) for item in value]
    return value
