"""The pieces of `roamcert serve node` (conformance/serve_network.py) that need no server: the operator's key and
the node's identity."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from conformance.core.errors import ConfigurationError
from conformance.network import registry_messages as m
from conformance.serve_network import _identity, _operator_key


def _args(**options: str | None) -> argparse.Namespace:
    return argparse.Namespace(**{"key": None, "key_file": None, **options})


def test_a_generated_key_is_kept_beside_the_store_for_the_owner_only_and_used_again(tmp_path: Path) -> None:
    store = tmp_path / "node.sqlite"
    key, kept = _operator_key(_args(), store)
    file = tmp_path / "node.sqlite.key"
    assert kept == f"generated, kept in {file}" and file.read_text().strip() == key
    assert file.stat().st_mode & 0o777 == 0o600
    assert _operator_key(_args(), store) == (key, f"kept in {file}")  # a restarted node is the same operator


def test_a_node_in_memory_gets_a_fresh_key_each_time() -> None:
    first, kept = _operator_key(_args(), None)
    assert "lost at exit" in kept and first != _operator_key(_args(), None)[0]


def test_a_key_is_read_from_a_file_or_taken_as_given_and_never_echoed(tmp_path: Path) -> None:
    key = m.new_key()
    (tmp_path / "operator.key").write_text(key + "\n")
    assert _operator_key(_args(key_file=str(tmp_path / "operator.key")), None)[0] == key
    assert _operator_key(_args(key=key), None) == (key, "as given (--key)")
    wrong = "0x" + "z" * 64
    with pytest.raises(ConfigurationError) as refused:
        _operator_key(_args(key=wrong), None)
    assert wrong not in str(refused.value)
    with pytest.raises(ConfigurationError, match="do not go together"):
        _operator_key(_args(key=key, key_file=str(tmp_path / "operator.key")), None)


def test_a_node_identity_is_given_or_derived_from_its_port() -> None:
    assert _identity("nl/nda", 9000) == ("NL", "NDA")
    assert _identity(None, 9000) != _identity(None, 9001)
    with pytest.raises(ConfigurationError, match="--identity"):
        _identity("NL/TOOLONG", 9000)
