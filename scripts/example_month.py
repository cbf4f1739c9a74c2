"""A realistic month of a 300-employee organisation in a fresh SQLite database (deterministic).

    .venv/bin/python scripts/example_month.py DATABASE.sqlite3 [--month 2026-10] [--seed 17]

Six months of tickets (the monthly report's trend) up to and including ``--month``, under the
``halt`` policy: about 300 employees report 50-70 tickets a month, P3 and P4 mostly, now and then
a P2 or P1, picked up, kept informed, sometimes waiting on a third party, handed to the second
line, resolved, with MTTP answers and CSAT scores. In the report month also a P1-uplift, a
security incident (a data breach, contained and reported to the authority), a major incident
(an outage with linked reports and an RCA) and breaches of several norms. October is a survey
month (``SURVEY_MONTHS``): the bot's own survey job starts a round on its first working day, reach
asks every employee, the reminder goes a week later, and the round closes 14 days after its start;
about two in three answer.

Every ticket goes in as the bot stores it (``storage.tickets.create_ticket``, then the facts in
its log and the due-time cache refreshed from it); the breaches of the report month become
escalations through the real regie sweep (``bot.regie.notice_sweep``) run every half hour over
the month, the supplier records causes and actions on most of them, regie assigns and closes
some, and on the month's first working day the missed norms of the month before are escalated by
the same job the bot runs (``bot.jobs.Jobs.monthly_report``). ``scripts/reports.sh`` turns it into
``docs/reports/`` and ``tests/reports`` checks the PDF against ``report monthly --format json``.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
from datetime import date, datetime, time, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import select  # noqa: E402

from bot.jobs import JobOptions, Jobs  # noqa: E402
from bot.regie import notice_sweep  # noqa: E402
from sla import events as ev  # noqa: E402
from sla.clock import FixedClock  # noqa: E402
from sla.escalation import Level, State  # noqa: E402
from sla.policy import Policy, load_policy  # noqa: E402
from sla.priority import PriorityDecision  # noqa: E402
from sla.xla import Question  # noqa: E402
from reach import service, surveys  # noqa: E402
from reach.enums import Recipient  # noqa: E402
from storage import escalations, refs, tickets  # noqa: E402
from storage.db import open_database  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.models import CampaignRecipient, EscalationRow, Ticket, TicketEventRow  # noqa: E402
from storage.reporting import month_period, months_back  # noqa: E402

EMPLOYEES = 300
AGENTS = [("a0000000-0000-4000-8000-00000000000%d" % i, name) for i, name in enumerate(
    ("Karim Bouali", "Lisa Bakker", "Ahmed El Amrani", "Eva de Jong"), start=1)]
REGIE = ("c0000000-0000-4000-8000-000000000001", "Rita de Regie")
CATEGORIES = ("laptop", "m365", "account", "printer", "netwerk", "applicatie", "telefoon", "vraag")
PARTIES = ("leverancier Dell", "KPN", "applicatiebeheer Zaaksysteem", "Microsoft")
REMARKS = (
    "Snel geholpen, fijn dat ik gebeld werd.", "Duurde lang en ik hoorde tussendoor niets.",
    "Prima, maar de eerste oplossing werkte niet.", "Heel vriendelijk en duidelijk.",
)
CAUSES = {
    "first_response": ("Bezetting servicedesk te krap op maandagochtend.", "Extra dienst op maandag 08:00-12:00.", "Teamleider servicedesk"),
    "resolution": ("Onderdeel niet op voorraad bij de leverancier.", "Voorraad van de meest gevraagde onderdelen op locatie.", "Servicemanager MSP"),
    "update": ("Geen herinnering voor updates in de werkvoorraad.", "Herinnering voor updates instellen in het ticketsysteem.", "Servicemanager MSP"),
}


def working_moment(rng: random.Random, day: date, tz) -> datetime:
    return datetime.combine(day, time(8, 0), tzinfo=tz) + timedelta(minutes=rng.randrange(0, 9 * 60))


async def add(session, ticket_id: int, kind: str, at: datetime, agent=None, **data) -> None:
    if agent is not None:
        data = {"agent_id": agent[0], "agent_name": agent[1], **data}
    session.add(TicketEventRow(ticket_id=ticket_id, kind=kind, at=at, actor_id=agent[0] if agent else None, data=data))


async def one_ticket(session, policy: Policy, rng: random.Random, *, at: datetime, priority: str, special: str | None = None) -> int:
    """A ticket and its whole story; returns its id."""
    employee = rng.randrange(EMPLOYEES)
    category = rng.choice(CATEGORIES)
    scope = {"P1": "iedereen", "P2": "meerdere_teams"}.get(priority, "alleen_ik")
    work = rng.choice(("nee", "omweg", "ja")) if priority != "P4" else "ja"
    uplift = special == "uplift"
    details = {"intake": {"work": "nee" if uplift else work}}
    major = special == "major"
    if special == "security":
        category, details["security_incident"], details["data_breach"] = "beveiliging", True, True
    if major:
        category = "m365"
    ticket = await tickets.create_ticket(
        session, policy=policy, now=at, reporter_id=f"e0000000-0000-4000-8000-{employee:012d}", reporter_name=f"Medewerker {employee}",
        category=category, scope="alleen_ik" if uplift else scope, description="(voorbeeld)",
        decision=PriorityDecision(priority, uplift, ("voorbeeld",), major), motivation="Om 10:00 zitting bij de rechtbank; laptop start niet." if uplift else None,
        major_incident=major, details=details,
    )
    tid = ticket.id
    agent = rng.choice(AGENTS)
    terms = policy.terms(priority)
    calendar = policy.calendar(priority)
    late = rng.random() < (0.12 if special is None else 0.0)
    # The first substantive reaction: mostly in time, sometimes late.
    reaction_after = terms.first_response * (rng.uniform(1.1, 2.5) if late else rng.uniform(0.1, 0.8))
    reacted = calendar.add(at, reaction_after)
    await add(session, tid, ev.ACKNOWLEDGED, reacted, agent, note=None)
    await add(session, tid, ev.REACTION, reacted, agent, priority=priority, next_step="We zoeken het uit.")
    if terms.call_required:
        await add(session, tid, ev.CALL_REGISTERED, reacted, agent, reached=True)
    if major:
        await add(session, tid, ev.MAJOR_DECLARED, reacted, agent, title="Storing Outlook")
        await add(session, tid, ev.PUBLIC_TITLE_SET, reacted, agent, title="Storing Outlook en Teams")
        ticket.public_title = "Storing Outlook en Teams"
    slow = rng.random() < (0.1 if special is None else 0.0)
    resolve_after = terms.resolution * (rng.uniform(1.1, 1.8) if slow else rng.uniform(0.2, 0.9))
    resolved = max(calendar.add(at, resolve_after), reacted + timedelta(minutes=30))
    if isinstance(terms.update_cadence, timedelta) or terms.update_cadence == "working_day":
        step = policy.working_day if terms.update_cadence == "working_day" else terms.update_cadence
        moment, silent = reacted, rng.random() < 0.08
        while True:
            moment = calendar.add(moment, step * rng.uniform(0.6, 0.95))
            if moment >= resolved:
                break
            if not silent:
                await add(session, tid, ev.AGENT_UPDATE, moment, agent, text="We werken eraan.")
    if rng.random() < 0.1 and priority in ("P3", "P4"):
        start = reacted + (resolved - reacted) * 0.3
        await add(session, tid, ev.PAUSED, start, agent, party=rng.choice(PARTIES), reason="Onderdeel besteld.")
        await add(session, tid, ev.RESUMED, start + (resolved - start) * 0.5, agent)
    if rng.random() < 0.12:
        await add(session, tid, ev.HANDED_OVER, reacted + timedelta(minutes=20), agent, to_agent=None, to_line="2", from_line="1")
    if special == "security":
        await add(session, tid, ev.CONTAINED, at + timedelta(hours=2), agent, note="Account geblokkeerd, sessies ingetrokken.")
        await add(session, tid, ev.DATA_BREACH_REPORTED, at + timedelta(hours=30), agent, note="Gemeld door de privacy-officer.")
    if priority == "P1" and special != "security":
        await add(session, tid, ev.WORKAROUND, calendar.add(at, terms.resolution * 0.6), agent, note="Noodoplossing.")
    await add(session, tid, ev.RESOLVED, resolved, agent, solution="Opgelost.")
    if work == "nee" or uplift:
        await add(session, tid, ev.PRODUCTIVE_AGAIN, resolved + timedelta(minutes=rng.randrange(5, 120)))
    if rng.random() < 0.55:
        score = rng.choices(range(1, 11), weights=(1, 0, 1, 1, 2, 4, 12, 22, 18, 10))[0]
        remark = rng.choice(REMARKS) if rng.random() < 0.15 else None
        await add(session, tid, ev.CSAT, resolved + timedelta(hours=rng.randrange(1, 30)), score=score, remark=remark)
    if major:
        await add(session, tid, ev.RCA_SHARED, policy.working_calendar.add(resolved, policy.working_day * 12), agent,
                  summary="Certificaat verlopen op de mailgateway.")
    row = await session.get(Ticket, tid)
    row.status, row.owner_id, row.owner_name = "opgelost", agent[0], agent[1]
    row.first_response_at, row.resolved_at = reacted, resolved
    await tickets._refresh_due(session, row, policy)
    return tid


async def generate(path: Path, *, month: str, seed: int) -> None:
    rng = random.Random(seed)
    policy = load_policy("halt")
    tz = policy.tz
    url = f"sqlite+aiosqlite:///{path}"
    upgrade(url)
    database = open_database(url)
    report_month = month_period(month, policy)
    try:
        for period in months_back(report_month, policy, 6):
            first = period.start.astimezone(tz).date()
            last = (period.end.astimezone(tz) - timedelta(days=1)).date()
            specials = {}
            if period is report_month:
                days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
                workdays = [d for d in days if policy.working_calendar.close_on(d) is not None]
                specials = {workdays[3]: ("P1", "uplift"), workdays[4]: ("P1", "major"), workdays[8]: ("P1", "security")}
            async with database.sessions.begin() as session:
                day = first
                while day <= last:
                    if policy.working_calendar.close_on(day) is not None:
                        for _ in range(rng.choice((2, 3, 3, 4))):
                            priority = rng.choices(("P1", "P2", "P3", "P4"), weights=(1, 5, 60, 34))[0]
                            await one_ticket(session, policy, rng, at=working_moment(rng, day, tz), priority=priority)
                        if day in specials:
                            priority, special = specials[day]
                            await one_ticket(session, policy, rng, at=working_moment(rng, day, tz), priority=priority, special=special)
                    day += timedelta(days=1)
        await escalate(database, policy, report_month, rng)
        await survey(database, policy, report_month, rng)
    finally:
        await database.dispose()


class _NoDelivery:
    """The script sends nothing: the messages stay in the outbox of this throw-away database."""

    async def drain(self) -> int:
        return 0


async def escalate(database, policy: Policy, period, rng: random.Random) -> None:
    """Run the bot's regie sweep through the month, then let the supplier and regie act."""
    clock = FixedClock(period.start)
    jobs = Jobs(database=database, policy=policy, clock=clock, delivery=_NoDelivery(), worker_id="example", options=JobOptions())
    moment = period.start
    while moment < period.end:
        clock.set(moment)
        await notice_sweep(database=database, policy=policy, clock=clock)
        if moment.astimezone(policy.tz).day <= 7:
            await jobs.monthly_report()  # the month before's missed norms, on the first working day
        moment += timedelta(minutes=30)
    end = period.end - timedelta(hours=1)
    async with database.sessions.begin() as session:
        rows = (await session.execute(EscalationRow.__table__.select().order_by(EscalationRow.id))).all()
        for row in rows:
            clock_name = row.norm.split(":")[-1]
            cause, action, owner = CAUSES.get(clock_name, CAUSES["resolution"])
            if rng.random() < 0.8:
                opened = row.opened_at
                await escalations.step(
                    session, policy=policy, escalation_id=row.id,
                    change=escalations.Action(cause, action, owner, (opened + timedelta(days=rng.choice((7, 14, 21)))).date()),
                    by=AGENTS[1][0], by_name=AGENTS[1][1], seen_version=row.version, now=min(opened + timedelta(hours=3), end),
                )
            current = await escalations.get(session, row.id)
            if current.level in (Level.N2, Level.N3) and rng.random() < 0.7:
                await escalations.step(
                    session, policy=policy, escalation_id=row.id,
                    change=escalations.Assign(Level(current.level), "Bevestigd in het regieoverleg."),
                    by=REGIE[0], by_name=REGIE[1], seen_version=current.version, now=min(current.opened_at + timedelta(days=1), end),
                )
            current = await escalations.get(session, row.id)
            if current.cause and current.state != State.CLOSED.value and rng.random() < 0.4:
                await escalations.step(
                    session, policy=policy, escalation_id=row.id,
                    change=escalations.Close("Oorzaak helder en actie uitgevoerd; samenwerking goed."),
                    by=REGIE[0], by_name=REGIE[1], seen_version=current.version, now=min(current.opened_at + timedelta(days=5), end),
                )


