"""The CDRs module: the eMSP's Receiver interface (mod_cdrs_emsp_interface).

A CDR is POSTed to the module URL; the answer's Location header gives the URL the CPO can GET it back from
(mod_cdrs_response_headers). OCPI leaves that URL's structure to the eMSP: ours is
``{cdrs_url}/{country_code}/{party_id}/{cdr_id}``.
"""

from __future__ import annotations

import copy
from typing import Any
from urllib.parse import quote

from starlette.routing import BaseRoute

from simulators.ocpi.endpoint import Call, OcpiError, Reply, ocpi_route
from simulators.ocpi.modules import MODULES, ModuleImpl
from simulators.ocpi.party import Party
from simulators.ocpi.v2_2_1.receiving import VERSION, object_key, pushed_object, rewritten_reference, unknown

__all__ = ["receiver_routes"]

MODULE = "cdrs"


def _rounded(node: Any) -> Any:
    """Every number of a CDR rounded to 2 decimals (a fault: OCPI numbers carry up to 4)."""
    if isinstance(node, float):
        return round(node, 2)
    if isinstance(node, dict):
        return {k: _rounded(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_rounded(item) for item in node]
    return node


def receiver_routes(party: Party) -> list[BaseRoute]:
    cdrs = party.received.setdefault(MODULE, {})
    faults = party.faults
    url = party.module_url(VERSION, MODULE, "RECEIVER")
    base = url.removeprefix(party.base_url)

    async def post(call: Call) -> Reply:
        body = pushed_object(call, "CDR", validate=not faults.cdr_invalid_accepted)
        ids = [str(body.get(field, "")) for field in ("country_code", "party_id", "id")]
        key = object_key(*ids)
        if key in cdrs:
            # A CDR is final: it cannot be replaced, only credited by another CDR (mod_cdrs_credit_cdrs).
            raise OcpiError(2001, f"CDR {ids[2]} was already received; CDRs cannot be replaced", 400)
        cdrs[key] = _rounded(copy.deepcopy(body)) if faults.cdr_numbers_rounded else copy.deepcopy(body)
        if faults.emsp_reference_rewritten and cdrs[key].get("authorization_reference"):
            cdrs[key]["authorization_reference"] = rewritten_reference(cdrs[key]["authorization_reference"])
        headers: dict[str, str] = {}
        if faults.cdr_location_header != "none":
            prefix = url if faults.cdr_location_header == "absolute" else base
            headers["Location"] = "/".join([prefix, *(quote(i, safe="") for i in ids)])
        return Reply(http_status=faults.cdr_created_status, with_data=False, headers=headers)

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
