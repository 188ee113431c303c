"""Checks of the Commands module (mod_commands): a CPO as Receiver (its CommandResponse, the CommandResult it
POSTs to roamcert's response_url, and what the command did) and an eMSP as Sender (the commands it sends to
roamcert's CPO and how it takes the CommandResults back). Each is concluded by a flow
(conformance/flows/commands.py); the exchanges themselves also go through the response and request checks."""

from __future__ import annotations

from conformance.checks.registry import declare
from conformance.findings import Severity

CMD = "mod_commands"

# -- a CPO as Receiver ------------------------------------------------------------------------------------------

RESPONSE = declare("ocpi.commands.response", requirements=["OCPI-2.2.1-CMD-R-01"], spec=f"{CMD}#{CMD}_response_data",
                   title="A command is answered at once with status 1000 and a CommandResponse whose timeout is a "
                         "positive number of seconds")
RESULT_POSTED = declare("ocpi.commands.result_posted", requirements=["OCPI-2.2.1-CMD-R-02"],
                        spec=f"{CMD}#{CMD}_msp_post_method",
                        title="After ACCEPTED, a CommandResult is POSTed to the response_url the command gave")
RESULT_IN_TIME = declare("ocpi.commands.result_in_time", requirements=["OCPI-2.2.1-CMD-R-03"],
                         spec=f"{CMD}#{CMD}_commandresponse_object",
                         title="The CommandResult arrives within the timeout the CommandResponse announced")
START_SESSION = declare("ocpi.commands.start_session", requirements=["OCPI-2.2.1-CMD-R-04"],
                        spec=f"{CMD}#{CMD}_commandtype_enum",
                        title="START_SESSION at an available EVSE is ACCEPTED, results in ACCEPTED and starts a "
                              "Session there for the Token given")
START_TOKEN_NOT_CHECKED = declare("ocpi.commands.start_token_not_checked", requirements=["OCPI-2.2.1-CMD-R-05"],
                                  spec=f"{CMD}#{CMD}_startsession_object",
                                  title="START_SESSION with a Token the CPO was never sent is not refused for it")
START_NO_REALTIME = declare("ocpi.commands.start_no_realtime_authorization", requirements=["OCPI-2.2.1-CMD-R-06"],
                            spec=f"{CMD}#{CMD}_startsession_object",
                            title="The CPO does not ask the eMSP in real time about the Token of a START_SESSION")
SESSION_TOKEN = declare("ocpi.commands.session_token", requirements=["OCPI-2.2.1-CMD-R-07"],
                        spec=f"{CMD}#{CMD}_startsession_object",
                        title="The Session (and the CDR) of a START_SESSION carry that command's Token")
RESERVE_TOKEN_NOT_CHECKED = declare("ocpi.commands.reserve_token_not_checked", requirements=["OCPI-2.2.1-CMD-R-08"],
                                    spec=f"{CMD}#{CMD}_reservenow_object",
                                    title="RESERVE_NOW with a Token the CPO was never sent is not refused for it")
RESERVE_NO_REALTIME = declare("ocpi.commands.reserve_no_realtime_authorization",
                              requirements=["OCPI-2.2.1-CMD-R-09"], spec=f"{CMD}#{CMD}_reservenow_object",
                              title="The CPO does not ask the eMSP in real time about the Token of a RESERVE_NOW")
STOP_SESSION = declare("ocpi.commands.stop_session", requirements=["OCPI-2.2.1-CMD-R-10"],
                       spec=f"{CMD}#{CMD}_commandtype_enum",
                       title="STOP_SESSION of an active Session is ACCEPTED, results in ACCEPTED and completes the "
                             "Session")
UNKNOWN_SESSION = declare("ocpi.commands.unknown_session", requirements=["OCPI-2.2.1-CMD-R-11"],
                          spec=f"{CMD}#{CMD}_commandresponsetype_enum",
                          title="STOP_SESSION of a Session the CPO does not know is answered UNKNOWN_SESSION")
RESERVATION_CANCELED = declare("ocpi.commands.reservation_canceled", requirements=["OCPI-2.2.1-CMD-R-12"],
                               spec=f"{CMD}#{CMD}_cancelreservation_object",
                               title="RESERVE_NOW then CANCEL_RESERVATION are carried out: canceling the same "
                                     "reservation again finds none")
UNKNOWN_RESERVATION = declare("ocpi.commands.unknown_reservation", requirements=["OCPI-2.2.1-CMD-R-13"],
                              spec=f"{CMD}#{CMD}_commandresulttype_enum",
                              title="CANCEL_RESERVATION of a reservation the CPO does not hold results in "
                                    "UNKNOWN_RESERVATION (or is REJECTED)")
