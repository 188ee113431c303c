"""Making the SUT act: through a trigger hook (HTTP or shell command) or an operator prompt."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from conformance.core.errors import HarnessError, ManualActionPending
from conformance.ocpi.context import Context

__all__ = ["perform"]


def perform(ctx: Context, name: str, payload: dict[str, str]) -> None:
    """Carry out action ``name``; raises ManualActionPending when nothing can carry it out."""
    action = ctx.harness.target.actions.get(name)
    if action is None:
        raise ManualActionPending(f"the SUT must perform '{name}', but the target file has no [actions.{name}]")
    if action.http is not None:
        method, url = action.http
        if action.secret is not None:
            ctx.harness.log.secrets.add(action.secret)  # never shown, should a hook ever echo it
        if url == "admin":  # the in-process reference exposes its hooks under /admin
            parts = urlsplit(ctx.harness.target.platforms[ctx.sut_role].versions_url)
            url = f"{parts.scheme}://{parts.netloc}/admin/{name}"
            client = ctx.harness.network.client()
            response = ctx.harness.runtime.run(client.request(method, url, json=payload))
            if response.status_code >= 400:
                raise HarnessError(f"action {name}: {method} {url} answered HTTP {response.status_code}: "
                                   f"{response.text[:300]}")
            return
        _http(name, method, url, payload, ctx.harness.target.timeout, action.secret)
        return
    if action.command is not None:
        env = dict(os.environ, **{f"ROAMCERT_{k.upper()}": v for k, v in payload.items()})
        done = subprocess.run(action.command, shell=True, env=env, capture_output=True, text=True,
                              timeout=ctx.harness.target.timeout, check=False)
        if done.returncode != 0:
            raise HarnessError(f"action {name}: command exited with {done.returncode}: {done.stderr[-300:]}")
        return
    if action.prompt and ctx.harness.interactive and sys.stdin.isatty():
        details = "\n".join(f"    {k}: {v}" for k, v in payload.items())
        input(f"\n[roamcert] Please make the SUT perform '{name}' with:\n{details}\nPress Enter when done. ")
        return
    raise ManualActionPending(f"the SUT must perform '{name}'; this run is not interactive and no hook is set")


def _http(name: str, method: str, url: str, payload: dict[str, str], timeout: float, secret: str | None) -> None:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["Authorization"] = f"Bearer {secret}"
    request = urllib.request.Request(url, data=json.dumps(payload).encode(), method=method, headers=headers)
    # A secret goes to the configured URL only: a redirect is an error, not followed with the secret.
    opener = urllib.request.build_opener(_NoRedirect) if secret is not None else urllib.request.build_opener()
    try:
        with opener.open(request, timeout=timeout) as response:
            response.read()
    except urllib.error.HTTPError as exc:
        exc.close()
        raise HarnessError(f"action {name}: {method} {url} answered HTTP {exc.code}") from exc
    except (urllib.error.URLError, TimeoutError) as exc:
        raise HarnessError(f"action {name}: {method} {url} failed: {exc}") from exc


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None
