"""OCPI 2.2.1 fault profiles: the Tokens module, both sides.
Each replaces behaviours of the reference platforms (simulators/behaviours.py)."""

from __future__ import annotations

from simulators.ocpi.faults import Faults
from simulators.ocpi.v2_2_1.profiles._register import profile

profile("authorize_valid_token_refused", "Real-time authorization answers BLOCKED even for a valid Token.",
        roles=("EMSP",), trips=("ocpi.tokens.authorize_valid",), legacy=Faults(authorize_valid_refused=True))

profile("authorize_without_reference", "An ALLOWED real-time authorization carries no authorization_reference.",
        roles=("EMSP",), trips=("ocpi.tokens.authorize_reference",), legacy=Faults(authorize_without_reference=True))

profile("authorize_ignores_location", "Real-time authorization ignores the LocationReferences it is given: "
        "no restriction applied, no location echoed.", roles=("EMSP",), trips=("ocpi.tokens.authorize_location",),
        legacy=Faults(authorize_ignores_location=True))

profile("authorize_invalid_token_allowed", "Real-time authorization answers ALLOWED for an invalid Token.",
        roles=("EMSP",), trips=("ocpi.tokens.authorize_invalid",), legacy=Faults(authorize_invalid_allowed=True))

profile("authorize_unknown_token_allowed", "Real-time authorization of an unknown Token answers ALLOWED with a "
        "made-up Token instead of 2004.", roles=("EMSP",), trips=("ocpi.tokens.authorize_unknown",),
        legacy=Faults(authorize_unknown_allowed=True))

profile("token_stored_altered", "Pushed Tokens are stored without their visual_number.", roles=("CPO",),
        trips=("ocpi.tokens.receiver_stored",), legacy=Faults(token_field_lost=True))

profile("token_patch_ignored", "A Token PATCH is acknowledged with 1000 but not applied.", roles=("CPO",),
        trips=("ocpi.tokens.receiver_patched",), legacy=Faults(token_patch_ignored=True))

profile("token_type_ignored", "Tokens are stored and looked up by uid alone: the type parameter is ignored.",
        roles=("CPO",), trips=("ocpi.tokens.receiver_type",), legacy=Faults(token_type_ignored=True))

profile("token_invalid_accepted", "Pushed Tokens that break the schema are stored and acknowledged with 1000.",
        roles=("CPO",), trips=("ocpi.status.expected", "ocpi.tokens.receiver_invalid_not_stored"),
        legacy=Faults(token_invalid_accepted=True))

profile("token_patch_without_last_updated_ok", "A Token PATCH without last_updated is accepted and applied.",
        roles=("CPO",), trips=("ocpi.tokens.receiver_patch_last_updated",),
        legacy=Faults(token_patch_without_last_updated_ok=True))

profile("authorize_judges_location_state", "Real-time authorization answers NOT_ALLOWED at a Location whose pushed "
        "EVSEs are none of them AVAILABLE.", roles=("EMSP",), trips=("ocpi.tokens.authorize_regardless_of_state",),
        legacy=Faults(authorize_judges_location_state=True))
