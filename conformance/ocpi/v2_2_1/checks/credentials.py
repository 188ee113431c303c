"""Checks on the registration handshake and the credentials module (credentials.asciidoc)."""

from __future__ import annotations

from conformance.ocpi.v2_2_1.checks._registrar import declare

CR = "credentials"
VI = "version_information_endpoint"

VERSIONS = declare("ocpi.versions.mutual")
DETAILS = declare("ocpi.versions.details")
REGISTRATION = declare("ocpi.credentials.registration")
CALLBACK = declare("ocpi.credentials.callback_with_token_b")
TOKEN_C = declare("ocpi.credentials.token_c_works")
TOKEN_FORMAT = declare("ocpi.credentials.token_printable")
POST_TWICE = declare("ocpi.credentials.post_when_registered")
PUT_UNREGISTERED = declare("ocpi.credentials.put_when_unregistered")
DELETE_UNREGISTERED = declare("ocpi.credentials.delete_when_unregistered")
ROTATION = declare("ocpi.credentials.update_rotates_token")
UNREGISTER = declare("ocpi.credentials.unregister")
CLIENT_UNREACHABLE = declare("ocpi.credentials.client_unreachable")
CLIENT_UNREACHABLE_CODE = declare("ocpi.credentials.client_unreachable_code")
NO_MUTUAL = declare("ocpi.credentials.no_mutual_version")
NO_MUTUAL_CODE = declare("ocpi.credentials.no_mutual_version_code")
ROLES = declare("ocpi.credentials.roles")
CLIENT_FLOW = declare("ocpi.credentials.client_flow")
