"""Each contract rule the issue found broken, proved on a ticket's log: one test (or a few) per
finding of issue 16's "What was measured", named after the rule. The logs are what storage
writes; the fold (``sla.fold``) and the period's figures (``sla.kpi``) read them.

Tuesday 3 March 2026 is a working day; times are Europe/Amsterdam.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from sla import events as ev
from sla.escalation import NoticeKind, due_notices, escalation_level
from sla.events import TicketEvent
from sla.fold import ClockState, fold
from sla.kpi import compute_kpis
from tests.sla.conftest import at

MARCH = dict(start=at("2026-03-01 00:00"), end=at("2026-04-01 00:00"), now=at("2026-04-01 00:00"))


def e(event_kind, when, **data):
    return TicketEvent(event_kind, at(when), data)


def reported(when, priority="P3", ticket="M-1", **data):
    return e(ev.REPORTED, when, priority=priority, ticket=ticket, **data)


def reaction(when, priority="P3"):
    return e(ev.REACTION, when, priority=priority, next_step="Ik zet een nieuwe laptop voor je klaar.")


# --- "Oppakken" is no first substantive reaction; a P1 needs the call too ------------------------


def test_annex_eerste_inhoudelijke_reactie_a_bare_oppakken_does_not_stop_the_clock(halt):
    log = [reported("2026-03-03 10:00", "P2"), e(ev.ACKNOWLEDGED, "2026-03-03 10:05", agent_id="a", note="")]
    first = fold(halt, log, now=at("2026-03-03 11:30")).clock("first_response")
    assert (first.stopped, first.state) == (None, ClockState.OVERDUE)
    reacted = fold(halt, [*log, reaction("2026-03-03 10:50", "P2")], now=at("2026-03-03 11:30")).clock("first_response")
    assert (reacted.stopped, reacted.state) == (at("2026-03-03 10:50"), ClockState.MET)


@pytest.mark.parametrize("uplift", [False, True], ids=["P1", "P1-uplift"])
def test_pve_p1_telefonisch_contact_verplicht_the_clock_stops_at_reaction_and_reached_call(halt, uplift):
    log = [reported("2026-03-03 10:00", "P1", uplift=uplift), reaction("2026-03-03 10:05", "P1")]
    assert fold(halt, log, now=at("2026-03-03 10:30")).clock("first_response").state is ClockState.OVERDUE
    unanswered = [*log, e(ev.CALL_REGISTERED, "2026-03-03 10:08", reached=False)]
    assert fold(halt, unanswered, now=at("2026-03-03 10:30")).clock("first_response").state is ClockState.OVERDUE
    called = [*unanswered, e(ev.CALL_REGISTERED, "2026-03-03 10:12", reached=True)]
    first = fold(halt, called, now=at("2026-03-03 10:30")).clock("first_response")
    assert (first.stopped, first.state) == (at("2026-03-03 10:12"), ClockState.MET)


def test_annex_sib_p1_needs_no_call_only_the_substantive_reaction(sib):
    log = [reported("2026-03-03 10:00", "P1"), reaction("2026-03-03 10:05", "P1")]
    assert fold(sib, log, now=at("2026-03-03 10:30")).clock("first_response").state is ClockState.MET


# --- holding messages are not the supplier's update; a missed update is a breach ------------------


def test_pve_statusupdate_the_bots_holding_message_never_counts_as_keeping_the_reporter_informed(halt):
    log = [
        reported("2026-03-03 09:00", "P2"),
        reaction("2026-03-03 09:10", "P2"),
        e(ev.HOLDING_SENT, "2026-03-03 11:11", due="2026-03-03T11:10:00+01:00"),
        e(ev.HOLDING_SENT, "2026-03-03 13:11", due="2026-03-03T13:10:00+01:00"),
        e(ev.STATUS_UPDATE_SENT, "2026-03-03 15:10", holding=True),  # a legacy log's holding message
        e(ev.RESOLVED, "2026-03-03 16:00"),
    ]
    ticket = fold(halt, log, now=at("2026-03-03 17:00"))
    assert [ticket.at(m).strftime("%H:%M") for m in ticket.updates.missed_us] == ["11:10", "13:10", "15:10"]
    assert len(ticket.updates.holding_us) == 3  # shown apart
    assert ticket.updates.kept_informed is False
    report = compute_kpis(halt, [log], **MARCH)
    assert (report.kept_informed.counted, report.kept_informed.within, report.kept_informed.met) == (1, 0, False)
    assert report.holding_messages == 3
    assert [(b.clock, b.count) for b in report.breaches] == [("update", 3)]


def test_pve_statusupdate_a_person_writing_or_a_status_change_told_keeps_the_reporter_informed(halt):
    log = [
        reported("2026-03-03 09:00", "P2"),
        reaction("2026-03-03 09:10", "P2"),
        e(ev.AGENT_UPDATE, "2026-03-03 11:00", text="De schijf wordt vervangen."),
        e(ev.PAUSED, "2026-03-03 12:30", party="Dell", reason="onderdeel besteld"),
        e(ev.STATUS_UPDATE_SENT, "2026-03-03 14:20", holding=False),  # legacy: it carried the agent's note
        e(ev.RESOLVED, "2026-03-03 16:00"),
    ]
    ticket = fold(halt, log, now=at("2026-03-03 17:00"))
    assert ticket.updates.missed_us == () and ticket.updates.kept_informed is True


def test_annex_major_incident_updates_first_within_30_minutes_then_hourly_and_a_miss_is_a_breach(sib):
    log = [
        reported("2026-03-03 09:00", "P1"),
        reaction("2026-03-03 09:05", "P1"),
        e(ev.MAJOR_DECLARED, "2026-03-03 09:10", title="Storing Outlook"),
        e(ev.AGENT_UPDATE, "2026-03-03 09:40"),  # first update within 30 min of the declaration
        e(ev.AGENT_UPDATE, "2026-03-03 10:40"),  # then every 60 min
        e(ev.AGENT_UPDATE, "2026-03-03 12:00"),  # 20 minutes late
        e(ev.WORKAROUND, "2026-03-03 12:30"),
        e(ev.RESOLVED, "2026-03-03 13:00"),
    ]
    ticket = fold(sib, log, now=at("2026-03-03 14:00"))
    assert [ticket.at(m).strftime("%H:%M") for m in ticket.updates.missed_major_us] == ["11:40"]
    assert ticket.major_updates_kept is False
    notices = [n for n in due_notices(ticket) if n.clock == "update"]
    assert [(n.kind, n.at.strftime("%H:%M")) for n in notices] == [(NoticeKind.BREACH, "11:40")]
    report = compute_kpis(sib, [log], **MARCH)
    assert (report.major_incident_updates.counted, report.major_incident_updates.within) == (1, 0)
    assert report.major_incident_updates.norm == 100 and report.major_incident_updates.met is False


def test_pve_statusupdate_one_regie_notice_per_run_of_missed_updates_not_one_per_half_hour(halt):
    log = [reported("2026-03-03 09:00", "P1"), reaction("2026-03-03 09:05", "P1"), e(ev.CALL_REGISTERED, "2026-03-03 09:05")]
    ticket = fold(halt, log, now=at("2026-03-03 11:00"))
    assert len(ticket.updates.missed_us) == 3  # 09:35, 10:05, 10:35
    updates = [n for n in due_notices(ticket) if n.clock == "update"]
    assert [n.at.strftime("%H:%M") for n in updates] == ["09:35"]
    later = fold(halt, [*log, e(ev.AGENT_UPDATE, "2026-03-03 11:00")], now=at("2026-03-03 12:00"))
    assert [n.at.strftime("%H:%M") for n in due_notices(later) if n.clock == "update"] == ["09:35", "11:30"]


# --- P4: updates on the agreed date ----------------------------------------------------------------


def test_pve_p4_updates_op_afgesproken_datum_owed_at_the_close_of_that_date(halt):
    log = [
        reported("2026-03-03 10:00", "P4"),
        reaction("2026-03-03 11:00", "P4"),
        e(ev.AGREED_DATE_SET, "2026-03-03 11:00", date="2026-03-06"),
    ]
    assert fold(halt, log[:2], now=at("2026-03-04 10:00")).updates.next_due is None  # nothing agreed, nothing owed
    ticket = fold(halt, log, now=at("2026-03-04 10:00"))
    assert ticket.updates.next_due == at("2026-03-06 18:00")
    missed = fold(halt, log, now=at("2026-03-09 10:00"))
    assert [missed.at(m) for m in missed.updates.missed_us] == [at("2026-03-06 18:00")]
    kept = fold(halt, [*log, e(ev.AGENT_UPDATE, "2026-03-06 15:00")], now=at("2026-03-09 10:00"))
    assert kept.updates.missed_us == () and kept.updates.next_due is None


# --- the month's share: every deadline in the month, exact fractions ---------------------------


def test_pve_normeringen_an_open_ticket_past_its_deadline_counts_in_the_month_it_fell_in(halt):
    late_and_open = [reported("2026-03-10 09:00", "P2", "M-1"), reaction("2026-03-10 09:30", "P2")]
    in_time = [reported("2026-03-11 09:00", "P2", "M-2"), reaction("2026-03-11 09:30", "P2"), e(ev.RESOLVED, "2026-03-11 15:00")]
    report = compute_kpis(halt, [late_and_open, in_time], **MARCH)
    resolution = report.priority("P2").resolution
    assert (resolution.counted, resolution.within, resolution.met) == (2, 1, False)  # not "1/1 = 100 %"


def _p1(n: int, minutes: int) -> list[TicketEvent]:
    opened = at("2026-03-02 09:00") + timedelta(hours=n)
    return [
        TicketEvent(ev.REPORTED, opened, {"priority": "P1", "ticket": f"M-{n}"}),
        TicketEvent(ev.REACTION, opened + timedelta(minutes=minutes), {"next_step": "ik bel"}),
        TicketEvent(ev.CALL_REGISTERED, opened + timedelta(minutes=minutes), {"reached": True}),
        TicketEvent(ev.RESOLVED, opened + timedelta(minutes=20), {}),
    ]


@pytest.mark.parametrize("tickets, late, met, shown", [(49, 1, False, 97.95), (50, 1, True, 98.0)])
def test_pve_normeringen_the_verdict_compares_exact_fractions_before_anything_is_rounded(halt, tickets, late, met, shown):
    logs = [_p1(n, 20 if n < late else 10) for n in range(tickets)]
    first = compute_kpis(halt, logs, **MARCH).priority("P1").first_response
    assert (first.counted, first.within, first.met, first.share_percent) == (tickets, tickets - late, met, shown)


# --- waiting on a third party ----------------------------------------------------------------------


def test_pve_10_1_3_ook_met_derden_under_halt_a_wait_stops_no_clock_and_is_recorded(halt):
    log = [
        reported("2026-03-03 10:00", "P1"), reaction("2026-03-03 10:05", "P1"), e(ev.CALL_REGISTERED, "2026-03-03 10:05"),
        e(ev.PAUSED, "2026-03-03 11:00", party="KPN", reason="glasvezel stuk"),
    ]
    ticket = fold(halt, log, now=at("2026-03-03 15:00"))
    assert ticket.due("resolution") == at("2026-03-03 14:00")
    assert ticket.clock("resolution").state is ClockState.OVERDUE
    (wait,) = ticket.waits
    assert (wait.party, wait.start, wait.end) == ("KPN", at("2026-03-03 11:00"), None)
    assert wait.limit == at("2026-03-03 13:00") and wait.exceeded  # max_wait 2 h for a P1
    assert [(n.kind, n.at.strftime("%H:%M")) for n in due_notices(ticket) if n.clock == "wait"] == [
        (NoticeKind.WAIT_TOO_LONG, "13:00")
    ]


def test_annex_o1_excl_wachten_op_derde_under_sib_a_wait_stops_only_containment(sib):
    log = [
        reported("2026-03-03 10:00", "P1", security_incident=True), reaction("2026-03-03 10:05", "P1"),
        e(ev.PAUSED, "2026-03-03 11:00", party="SOC"), e(ev.RESUMED, "2026-03-03 12:00"),
    ]
    ticket = fold(sib, log, now=at("2026-03-03 12:30"))
    assert ticket.due("resolution") == at("2026-03-03 14:00")
    assert ticket.due("definitive_resolution") == at("2026-03-05 10:00")
    assert ticket.due("containment") == at("2026-03-03 15:00")  # 4 h plus the hour waited


# --- P1-uplift escalates as P1 ----------------------------------------------------------------------


def test_pve_p1_uplift_volgt_exact_dezelfde_escalatieregels_als_p1():
    # bot.regie asks with critical = (priority is P1), whether or not it is an uplift.
    assert escalation_level(same_norm_before=0, broad=False, critical=True, n2_before=0)[0] == "N3"


# --- security ---------------------------------------------------------------------------------------


def test_annex_time_to_containment_runs_from_the_security_flag_to_contained(sib):
    log = [
        reported("2026-03-03 10:00", "P2"), reaction("2026-03-03 10:30", "P2"),
        e(ev.SECURITY_FLAGGED, "2026-03-03 11:00", kind="account_gehackt", data_breach=False),
        e(ev.CONTAINED, "2026-03-04 09:00", note="wachtwoord gereset, sessies ingetrokken"),
    ]
    containment = fold(sib, log, now=at("2026-03-04 10:00")).clock("containment")
    assert (containment.start, containment.due) == (at("2026-03-03 11:00"), at("2026-03-05 15:00"))  # 24 working hours
    assert containment.state is ClockState.MET


def test_avg_article_33_a_data_breach_is_reported_within_72_clock_hours_of_discovery(halt):
    log = [
        reported("2026-03-06 16:00", "P1", security_incident=True, data_breach=True),
        e(ev.DATA_BREACH_REPORTED, "2026-03-09 17:00"),
    ]
    clock = fold(halt, log, now=at("2026-03-10 09:00")).clock("data_breach")
    assert clock.due == at("2026-03-09 16:00")  # over the weekend: the law counts clock hours
    assert clock.state is ClockState.MISSED


# --- first-time-fix, single owner, MTTP, CSAT ----------------------------------------------------


def test_annex_o3_first_time_fix_is_broken_by_a_hand_over_to_another_line_whatever_the_tick_says(halt):
    base = [reported("2026-03-03 10:00"), e(ev.ACKNOWLEDGED, "2026-03-03 10:10", agent_id="a"), reaction("2026-03-03 10:10")]
    to_line_2 = e(ev.HANDED_OVER, "2026-03-03 11:00", from_agent="a", to_agent=None, from_line="1", to_line="2")
    within_line = e(ev.HANDED_OVER, "2026-03-03 11:00", from_agent="a", to_agent="b", to_name="Eva")
    ticked = e(ev.RESOLVED, "2026-03-03 12:00", first_time_fix=True)
    assert fold(halt, [*base, to_line_2, ticked]).first_time_fix is False
    assert fold(halt, [*base, within_line, e(ev.RESOLVED, "2026-03-03 12:00")]).first_time_fix is True
    reopened = [*base, e(ev.RESOLVED, "2026-03-03 12:00"), e(ev.REOPENED, "2026-03-03 13:00"), e(ev.RESOLVED, "2026-03-03 14:00")]
    assert fold(halt, reopened).first_time_fix is False


def test_annex_o3_eigenaarschap_one_owner_all_along_a_hand_over_to_a_person_keeps_it(halt):
    base = [reported("2026-03-03 10:00"), e(ev.ACKNOWLEDGED, "2026-03-03 10:10", agent_id="a"), reaction("2026-03-03 10:10")]
    to_person = e(ev.HANDED_OVER, "2026-03-03 11:00", from_agent="a", to_agent="b", to_name="Eva")
    to_queue = e(ev.HANDED_OVER, "2026-03-03 11:00", from_agent="a", to_agent=None, to_line="2")
    done = e(ev.RESOLVED, "2026-03-03 12:00")
    assert fold(halt, [*base, to_person, done]).single_owner is True
    assert fold(halt, [*base, to_queue, done]).single_owner is False
    report = compute_kpis(halt, [[*base, to_person, done]], **MARCH)
    assert (report.single_owner.counted, report.single_owner.within, report.single_owner.met) == (1, 1, True)


def test_pve_10_1_4_mttp_counts_only_employees_who_could_not_work(halt):
    def ticket(work, n):
        return [
            reported("2026-03-03 10:00", ticket=f"M-{n}", intake={"work": work}), reaction("2026-03-03 10:10"),
            e(ev.RESOLVED, "2026-03-03 11:00"), e(ev.PRODUCTIVE_AGAIN, "2026-03-03 10:00" if work == "ja" else "2026-03-03 12:00"),
        ]
    report = compute_kpis(halt, [ticket("nee", 1), ticket("ja", 2), ticket("omweg", 3)], **MARCH)
    assert (report.mttp.count, report.mttp.minutes) == (1, 120.0)


def test_pve_10_4_and_annex_o3_csat_the_average_against_8_and_the_share_of_7_or_more_against_75(halt, sib):
    logs = [
        [reported("2026-03-03 10:00", ticket=f"M-{n}"), e(ev.RESOLVED, "2026-03-03 11:00"), e(ev.CSAT, "2026-03-03 12:00", score=score)]
        for n, score in enumerate((10, 7, 7, 6))
    ]
    halt_csat, sib_csat = compute_kpis(halt, logs, **MARCH).csat, compute_kpis(sib, logs, **MARCH).csat
    assert (halt_csat.average, halt_csat.average_met, halt_csat.share_met) == (7.5, False, None)  # PvE: >= 8
    assert (sib_csat.share_7_or_more_percent, sib_csat.share_met, sib_csat.average_met) == (75.0, True, None)  # annex


def test_every_figure_carries_its_norm_and_its_verdict(halt):
    log = [reported("2026-03-03 10:00"), e(ev.ACKNOWLEDGED, "2026-03-03 10:10", agent_id="a"), reaction("2026-03-03 10:10"),
           e(ev.RESOLVED, "2026-03-03 12:00")]
    report = compute_kpis(halt, [log], **MARCH)
    for figure in (report.first_time_fix, report.single_owner):
        assert figure.norm is not None and figure.met is True and figure.source
    assert report.kept_informed.norm == 80 and report.kept_informed.counted == 0  # not long-running
    assert report.priority("P3").first_response.source.startswith("PvE §10.1")


# --- clocks that were not kept at all ------------------------------------------------------------


def test_pve_10_1_5_device_fallback_p1_a_loaner_within_4_hours_or_a_same_day_swap(halt):
    base = [reported("2026-03-03 10:00", "P1"), e(ev.DEVICE_FALLBACK_NEEDED, "2026-03-03 10:30")]
    running = fold(halt, base, now=at("2026-03-03 11:00")).clock("device_fallback")
    assert (running.start, running.due, running.state) == (at("2026-03-03 10:30"), at("2026-03-03 14:30"), ClockState.RUNNING)
    loaner = fold(halt, [*base, e(ev.DEVICE_FALLBACK_DONE, "2026-03-03 16:00", how="loaner")]).clock("device_fallback")
    assert loaner.state is ClockState.MISSED
    swap = fold(halt, [*base, e(ev.DEVICE_FALLBACK_DONE, "2026-03-03 21:00", how="swap")]).clock("device_fallback")
    assert (swap.due, swap.state) == (at("2026-03-04 00:00"), ClockState.MET)


def test_pve_10_1_5_device_fallback_p2_a_swap_by_the_next_working_day(halt):
    log = [reported("2026-03-06 15:00", "P2"), e(ev.DEVICE_FALLBACK_NEEDED, "2026-03-06 16:00")]  # a Friday
    assert fold(halt, log).clock("device_fallback").due == at("2026-03-09 18:00")


def test_pve_10_1_3_onsite_counts_from_the_request_p1_4_hours_p3_2_working_days(halt):
    p1 = [reported("2026-03-03 22:00", "P1"), e(ev.ONSITE_NEEDED, "2026-03-03 23:00"), e(ev.ONSITE_DONE, "2026-03-04 02:30")]
    onsite = fold(halt, p1).clock("onsite")
    assert (onsite.due, onsite.state) == (at("2026-03-04 03:00"), ClockState.MET)
    p3 = [reported("2026-03-03 10:00"), e(ev.ONSITE_NEEDED, "2026-03-03 11:00")]
    assert fold(halt, p3).clock("onsite").due == at("2026-03-05 11:00")


def test_annex_t2_rca_tijdigheid_ten_working_days_after_a_major_incidents_closure(sib):
    log = [
        reported("2026-03-03 10:00", "P1"), e(ev.MAJOR_DECLARED, "2026-03-03 10:05", title="Storing Teams"),
        e(ev.TICKET_LINKED, "2026-03-03 10:20", ticket="M-7"), e(ev.RESOLVED, "2026-03-03 14:00"),
    ]
    ticket = fold(sib, log, now=at("2026-03-10 09:00"))
    assert ticket.linked == ("M-7",)
    rca = ticket.clock("rca")
    assert (rca.start, rca.due, rca.state) == (at("2026-03-03 14:00"), at("2026-03-17 14:00"), ClockState.RUNNING)
    shared = fold(sib, [*log, e(ev.RCA_SHARED, "2026-03-18 09:00", summary="certificaat verlopen")]).clock("rca")
    assert shared.state is ClockState.MISSED


# --- legacy logs ------------------------------------------------------------------------------------


def test_a_legacy_log_is_read_in_time_order_and_its_tick_and_pick_up_are_no_evidence(halt):
    log = [
        reported("2026-03-03 10:00", "P3"),
        e(ev.ACKNOWLEDGED, "2026-03-03 10:05", agent_id="a", note="Ik kijk ernaar"),
        e(ev.RESOLVED, "2026-03-05 09:00", first_time_fix=True),
        e(ev.STATUS_UPDATE_SENT, "2026-03-04 10:00", due="2026-03-04T10:00:00+01:00"),  # written at its due time
    ]
    ticket = fold(halt, log)
    assert ticket.clock("first_response").state is ClockState.OVERDUE  # no substantive reaction was recorded
    assert ticket.first_time_fix is True and ticket.updates.holding_us == (int(at("2026-03-04 10:00").timestamp() * 1e6),)
    assert ticket.updates.kept_informed is False


def test_p4_agreed_date_is_read_as_a_date(halt):
    log = [reported("2026-03-03 10:00", "P4"), e(ev.AGREED_DATE_SET, "2026-03-03 10:00", date=date(2026, 3, 4))]
    assert fold(halt, log).updates.next_due == at("2026-03-04 18:00")


def test_a_reopen_by_the_reporters_nog_niet_restarts_the_cadence_but_is_no_update(halt):
    log = [
        reported("2026-03-03 09:00", "P2"), reaction("2026-03-03 09:10", "P2"), e(ev.RESOLVED, "2026-03-03 10:00"),
        e(ev.REOPENED, "2026-03-03 11:00", reason="werkt nog steeds niet", by=ev.BY_REPORTER),
    ]
    ticket = fold(halt, log, now=at("2026-03-03 14:00"))
    assert [ticket.at(m).strftime("%H:%M") for m in ticket.updates.missed_us] == ["13:00"]
    assert at("2026-03-03 11:00") not in [ticket.at(g) for g in ticket.updates.given_us]
    by_agent = fold(halt, [*log[:3], e(ev.REOPENED, "2026-03-03 11:00", reason="toch niet", by=ev.BY_AGENT)], now=at("2026-03-03 12:00"))
    assert at("2026-03-03 11:00") in [by_agent.at(g) for g in by_agent.updates.given_us]
