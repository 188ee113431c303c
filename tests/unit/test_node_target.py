"""A node under test (role NODE): how a target names one, and the network roamcert builds around it."""

from __future__ import annotations

from pathlib import Path

import pytest

from conformance.core.errors import ConfigurationError
from conformance.network import registry_messages as m
from conformance.ocpi.harness import Harness
from conformance.ocpi.target import PARTY_ROLES, load_target, reference_target


def test_node_is_not_among_the_reference_default_roles() -> None:
    assert "NODE" not in reference_target().platforms
    assert "NODE" not in PARTY_ROLES


def test_the_reference_node_is_alone_on_its_platform() -> None:
    target = reference_target(roles=("CPO", "NODE"), combined=True)
    assert target.platforms["NODE"].roles == ("NODE",)
    assert target.platforms["CPO"] is not target.platforms["NODE"]
    assert target.platforms["NODE"].versions_url.endswith("/ocpi/hub/versions")


def test_a_target_platform_may_not_hold_node_with_another_role(tmp_path: Path) -> None:
    path = tmp_path / "target.toml"
    path.write_text('protocol = "OCPI"\nversion = "2.2.1"\nroles = ["NODE", "CPO"]\n'
                    'versions_url = "https://node.example.test/ocpi/versions"\n', encoding="utf-8")
    with pytest.raises(ConfigurationError, match="holds no other role"):
        load_target(path)


def test_the_harness_lists_the_reference_node_and_roamcerts_node_in_one_registry() -> None:
    harness = Harness(reference_target(roles=("NODE",)))
    try:
        side = harness.node_side()
        assert side.sut_key is not None
        side.list_node_r()
        domains = {entry["operator"]: entry["domain"] for entry in side.registry.nodes()}
        assert domains[m.address_of(side.sut_key)] == "http://reference-node.roamcert.test"
        assert side.sut_operator() == m.address_of(side.sut_key)  # not node R, though both are listed
        assert side.node_r.base_url.startswith(harness.target.partner_public_url)
    finally:
        harness.close()
