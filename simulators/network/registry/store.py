"""The registry's state in SQLite: node operators, parties, services, grants, and the log of every change.

The rules are those of the OCN registry contracts: a domain belongs to one operator; a (country code, party id)
belongs to the first address that listed it until that address deletes it; a party lists itself only on a
registered operator's node; a party or provider deletes only its own entry. Every write is one transaction and
appends an event (``seq`` increasing), so a node that caches look-ups asks for the events since the last one it
saw and forgets what changed: a party that moved to another node is looked up again.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from conformance.network.registry_messages import Module, Permission, RegistryError, Role

__all__ = ["Conflict", "NotFound", "RegistryStore"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS operators (address TEXT PRIMARY KEY, domain TEXT NOT NULL UNIQUE, signature TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS parties (
    address TEXT PRIMARY KEY, country_code TEXT NOT NULL, party_id TEXT NOT NULL, roles TEXT NOT NULL,
    operator TEXT NOT NULL, signature TEXT NOT NULL, sender TEXT NOT NULL DEFAULT '[]',
    receiver TEXT NOT NULL DEFAULT '[]', modules_signature TEXT, UNIQUE (country_code, party_id));
CREATE TABLE IF NOT EXISTS services (
    provider TEXT PRIMARY KEY, name TEXT NOT NULL, url TEXT NOT NULL, permissions TEXT NOT NULL,
    signature TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS agreements (
    party TEXT NOT NULL, provider TEXT NOT NULL, signature TEXT NOT NULL, PRIMARY KEY (party, provider));
CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, subject TEXT NOT NULL);
"""


class NotFound(LookupError):
    """No such entry."""


class Conflict(RegistryError):
    """The update contradicts an entry someone else owns (a domain, a country code and party id)."""


def _names(raw: str, enum: type[Role] | type[Module] | type[Permission]) -> list[str]:
    return [enum(code).name for code in json.loads(raw)]


