"""Checks of the HubClientInfo module (mod_hub_client_info): a party connected to a Hub, under test as Receiver,
keeps the ClientInfo objects roamcert pushes as the Hub would. Concluded by
conformance/ocpi/v2_2_1/flows/hubclientinfo.py."""

from __future__ import annotations

from conformance.ocpi.v2_2_1.checks._registrar import declare

HCI = "mod_hub_client_info"

STORED = declare("ocpi.hubclientinfo.stored")
UPDATED = declare("ocpi.hubclientinfo.status_updated")
INVALID = declare("ocpi.hubclientinfo.invalid_refused")
