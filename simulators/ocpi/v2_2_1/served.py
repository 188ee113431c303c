"""What the reference CPO serves of its seed as Sender of Sessions, CDRs and Tariffs: one behaviour point per
module, from the objects the seed made to the list its Sender interface serves (all of them, as they are).

Applied once, when the platform is seeded (simulators/ocpi/v2_2_1/reference.py), so the charging lifecycle works
on the lists as served. A fault profile's replacement (simulators/ocpi/v2_2_1/profiles/senders.py) bends a copy of
an object: the seed's other objects (the Tariffs a CDR embeds, the CDR a Session was derived from) stay as they
were, so each fault breaks exactly the consistency it is named after.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from simulators.behaviours import Behaviour
from simulators.ocpi.v2_2_1 import VERSION

__all__ = ["SERVED", "SERVED_CDRS", "SERVED_SESSIONS", "SERVED_TARIFFS", "Objects", "Serve"]

Objects = list[dict[str, Any]]
Serve = Callable[[Objects], Objects]  # the seed's objects of a module -> the list its Sender serves


def _as_seeded(objects: Objects) -> Objects:
    return objects


def _point(module: str) -> Behaviour[Serve]:
    return Behaviour("OCPI", VERSION, module, "served", _as_seeded)


SERVED_SESSIONS = _point("sessions")
SERVED_CDRS = _point("cdrs")
SERVED_TARIFFS = _point("tariffs")
SERVED = {"sessions": SERVED_SESSIONS, "cdrs": SERVED_CDRS, "tariffs": SERVED_TARIFFS}  # in the order applied