# How employees score the three questions (PvE §10.5 A, B, D): the weights of 4..10.
SURVEY_WEIGHTS = {
    Question.WORKPLACE: (1, 3, 8, 20, 35, 22, 11),
    Question.SERVICEDESK: (1, 2, 4, 12, 33, 32, 16),
    Question.INFORMATION: (2, 5, 12, 26, 30, 17, 8),
}
SURVEY_REMARKS = (
    "Bij een storing hoor ik het pas als ik zelf bel.", "De servicedesk denkt goed mee.",
    "Mijn laptop is traag bij videobellen.", "Het onderhoud van vorige week wist ik niet van tevoren.",
)


async def survey(database, policy: Policy, period, rng: random.Random) -> None:
    """A survey round through the bot's own jobs (the survey job, reach's sweep), if the month is
    one of SURVEY_MONTHS' default; Teams takes every message, and some employees answer."""
    clock = FixedClock(period.start)
    jobs = Jobs(database=database, policy=policy, clock=clock, delivery=_NoDelivery(), worker_id="example", options=JobOptions())
    async with database.sessions.begin() as session:
        for n in range(1, EMPLOYEES + 1):  # every employee has the bot in Teams
            key = f"e0000000-0000-4000-8000-{n:012d}"
            await refs.save_reference(session, kind=refs.USER, key=key, reference={"user": {"id": f"29:{key}"}}, now=period.start)
    moment = period.start
    while moment < period.end:
        clock.set(moment)
        await jobs.survey_sweep()
        await jobs.reach_sweep()
        async with database.sessions.begin() as session:
            queued = (await session.execute(
                select(CampaignRecipient).where(CampaignRecipient.state == Recipient.QUEUED)
            )).scalars().all()
            for recipient in queued:  # what the outbox records when Teams took the message
                await service.record(session, payload={"campaign_id": recipient.campaign_id, "user": recipient.object_id}, outcome="sent")
            round_ = await surveys.open_round(session)
            reminder = round_ is not None and round_.reminder_campaign_id is not None
            for recipient in queued:
                if round_ is None or rng.random() >= (0.3 if reminder else 0.55):
                    continue
                answered = moment + timedelta(minutes=rng.randrange(5, 600))
                for question in Question:
                    score = rng.choices(range(4, 11), weights=SURVEY_WEIGHTS[question])[0]
                    await surveys.record_score(session, round_id=round_.id, user_id=recipient.object_id, question=question,
                                               score=score, now=answered)
                remark = rng.choice(SURVEY_REMARKS) if rng.random() < 0.1 else None
                await surveys.record_remark(session, round_id=round_.id, user_id=recipient.object_id, remark=remark, now=answered)
        moment += timedelta(hours=1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("database", type=Path, help="the SQLite file to create (must not exist)")
    parser.add_argument("--month", default="2026-10", help="the report month (default 2026-10)")
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args(argv)
    if args.database.exists():
        parser.error(f"{args.database} exists: give a new file")
    asyncio.run(generate(args.database, month=args.month, seed=args.seed))
    print(f"example month {args.month} written to {args.database}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