UNKNOWN_LOCATION = declare("ocpi.commands.unknown_location", requirements=["OCPI-2.2.1-CMD-R-14"],
                           spec="status_codes#status_codes_2xxx_client_errors",
                           title="A command naming a Location the CPO does not have is answered 2003 (Unknown "
                                 "Location) and not ACCEPTED")
INVALID_BODY = declare("ocpi.commands.invalid_body", requirements=["OCPI-2.2.1-CMD-R-15"],
                       spec=f"{CMD}#{CMD}_cpo_post_request_body",
                       title="A command whose body is not that command's object is refused with 2001 and not "
                             "carried out")
RESERVED_STATUS = declare("ocpi.commands.reserved_evse_status", requirements=["OCPI-2.2.1-CMD-R-18"],
                          spec="mod_locations#mod_locations_status_enum", severity=Severity.RECOMMENDED,
                          title="Once a RESERVE_NOW for an EVSE results in ACCEPTED, the EVSE's status is RESERVED "
                                "(pushed to roamcert, or in the CPO's Locations)")
NO_RESULT_UNLESS_ACCEPTED = declare("ocpi.commands.no_result_unless_accepted", requirements=["OCPI-2.2.1-CMD-R-19"],
                                    spec=f"{CMD}#{CMD}_response_data", severity=Severity.RECOMMENDED,
                                    title="No CommandResult reaches the response_url of a command the CPO did not "
                                          "answer ACCEPTED")
CHARGE_POINT_TIMEOUT = declare("ocpi.commands.charge_point_timeout", requirements=["OCPI-2.2.1-CMD-R-20"],
                               spec=f"{CMD}#{CMD}_commandresulttype_enum",
                               title="A command ACCEPTED for a Charge Point that never answers results in TIMEOUT, "
                                     "within the announced timeout")

# -- an eMSP as Sender ------------------------------------------------------------------------------------------

SENDER_BODY = declare("ocpi.commands.sender_body", requirements=["OCPI-2.2.1-CMD-S-01", "OCPI-2.2.1-CMD-S-02"],
                      spec=f"{CMD}#{CMD}_cpo_post_request_body",
                      title="The eMSP POSTs a command to {commands_url}/{command} with that command's object")
SENDER_RESPONSE_URL = declare("ocpi.commands.sender_response_url", requirements=["OCPI-2.2.1-CMD-S-03"],
                              spec=f"{CMD}#{CMD}_msp_post_method",
                              title="The command's response_url is an absolute http(s) URL")
SENDER_ACKNOWLEDGED = declare("ocpi.commands.sender_result_acknowledged", requirements=["OCPI-2.2.1-CMD-S-04"],
                              spec=f"{CMD}#{CMD}_msp_post_request_body",
                              title="A CommandResult POSTed to the response_url is acknowledged with 1000, whatever "
                                    "its result")
SENDER_UNIQUE_URL = declare("ocpi.commands.sender_unique_response_url", requirements=["OCPI-2.2.1-CMD-S-05"],
                            spec=f"{CMD}#{CMD}_msp_post_method", severity=Severity.RECOMMENDED,
                            title="Each command carries a response_url of its own")
SENDER_CANCELED_RESERVATION = declare("ocpi.commands.sender_canceled_reservation",
                                      requirements=["OCPI-2.2.1-CMD-S-06"], spec=f"{CMD}#{CMD}_flow",
                                      title="A CANCELED_RESERVATION later POSTed to a RESERVE_NOW's response_url is "
                                            "acknowledged with 1000")
SENDER_START_OWN_TOKEN = declare("ocpi.commands.sender_start_own_token", requirements=["OCPI-2.2.1-CMD-S-07"],
                                 spec=f"{CMD}#{CMD}_startsession_object",
                                 title="A START_SESSION carries a Token of the eMSP itself")
SENDER_RESERVE_OWN_TOKEN = declare("ocpi.commands.sender_reserve_own_token", requirements=["OCPI-2.2.1-CMD-S-08"],
                                   spec=f"{CMD}#{CMD}_reservenow_object",
                                   title="A RESERVE_NOW carries a Token of the eMSP itself")
SENDER_STOP_SESSION = declare("ocpi.commands.sender_stop_session", requirements=["OCPI-2.2.1-CMD-S-12"],
                              spec=f"{CMD}#{CMD}_stopsession_object",
                              title="A STOP_SESSION names the Session to stop by the id its CPO gave it")
