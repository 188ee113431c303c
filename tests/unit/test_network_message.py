"""Messages between nodes of a roaming network (conformance/network/message.py): the OCN node's field names,
read back as written, refused with the field named when malformed, and signed by the sending node."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conformance.network import registry_messages as m
from conformance.network.message import NetworkMessage, node_signature, node_signer
from conformance.network.registry_messages import RegistryError

KEY = m.new_key()


def _message(**changes: object) -> NetworkMessage:
    base: dict[str, object] = dict(module="locations", interface_role="RECEIVER", method="PUT", sender=("NL", "CPA"),
                                   receiver=("DE", "EMB"), request_id="r-1", correlation_id="c-1",
                                   url_path="NL/CPA/LOC1", body={"id": "LOC1"})
    base.update(changes)
    return NetworkMessage(**base)  # type: ignore[arg-type]


def test_the_wire_form_has_the_ocn_node_names_and_reads_back() -> None:
    message = _message(signature="notary-signature")
    raw = json.loads(message.to_json())
    assert list(raw) == ["module", "interface_role", "method", "headers", "url_path", "body"]
    assert raw["module"] == "LOCATIONS" and raw["headers"]["Authorization"] == ""  # the caller's token stays home
    assert raw["headers"]["sender"] == {"party_id": "CPA", "country_code": "NL"}
    assert NetworkMessage.from_json(message.to_json()) == message


def test_a_custom_module_travels_under_its_own_name() -> None:
    message = _message(module="x-settlement", custom=True)
    raw = json.loads(message.to_json())
    assert (raw["module"], raw["custom_module_id"]) == ("CUSTOM", "x-settlement")
    assert NetworkMessage.from_json(message.to_json()) == message


@pytest.mark.parametrize(("change", "field"), [
    (lambda r: r.pop("headers"), "headers"),
    (lambda r: r.update(module="PARKING"), "module"),
    (lambda r: r.update(module="CUSTOM"), "custom_module_id"),
    (lambda r: r.update(interface_role="BOTH"), "interface_role"),
    (lambda r: r["headers"].update(sender={"country_code": "NL"}), "headers.sender"),
    (lambda r: r.update(query_params=[1]), "query_params"),
])
def test_a_malformed_message_is_refused_naming_the_field(change: object, field: str) -> None:
    raw = json.loads(_message().to_json())
    change(raw)  # type: ignore[operator]
    with pytest.raises(ValueError, match=f"^{field}"):
        NetworkMessage.from_json(json.dumps(raw))


@settings(max_examples=30, deadline=None)
@given(body=st.dictionaries(st.text(max_size=5), st.text(max_size=8), max_size=4), at=st.integers(min_value=0))
def test_the_node_signature_covers_every_byte(body: dict[str, str], at: int) -> None:
    text = _message(body=body).to_json()
    signature = node_signature(text, KEY)
    assert node_signer(text, signature) == m.address_of(KEY)
    index = at % len(text)
    tampered = text[:index] + ("a" if text[index] != "a" else "b") + text[index + 1:]
    assert node_signer(tampered, signature) != m.address_of(KEY)


def test_a_malformed_signature_is_named() -> None:
    with pytest.raises(RegistryError, match=r"^OCN-Signature"):
        node_signer("{}", "zz")
