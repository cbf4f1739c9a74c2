"""Announcements from the servicedesk channel: the form, its checks, and the card's buttons.

"aankondiging" in the servicedesk channel gives the form (``form_card``): what kind (a disruption,
a change, planned maintenance), what is going on, for whom (everyone, a location, a team, the people
of an outage ticket), from when to when, what to do meanwhile, the category it concerns (so an
employee who reports something in it during the window is offered the announcement first), and
for a disruption whether it is P1 (then it goes at once, also at night, and counts towards nobody's
weekly maximum).

Planned maintenance announced less than 48 hours ahead, or with any minute inside office hours, is
refused with the reason (PvE §10.1.3; ``reach.rules``): the campaign is written and its card shows
why, and regie may approve it there ("Toch versturen"): authorised by the clicker's Entra object
id, audited in the hash-chained audit, like every card action (``bot.card_actions``). The card's
follow-up and "Opgelost" buttons send to the same people the announcement reached.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, Awaitable, Callable
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import reach_cards
from bot.cards import CARD_SCHEMA, _choice_input, _text_input, heading
from dialogs import texts
from reach import rules, service
from reach.audience import Target
from reach.enums import ANNOUNCEMENTS, Audience, Kind, State
from sla.calendar import BusinessCalendar
from sla.policy import Policy
from storage import labels
from storage.models import Campaign, DirectoryEmployee, Ticket
from storage.outbox import Kind as MessageKind

VERB_CREATE = "aankondiging_maken"
IN_KIND = "aankondiging_soort"
IN_WHAT = "aankondiging_wat"
IN_CATEGORY = "aankondiging_categorie"
IN_AUDIENCE = "aankondiging_voor"
IN_AUDIENCE_VALUE = "aankondiging_welke"
IN_FROM_DATE, IN_FROM_TIME = "aankondiging_van_datum", "aankondiging_van_tijd"
IN_UNTIL_DATE, IN_UNTIL_TIME = "aankondiging_tot_datum", "aankondiging_tot_tijd"
IN_MEANWHILE = "aankondiging_intussen"
IN_P1 = "aankondiging_p1"
IN_TICKET = "aankondiging_melding"
MAX_WHAT = 300
MAX_MEANWHILE = 1000


def form_card(*, today: date) -> dict[str, Any]:
    """The servicedesk's form for a new announcement."""
    kinds = [(kind.value, texts.ANNOUNCEMENT_KINDS[kind.value]) for kind in ANNOUNCEMENTS]
    audiences = [(a.value, texts.AUDIENCE_CHOICES[a.value]) for a in Audience]
    categories = [(value, title) for value, title, _ in texts.CATEGORY_CHOICES if value != "vraag"]

    def moment(date_id: str, time_id: str, label: str) -> dict[str, Any]:
        return {"type": "ColumnSet", "columns": [
            {"type": "Column", "width": "stretch", "items": [{"type": "Input.Date", "id": date_id, "label": label, "min": today.isoformat()}]},
            {"type": "Column", "width": "stretch", "items": [{"type": "Input.Time", "id": time_id, "label": texts.ANNOUNCE_TIME}]},
        ]}

    body = [
        heading(texts.ANNOUNCE_TITLE),
        {"type": "TextBlock", "text": texts.ANNOUNCE_INTRO, "wrap": True},
        _choice_input(IN_KIND, texts.ANNOUNCE_KIND, kinds, value=Kind.DISRUPTION.value),
        _text_input(IN_WHAT, texts.ANNOUNCE_WHAT, multiline=False, max_length=MAX_WHAT),
        _choice_input(IN_AUDIENCE, texts.ANNOUNCE_AUDIENCE, audiences, value=Audience.EVERYONE.value),
        _text_input(IN_AUDIENCE_VALUE, texts.ANNOUNCE_AUDIENCE_VALUE, required=False, multiline=False, max_length=100),
        moment(IN_FROM_DATE, IN_FROM_TIME, texts.ANNOUNCE_FROM),
        moment(IN_UNTIL_DATE, IN_UNTIL_TIME, texts.ANNOUNCE_UNTIL),
        _text_input(IN_MEANWHILE, texts.ANNOUNCE_MEANWHILE, required=False, max_length=MAX_MEANWHILE),
        _choice_input(IN_CATEGORY, texts.ANNOUNCE_CATEGORY, categories, required=False),
        _text_input(IN_TICKET, texts.ANNOUNCE_TICKET, required=False, multiline=False, max_length=20),
        {"type": "Input.Toggle", "id": IN_P1, "label": texts.ANNOUNCE_P1_LABEL, "title": texts.ANNOUNCE_P1, "wrap": True, "valueOn": "ja", "valueOff": "nee", "value": "nee"},
    ]
    action = {
        "type": "Action.Execute", "title": texts.ANNOUNCE_SEND, "verb": VERB_CREATE, "data": {}, "associatedInputs": "auto",
        "fallback": {"type": "Action.Submit", "title": texts.ANNOUNCE_SEND, "data": {"verb": VERB_CREATE}, "associatedInputs": "auto"},
    }
    return {"type": "AdaptiveCard", "$schema": CARD_SCHEMA, "version": "1.5", "body": body, "actions": [action]}