class RegistryStore:
    """The registry's tables; ``path`` is an SQLite file, or ``:memory:``."""

    def __init__(self, path: str = ":memory:") -> None:
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._db.row_factory = sqlite3.Row
        if path != ":memory:":
            self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        self._db.close()

    def _write(self, statements: list[tuple[str, tuple[Any, ...]]], kind: str, subject: str) -> int:
        """Run ``statements`` and log the event in one transaction; the event's sequence number."""
        with self._db:
            self._db.execute("BEGIN IMMEDIATE")
            for sql, args in statements:
                self._db.execute(sql, args)
            cursor = self._db.execute("INSERT INTO events (kind, subject) VALUES (?, ?)", (kind, subject))
            return int(cursor.lastrowid or 0)

    # -- node operators ---------------------------------------------------------------------------------------

    def set_node(self, operator: str, domain: str, signature: str) -> int:
        held = self._db.execute("SELECT address FROM operators WHERE domain = ?", (domain,)).fetchone()
        if held is not None and held["address"] != operator:
            raise Conflict(f"domain: {domain} is already the node of operator {held['address']}")
        return self._write([("INSERT INTO operators VALUES (?, ?, ?) ON CONFLICT (address) DO UPDATE SET "
                             "domain = excluded.domain, signature = excluded.signature",
                             (operator, domain, signature))], "operator", operator)

    def delete_node(self, operator: str) -> int:
        self.node(operator)
        return self._write([("DELETE FROM operators WHERE address = ?", (operator,))], "operator", operator)

    def node(self, operator: str) -> dict[str, Any]:
        row = self._db.execute("SELECT * FROM operators WHERE address = ?", (operator,)).fetchone()
        if row is None:
            raise NotFound(f"no node operator {operator}")
        return {"operator": row["address"], "domain": row["domain"], "signature": row["signature"]}

    def nodes(self) -> list[dict[str, Any]]:
        rows = self._db.execute("SELECT address FROM operators ORDER BY address").fetchall()
        return [self.node(row["address"]) for row in rows]

    # -- parties ----------------------------------------------------------------------------------------------

    def set_party(self, party: str, country_code: str, party_id: str, roles: list[int], operator: str,
                  signature: str) -> int:
        held = self._db.execute("SELECT address FROM parties WHERE country_code = ? AND party_id = ?",
                                (country_code, party_id)).fetchone()
        if held is not None and held["address"] != party:
            raise Conflict(f"country_code/party_id: {country_code}/{party_id} is listed by another address "
                           f"({held['address']})")
        try:
            self.node(operator)
        except NotFound as exc:
            raise Conflict(f"operator: {operator} has no node in the registry") from exc
        return self._write([(
            "INSERT INTO parties (address, country_code, party_id, roles, operator, signature) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (address) DO UPDATE SET country_code = excluded.country_code, "
            "party_id = excluded.party_id, roles = excluded.roles, operator = excluded.operator, "
            "signature = excluded.signature",
            (party, country_code, party_id, json.dumps(roles), operator, signature))], "party", party)

    def set_party_modules(self, party: str, sender: list[int], receiver: list[int], signature: str) -> int:
        self.party(party)
        return self._write([("UPDATE parties SET sender = ?, receiver = ?, modules_signature = ? WHERE address = ?",
                             (json.dumps(sender), json.dumps(receiver), signature, party))], "party", party)

    def delete_party(self, party: str) -> int:
        self.party(party)
        return self._write([("DELETE FROM parties WHERE address = ?", (party,)),
                            ("DELETE FROM agreements WHERE party = ?", (party,))], "party", party)

    def _party(self, row: sqlite3.Row | None, what: str) -> dict[str, Any]:
        if row is None:
            raise NotFound(f"no party {what}")
        node = self._db.execute("SELECT domain FROM operators WHERE address = ?", (row["operator"],)).fetchone()
        return {"address": row["address"], "country_code": row["country_code"], "party_id": row["party_id"],
                "roles": _names(row["roles"], Role), "operator": row["operator"],
                "node": node["domain"] if node is not None else None, "signature": row["signature"],
                "modules": {"sender": _names(row["sender"], Module), "receiver": _names(row["receiver"], Module)},
                "modules_signature": row["modules_signature"]}

    def party(self, address: str) -> dict[str, Any]:
        return self._party(self._db.execute("SELECT * FROM parties WHERE address = ?", (address,)).fetchone(),
                           address)

    def party_by_ocpi(self, country_code: str, party_id: str) -> dict[str, Any]:
        row = self._db.execute("SELECT * FROM parties WHERE country_code = ? AND party_id = ?",
                               (country_code, party_id)).fetchone()
        return self._party(row, f"{country_code}/{party_id}")

    def parties(self, operator: str | None = None) -> list[dict[str, Any]]:
        rows = (self._db.execute("SELECT * FROM parties ORDER BY country_code, party_id").fetchall()
                if operator is None else
                self._db.execute("SELECT * FROM parties WHERE operator = ? ORDER BY country_code, party_id",
                                 (operator,)).fetchall())
        return [self._party(row, "") for row in rows]

    # -- services and grants ----------------------------------------------------------------------------------

    def set_service(self, provider: str, name: str, url: str, permissions: list[int], signature: str) -> int:
        return self._write([("INSERT INTO services VALUES (?, ?, ?, ?, ?) ON CONFLICT (provider) DO UPDATE SET "
                             "name = excluded.name, url = excluded.url, permissions = excluded.permissions, "
                             "signature = excluded.signature",
                             (provider, name, url, json.dumps(permissions), signature))], "service", provider)

    def delete_service(self, provider: str) -> int:
        self.service(provider)
        return self._write([("DELETE FROM services WHERE provider = ?", (provider,)),
                            ("DELETE FROM agreements WHERE provider = ?", (provider,))], "service", provider)

    def service(self, provider: str) -> dict[str, Any]:
        row = self._db.execute("SELECT * FROM services WHERE provider = ?", (provider,)).fetchone()
        if row is None:
            raise NotFound(f"no service of provider {provider}")
        granted = self._db.execute("SELECT party FROM agreements WHERE provider = ? ORDER BY party",
                                   (provider,)).fetchall()
        # A service reaches parties as a party of the network itself: its entry there names where it is.
        party = self._db.execute("SELECT country_code, party_id FROM parties WHERE address = ?",
                                 (provider,)).fetchone()
        return {"provider": row["provider"], "name": row["name"], "url": row["url"],
                "permissions": _names(row["permissions"], Permission), "signature": row["signature"],
                "granted_by": [r["party"] for r in granted],
                "party": None if party is None else {"country_code": party["country_code"],
                                                     "party_id": party["party_id"]}}

    def services(self) -> list[dict[str, Any]]:
        rows = self._db.execute("SELECT provider FROM services ORDER BY provider").fetchall()
        return [self.service(row["provider"]) for row in rows]

    def create_agreement(self, party: str, provider: str, signature: str) -> int:
        self.party(party)
        self.service(provider)
        return self._write([("INSERT INTO agreements VALUES (?, ?, ?) ON CONFLICT (party, provider) DO UPDATE SET "
                             "signature = excluded.signature", (party, provider, signature))], "agreement", party)

    def revoke_agreement(self, party: str, provider: str) -> int:
        if self._db.execute("SELECT 1 FROM agreements WHERE party = ? AND provider = ?",
                            (party, provider)).fetchone() is None:
            raise NotFound(f"party {party} has granted nothing to provider {provider}")
        return self._write([("DELETE FROM agreements WHERE party = ? AND provider = ?", (party, provider))],
                           "agreement", party)

    def agreements(self, party: str) -> list[str]:
        rows = self._db.execute("SELECT provider FROM agreements WHERE party = ? ORDER BY provider",
                                (party,)).fetchall()
        return [row["provider"] for row in rows]

    # -- changes ----------------------------------------------------------------------------------------------

    def events(self, since: int = 0, limit: int = 1000) -> list[dict[str, Any]]:
        rows = self._db.execute("SELECT * FROM events WHERE seq > ? ORDER BY seq LIMIT ?", (since, limit)).fetchall()
        return [{"seq": row["seq"], "kind": row["kind"], "subject": row["subject"]} for row in rows]
