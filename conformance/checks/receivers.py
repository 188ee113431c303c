"""Checks on an eMSP as Receiver of Sessions, Tariffs and CDRs: what roamcert's CPO pushes is what the eMSP
keeps (mod_sessions, mod_tariffs, mod_cdrs). Each is evaluated by a flow over the push and the read-back."""

from __future__ import annotations

from conformance.checks.registry import declare
from conformance.findings import Severity

SES = "mod_sessions"
TAR = "mod_tariffs"
CDR = "mod_cdrs"

SESSION_STORED = declare("ocpi.sessions.receiver_stored", requirements=["OCPI-2.2.1-SES-R-01"],
                         spec=f"{SES}#mod_sessions_msp_put_method",
                         title="A Session the CPO pushed is what the Receiver's GET returns")
SESSION_REPLACED = declare("ocpi.sessions.receiver_replaced", requirements=["OCPI-2.2.1-SES-R-02"],
                           spec=f"{SES}#mod_sessions_msp_put_method",
                           title="A PUT of a stored Session replaces it whole, its charging periods included")
SESSION_PATCHED = declare("ocpi.sessions.receiver_patched", requirements=["OCPI-2.2.1-SES-R-03"],
                          spec=f"{SES}#mod_sessions_patch_method",
                          title="A Session PATCH changes the fields it carries and adds its charging periods to "
                                "the stored ones")
SESSION_PATCH_LAST_UPDATED = declare("ocpi.sessions.receiver_patch_last_updated",
                                     requirements=["OCPI-2.2.1-SES-R-04"], spec=f"{SES}#mod_sessions_patch_method",
                                     title="A Session PATCH without last_updated is refused and changes nothing")
SESSION_REJECTED = declare("ocpi.sessions.receiver_invalid_not_stored", requirements=["OCPI-2.2.1-SES-R-05"],
                           spec=f"{SES}#mod_sessions_session_object",
                           title="A pushed Session that is not a valid Session object is refused and not stored")

TARIFF_STORED = declare("ocpi.tariffs.receiver_stored", requirements=["OCPI-2.2.1-TAR-R-01"],
                        spec=f"{TAR}#mod_tariffs_put_method",
                        title="A Tariff the CPO pushed, new or updated, is what the Receiver's GET returns")
TARIFF_DELETED = declare("ocpi.tariffs.receiver_deleted", requirements=["OCPI-2.2.1-TAR-R-02"],
                         spec=f"{TAR}#mod_tariffs_delete_method",
                         title="A Tariff the CPO deleted is no longer returned by the Receiver")
TARIFF_REJECTED = declare("ocpi.tariffs.receiver_invalid_not_stored", requirements=["OCPI-2.2.1-TAR-R-03"],
                          spec=f"{TAR}#mod_tariffs_tariff_object",
                          title="A pushed Tariff that is not a valid Tariff object is refused and not stored")

CDR_LOCATION = declare("ocpi.cdrs.receiver_location_header", requirements=["OCPI-2.2.1-CDR-R-01"],
                       spec=f"{CDR}#mod_cdrs_response_headers",
                       title="The answer to a CDR POST carries a Location header with the absolute URL of the "
                             "stored CDR")
CDR_STORED = declare("ocpi.cdrs.receiver_stored", requirements=["OCPI-2.2.1-CDR-R-02"],
                     spec=f"{CDR}#mod_cdrs_response_url",
                     title="A GET of the URL a CDR POST answered with returns the CDR as posted")
CDR_CREATED = declare("ocpi.cdrs.receiver_created", requirements=["OCPI-2.2.1-CDR-R-03"],
                      spec="status_codes#status_codes_status_codes", severity=Severity.RECOMMENDED,
                      title="A CDR POST that creates the CDR is answered HTTP 201 Created")
CDR_REJECTED = declare("ocpi.cdrs.receiver_invalid_not_stored", requirements=["OCPI-2.2.1-CDR-R-04"],
                       spec=f"{CDR}#mod_cdrs_post_method",
                       title="A POSTed CDR that is not a valid CDR object is refused and not stored")
