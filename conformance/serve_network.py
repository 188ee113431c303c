"""The actors of a roaming network served over HTTP (docs/network.md, "Serving a network"): `roamcert serve
registry` runs the reference registry on its own; `roamcert serve node` is served by the CLI's own machinery (host
guard, admin secret, store, banner) with the pieces here: the node itself, its operator key, and its listing in
the registry at start."""

from __future__ import annotations

import argparse
import asyncio
import os
import re
from pathlib import Path
from typing import Any

from conformance.core.errors import ConfigurationError
from conformance.network import registry_messages as messages

__all__ = ["NODE_OPTIONS", "list_node", "node_banner", "node_party", "serve_registry"]

NODE_OPTIONS = ("registry", "key", "key_file", "identity")  # the options only `serve node` takes
_KEY = re.compile(r"^(0x)?[0-9a-fA-F]{64}$")


def serve_registry(args: argparse.Namespace, file: Path | None) -> int:
    """Serve the reference registry until stopped, its entries in ``file`` (None: in memory)."""
    import uvicorn

    from simulators.network.registry.app import registry_app
    from simulators.network.registry.store import RegistryStore

    # the registry calls no one, has no hooks and no fault profiles: what only a platform takes is refused
    unused = [option for option, value in (("--token-a", args.token_a), ("--admin-secret", args.admin_secret),
                                           ("--allow-host", args.allow_host), ("--peer-versions-url",
                                                                               args.peer_versions_url))
              if value] + (["--profile"] if args.profile != "conformant" else [])
    if unused:
        raise ConfigurationError(f"{', '.join(unused)}: not options of `roamcert serve registry`")
    try:
        store = RegistryStore(str(file) if file is not None else ":memory:")
    except Exception as exc:  # sqlite3 names the problem (not a database, no permission)
        raise ConfigurationError(f"--store {file}: cannot open it ({exc})") from None
    base = args.public_url or f"http://{'127.0.0.1' if args.host in ('0.0.0.0', '::') else args.host}:{args.port}"
    server = uvicorn.Server(uvicorn.Config(registry_app(store), host=args.host, port=args.port, log_level="warning"))

    async def serve() -> None:
        task = asyncio.create_task(server.serve())
        while not server.started and not task.done():
            await asyncio.sleep(0.02)
        if server.started:
            print("roamcert reference registry (docs/network.md)")
            print(f"  registry URL: {base.rstrip('/')}  (roamcert serve node --registry {base.rstrip('/')})")
            print(f"  listed:       {len(store.nodes())} node(s), {len(store.parties())} party(ies); "
                  "updates only with their owner's signature")
            print(f"  store:        {file if file is not None else 'memory (lost at exit)'}", flush=True)
        await task

    try:
        asyncio.run(serve())
    finally:
        store.close()
    return 0 if server.started else 2


def _identity(text: str | None, port: int) -> tuple[str, str]:
    """The node's own OCPI identity (it reports itself as a hub party): ``CC/PID``, by default one of the port."""
    if text is None:
        digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
        return "NL", "N" + digits[port // 36 % 36] + digits[port % 36]  # two nodes side by side differ
    match = re.fullmatch(r"([A-Za-z]{2})/([A-Za-z0-9]{3})", text.strip())
    if match is None:
        raise ConfigurationError(f"--identity {text!r}: a country code and party id, e.g. NL/NDA")
    return match.group(1).upper(), match.group(2).upper()


def _key_file(path: Path, *, create: bool) -> str:
    if create and not path.exists():
        key = messages.new_key()
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # a private key: the owner only
        with os.fdopen(descriptor, "w", encoding="ascii") as out:
            out.write(key + "\n")
        return key
    try:
        key = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigurationError(f"--key-file {path}: cannot read it ({type(exc).__name__})") from None
    if not _KEY.match(key):
        raise ConfigurationError(f"--key-file {path}: not a private key (64 hex digits)")
    return key


def _operator_key(args: argparse.Namespace, store: Path | None) -> tuple[str, str]:
    """The operator's private key and where it comes from. Without --key or --key-file, a node kept in a store
    keeps a generated key beside it (FILE.key, owner-only), so a restarted node is the same operator."""
    if args.key and args.key_file:
        raise ConfigurationError("--key and --key-file do not go together")
    if args.key:
        if not _KEY.match(args.key):
            raise ConfigurationError("--key: not a private key (64 hex digits)")  # the value itself is not echoed
        return args.key, "as given (--key)"
    if args.key_file:
        return _key_file(Path(args.key_file), create=False), f"read from {args.key_file}"
    if store is None:
        return messages.new_key(), "generated, lost at exit (--key-file to keep one)"
    path = store.with_name(store.name + ".key")
    existed = path.exists()
    return _key_file(path, create=True), f"{'kept in' if existed else 'generated, kept in'} {path}"


def node_party(base_url: str, args: argparse.Namespace, store: Path | None, *, timeout: float) -> Any:
    """The reference node `roamcert serve node` starts, answering 4002 when a forwarded request takes more than
    ``timeout`` s."""
    from simulators.ocpi.party import Identity
    from simulators.ocpi.v2_2_1.node import reference_node

    if not args.registry:
        raise ConfigurationError("roamcert serve node needs --registry URL (the registry it lists itself in)")
    key, kept = _operator_key(args, store)
    country_code, party_id = _identity(args.identity, args.port)
    node = reference_node(base_url, key=key, registry_url=args.registry, profile=args.profile,
                          identity=Identity("HUB", country_code, party_id, f"roamcert node {party_id}"),
                          timeout=timeout)
    node.state["serve.key"] = kept
    node.state["serve.registry"] = args.registry.rstrip("/")
    return node


async def list_node(node: Any) -> str:
    """List ``node`` in its registry (a signed PUT /registry/nodes/{operator}, its domain its public base URL);
    refused with a ConfigurationError naming why. Returns the registry's URL."""
    import httpx

    from simulators.ocpi.v2_2_1.node import node_state

    state = node_state(node)
    assert state is not None
    registry = str(node.state["serve.registry"])
    if not node.may_call(registry):
        raise ConfigurationError(f"--registry {registry}: not an allowed host; add it with --allow-host")
    operator = state.operator
    signature = messages.sign(messages.set_node(operator, state.domain), state.key)
    try:
        answer = await node.http_factory().put(f"{registry}/registry/nodes/{operator}",
                                               json={"domain": state.domain, "signature": signature})
    except httpx.HTTPError as exc:
        raise ConfigurationError(f"the registry at {registry} did not answer ({type(exc).__name__}): is "
                                 "`roamcert serve registry` running there?") from None
    if answer.status_code != 200:
        try:
            why = str(answer.json().get("error"))
        except (ValueError, AttributeError):
            why = answer.text[:200]
        raise ConfigurationError(f"the registry at {registry} refused to list this node (HTTP "
                                 f"{answer.status_code}): {why}")
    return registry


def node_banner(node: Any) -> list[str]:
    """The lines `roamcert serve node` adds to the banner: who operates it and where it is listed. The operator's
    key is shown only as its address."""
    from simulators.ocpi.v2_2_1.node import node_state

    state = node_state(node)
    assert state is not None
    return [f"  operator:     {state.operator} (key {node.state.get('serve.key', '')})",
            f"  registry:     {node.state.get('serve.registry')} (listed as {state.domain})"]

