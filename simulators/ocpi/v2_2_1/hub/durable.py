"""What a served hub keeps besides its registered peers, made durable (simulators/ocpi/store.py): its ClientInfo
list, so that after a restart the restored platforms' parties are as they were (CONNECTED, OFFLINE, SUSPENDED) and
requests to them are routed at once. The PLANNED ones come from the configuration of each start (``--expect``),
not from the store: a party no longer expected is no longer listed."""

from __future__ import annotations

from typing import Any

from simulators.ocpi.party import Party
from simulators.ocpi.store import durable
from simulators.ocpi.v2_2_1.hub.table import PLANNED, HubState

__all__: list[str] = []


def _dump_clients(party: Party) -> list[dict[str, Any]]:
    state = party.state.get("hub")  # as hub_state keeps it, without creating one (a platform has none)
    return list(state.clients.values()) if isinstance(state, HubState) else []


def _load_clients(party: Party, value: Any) -> None:
    state = party.state.get("hub")
    if not value or not isinstance(state, HubState):
        return
    for info in value:
        if info.get("status") != PLANNED:
            state.clients[(str(info["country_code"]).upper(), str(info["party_id"]).upper())] = info


durable("hub.clientinfo", _dump_clients, _load_clients)
