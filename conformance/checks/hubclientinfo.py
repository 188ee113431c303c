"""Checks of the HubClientInfo module (mod_hub_client_info): a party connected to a Hub, under test as Receiver,
keeps the ClientInfo objects roamcert pushes as the Hub would. Concluded by conformance/flows/hubclientinfo.py."""

from __future__ import annotations

from conformance.checks.registry import declare

HCI = "mod_hub_client_info"

STORED = declare("ocpi.hubclientinfo.stored", requirements=["OCPI-2.2.1-HCI-R-01"], spec=f"{HCI}#{HCI}_client_put",
                 title="A ClientInfo pushed by PUT is what the Receiver's GET returns")
UPDATED = declare("ocpi.hubclientinfo.status_updated", requirements=["OCPI-2.2.1-HCI-R-02"],
                  spec=f"{HCI}#{HCI}_push_model",
                  title="A later ClientInfo PUT replaces the stored one: each connection status change, "
                        "SUSPENDED included, reads back")
INVALID = declare("ocpi.hubclientinfo.invalid_refused", requirements=["OCPI-2.2.1-HCI-R-03"],
                  spec=f"{HCI}#{HCI}_hub_client_info_object",
                  title="A pushed body that is not a valid ClientInfo is refused with 2001 and not stored")
