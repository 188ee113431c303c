"""OCPI 2.2.1 fault profiles: the Commands module, both sides.
Each replaces behaviours of the reference platforms (simulators/behaviours.py)."""

from __future__ import annotations

from simulators.ocpi.faults import Faults
from simulators.ocpi.v2_2_1.profiles._register import profile

profile("command_response_without_timeout", "The CommandResponse carries no timeout.", roles=("CPO",),
        trips=("ocpi.commands.response",), legacy=Faults(command_response_without_timeout=True))

profile("command_result_never_sent", "Commands are ACCEPTED, but no CommandResult is ever POSTed to the "
        "response_url (timeout announced: 1 s).", roles=("CPO",), trips=("ocpi.commands.result_posted",),
        legacy=Faults(command_result_never_sent=True, command_timeout=1))

profile("command_result_late", "The CommandResult comes 1.5 s after a CommandResponse that announced 1 s.",
        roles=("CPO",), trips=("ocpi.commands.result_in_time",), legacy=Faults(command_timeout=1,
        command_result_delay=1.5))

profile("command_start_without_session", "START_SESSION results in ACCEPTED, but no Session starts.",
        roles=("CPO",), trips=("ocpi.commands.start_session",), legacy=Faults(command_start_without_session=True))

profile("command_token_checked", "START_SESSION and RESERVE_NOW with a Token the eMSP never pushed are REJECTED.",
        roles=("CPO",), trips=("ocpi.commands.start_token_not_checked", "ocpi.commands.reserve_token_not_checked"),
        legacy=Faults(command_token_checked=True))

profile("command_token_authorized", "The CPO asks the eMSP in real time about the Token of START_SESSION and "
        "RESERVE_NOW, and refuses the command unless it is ALLOWED.", roles=("CPO",),
        trips=("ocpi.commands.start_no_realtime_authorization", "ocpi.commands.reserve_no_realtime_authorization"),
        legacy=Faults(command_token_authorized=True))

profile("command_session_token_altered", "The Session (and CDR) of a START_SESSION carry another contract_id than "
        "the command's Token.", roles=("CPO",), trips=("ocpi.commands.session_token",),
        legacy=Faults(command_session_token_altered=True))

profile("command_stop_ignored", "STOP_SESSION results in ACCEPTED, but the Session goes on.", roles=("CPO",),
        trips=("ocpi.commands.stop_session",), legacy=Faults(command_stop_ignored=True))

profile("command_unknown_session_accepted", "STOP_SESSION of an unknown Session is ACCEPTED (then REJECTED by the "
        "Charge Point) instead of UNKNOWN_SESSION.", roles=("CPO",), trips=("ocpi.commands.unknown_session",),
        legacy=Faults(command_unknown_session_accepted=True))

profile("command_cancel_ignored", "CANCEL_RESERVATION results in ACCEPTED, but the reservation stays.",
        roles=("CPO",), trips=("ocpi.commands.reservation_canceled",), legacy=Faults(command_cancel_ignored=True))

profile("command_unknown_reservation_accepted", "Canceling a reservation the CPO does not hold results in "
        "ACCEPTED.", roles=("CPO",), trips=("ocpi.commands.unknown_reservation",),
        legacy=Faults(command_unknown_reservation_accepted=True))

profile("command_unknown_location_accepted", "A command at an unknown Location is ACCEPTED (then FAILED) instead "
        "of 2003.", roles=("CPO",), trips=("ocpi.commands.unknown_location",),
        legacy=Faults(command_unknown_location_accepted=True))

profile("command_invalid_body_accepted", "A command body that is not the command's object is ACCEPTED.",
        roles=("CPO",), trips=("ocpi.commands.invalid_body",), legacy=Faults(command_invalid_body_accepted=True))

profile("command_response_url_relative", "The eMSP's commands carry only the path of their response_url.",
        roles=("EMSP",), trips=("ocpi.commands.sender_response_url",),
        legacy=Faults(command_response_url_relative=True))

profile("command_timeout_result_refused", "The eMSP's response_url answers 2001 to a CommandResult TIMEOUT.",
        roles=("EMSP",), trips=("ocpi.commands.sender_result_acknowledged",),
        legacy=Faults(command_results_refused=("TIMEOUT",)))

profile("command_start_without_token", "The eMSP's StartSession carries no token.", roles=("EMSP",),
        trips=("ocpi.commands.sender_body",), legacy=Faults(command_start_without_token=True))

profile("command_foreign_token", "The eMSP's StartSession and ReserveNow carry a Token of another eMSP.",
        roles=("EMSP",), trips=("ocpi.commands.sender_start_own_token", "ocpi.commands.sender_reserve_own_token"),
        legacy=Faults(command_foreign_token=True))

profile("command_response_url_shared", "The eMSP gives every command of a type the same response_url.",
        roles=("EMSP",), trips=("ocpi.commands.sender_unique_response_url",),
        legacy=Faults(command_response_url_shared=True))

profile("command_response_url_single_use", "The eMSP's response_url refuses a second CommandResult (so a "
        "CANCELED_RESERVATION after the reservation's result).", roles=("EMSP",),
        trips=("ocpi.commands.sender_canceled_reservation",), legacy=Faults(command_response_url_single_use=True))

profile("command_result_after_refusal", "A CommandResult (REJECTED, NOT_SUPPORTED) is POSTed also to the response_url "
        "of a command answered otherwise than ACCEPTED.", roles=("CPO",),
        trips=("ocpi.commands.no_result_unless_accepted",), legacy=Faults(command_result_after_refusal=True))

profile("command_silence_reported_failed", "A command to a Charge Point that never answers results in FAILED instead "
        "of TIMEOUT.", roles=("CPO",), trips=("ocpi.commands.charge_point_timeout",),
        legacy=Faults(command_silence_reported_failed=True))

profile("command_stop_session_own_key", "The eMSP's StopSession names the Session by a key of its own (the CPO's "
        "party and the Session id) instead of the Session's id.", roles=("EMSP",),
        trips=("ocpi.commands.sender_stop_session",), legacy=Faults(command_stop_session_own_key=True))
