"""Checks on an eMSP as Receiver of Sessions, Tariffs and CDRs: what roamcert's CPO pushes is what the eMSP
keeps (mod_sessions, mod_tariffs, mod_cdrs). Each is evaluated by a flow over the push and the read-back."""

from __future__ import annotations

from conformance.ocpi.v2_2_1.checks._registrar import declare

SES = "mod_sessions"
TAR = "mod_tariffs"
CDR = "mod_cdrs"

SESSION_STORED = declare("ocpi.sessions.receiver_stored")
SESSION_REPLACED = declare("ocpi.sessions.receiver_replaced")
SESSION_PATCHED = declare("ocpi.sessions.receiver_patched")
SESSION_PATCH_LAST_UPDATED = declare("ocpi.sessions.receiver_patch_last_updated")
SESSION_REJECTED = declare("ocpi.sessions.receiver_invalid_not_stored")

TARIFF_STORED = declare("ocpi.tariffs.receiver_stored")
TARIFF_DELETED = declare("ocpi.tariffs.receiver_deleted")
TARIFF_REJECTED = declare("ocpi.tariffs.receiver_invalid_not_stored")

CDR_LOCATION = declare("ocpi.cdrs.receiver_location_header")
CDR_STORED = declare("ocpi.cdrs.receiver_stored")
CDR_CREATED = declare("ocpi.cdrs.receiver_created")
CDR_REJECTED = declare("ocpi.cdrs.receiver_invalid_not_stored")
