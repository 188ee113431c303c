"""Flows for a CPO under test as Sender of Sessions, CDRs and Tariffs: pulling each list, windows of it by limit and
offset, its date filters, and the references between the lists and to the CPO's Locations (mod_sessions, mod_cdrs,
mod_tariffs).

A cross-module check needs the complete list it resolves references in. When roamcert could not pull that list
completely (its traversal failed, or a pagination violation was found while pulling it), the check is not
evaluated: the prerequisite fails with the pagination findings that explain why.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from conformance.core.errors import HarnessError, SetupFailed
from conformance.ocpi.context import Context
from conformance.ocpi.v2_2_1.checks import pagination as pg
from conformance.ocpi.v2_2_1.checks import senders as sv
from conformance.ocpi.v2_2_1.flows.http import data_of
from conformance.ocpi.v2_2_1.flows.pull import SenderPull, sender_url, traversal_fails

__all__ = ["KINDS", "Pulled", "cdr_locations", "cdr_sessions", "credits", "date_filters", "known", "pull_pages",
           "session_locations", "tariff_references", "windows"]

# The plural a scenario names a list by -> (module, object schema)
KINDS = {"Sessions": ("sessions", "Session"), "CDRs": ("cdrs", "CDR"), "Tariffs": ("tariffs", "Tariff")}


@dataclass(frozen=True)
class Pulled:
    """One Sender list as roamcert pulled it: its objects and the exchanges (pages) they came in."""

    kind: str  # "Sessions", "CDRs", "Tariffs"
    items: list[dict[str, Any]]
    evidence: tuple[str, ...]


def _sender(ctx: Context, kind: str) -> SenderPull:
    module, schema = KINDS[kind]
    return SenderPull(ctx, module=module, schema=schema)


def _pull(ctx: Context, kind: str, *, conclude: bool, whole: bool) -> Pulled:
    pull = _sender(ctx, kind)
    items, pages, complete = pull.traverse()
    broken = traversal_fails(pull.traversal(pages, complete))
    if conclude or broken:
        pull.conclude_traversal(pages, complete)
    if broken and whole:
        raise SetupFailed(f"roamcert could not pull the CPO's complete list of {kind}")
    return Pulled(kind, [i for i in items if isinstance(i, dict)], tuple(p.id for p in pages))


def pull_pages(ctx: Context, kind: str) -> Pulled:
    """Pull a whole list, following every next Link, and conclude the traversal."""
    return _pull(ctx, kind, conclude=True, whole=False)


def known(ctx: Context, kind: str) -> Pulled:
    """A list other checks resolve references in, or compare windows with: it must be complete."""
    return _pull(ctx, kind, conclude=False, whole=True)


def _trust_locations(ctx: Context) -> None:
    """The shared step that pulls the Locations does not judge its pull; judge it here, from its recorded pages
    (a pagination violation, a duplicate, a count that differs from X-Total-Count, a chain that never ends), since
    a Location missing from the list would make a reference to it look broken."""
    url = sender_url(ctx.conn, "locations")
    pages = [x for x in ctx.case.log.exchanges
             if x.direction == "outbound" and x.method == "GET" and x.url.startswith(url)]
    complete = bool(pages) and pg.next_link(pages[-1]) is None
    traversal = pg.Traversal(tuple(pages), complete)
    broken = bool(pages) and traversal_fails(traversal)
    if broken:  # the findings that explain why the prerequisite below fails
        ctx.case.evaluate(pg.traversal, traversal)
    if broken or any(f.blocking and f.check_id.startswith("ocpi.pagination.") for f in ctx.case.findings):
        raise SetupFailed("roamcert could not pull the CPO's complete list of Locations")


def cdr_ids(ctx: Context) -> None:
    """Evaluate ocpi.cdrs.unique_ids over the CDR pages this case pulled (the whole list, duplicates included)."""
    url = sender_url(ctx.conn, "cdrs")
    pages = [x for x in ctx.case.log.exchanges
             if x.direction == "outbound" and x.method == "GET" and x.url.startswith(url)]
    items = [i for p in pages for i in (data_of(p) if isinstance(data_of(p), list) else [])]
    ctx.case.evaluate(sv.unique_cdr_ids, sv.SenderLists(tuple(p.id for p in pages), cdrs=tuple(items)))


def _locations(items: list[Any]) -> tuple[dict[str, Any], ...]:
    return tuple(i for i in items if isinstance(i, dict))


def date_filters(ctx: Context, full: Pulled) -> None:
    _sender(ctx, full.kind).pull_date_windows(full.items, full.kind)


def windows(ctx: Context, full: Pulled, offset: int, limit: int) -> None:
    _sender(ctx, full.kind).pull_windows(full.items, offset, limit, full.kind)


def session_locations(ctx: Context, locations: list[Any]) -> None:
    _trust_locations(ctx)
    sessions = pull_pages(ctx, "Sessions")
    ctx.case.evaluate(sv.session_location_refs, sv.SenderLists(sessions.evidence, locations=_locations(locations),
                                                           sessions=tuple(sessions.items)))


def cdr_sessions(ctx: Context, sessions: Pulled) -> None:
    if sessions.kind != "Sessions":
        raise HarnessError(f"scenario bug: CDRs are matched to Sessions, not to {sessions.kind}")
    cdrs = pull_pages(ctx, "CDRs")
    ctx.case.evaluate(sv.cdr_session_link, sv.SenderLists(cdrs.evidence + sessions.evidence, cdrs=tuple(cdrs.items),
                                                       sessions=tuple(sessions.items)))


def cdr_locations(ctx: Context, locations: list[Any]) -> None:
    _trust_locations(ctx)
    cdrs = pull_pages(ctx, "CDRs")
    ctx.case.evaluate(sv.cdr_location_refs, sv.SenderLists(cdrs.evidence, locations=_locations(locations),
                                                        cdrs=tuple(cdrs.items)))


def credits(ctx: Context) -> None:
    """A Credit CDR's reference is resolved among all CDRs: the list must be complete."""
    cdrs = _pull(ctx, "CDRs", conclude=True, whole=True)
    ctx.case.evaluate(sv.credit_cdrs, sv.SenderLists(cdrs.evidence, cdrs=tuple(cdrs.items)))


def tariff_references(ctx: Context, locations: list[Any]) -> None:
    tariffs = _pull(ctx, "Tariffs", conclude=True, whole=True)
    ctx.case.evaluate(sv.connector_tariff_refs, sv.SenderLists(tariffs.evidence, locations=_locations(locations),
                                                            tariffs=tuple(tariffs.items)))
