"""roamcert's registry updates are signed exactly as the OCN registry's own client signs them: the same parameter
hash (web3-utils' soliditySha3) and the same signature (ethers' signMessage), under Node.js. `.ci/run` installs
the two npm packages (tests/interop/ocn_registry/package.json); without Node.js or them this module is skipped."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from conformance.network import registry_messages as m

HERE = Path(__file__).parent / "ocn_registry"
NODE = shutil.which("node")

pytestmark = pytest.mark.skipif(
    NODE is None or not (HERE / "node_modules" / "web3-utils").is_dir(),
    reason="needs Node.js and `npm install` in tests/interop/ocn_registry (.ci/run does both)")

KEY = m.new_key()
ADDRESS = m.address_of(KEY)
OPERATOR = m.address_of(m.new_key())

# (what the OCN client signs, the same update built by roamcert)
CASES: list[tuple[dict[str, Any], m.Update]] = [
    ({"kind": "set_node", "domain": "https://node-a.example"}, m.set_node(ADDRESS, "https://node-a.example")),
    ({"kind": "delete_node"}, m.delete_node(ADDRESS)),
    ({"kind": "set_party", "country_code": "NL", "party_id": "CPA", "roles": [0, 1], "operator": OPERATOR},
     m.set_party(ADDRESS, "NL", "CPA", ["CPO", "EMSP"], OPERATOR)),
    ({"kind": "set_party_modules", "sender": [3, 0], "receiver": [6, 2]},
     m.set_party_modules(ADDRESS, ["locations", "cdrs"], ["tokens", "commands"])),
    ({"kind": "delete_party"}, m.delete_party(ADDRESS)),
    ({"kind": "set_service", "name": "settlement", "url": "https://settle.example", "permissions": [7, 8]},
     m.set_service("settlement", "https://settle.example", ["FORWARD_MODULE_CDRS_SENDER",
                                                            "FORWARD_MODULE_CDRS_RECEIVER"])),
    ({"kind": "set_service", "name": "", "url": "https://settle.example", "permissions": [0]},
     m.set_service("", "https://settle.example", ["FORWARD_ALL"])),
    ({"kind": "create_agreement", "provider": OPERATOR}, m.create_agreement(OPERATOR)),
    ({"kind": "revoke_agreement", "provider": OPERATOR}, m.revoke_agreement(OPERATOR)),
]


@pytest.fixture(scope="module")
def signed_by_ocn_client() -> list[dict[str, str]]:
    assert NODE is not None
    asked = json.dumps({"key": KEY, "updates": [c for c, _ in CASES]})
    done = subprocess.run([NODE, str(HERE / "sign.js")], input=asked, capture_output=True, text=True, timeout=60,
                          check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    out: list[dict[str, str]] = json.loads(done.stdout)
    return out


@pytest.mark.parametrize("index", range(len(CASES)), ids=[f"{c['kind']}-{i}" for i, (c, _) in enumerate(CASES)])
def test_the_same_update_hashes_and_signs_alike(signed_by_ocn_client: list[dict[str, str]], index: int) -> None:
    theirs, ours = signed_by_ocn_client[index], CASES[index][1]
    assert theirs["address"] == ADDRESS
    assert theirs["hash"] == "0x" + ours.param_hash.hex()
    assert m.signer(ours, theirs["signature"]) == ADDRESS  # theirs verifies in roamcert
    assert m.sign(ours, KEY) == theirs["signature"]  # and roamcert's is the very same signature (RFC 6979)


def test_a_node_message_signature_verifies_both_ways() -> None:
    """A node's OCN-Signature over a message, as ethers signs a text message (and web3j's signPrefixedMessage)."""
    from conformance.network.message import node_signature, node_signer

    text = '{"module":"LOCATIONS","interface_role":"SENDER","method":"GET","body":{"name":"Gare d\'Aurillac"}}'
    assert NODE is not None
    done = subprocess.run([NODE, str(HERE / "sign.js")], capture_output=True, text=True, timeout=60, check=False,
                          input=json.dumps({"key": KEY, "updates": [{"kind": "node_message", "text": text}]}))
    assert done.returncode == 0, done.stderr[-2000:]
    (theirs,) = json.loads(done.stdout)
    assert node_signer(text, theirs["signature"]) == ADDRESS
    assert node_signature(text, KEY) == theirs["signature"]
    assert node_signer(text.replace("Aurillac", "Aurillax"), theirs["signature"]) != ADDRESS
