"""KPIs over a hand-built week under halt, with every figure worked out by hand.

Week: Monday 2 March 2026 00:00 to Monday 9 March 00:00 (Europe/Amsterdam), now = end.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from sla import events as ev
from sla.events import TicketEvent
from sla.fold import BreachCause as Cause
from sla.kpi import compute_kpis
from tests.sla.conftest import at


def e(kind, when, **data):
    return TicketEvent(kind, at(when), data)


def reported(when, priority, ticket, **data):
    return e(ev.REPORTED, when, priority=priority, ticket=ticket, **data)


NEE = {"work": "nee"}  # the reporter could not work (intake), so MTTP counts them


def reaction(when, **data):
    return e(ev.REACTION, when, next_step="Ik kijk ernaar en bel je terug.", **data)


T1 = [  # P2 on time everywhere, kept informed, first-time-fix
    reported("2026-03-02 10:00", "P2", "T1", intake=NEE),
    e(ev.ACKNOWLEDGED, "2026-03-02 10:30", agent_id="a"),
    reaction("2026-03-02 10:30"),
    e(ev.AGENT_UPDATE, "2026-03-02 11:50"),
    e(ev.AGENT_UPDATE, "2026-03-02 13:40"),
    e(ev.PRODUCTIVE_AGAIN, "2026-03-02 15:00"),
    e(ev.AGENT_UPDATE, "2026-03-02 15:30"),
    e(ev.RESOLVED, "2026-03-02 16:00"),
    e(ev.CSAT, "2026-03-02 16:30", score=8),
]
T2 = [  # P2 late twice, handed over to the second line's queue, never updated
    reported("2026-03-02 10:00", "P2", "T2"),
    e(ev.ACKNOWLEDGED, "2026-03-02 11:30", agent_id="a"),
    reaction("2026-03-02 11:30"),
    e(ev.HANDED_OVER, "2026-03-02 12:00", from_agent="a", to_agent=None, to_line="2"),
    e(ev.RESOLVED, "2026-03-03 09:00"),
    e(ev.CSAT, "2026-03-03 10:00", score=5),
]
T3 = [  # P3 raised to P1 after an hour: late under P1, in time under P3
    reported("2026-03-03 09:00", "P3", "T3"),
    e(ev.ACKNOWLEDGED, "2026-03-03 09:30", agent_id="a"),
    reaction("2026-03-03 09:30"),
    e(ev.PRIORITY_CHANGED, "2026-03-03 10:00", **{"from": "P3", "to": "P1"}),
    e(ev.CALL_REGISTERED, "2026-03-03 10:05", reached=True),
    e(ev.WORKAROUND, "2026-03-03 14:00"),
    e(ev.RESOLVED, "2026-03-03 15:00"),
]
T4 = [  # P2 waited a day on a third party: halt stops no clock, so late ("wachtte op derde")
    reported("2026-03-04 10:00", "P2", "T4"),
    e(ev.ACKNOWLEDGED, "2026-03-04 10:10", agent_id="a"),
    reaction("2026-03-04 10:10"),
    e(ev.PAUSED, "2026-03-04 11:00", party="leverancier"),
    e(ev.RESUMED, "2026-03-05 11:00"),
    e(ev.RESOLVED, "2026-03-05 16:00"),
]
T5 = [reported("2026-03-02 12:00", "P4", "T5")]  # no reaction at all; open
T6 = [reported("2026-02-10 10:00", "P3", "T6")]  # old backlog, never updated
T7 = [  # P1-uplift, reaction and call in time, kept informed, workaround in time
    reported("2026-03-05 09:00", "P1", "T7", uplift=True, motivation="Zitting om 10:00, laptop start niet", intake=NEE),
    e(ev.ACKNOWLEDGED, "2026-03-05 09:05", agent_id="a"),
    reaction("2026-03-05 09:05"),
    e(ev.CALL_REGISTERED, "2026-03-05 09:10", reached=True),
    e(ev.AGENT_UPDATE, "2026-03-05 09:30"),
    e(ev.AGENT_UPDATE, "2026-03-05 10:00"),
    e(ev.AGENT_UPDATE, "2026-03-05 10:30"),
    e(ev.WORKAROUND, "2026-03-05 11:00"),
    e(ev.PRODUCTIVE_AGAIN, "2026-03-05 11:00"),
    e(ev.RESOLVED, "2026-03-05 11:00"),
    e(ev.CSAT, "2026-03-06 09:00", score=9),
]
T8 = [  # P1 waited on a third party before the first reaction; afterwards only the bot wrote
    reported("2026-03-06 10:00", "P1", "T8"),
    e(ev.PAUSED, "2026-03-06 10:05"),
    e(ev.RESUMED, "2026-03-06 10:30"),
    e(ev.ACKNOWLEDGED, "2026-03-06 10:35", agent_id="a"),
    reaction("2026-03-06 10:35"),
    e(ev.CALL_REGISTERED, "2026-03-06 10:36", reached=True),
    *[e(ev.HOLDING_SENT, f"2026-03-06 {h}") for h in ("11:05", "11:35", "12:05", "12:35", "13:05", "13:35")],
    e(ev.RESOLVED, "2026-03-06 14:00"),
]
WEEK = dict(start=at("2026-03-02 00:00"), end=at("2026-03-09 00:00"), now=at("2026-03-09 00:00"))


@pytest.fixture(scope="module")
def report(halt):
    return compute_kpis(halt, [T1, T2, T3, T4, T5, T6, T7, T8], **WEEK)


def test_first_response_share_per_priority_against_the_norm(report):
    p1, p2, p3, p4 = (report.priority(p) for p in ("P1", "P2", "P3", "P4"))
    assert (p1.first_response.counted, p1.first_response.within) == (3, 1)  # T3 and T8 late
    assert p1.first_response.met is False
    assert (p2.first_response.counted, p2.first_response.within) == (3, 2)
    assert p2.first_response.share_percent == 66.66  # cut, never rounded up
    assert (p3.first_response.counted, p3.first_response.share_percent, p3.first_response.met) == (0, None, None)
    assert (p4.first_response.counted, p4.first_response.within) == (1, 0)  # T5: deadline passed, open


def test_resolution_share_per_priority(report):
    p1, p2 = report.priority("P1"), report.priority("P2")
    assert (p1.resolution.counted, p1.resolution.within, p1.resolution.norm) == (3, 2, 98)
    assert (p2.resolution.counted, p2.resolution.within, p2.resolution.norm) == (3, 1, 95)
    assert p1.definitive_resolution is None  # halt has no definitive resolution clock


def test_mttr_and_mttp_in_minutes(report):
    assert report.priority("P1").mttr_minutes == 240.0  # 360, 120, 240
    assert report.priority("P2").mttr_minutes == 1180.0  # 360, 1380, 1800
    assert report.mttr.minutes == 710.0
    # Only reporters who could not work: T1 (300) and T7 (120); T3 and T8 never said.
    assert report.priority("P1").mttp_minutes == 120.0
    assert report.priority("P2").mttp_minutes == 300.0
    assert report.mttp.minutes == 210.0


def test_backlog_older_than_ten_working_days(report):
    backlog = report.backlog
    assert (backlog.open_count, backlog.older_count) == (2, 1)
    assert backlog.older_share_percent == 50.0
    assert backlog.within_limits is False


def test_csat_first_time_fix_single_owner_and_kept_informed(report):
    assert report.csat.responses == 3
    assert report.csat.average == 7.33  # 22/3, cut
    assert report.csat.average_met is False  # PvE §10.4: >= 8
    assert report.csat.share_7_or_more_percent == 66.66
    assert (report.first_time_fix.counted, report.first_time_fix.within) == (6, 5)  # T2 went to line 2
    assert (report.single_owner.counted, report.single_owner.within) == (6, 5)  # T2 sat in a queue
    assert (report.kept_informed.counted, report.kept_informed.within) == (6, 2)  # T1 and T7
    assert report.holding_messages == 6  # T8's, counted apart
    assert (report.waits.count, report.waits.total_us // 60_000_000, report.waits.too_long) == (2, 1465, 1)


def test_uplifts_with_motivation(report):
    assert [(u.ticket, u.motivation) for u in report.uplifts] == [
        ("T7", "Zitting om 10:00, laptop start niet")
    ]


def test_every_breach_with_its_cause(report):
    clocks = [b for b in report.breaches if b.clock != "update"]
    assert [(b.ticket, b.clock, b.due.strftime("%a %H:%M"), b.cause) for b in clocks] == [
        ("T2", "first_response", "Mon 11:00", Cause.LATE),
        ("T2", "resolution", "Mon 18:00", Cause.LATE),
        ("T3", "first_response", "Tue 09:15", Cause.PRIORITY_CHANGED),
        ("T5", "first_response", "Tue 12:00", Cause.LATE),
        ("T3", "resolution", "Tue 13:00", Cause.PRIORITY_CHANGED),
        ("T4", "resolution", "Wed 18:00", Cause.WAITED_ON_THIRD_PARTY),
        ("T8", "first_response", "Fri 10:15", Cause.WAITED_ON_THIRD_PARTY),
    ]
    assert clocks[3].stopped is None  # T5 still has no reaction
    # Missed updates: one breach per run of missed moments, with how many (T4's wait did not
    # excuse them; the "we werken weer" at 11:00 ended the first run).
    runs = [(b.ticket, b.due.strftime("%a %H:%M"), b.count) for b in report.breaches if b.clock == "update"]
    assert sorted(runs) == [
        ("T2", "Mon 13:30", 3), ("T3", "Tue 10:30", 7), ("T3", "Tue 14:30", 1), ("T4", "Thu 13:00", 2),
        ("T4", "Wed 13:00", 4), ("T6", "Mon 10:00", 5), ("T8", "Fri 11:05", 6),
    ]


def test_report_is_json_safe(report):
    data = json.loads(json.dumps(report.to_dict()))
    assert data["priorities"][1]["first_response"] == {
        "counted": 3, "within": 2, "share_percent": 66.66, "norm_percent": 95.0, "met": False,
        "source": "PvE §10.1 reactietijd (P1: telefonisch contact verplicht); §10.1.3 Normeringen",
    }
    assert data["backlog"]["within_limits"] is False
    assert data["breaches"][0]["due"] == "2026-03-02T10:00:00+01:00"  # T6's update that day
    assert data["policy_version"] == "2026-01-01"


def test_pending_first_response_is_not_counted_yet(halt):
    ticket = [reported("2026-03-02 10:00", "P2", "X")]
    report = compute_kpis(halt, [ticket], start=at("2026-03-02 00:00"), end=at("2026-03-09 00:00"),
                          now=at("2026-03-02 10:30"))
    assert report.priority("P2").first_response.counted == 0
    assert report.breaches == ()


def test_open_ticket_past_its_resolution_deadline_counts_as_a_breach(halt):
    ticket = [reported("2026-03-02 10:00", "P2", "X"), reaction("2026-03-02 10:05")]
    report = compute_kpis(halt, [ticket], **WEEK)
    assert [(b.clock, b.stopped, b.cause) for b in report.breaches if b.clock != "update"] == [("resolution", None, Cause.LATE)]
    assert (report.priority("P2").resolution.counted, report.priority("P2").resolution.within) == (1, 0)


def test_reopened_ticket_counts_at_its_final_resolution_and_is_no_first_time_fix(halt):
    ticket = [
        reported("2026-03-02 10:00", "P3", "X"),
        reaction("2026-03-02 10:05"),
        e(ev.RESOLVED, "2026-03-02 11:00", first_time_fix=True),
        e(ev.REOPENED, "2026-03-02 12:00"),
        e(ev.RESOLVED, "2026-03-02 13:00", first_time_fix=True),
    ]
    report = compute_kpis(halt, [ticket], **WEEK)
    assert report.priority("P3").mttr_minutes == 180.0
    assert (report.first_time_fix.counted, report.first_time_fix.within) == (1, 0)


def test_backlog_at_period_end_counts_tickets_resolved_later_as_open(halt):
    ticket = [reported("2026-03-02 10:00", "P3", "X"), e(ev.RESOLVED, "2026-03-10 10:00")]
    report = compute_kpis(halt, [ticket], start=at("2026-03-02 00:00"), end=at("2026-03-09 00:00"),
                          now=at("2026-03-12 00:00"))
    assert report.backlog.open_count == 1


def test_backlog_knows_a_ticket_resolved_before_the_cut_and_reopened_after_it_was_not_open(halt):
    ticket = [
        reported("2026-03-02 10:00", "P3", "X"), e(ev.RESOLVED, "2026-03-04 10:00"),
        e(ev.REOPENED, "2026-03-10 10:00"), e(ev.RESOLVED, "2026-03-11 10:00"),
    ]
    report = compute_kpis(halt, [ticket], start=at("2026-03-02 00:00"), end=at("2026-03-09 00:00"),
                          now=at("2026-03-12 00:00"))
    assert report.backlog.open_count == 0


def test_sib_definitive_resolution_is_its_own_norm(sib):
    ticket = [
        reported("2026-03-02 10:00", "P1", "X"),
        reaction("2026-03-02 10:05"),
        *[TicketEvent(ev.AGENT_UPDATE, at("2026-03-02 10:05") + timedelta(minutes=29 * n), {}) for n in range(1, 149)],
        e(ev.RESOLVED, "2026-03-05 10:00"),  # 72 h: definitive 48 h breached
    ]
    ticket.insert(2, e(ev.WORKAROUND, "2026-03-02 12:00"))
    report = compute_kpis(sib, [sorted(ticket, key=lambda event: event.at)], **WEEK)
    p1 = report.priority("P1")
    assert (p1.resolution.counted, p1.resolution.within, p1.resolution.norm) == (1, 1, 100)
    assert (p1.definitive_resolution.counted, p1.definitive_resolution.within) == (1, 0)
    assert [(b.clock, b.cause) for b in report.breaches] == [("definitive_resolution", Cause.LATE)]