@dataclass(frozen=True)
class Request:
    """A filled-in form, checked."""

    kind: Kind
    what: str
    audience: Target
    starts: datetime | None
    ends: datetime | None
    meanwhile: str | None
    category: str | None
    urgent: bool
    ticket_id: int | None

    def payload(self) -> dict[str, Any]:
        return {
            "what": self.what, "meanwhile": self.meanwhile, "category": self.category, "ticket_id": self.ticket_id,
            "starts": self.starts.isoformat() if self.starts else None, "ends": self.ends.isoformat() if self.ends else None,
        }


def _moment(day: Any, hour: Any, tz: ZoneInfo) -> datetime | None | str:
    """A local date and time from the form; None when both are empty; "bad" when not a moment."""
    day, hour = str(day or "").strip(), str(hour or "").strip()
    if not day and not hour:
        return None
    try:
        return datetime.combine(date.fromisoformat(day), time.fromisoformat(hour or "00:00"), tzinfo=tz)
    except ValueError:
        return "bad"


async def check(session: AsyncSession, data: dict[str, Any], *, now: datetime, tz: ZoneInfo) -> Request | str:
    """The form's request, or the Dutch line that says what to fix."""
    text = labels.clean_text
    try:
        kind = Kind(str(data.get(IN_KIND) or ""))
        audience_kind = Audience(str(data.get(IN_AUDIENCE) or ""))
    except ValueError:
        return texts.ANNOUNCE_INVALID["soort"]
    if kind not in ANNOUNCEMENTS:
        return texts.ANNOUNCE_INVALID["soort"]
    what = text(data.get(IN_WHAT), limit=MAX_WHAT)
    if not what:
        return texts.ANNOUNCE_INVALID["what"]
    value = (text(data.get(IN_AUDIENCE_VALUE), limit=100) or "").strip()
    linked = (text(data.get(IN_TICKET), limit=20) or "").strip()
    ticket_id = None
    if linked or audience_kind is Audience.OUTAGE:
        ticket_id = labels.number_from((value if audience_kind is Audience.OUTAGE else linked).upper().removeprefix("M-"))
        if ticket_id is None or await session.get(Ticket, ticket_id) is None:
            return texts.ANNOUNCE_INVALID["outage"]
    if audience_kind is Audience.OUTAGE:
        value = str(ticket_id)
    elif audience_kind in (Audience.LOCATION, Audience.TEAM):
        column = DirectoryEmployee.location if audience_kind is Audience.LOCATION else DirectoryEmployee.team
        known = (await session.execute(select(func.count()).where(func.lower(column) == value.lower()))).scalar_one() if value else 0
        if not known:
            return texts.ANNOUNCE_INVALID[audience_kind.value]
    starts, ends = _moment(data.get(IN_FROM_DATE), data.get(IN_FROM_TIME), tz), _moment(data.get(IN_UNTIL_DATE), data.get(IN_UNTIL_TIME), tz)
    if "bad" in (starts, ends) or (starts and ends and ends <= starts):
        return texts.ANNOUNCE_INVALID["period"]
    if kind is Kind.MAINTENANCE and not (starts and ends):
        return texts.ANNOUNCE_INVALID["maintenance_period"]
    urgent = str(data.get(IN_P1) or "").strip().lower() in ("ja", "true")
    if urgent and kind is not Kind.DISRUPTION:
        return texts.ANNOUNCE_INVALID["p1"]
    category = str(data.get(IN_CATEGORY) or "").strip() or None
    if category is not None and category not in texts.CATEGORY_NAMES:
        category = None
    return Request(
        kind=kind, what=what, audience=Target(audience_kind, value), starts=starts, ends=ends,
        meanwhile=text(data.get(IN_MEANWHILE), limit=MAX_MEANWHILE) or None, category=category, urgent=urgent,
        ticket_id=ticket_id,
    )


async def create(
    session: AsyncSession, request: Request, *, calendar: BusinessCalendar, by: str, by_name: str, now: datetime
) -> Campaign:
    """Write the announcement; planned maintenance that breaks a rule waits for regie."""
    refusals = ()
    if request.kind is Kind.MAINTENANCE and request.starts and request.ends:
        refusals = rules.maintenance_refusals(calendar, now=now, starts=request.starts, ends=request.ends)
    return await service.start(
        session, kind=request.kind, message_kind=MessageKind.ANNOUNCEMENT, audience=request.audience,
        payload=request.payload(), created_by=by, created_by_name=by_name, now=now, urgent=request.urgent,
        refusal=",".join(refusals) or None,
    )


