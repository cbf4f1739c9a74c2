"""The SLA engine: pure domain rules, no framework and no I/O (except reading a policy file).

* ``sla.policy``     contracts as TOML policies (``halt``, ``sib`` or your own file)
* ``sla.calendar``   business calendars: add working time, measure it, with pauses
* ``sla.fold``       the one fold of a ticket's event log: every clock and per-ticket figure
* ``sla.deadlines``  a ticket's deadlines (the `sla deadlines` contract), read from the fold
* ``sla.escalation`` what regie is told and when, and the escalation levels (PvE §2.4.3)
* ``sla.status``     a ticket's statuses and which of them are open
* ``sla.priority``   the priority decision and the P1-uplift rule from the intake answers
* ``sla.kpi``        the weekly/monthly figures against the contract
"""
