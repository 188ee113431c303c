"""What every test process shares: nothing outside its own temporary directory."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(scope="session", autouse=True)
def _own_state_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """`roamcert serve` without --store keeps its platform in $XDG_STATE_HOME/roamcert/serve-<role>-<port>.sqlite.
    A test that serves one (a subprocess inherits the variable) must not leave it in the user's home, nor restore
    a file another run, or another pytest-xdist worker, left on a port that was free again."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_STATE_HOME", str(tmp_path_factory.mktemp("state")))
        yield