async def follow_up(
    session: AsyncSession, *, parent: Campaign, kind: Kind, text: str | None, by: str, by_name: str, now: datetime
) -> Campaign:
    """A follow-up or "opgelost" of an announcement, to the people it reached."""
    return await service.start(
        session, kind=kind, message_kind=MessageKind.ANNOUNCEMENT, audience=Target.from_json(parent.audience),
        payload={"text": text, "category": parent.payload.get("category"), "ticket_id": parent.payload.get("ticket_id")},
        created_by=by, created_by_name=by_name, now=now, urgent=parent.urgent, parent_id=parent.id,
    )


# -- the buttons: one runner per verb (``bot.card_actions`` checks the role and writes the audit) ------

@dataclass(frozen=True)
class Click:
    """One click on the form or a campaign's card, inside the transaction it changes things in."""

    session: AsyncSession
    data: dict[str, Any]
    by: str  # the clicker's Entra object id
    by_name: str
    now: datetime
    policy: Policy

    @property
    def campaign_id(self) -> int | None:
        return labels.number_from(self.data.get("campagne"))


@dataclass(frozen=True)
class Done:
    """What a click did: the audit result and details, and what the clicker sees."""

    result: str  # "done", "refused_invalid", "refused_stale", "not_found"
    details: dict[str, Any]
    text: str | None = None
    card: dict[str, Any] | None = None

    @property
    def changed(self) -> bool:
        return self.result == "done"


def _about(campaign: Campaign) -> dict[str, Any]:
    return {"campaign": campaign.id, "kind": campaign.kind, "audience": campaign.audience, "refusal": campaign.refusal}


async def _create(click: Click) -> Done:
    request = await check(click.session, click.data, now=click.now, tz=click.policy.tz)
    if isinstance(request, str):
        return Done("refused_invalid", {}, text=request)
    campaign = await create(
        click.session, request, calendar=click.policy.working_calendar, by=click.by, by_name=click.by_name, now=click.now,
    )
    answer = texts.announce_created(number=reach_cards.number(campaign.id), refused=campaign.refusal is not None)
    return Done("done", _about(campaign), text=answer, card=reach_cards.notice_card(answer))


async def _approve(click: Click) -> Done:
    campaign = await click.session.get(Campaign, click.campaign_id) if click.campaign_id is not None else None
    if campaign is None:
        return Done("not_found", {"campaign": click.campaign_id}, text=texts.ANNOUNCE_NOT_FOUND)
    seen = labels.number_from(click.data.get("versie"))
    details = {**_about(campaign), "seen_version": seen}
    approved = await service.approve(
        click.session, campaign_id=campaign.id, by=click.by, by_name=click.by_name, now=click.now,
        seen_version=-1 if seen is None else seen,
    )
    card = reach_cards.campaign_card(campaign, await service.progress(click.session, campaign.id), now=click.now, tz=click.policy.tz)
    if approved is not None:
        return Done("done", {**details, "version": campaign.version}, card=card)
    # Already approved (or never refused), or regie clicked a card drawn before: the fresh card.
    notice = texts.ANNOUNCE_NOT_WAITING if campaign.state != State.AWAITING_REGIE else texts.CARD_STALE
    card["body"].insert(0, {"type": "TextBlock", "text": notice, "wrap": True, "color": "Attention"})
    return Done("refused_stale", details, card=card)


def _follow_up_runner(kind: Kind, field: str, *, required: bool) -> Callable[[Click], Awaitable[Done]]:
    async def run(click: Click) -> Done:
        parent = await click.session.get(Campaign, click.campaign_id) if click.campaign_id is not None else None
        if parent is None:
            return Done("not_found", {"campaign": click.campaign_id}, text=texts.ANNOUNCE_NOT_FOUND)
        text = labels.clean_text(click.data.get(field), limit=MAX_MEANWHILE)
        if required and not text:
            return Done("refused_invalid", {"campaign": parent.id}, text=texts.ANNOUNCE_FOLLOW_UP_INVALID)
        child = await follow_up(click.session, parent=parent, kind=kind, text=text, by=click.by, by_name=click.by_name, now=click.now)
        answer = texts.announce_follow_up_created(number=reach_cards.number(parent.id))
        return Done("done", {**_about(parent), "follow_up": child.id}, text=answer, card=reach_cards.notice_card(answer))

    return run


RUNNERS: dict[str, Callable[[Click], Awaitable[Done]]] = {
    VERB_CREATE: _create,
    reach_cards.VERB_APPROVE: _approve,
    reach_cards.VERB_FOLLOW_UP: _follow_up_runner(Kind.FOLLOW_UP, reach_cards.IN_TEXT, required=True),
    reach_cards.VERB_RESOLVED: _follow_up_runner(Kind.RESOLVED, reach_cards.IN_RESOLVED_TEXT, required=False),
}
