"""The protocol-neutral base of target files: reading the TOML, and the tables every protocol shares.

A target is TOML. Every key is checked, and a bad file gets a message that names the file, the key and what is
wrong. Each protocol package reads its own keys (conformance/ocpi/target.py for OCPI) with the helpers here.
"""

from __future__ import annotations

import os
import ssl
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from conformance.core.errors import ConfigurationError
from conformance.core.protocol import UnknownProtocol, protocol_version, protocol_versions

__all__ = ["COMMON_KEYS", "Action", "CommonSettings", "fail", "read_target_file", "target_actions", "target_common",
           "target_hosts", "target_protocol", "target_secret", "target_text", "target_tls", "target_url"]


@dataclass(frozen=True)
class Action:
    """A way to make the SUT act: an HTTP call, a shell command, or an operator prompt."""

    name: str
    http: tuple[str, str] | None = None  # (method, url)
    command: str | None = None
    prompt: bool = False
    # The secret an HTTP hook needs (sent as ``Authorization: Bearer …``): e.g. a served reference's admin secret.
    secret: str | None = field(default=None, repr=False)


def fail(path: Path, key: str, problem: str) -> ConfigurationError:
    return ConfigurationError(f"{path}: {key}: {problem}")


def target_text(path: Path, data: dict[str, Any], key: str, *, required: bool = False, where: str = "") -> str | None:
    """A non-empty string at ``key`` (``where``: the table it stands in, for the message)."""
    value = data.get(key)
    named = f"{where}.{key}" if where else key
    if value is None:
        if required:
            raise fail(path, named, "is required")
        return None
    if not isinstance(value, str) or not value.strip():
        raise fail(path, named, f"must be a non-empty string, not {value!r}")
    return value.strip()


def target_secret(path: Path, data: dict[str, Any], key: str, *, where: str = "") -> str | None:
    """A secret given at ``key`` or, by name, in the environment variable ``{key}_env`` (never both)."""
    named = (lambda k: f"{where}.{k}") if where else (lambda k: k)
    value = target_text(path, data, key, where=where)
    env = target_text(path, data, f"{key}_env", where=where)
    if value is not None and env is not None:
        raise fail(path, named(f"{key}, {key}_env"), "give one of the two, not both")
    if env is not None:
        value = os.environ.get(env)
        if not value:
            raise fail(path, named(f"{key}_env"), f"environment variable {env} is not set")
    return value


def target_url(path: Path, key: str, value: str) -> str:
    """An absolute http(s) URL, kept exactly as given (a trailing slash included): it is called as the user wrote
    it, as a published endpoint URL is called as published."""
    if not value.startswith(("http://", "https://")):
        raise fail(path, key, f"must be an absolute http(s) URL, not {value!r}")
    return value


def target_actions(path: Path, raw: Any) -> dict[str, Action]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise fail(path, "actions", "must be a table of [actions.NAME] tables")
    actions: dict[str, Action] = {}
    for name, spec in raw.items():
        key = f"actions.{name}"
        if not isinstance(spec, dict):
            raise fail(path, key, "must be a table with http, command or prompt")
        unknown = set(spec) - {"http", "command", "prompt", "secret", "secret_env"}
        if unknown:
            raise fail(path, key, f"unknown keys {sorted(unknown)}; use http, command or prompt (an http hook may "
                                  "add secret_env, or secret)")
        http = None
        if "http" in spec:
            method, _, url = str(spec["http"]).partition(" ")
            if method.upper() not in ("GET", "POST", "PUT") or not url.startswith(("http://", "https://")):
                raise fail(path, f"{key}.http", f"must be 'METHOD http(s)://…', not {spec['http']!r}")
            http = (method.upper(), url)
        command = spec.get("command")
        if command is not None and not isinstance(command, str):
            raise fail(path, f"{key}.command", "must be a string")
        prompt = spec.get("prompt", False)
        if not isinstance(prompt, bool):
            raise fail(path, f"{key}.prompt", "must be true or false")
        secret = target_secret(path, spec, "secret", where=key)
        if secret is not None and http is None:
            raise fail(path, f"{key}.secret", "only an http action sends a secret")
        actions[name] = Action(name, http=http, command=command, prompt=prompt, secret=secret)
    return actions


def target_tls(path: Path, raw: Any) -> tuple[ssl.SSLContext | bool, tuple[str, str] | None]:
    if raw is None:
        return True, None
    if not isinstance(raw, dict):
        raise fail(path, "tls", "must be a table")
    verify = raw.get("verify", True)
    if not isinstance(verify, bool):
        raise fail(path, "tls.verify", "must be true or false")
    context: ssl.SSLContext | bool = verify
    ca_file = raw.get("ca_file")
    if ca_file is not None:
        ca_path = (path.parent / str(ca_file)).resolve()
        if not ca_path.is_file():
            raise fail(path, "tls.ca_file", f"no such file: {ca_path}")
        try:
            context = ssl.create_default_context(cafile=str(ca_path))
        except ssl.SSLError as exc:
            raise fail(path, "tls.ca_file", f"{ca_path} holds no usable CA certificate: {exc}") from None
    cert = None
    if "client_cert" in raw:
        cert_path = (path.parent / str(raw["client_cert"])).resolve()
        key_path = (path.parent / str(raw.get("client_key", raw["client_cert"]))).resolve()
        for key, file in (("tls.client_cert", cert_path), ("tls.client_key", key_path)):
            if not file.is_file():
                raise fail(path, key, f"no such file: {file}")
        cert = (str(cert_path), str(key_path))
    return context, cert




