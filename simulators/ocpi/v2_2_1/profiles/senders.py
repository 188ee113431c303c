"""OCPI 2.2.1 fault profiles: what the reference CPO serves as Sender of Sessions, CDRs and Tariffs.
Each replaces behaviours of the reference platforms (simulators/behaviours.py)."""

from __future__ import annotations

from simulators.ocpi.faults import Faults
from simulators.ocpi.v2_2_1.profiles._register import profile

profile("cdr_time_includes_parking", "CDRs bill TIME on wall-clock time, parking included.", roles=("CPO",),
        trips=("ocpi.cdrs.price",), legacy=Faults(cdr_switches=("time_includes_parking",)))

profile("cdr_step_size_per_period", "CDRs round to the step_size in every charging period instead of once over "
        "the session.", roles=("CPO",), trips=("ocpi.cdrs.price",),
        legacy=Faults(cdr_switches=("step_size_per_period",)))

profile("session_completed_without_end", "A COMPLETED Session is served without end_date_time.", roles=("CPO",),
        trips=("ocpi.sessions.status_rules",), legacy=Faults(served_session_without_end=True))

profile("session_periods_out_of_order", "A Session's charging periods are served in reverse time order.",
        roles=("CPO",), trips=("ocpi.sessions.charging_periods",), legacy=Faults(served_session_periods_reversed=True))

profile("session_location_unknown", "An ACTIVE Session names a Location the CPO does not serve.", roles=("CPO",),
        trips=("ocpi.sessions.location_refs",), legacy=Faults(served_session_location_unknown=True))

profile("cdr_total_energy_wrong", "A CDR's total_energy is 1.5 kWh more than its charging periods hold.",
        roles=("CPO",), trips=("ocpi.cdrs.totals_consistent",), legacy=Faults(served_cdr_energy_delta=1.5))

profile("cdr_unknown_session", "A CDR's session_id names a Session the CPO does not serve.", roles=("CPO",),
        trips=("ocpi.cdrs.session_link",), legacy=Faults(served_cdr_unknown_session=True))

profile("cdr_evse_unknown", "A CDR at a served Location names an EVSE that Location does not have.",
        roles=("CPO",), trips=("ocpi.cdrs.location_refs",), legacy=Faults(served_cdr_evse_unknown=True))

profile("credit_cdr_without_reference", "The Credit CDR is served without credit_reference_id.", roles=("CPO",),
        trips=("ocpi.cdrs.credit",), legacy=Faults(served_credit_without_reference=True))

profile("cdr_session_only_dimension", "A CDR's charging period carries STATE_OF_CHARGE, a Sessions-only dimension.",
        roles=("CPO",), trips=("ocpi.cdrs.dimensions",), legacy=Faults(served_cdr_session_only_dimension=True))

profile("tariff_min_above_max", "A Tariff's min_price is above its max_price.", roles=("CPO",),
        trips=("ocpi.tariffs.consistent",), legacy=Faults(served_tariff_min_above_max=True))

profile("tariff_withheld", "A Tariff that Connectors name is left out of the Tariffs Sender's list.",
        roles=("CPO",), trips=("ocpi.tariffs.connector_refs",), legacy=Faults(served_tariff_withheld=True))

profile("cdr_duplicate_id", "Two of the CDRs the CPO serves share one id.", roles=("CPO",),
        trips=("ocpi.cdrs.unique_ids", "ocpi.pagination.traversal"), legacy=Faults(served_cdr_duplicate_id=True))
