"""roamcert's side of a Hub under test (conformance/ocpi/hub_side.py): four platforms of its own, one holding two
parties, each served under its own path of the partner's URL and registered with the Hub through its own token A."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from conformance.core.case import Case
from conformance.core.errors import SetupFailed
from conformance.core.topology import NodeKind
from conformance.ocpi.context import Context
from conformance.ocpi.harness import Harness
from conformance.ocpi.target import reference_target
from conformance.ocpi.v2_2_1.flows.hub import ensure_hub_side


@pytest.fixture
def harness() -> Iterator[Harness]:
    built = Harness(reference_target(roles=("HUB",)))
    yield built
    built.close()


def _context(harness: Harness) -> Context:
    return Context(harness, Case(nodeid="hub-side", log=harness.begin_case()), "HUB")


def test_four_platforms_of_roamcert_face_the_hub(harness: Harness) -> None:
    side = harness.hub_side()
    held = {slug: sorted(i.role for i in p.identities) for slug, p in side.platforms.items()}
    assert held == {"cpo1": ["CPO"], "dual": ["CPO", "EMSP"], "emsp1": ["EMSP"], "nsp": ["NSP"]}
    bases = [p.party.base_url for p in side.platforms.values()]
    assert len(set(bases)) == 4
    assert all(b.startswith(harness.target.partner_public_url + "/hub/") for b in bases)
    linked = {n.name for n in harness.topology.linked(harness.sut_node("HUB").name, NodeKind.ROAMCERT)}
    assert linked == {p.node for p in side.platforms.values()}
    parties = {(i.country_code, i.party_id) for p in side.platforms.values() for i in p.identities}
    assert len(parties) == 5  # two CPOs and two eMSPs are told apart by their party ids


def test_each_platform_registers_with_its_own_token_a(harness: Harness) -> None:
    ctx = _context(harness)
    side = ensure_hub_side(ctx)
    assert side.registered
    assert len({p.token for p in side.platforms.values()}) == 4  # the Hub gave each platform its own token
    posts = [x for x in ctx.case.log.exchanges if x.method == "POST" and x.url.endswith("/credentials")]
    assert len({x.request_header("Authorization") for x in posts}) == 4
    for platform in side.platforms.values():
        assert platform.peer is not None
        assert [r["role"] for r in platform.peer.roles] == ["HUB"]
    assert ensure_hub_side(ctx) is side  # once per run
    (declared,) = harness.declarations()  # the verdict names what the Hub offers and declares, as read
    assert declared.versions_offered is not None and "2.2.1" in declared.versions_offered
    assert declared.interfaces is not None and ("hubclientinfo", "SENDER") in declared.interfaces


def test_too_few_tokens_a_is_a_failed_prerequisite(harness: Harness) -> None:
    harness.target.platforms["HUB"].extra_tokens_a = harness.target.platforms["HUB"].extra_tokens_a[:1]
    with pytest.raises(SetupFailed, match="needs 4 tokens A"):
        ensure_hub_side(_context(harness))
    with pytest.raises(SetupFailed):  # and stays failed, without a second attempt
        ensure_hub_side(_context(harness))
