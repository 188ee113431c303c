"""Checks of the Commands module (mod_commands): a CPO as Receiver (its CommandResponse, the CommandResult it
POSTs to roamcert's response_url, and what the command did) and an eMSP as Sender (the commands it sends to
roamcert's CPO and how it takes the CommandResults back). Each is concluded by a flow
(conformance/ocpi/v2_2_1/flows/commands.py); the exchanges themselves also go through the response and request
checks."""

from __future__ import annotations

from conformance.ocpi.v2_2_1.checks._registrar import declare

CMD = "mod_commands"

# -- a CPO as Receiver ------------------------------------------------------------------------------------------

RESPONSE = declare("ocpi.commands.response")
RESULT_POSTED = declare("ocpi.commands.result_posted")
RESULT_IN_TIME = declare("ocpi.commands.result_in_time")
START_SESSION = declare("ocpi.commands.start_session")
START_TOKEN_NOT_CHECKED = declare("ocpi.commands.start_token_not_checked")
START_NO_REALTIME = declare("ocpi.commands.start_no_realtime_authorization")
SESSION_TOKEN = declare("ocpi.commands.session_token")
RESERVE_TOKEN_NOT_CHECKED = declare("ocpi.commands.reserve_token_not_checked")
RESERVE_NO_REALTIME = declare("ocpi.commands.reserve_no_realtime_authorization")
STOP_SESSION = declare("ocpi.commands.stop_session")
UNKNOWN_SESSION = declare("ocpi.commands.unknown_session")
RESERVATION_CANCELED = declare("ocpi.commands.reservation_canceled")
UNKNOWN_RESERVATION = declare("ocpi.commands.unknown_reservation")
UNKNOWN_LOCATION = declare("ocpi.commands.unknown_location")
INVALID_BODY = declare("ocpi.commands.invalid_body")
RESERVED_STATUS = declare("ocpi.commands.reserved_evse_status")
NO_RESULT_UNLESS_ACCEPTED = declare("ocpi.commands.no_result_unless_accepted")
CHARGE_POINT_TIMEOUT = declare("ocpi.commands.charge_point_timeout")

# -- an eMSP as Sender ------------------------------------------------------------------------------------------

SENDER_BODY = declare("ocpi.commands.sender_body")
SENDER_RESPONSE_URL = declare("ocpi.commands.sender_response_url")
SENDER_ACKNOWLEDGED = declare("ocpi.commands.sender_result_acknowledged")
SENDER_UNIQUE_URL = declare("ocpi.commands.sender_unique_response_url")
SENDER_CANCELED_RESERVATION = declare("ocpi.commands.sender_canceled_reservation")
SENDER_START_OWN_TOKEN = declare("ocpi.commands.sender_start_own_token")
SENDER_RESERVE_OWN_TOKEN = declare("ocpi.commands.sender_reserve_own_token")
SENDER_STOP_SESSION = declare("ocpi.commands.sender_stop_session")
