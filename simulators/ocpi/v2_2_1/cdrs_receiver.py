"""The CDRs module: the eMSP's Receiver interface (mod_cdrs_emsp_interface).

A CDR is POSTed to the module URL; the answer's Location header gives the URL the CPO can GET it back from
(mod_cdrs_response_headers). OCPI leaves that URL's structure to the eMSP: ours is
``{cdrs_url}/{country_code}/{party_id}/{cdr_id}``.
"""

from __future__ import annotations

import copy
from urllib.parse import quote

from starlette.routing import BaseRoute

from simulators.behaviours import Behaviour
from simulators.ocpi.endpoint import Call, OcpiError, Reply, ocpi_route
from simulators.ocpi.modules import MODULES, ModuleImpl
from simulators.ocpi.party import Party
from simulators.ocpi.v2_2_1.receiving import KEPT, VERSION, object_key, pushed_object, unknown

__all__ = ["CREATED", "receiver_routes"]

MODULE = "cdrs"


def _created(call: Call, location: str) -> Reply:
    """HTTP 201, with the absolute URL the CDR can be fetched from in the Location header."""
    return Reply(http_status=201, with_data=False, headers={"Location": location})


CREATED = Behaviour("OCPI", VERSION, MODULE, "receiver.created", _created)  # the answer to a POST that stores a CDR


def receiver_routes(party: Party) -> list[BaseRoute]:
    cdrs = party.received.setdefault(MODULE, {})
    url = party.module_url(VERSION, MODULE, "RECEIVER")
    base = url.removeprefix(party.base_url)

    async def post(call: Call) -> Reply:
        body = pushed_object(call, "CDR")
        ids = [str(body.get(field, "")) for field in ("country_code", "party_id", "id")]
        key = object_key(*ids)
        if key in cdrs:
            # A CDR is final: it cannot be replaced, only credited by another CDR (mod_cdrs_credit_cdrs).
            raise OcpiError(2001, f"CDR {ids[2]} was already received; CDRs cannot be replaced")
        cdrs[key] = party.behaviours(KEPT)("CDR", copy.deepcopy(body))
        return party.behaviours(CREATED)(call, "/".join([url, *(quote(i, safe="") for i in ids)]))

    async def get(call: Call) -> Reply:
        cdr = cdrs.get(object_key(call.path("country_code"), call.path("party_id"), call.path("cdr_id")))
        if cdr is None:
            raise unknown(f"CDR {call.path('cdr_id')}")
        return Reply(data=cdr)

    return [
        ocpi_route(party, base, post, module=MODULE, methods=["POST"]),
        ocpi_route(party, f"{base}/{{country_code}}/{{party_id}}/{{cdr_id}}", get, module=MODULE, methods=["GET"]),
    ]


MODULES.register(ModuleImpl("OCPI", VERSION, MODULE, "RECEIVER", frozenset({"EMSP"}), receiver_routes))
