"""Checks of the Tokens module (mod_tokens): an eMSP as Sender (its real-time authorization) and a CPO as
Receiver (what roamcert's eMSP pushes is what the CPO keeps). Each is concluded by a flow
(conformance/ocpi/v2_2_1/flows/tokens.py) over the requests it made; the Token pulls are judged by the pagination and
schema
checks."""

from __future__ import annotations

from conformance.ocpi.v2_2_1.checks._registrar import declare

TOK = "mod_tokens"

AUTHORIZE_VALID = declare("ocpi.tokens.authorize_valid")
AUTHORIZE_REFERENCE = declare("ocpi.tokens.authorize_reference")
AUTHORIZE_LOCATION = declare("ocpi.tokens.authorize_location")
AUTHORIZE_INVALID = declare("ocpi.tokens.authorize_invalid")
AUTHORIZE_UNKNOWN = declare("ocpi.tokens.authorize_unknown")

AUTHORIZE_REGARDLESS_OF_STATE = declare("ocpi.tokens.authorize_regardless_of_state")

RECEIVER_STORED = declare("ocpi.tokens.receiver_stored")
RECEIVER_PATCHED = declare("ocpi.tokens.receiver_patched")
RECEIVER_PATCH_LAST_UPDATED = declare("ocpi.tokens.receiver_patch_last_updated")
RECEIVER_TYPE = declare("ocpi.tokens.receiver_type")
RECEIVER_REJECTED = declare("ocpi.tokens.receiver_invalid_not_stored")
