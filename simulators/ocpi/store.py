"""Where a served reference platform keeps what it received and whom it is registered with, so that a restart
serves it again.

A platform keeps its data in memory (``party.received``, the peers and tokens, the kept items of the modules); a
:class:`Keeper` writes what changed to a :class:`Store` before each answer to a request that may change it leaves
the server, and reads it back at start-up. Two stores share the interface: :class:`MemoryStore` (in-process runs,
tests) and :class:`SqliteStore` (``roamcert serve``, in the file ``--store`` names or in its default file: WAL mode,
one JSON column per object, keyed by module, country code, party id and object id).

Module files register what else they keep (command results, charging profile results, the CPO's charges) with
:func:`durable`, in the order they are put back (an item may rely on one registered before it). Work a module does
after its answer has left (a command the Charge Point carries out) is saved with :func:`keep`; work still due when
the process ended is taken up again by the item's ``resume`` once the restarted server is up.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from simulators.ocpi.party import Party, Peer

__all__ = ["DURABLE", "Durable", "DurableItem", "Keeper", "MemoryStore", "ObjectKey", "SqliteStore", "Store",
           "durable", "keep"]

ObjectKey = tuple[str, tuple[str, ...]]  # (module, key of the object in party.received[module])


class Store(ABC):
    """Rows of received objects (by module and key) and named items, written in one transaction at a time."""

    @abstractmethod
    def objects(self) -> dict[ObjectKey, dict[str, Any]]: ...

    @abstractmethod
    def items(self) -> dict[str, Any]: ...

    @abstractmethod
    def write(self, objects: dict[ObjectKey, dict[str, Any] | None], items: dict[str, Any]) -> None:
        """Store ``objects`` (None: delete it) and ``items``, all or nothing."""

    @abstractmethod
    def close(self) -> None:
        """Release what the store holds open."""


class MemoryStore(Store):
    """A store in memory (as JSON text, so a stored object is a copy): for in-process runs and tests."""

    def __init__(self) -> None:
        self._objects: dict[ObjectKey, str] = {}
        self._items: dict[str, str] = {}

    def objects(self) -> dict[ObjectKey, dict[str, Any]]:
        return {key: json.loads(text) for key, text in self._objects.items()}

    def items(self) -> dict[str, Any]:
        return {name: json.loads(text) for name, text in self._items.items()}

    def write(self, objects: dict[ObjectKey, dict[str, Any] | None], items: dict[str, Any]) -> None:
        for key, obj in objects.items():
            if obj is None:
                self._objects.pop(key, None)
            else:
                self._objects[key] = json.dumps(obj)
        self._items.update({name: json.dumps(value) for name, value in items.items()})

    def close(self) -> None:
        pass


_SCHEMA = """
CREATE TABLE IF NOT EXISTS objects (
    module TEXT NOT NULL, country_code TEXT, party_id TEXT, object_id TEXT,
    key TEXT NOT NULL,  -- the whole key, a JSON array (country code, party id, object id, as the module keys it)
    object TEXT NOT NULL,  -- JSON
    PRIMARY KEY (module, key)
);
CREATE TABLE IF NOT EXISTS items (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


class SqliteStore(Store):
    """One SQLite file (WAL journal, synchronous FULL: a write acknowledged is on disk)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        try:
            # Readable by its owner only: it holds the tokens of the peers (SQLite gives its -wal and -shm files
            # the same mode).
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
            self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.executescript(_SCHEMA)
        except (sqlite3.Error, OSError) as exc:
            raise ValueError(f"{path}: not a usable SQLite store ({exc})") from None

    def objects(self) -> dict[ObjectKey, dict[str, Any]]:
        with self._lock:
            rows = self._db.execute("SELECT module, key, object FROM objects").fetchall()
        return {(module, tuple(json.loads(key))): json.loads(obj) for module, key, obj in rows}

    def items(self) -> dict[str, Any]:
        with self._lock:
            rows = self._db.execute("SELECT name, value FROM items").fetchall()
        return {name: json.loads(value) for name, value in rows}

    def write(self, objects: dict[ObjectKey, dict[str, Any] | None], items: dict[str, Any]) -> None:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                for (module, key), obj in objects.items():
                    if obj is None:
                        self._db.execute("DELETE FROM objects WHERE module = ? AND key = ?", (module, json.dumps(key)))
                        continue
                    parts = [*key, None, None, None][:3]
                    self._db.execute(
                        "INSERT OR REPLACE INTO objects (module, country_code, party_id, object_id, key, object) "
                        "VALUES (?, ?, ?, ?, ?, ?)", (module, *parts, json.dumps(list(key)), json.dumps(obj)))
                for name, value in items.items():
                    self._db.execute("INSERT OR REPLACE INTO items (name, value) VALUES (?, ?)",
                                     (name, json.dumps(value)))
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            self._db.close()


@dataclass(frozen=True)
class DurableItem:
    """Something a module keeps besides received objects: ``dump(party)`` gives it as JSON, ``load(party, value)``
    puts it back, and ``resume(party)`` (if any) carries on, on the restarted server's loop, the work that was due."""

    name: str
    dump: Callable[[Party], Any]
    load: Callable[[Party, Any], None]
    resume: Callable[[Party], Awaitable[None]] | None = None


DURABLE: dict[str, DurableItem] = {}
_KEEPER = "store.keeper"  # where a kept party's Keeper is, in party.state


def durable(name: str, dump: Callable[[Party], Any], load: Callable[[Party, Any], None],
            resume: Callable[[Party], Awaitable[None]] | None = None) -> None:
    """Register a kept item (at import time, by the module file that keeps it)."""
    if name in DURABLE:
        raise ValueError(f"durable item {name!r} registered twice")
    DURABLE[name] = DurableItem(name, dump, load, resume)


def _dump_registration(party: Party) -> dict[str, Any]:
    peers = [{"token_in": p.token_in, "token_out": p.token_out, "versions_url": p.versions_url,
              "version": p.version, "endpoints": p.endpoints, "roles": p.roles} for p in party.peers.values()]
    return {"tokens_a": sorted(party.tokens_a), "issued": sorted(party.issued), "issued_a": sorted(party.issued_a),
            "retired_tokens": sorted(party.retired_tokens), "peers": peers}


def _load_registration(party: Party, value: Any) -> None:
    party.tokens_a.update(value.get("tokens_a", []))
    party.issued.update(value.get("issued", []))
    party.issued_a.update(value.get("issued_a", []))
    party.retired_tokens.update(value.get("retired_tokens", []))
    party.log.secrets.update(party.tokens_a | party.issued)
    for raw in value.get("peers", []):
        party.add_peer(Peer(token_in=raw["token_in"], token_out=raw["token_out"], versions_url=raw["versions_url"],
                            version=raw.get("version"), endpoints=list(raw.get("endpoints") or []),
                            roles=list(raw.get("roles") or [])))


durable("registration", _dump_registration, _load_registration)


class Keeper:
    """Keeps ``party``'s data in ``store``: :meth:`restore` at start-up, :meth:`save` after each change."""

    def __init__(self, party: Party, store: Store) -> None:
        self.party = party
        self.store = store
        self._written: dict[ObjectKey, str] = {}
        self._items: dict[str, str] = {}
        party.state[_KEEPER] = self  # for keep(): work done after the answer left

    def restore(self) -> int:
        """Put back what the store holds; returns the number of received objects restored."""
        objects = self.store.objects()
        for (module, key), obj in objects.items():
            self.party.received.setdefault(module, {})[key] = obj
            self._written[(module, key)] = json.dumps(obj, sort_keys=True)
        stored = self.store.items()
        for name, item in DURABLE.items():  # in registration order: the peers before what refers to them
            if name in stored:
                item.load(self.party, stored[name])
                self._items[name] = json.dumps(stored[name], sort_keys=True)
        return len(objects)

    async def resume(self) -> None:
        """Carry on the work that was due when the store was last written (call on the running server's loop)."""
        for item in DURABLE.values():
            if item.resume is not None:
                await item.resume(self.party)

    def save(self) -> None:
        """Write what changed since the last save (an object changed in place included)."""
        now: dict[ObjectKey, str] = {}
        for module, kept in self.party.received.items():
            for key, obj in kept.items():
                now[(module, tuple(str(part) for part in key))] = json.dumps(obj, sort_keys=True)
        objects: dict[ObjectKey, dict[str, Any] | None] = {
            key: json.loads(text) for key, text in now.items() if self._written.get(key) != text}
        objects.update({key: None for key in self._written.keys() - now.keys()})
        items: dict[str, Any] = {}
        for name, item in DURABLE.items():
            text = json.dumps(item.dump(self.party), sort_keys=True)
            if self._items.get(name) != text:
                items[name] = json.loads(text)
        if objects or items:
            self.store.write(objects, items)
            self._written = now
            self._items.update({name: json.dumps(value, sort_keys=True) for name, value in items.items()})


def keep(party: Party) -> None:
    """Save now what ``party`` changed outside a request (nothing when it is not kept in a store)."""
    keeper = party.state.get(_KEEPER)
    if isinstance(keeper, Keeper):
        keeper.save()


Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]


class Durable:
    """An ASGI app around ``app`` that has ``keeper`` save before the answer to any request but a GET or HEAD
    leaves the server: a push acknowledged is a push stored."""

    def __init__(self, app: App, keeper: Keeper) -> None:
        self.app = app
        self.keeper = keeper

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return

        async def saving(message: Message) -> None:
            if message["type"] == "http.response.start":
                self.keeper.save()
            await send(message)

        await self.app(scope, receive, saving)
