"""Checks on the registration handshake and the credentials module (credentials.asciidoc)."""

from __future__ import annotations

from conformance.checks.registry import declare
from conformance.findings import Severity

CR = "credentials"
VI = "version_information_endpoint"

VERSIONS = declare("ocpi.versions.mutual", requirements=["OCPI-2.2.1-VI-01"],
                   spec=f"{VI}#version_information_endpoint_version_information_endpoint",
                   title="The versions endpoint lists version 2.2.1 with its details URL")
DETAILS = declare("ocpi.versions.details", requirements=["OCPI-2.2.1-VI-02"],
                  spec=f"{VI}#version_information_endpoint_version_details_endpoint",
                  title="The version details list a credentials endpoint and absolute endpoint URLs")
REGISTRATION = declare("ocpi.credentials.registration", requirements=["OCPI-2.2.1-CR-01"],
                       spec=f"{CR}#credentials_post_method",
                       title="POST credentials with token A answers the server's credentials with a new token C")
CALLBACK = declare("ocpi.credentials.callback_with_token_b", requirements=["OCPI-2.2.1-CR-02"],
                   spec=f"{CR}#credentials_registration",
                   title="During registration the server reads the client's versions using token B")
TOKEN_C = declare("ocpi.credentials.token_c_works", requirements=["OCPI-2.2.1-CR-03"],
                  spec=f"{CR}#credentials_registration", title="Token C opens the server's modules")
TOKEN_FORMAT = declare("ocpi.credentials.token_printable", requirements=["OCPI-2.2.1-CR-04"],
                       spec=f"{CR}#credentials_credentials_object",
                       title="Issued tokens are printable non-whitespace ASCII of at most 64 characters",
                       severity=Severity.RECOMMENDED)
POST_TWICE = declare("ocpi.credentials.post_when_registered", requirements=["OCPI-2.2.1-CR-05"],
                     spec=f"{CR}#credentials_post_method",
                     title="POST credentials from a registered party answers HTTP 405")
PUT_UNREGISTERED = declare("ocpi.credentials.put_when_unregistered", requirements=["OCPI-2.2.1-CR-06"],
                           spec=f"{CR}#credentials_put_method",
                           title="PUT credentials before registration answers HTTP 405")
DELETE_UNREGISTERED = declare("ocpi.credentials.delete_when_unregistered", requirements=["OCPI-2.2.1-CR-07"],
                              spec=f"{CR}#credentials_delete_method",
                              title="DELETE credentials before registration answers HTTP 405")
ROTATION = declare("ocpi.credentials.update_rotates_token", requirements=["OCPI-2.2.1-CR-08"],
                   spec=f"{CR}#credentials_put_method",
                   title="PUT credentials issues a new token; the previous one is refused afterwards")
UNREGISTER = declare("ocpi.credentials.unregister", requirements=["OCPI-2.2.1-CR-09"],
                     spec=f"{CR}#credentials_delete_method",
                     title="DELETE credentials unregisters; the token is refused afterwards")
CLIENT_UNREACHABLE = declare("ocpi.credentials.client_unreachable", requirements=["OCPI-2.2.1-CR-10"],
                             spec=f"{CR}#credentials_errors_during_registration",
                             title="Registration fails when the client's versions cannot be read")
CLIENT_UNREACHABLE_CODE = declare("ocpi.credentials.client_unreachable_code", requirements=["OCPI-2.2.1-CR-11"],
                                  spec=f"{CR}#credentials_errors_during_registration",
                                  title="That failure is reported with status_code 3001",
                                  severity=Severity.RECOMMENDED)
NO_MUTUAL = declare("ocpi.credentials.no_mutual_version", requirements=["OCPI-2.2.1-CR-12"],
                    spec="status_codes#status_codes_3xxx_server_errors",
                    title="Registration fails when client and server share no OCPI version")
NO_MUTUAL_CODE = declare("ocpi.credentials.no_mutual_version_code", requirements=["OCPI-2.2.1-CR-13"],
                         spec="status_codes#status_codes_3xxx_server_errors",
                         title="That failure is reported with status_code 3002", severity=Severity.RECOMMENDED)
ROLES = declare("ocpi.credentials.roles", requirements=["OCPI-2.2.1-CR-15"],
                spec=f"{CR}#credentials_credentials_object",
                title="The Credentials list a CredentialsRole for every party role the platform holds")
CLIENT_FLOW = declare("ocpi.credentials.client_flow", requirements=["OCPI-2.2.1-CR-14"],
                      spec=f"{CR}#credentials_registration",
                      title="As client, the SUT reads versions and details with token A, then POSTs its "
                            "credentials with a token B that opens its own versions")
