"""Checks of the Tokens module (mod_tokens): an eMSP as Sender (its real-time authorization) and a CPO as
Receiver (what roamcert's eMSP pushes is what the CPO keeps). Each is concluded by a flow
(conformance/flows/tokens.py) over the requests it made; the Token pulls are judged by the pagination and schema
checks."""

from __future__ import annotations

from conformance.checks.registry import declare
from conformance.findings import Severity

TOK = "mod_tokens"

AUTHORIZE_VALID = declare("ocpi.tokens.authorize_valid", requirements=["OCPI-2.2.1-TOK-S-01"],
                          spec=f"{TOK}#{TOK}_post_response_data",
                          title="Real-time authorization of a valid Token answers ALLOWED with an AuthorizationInfo "
                                "naming that Token")
AUTHORIZE_REFERENCE = declare("ocpi.tokens.authorize_reference", requirements=["OCPI-2.2.1-TOK-S-02"],
                              spec=f"{TOK}#{TOK}_authorizationinfo_object", severity=Severity.RECOMMENDED,
                              title="An ALLOWED real-time authorization carries an authorization_reference")
AUTHORIZE_LOCATION = declare("ocpi.tokens.authorize_location", requirements=["OCPI-2.2.1-TOK-S-03"],
                             spec=f"{TOK}#{TOK}_post_request_body",
                             title="An authorization asked for a Location, when ALLOWED, returns that Location and "
                                   "only EVSEs that were asked for")
AUTHORIZE_INVALID = declare("ocpi.tokens.authorize_invalid", requirements=["OCPI-2.2.1-TOK-S-04"],
                            spec=f"{TOK}#{TOK}_allowed_enum",
                            title="Real-time authorization of a Token the eMSP lists as invalid is not ALLOWED")
AUTHORIZE_UNKNOWN = declare("ocpi.tokens.authorize_unknown", requirements=["OCPI-2.2.1-TOK-S-05"],
                            spec=f"{TOK}#{TOK}_post_method",
                            title="Real-time authorization of an unknown Token answers HTTP 404 with 2004 and "
                                  "no data")

AUTHORIZE_REGARDLESS_OF_STATE = declare(
    "ocpi.tokens.authorize_regardless_of_state", requirements=["OCPI-2.2.1-TOK-S-06"],
    spec=f"{TOK}#{TOK}_real-time_authorization",
    title="A Token allowed at an open Location is still allowed there once the Location is closed and its EVSEs "
          "out of order")

RECEIVER_STORED = declare("ocpi.tokens.receiver_stored", requirements=["OCPI-2.2.1-TOK-R-01"],
                          spec=f"{TOK}#{TOK}_put_method",
                          title="A Token the eMSP pushed is what the Receiver's GET returns")
RECEIVER_PATCHED = declare("ocpi.tokens.receiver_patched", requirements=["OCPI-2.2.1-TOK-R-02"],
                           spec=f"{TOK}#{TOK}_patch_method",
                           title="A Token PATCH (invalidating it) changes the fields it carries and only those")
RECEIVER_PATCH_LAST_UPDATED = declare("ocpi.tokens.receiver_patch_last_updated",
                                      requirements=["OCPI-2.2.1-TOK-R-03"], spec=f"{TOK}#{TOK}_patch_method",
                                      title="A Token PATCH without last_updated is refused and changes nothing")
RECEIVER_TYPE = declare("ocpi.tokens.receiver_type", requirements=["OCPI-2.2.1-TOK-R-04"],
                        spec=f"{TOK}#{TOK}_cpo_get_request_parameters",
                        title="Tokens with the same uid but another type are different Tokens; type defaults "
                              "to RFID")
RECEIVER_REJECTED = declare("ocpi.tokens.receiver_invalid_not_stored", requirements=["OCPI-2.2.1-TOK-R-05"],
                            spec=f"{TOK}#{TOK}_token_object",
                            title="A pushed Token that is not a valid Token object is refused and not stored")