def read_target_file(path: Path) -> dict[str, Any]:
    """The target file's TOML, or a ConfigurationError naming the file and what is wrong."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigurationError(f"{path}: no such target file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigurationError(f"{path}: cannot read the target file: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigurationError(f"{path}: not valid TOML: {exc}") from None


def target_protocol(path: Path, data: dict[str, Any], default: str) -> tuple[str, str]:
    """The (protocol, version) a target file names; a version may be left out where roamcert speaks only one of
    that protocol. Only installed protocol versions are accepted."""
    protocol = (target_text(path, data, "protocol") or default).upper()
    version = target_text(path, data, "version")
    known = [item.version for item in protocol_versions() if item.protocol == protocol]
    if not known:
        speaks = ", ".join(f"{item.protocol} {item.version}" for item in protocol_versions()) or "nothing"
        raise fail(path, "protocol/version", f"{protocol} is not supported (roamcert speaks: {speaks})")
    if version is None:
        if len(known) != 1:
            raise fail(path, "version", f"is required: roamcert speaks {protocol} {', '.join(known)}")
        version = known[0]
    try:
        protocol_version(protocol, version)
    except UnknownProtocol as exc:
        raise fail(path, "protocol/version", str(exc)) from None
    return protocol, version


#: The keys every target file may have, whatever its protocol.
COMMON_KEYS = frozenset({"name", "partner", "tls", "actions", "timeout", "max_response_bytes", "retry_after_max",
                         "run_budget", "allowed_hosts"})


@dataclass(frozen=True)
class CommonSettings:
    """What every target says, whatever its protocol: its name, roamcert's own listening partner, TLS, the
    actions that make the SUT act, and roamcert's bounds: the total deadline of one request (``timeout``: connect,
    headers and body together), the size of a response body it reads (after decompression), the seconds it waits
    in all on 429/503 answers with Retry-After before one request is given up, and the time budget of a whole run
    (None: unbounded)."""

    name: str | None
    partner_public_url: str | None
    partner_listen: tuple[str, int] | None
    verify: ssl.SSLContext | bool
    client_cert: tuple[str, str] | None
    timeout: float
    actions: dict[str, Action]
    max_response_bytes: int = 4 * 1024 * 1024
    retry_after_max: float = 10.0
    run_budget: float | None = None
    allowed_hosts: tuple[str, ...] = ()  # hosts credentials may go to besides the versions URLs' (core/hosts.py)


def _positive(path: Path, data: dict[str, Any], key: str, default: float | None, *, integer: bool = False,
              zero: bool = False) -> Any:
    """A positive number at ``key`` (an integer where ``integer``; 0 allowed where ``zero``), or ``default``."""
    value = data.get(key, default)
    if value is None:
        return None
    kinds = int if integer else int | float
    if isinstance(value, bool) or not isinstance(value, kinds) or value < 0 or (value == 0 and not zero):
        what = "a positive integer (bytes)" if integer else "a positive number of seconds"
        raise fail(path, key, f"must be {what}{' or 0' if zero else ''}, not {value!r}")
    return value


def target_common(path: Path, data: dict[str, Any]) -> CommonSettings:
    partner = data.get("partner", {})
    if not isinstance(partner, dict):
        raise fail(path, "partner", "must be a table with public_url and listen")
    public_url = target_text(path, partner, "public_url", where="partner")
    listen_raw = target_text(path, partner, "listen", where="partner")
    listen = None
    if listen_raw is not None:
        host, _, port = listen_raw.rpartition(":")
        if not host or not port.isdigit() or not 1 <= int(port) <= 65535:
            raise fail(path, "partner.listen", f"must be HOST:PORT, not {listen_raw!r}")
        listen = (host, int(port))
    if public_url is None and listen is not None:
        public_url = f"http://{'127.0.0.1' if listen[0] in ('0.0.0.0', '::') else listen[0]}:{listen[1]}"
    verify, cert = target_tls(path, data.get("tls"))
    timeout = data.get("timeout", 30)
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0:
        raise fail(path, "timeout", "must be a positive number of seconds")
    return CommonSettings(
        name=target_text(path, data, "name"),
        # roamcert's own base URL, which its partner's paths are appended to: not a URL of the SUT's
        partner_public_url=target_url(path, "partner.public_url", public_url).rstrip("/") if public_url else None,
        partner_listen=listen, verify=verify, client_cert=cert, timeout=float(timeout),
        actions=target_actions(path, data.get("actions")),
        max_response_bytes=_positive(path, data, "max_response_bytes", 4 * 1024 * 1024, integer=True),
        retry_after_max=float(_positive(path, data, "retry_after_max", 10.0, zero=True)),
        run_budget=_positive(path, data, "run_budget", None),
        allowed_hosts=target_hosts(path, data.get("allowed_hosts")))


def target_hosts(path: Path, raw: Any) -> tuple[str, ...]:
    """``allowed_hosts``: host names (``host``, any port) or ``host:port``, never URLs."""
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(item, str) and item.strip() for item in raw):
        raise fail(path, "allowed_hosts", f"must be a list of host names (\"host\" or \"host:port\"), not {raw!r}")
    for item in raw:
        if "/" in item or "@" in item or any(c.isspace() for c in item.strip()):
            raise fail(path, "allowed_hosts", f"{item!r} is not a host name: give \"host\" or \"host:port\", "
                                              "without scheme, path or user")
    return tuple(item.strip() for item in raw)
