"""Every request goes to an endpoint URL exactly as the SUT published it, probes included; a probe whose answer
never reached an OCPI endpoint (a redirect) is reported as what it is, not as a failure of another rule."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conformance.cli import main
from conformance.ocpi.urls import join

LOCATIONS = "https://sut.test/ocpi/cpo/2.2.1/locations"


@pytest.mark.parametrize("published", [LOCATIONS, LOCATIONS + "/", LOCATIONS + "?tenant=7", "https://sut.test"])
def test_without_segments_the_published_url_is_untouched(published: str) -> None:
    assert join(published) == published


@pytest.mark.parametrize(("published", "joined"), [
    (LOCATIONS, LOCATIONS + "/NL/ABC/LOC1"),
    (LOCATIONS + "/", LOCATIONS + "/NL/ABC/LOC1"),  # one slash, not two
    (LOCATIONS + "?tenant=7", LOCATIONS + "/NL/ABC/LOC1?tenant=7"),  # the query stays at the end
    ("https://sut.test", "https://sut.test/NL/ABC/LOC1"),
])
def test_segments_are_appended_after_the_published_path(published: str, joined: str) -> None:
    assert join(published, "NL", "ABC", "LOC1") == joined


def _records(out: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (out / "results.ndjson").read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def redirecting(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The authentication probes against a reference CPO whose version details publish its Sender lists with a
    trailing slash it answers with a 307 redirect (the endpoint_urls_redirect profile)."""
    out = tmp_path_factory.mktemp("exact_urls") / "out"
    main(["run", "--target", "reference", "--roles", "CPO", "--profile", "CPO=endpoint_urls_redirect",
          "--out", str(out), "--id", "OCPI-2.2.1-TC-TF-01"])
    [case] = [r for r in _records(out) if r["type"] == "test_case"]
    return case


def test_published_urls_are_called_as_published(redirecting: dict[str, Any]) -> None:
    called = {x["url"] for x in redirecting["exchanges"]}
    for module in ("locations", "sessions", "cdrs", "tariffs"):
        assert f"http://reference-cpo.roamcert.test/ocpi/cpo/2.2.1/sender/{module}/" in called
        assert f"http://reference-cpo.roamcert.test/ocpi/cpo/2.2.1/sender/{module}" not in called


def test_a_redirected_url_is_reported_as_a_redirect_and_its_probes_are_not_judged(
        redirecting: dict[str, Any]) -> None:
    failed = [f for f in redirecting["findings"] if f["outcome"] == "FAIL"]
    assert {f["check_id"] for f in failed} == {"ocpi.versions.endpoint_served"}
    assert sorted(f["actual"] for f in failed) == [
        f"HTTP 307 redirect to http://reference-cpo.roamcert.test/ocpi/cpo/2.2.1/sender/{module}"
        for module in ("cdrs", "locations", "sessions", "tariffs")]
    redirected = {x["id"] for x in redirecting["exchanges"] if x["status"] == 307}
    assert len(redirected) == 4  # the control request only: no credential was probed there
    assert {e for f in failed for e in f["evidence"]} == redirected
    # no other rule (headers, envelope, content type) judged the redirects
    assert [f["check_id"] for f in redirecting["findings"]
            if f["check_id"] != "ocpi.versions.endpoint_served" and set(f["evidence"]) & redirected] == []
    # the URLs the reference does serve (its Receivers' objects) were probed and refused the credentials
    auth = [f for f in redirecting["findings"] if f["check_id"].startswith("ocpi.auth.")]
    assert len(auth) == 8 and all(f["outcome"] == "PASS" for f in auth)
    assert redirecting["outcome"] == "FAIL"
