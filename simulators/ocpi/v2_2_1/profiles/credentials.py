"""OCPI 2.2.1 fault profiles: the credentials handshake and versions.
Each replaces behaviours of the reference platforms (simulators/behaviours.py)."""

from __future__ import annotations

from simulators.ocpi.faults import Faults
from simulators.ocpi.v2_2_1.profiles._register import profile

profile("old_token_kept", "After a credentials PUT the previous token still works.",
        trips=("ocpi.credentials.update_rotates_token",), legacy=Faults(keep_old_token_after_update=True))

profile("second_post_accepted", "A second credentials POST from a registered party is accepted.",
        trips=("ocpi.credentials.post_when_registered",), legacy=Faults(allow_second_post=True))

profile("versions_failure_ignored", "Registration succeeds even when the client's versions URL cannot be read.",
        trips=("ocpi.credentials.client_unreachable", "ocpi.credentials.client_unreachable_code"),
        legacy=Faults(ignore_versions_failure=True))

profile("client_plain_token", "As a client, sends the credentials token without Base64 encoding.",
        trips=("ocpi.request.authorization",), legacy=Faults(client_plain_token=True))

profile("client_no_request_ids", "As a client, sends no X-Request-ID or X-Correlation-ID.",
        trips=("ocpi.request.ids",), legacy=Faults(client_no_request_ids=True))

profile("version_mismatch_ignored", "Registration succeeds although the client offers no mutual version.",
        trips=("ocpi.credentials.no_mutual_version", "ocpi.credentials.no_mutual_version_code"),
        legacy=Faults(ignore_version_mismatch=True))

profile("wrong_registration_error_codes", "Failed registrations are answered with 3000 instead of 3001/3002.",
        trips=("ocpi.credentials.client_unreachable_code", "ocpi.credentials.no_mutual_version_code"),
        legacy=Faults(wrong_registration_error_codes=True))

profile("token_a_returned_as_c", "Registration answers with token A as the new token.",
        trips=("ocpi.credentials.registration",), legacy=Faults(return_token_a_as_c=True))

profile("callback_with_token_a", "During registration the server reads the client's versions with token A.",
        trips=("ocpi.credentials.callback_with_token_b",), legacy=Faults(callback_with_token_a=True))

profile("broken_token_c", "The token C handed out at registration does not open anything.",
        trips=("ocpi.credentials.token_c_works",), legacy=Faults(issue_broken_token=True))

profile("long_token_c", "Issued tokens are 80 characters long.", trips=("ocpi.credentials.token_printable",),
        legacy=Faults(issue_long_token=True))

profile("unregistered_methods_accepted", "PUT and DELETE credentials succeed before registration.",
        trips=("ocpi.credentials.put_when_unregistered", "ocpi.credentials.delete_when_unregistered"),
        legacy=Faults(unregistered_methods_ok=True))

profile("delete_keeps_token", "After DELETE credentials the token still works.",
        trips=("ocpi.credentials.unregister",), legacy=Faults(delete_keeps_token=True))

profile("client_no_content_type", "As a client, sends JSON bodies without Content-Type.",
        trips=("ocpi.request.content_type",), legacy=Faults(client_no_content_type=True))

profile("client_token_b_unusable", "As a client, sends a token B that does not open its own versions.",
        trips=("ocpi.credentials.client_flow",), legacy=Faults(client_token_b_unusable=True))

profile("credentials_wrong_role", "The platform's Credentials name its parties with role OTHER.",
        trips=("ocpi.credentials.roles",), legacy=Faults(credentials_wrong_role=True))
