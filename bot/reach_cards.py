"""What ``reach`` shows: the personal message of an announcement, the sender's card in the
servicedesk channel with its progress, and the list of employees it could not reach.

Each function takes the outbox payload and returns ``(text, card)``, or None when the campaign is not
there (any more); ``bot.delivery`` registers them for their message kinds (``@renders``). A survey
adds its own kind to ``storage.outbox.Kind`` and its renderer the same way. The servicedesk's words (what, what to
do meanwhile, a follow-up's text) reach employees as plain text (``dialogs.plain``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.cards import CARD_SCHEMA, facts, heading, labelled
from dialogs import plain, texts
from dialogs.when import say_period, say_when
from reach import service
from reach.enums import ANNOUNCEMENTS, FOLLOW_UPS, State
from storage.models import Campaign
from storage.labels import ticket_label

VERB_APPROVE = "aankondiging_goedkeuren"
VERB_FOLLOW_UP = "aankondiging_vervolg"
VERB_RESOLVED = "aankondiging_opgelost"
IN_TEXT = "aankondiging_tekst"  # a follow-up's text
IN_RESOLVED_TEXT = "aankondiging_opgelost_tekst"  # "opgelost"'s (optional)

Rendered = tuple[str | None, dict[str, Any] | None] | None


def number(campaign_id: int) -> str:
    return f"A-{campaign_id}"


def period_of(payload: dict[str, Any], *, now: datetime, tz: ZoneInfo) -> str | None:
    return say_period(payload.get("starts"), payload.get("ends"), now=now, tz=tz)


async def _campaign(session: AsyncSession, payload: dict[str, Any]) -> Campaign | None:
    return await session.get(Campaign, payload.get("campaign_id"))


async def announcement(session: AsyncSession, payload: dict[str, Any], *, now: datetime, tz: ZoneInfo) -> Rendered:
    campaign = await _campaign(session, payload)
    if campaign is None:
        return None
    if campaign.kind in FOLLOW_UPS:
        parent = await session.get(Campaign, campaign.parent_id)
        about = (parent.payload if parent is not None else campaign.payload).get("what", "")
        return texts.announcement_follow_up(kind=campaign.kind, about=about, text=campaign.payload.get("text")), None
    data = campaign.payload
    outage = ticket_label(data["ticket_id"]) if data.get("ticket_id") else None
    return texts.announcement(
        kind=campaign.kind, what=data.get("what", ""), period=period_of(data, now=now, tz=tz),
        meanwhile=data.get("meanwhile"), outage=outage,
    ), None


async def sender_card(session: AsyncSession, payload: dict[str, Any], *, now: datetime, tz: ZoneInfo) -> Rendered:
    campaign = await _campaign(session, payload)
    if campaign is None:
        return None
    return None, campaign_card(campaign, await service.progress(session, campaign.id), now=now, tz=tz)


async def unreachable(session: AsyncSession, payload: dict[str, Any], *, now: datetime, tz: ZoneInfo) -> Rendered:
    campaign = await _campaign(session, payload)
    if campaign is None:
        return None
    names, total = await service.unreachable_names(session, campaign.id)
    return texts.campaign_unreachable(number=number(campaign.id), what=_subject(campaign), names=names, total=total), None


def _subject(campaign: Campaign) -> str:
    return campaign.payload.get("what") or campaign.payload.get("text") or texts.ANNOUNCEMENT_KINDS.get(campaign.kind, campaign.kind)


def _execute(title: str, verb: str, campaign: Campaign, body: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A button (Action.Execute with its Action.Submit fallback); the data names the campaign and
    the version it was drawn at, nothing that grants: who may press it is decided on the server."""
    data = {"campagne": campaign.id, "versie": campaign.version}
    action = {
        "type": "Action.Execute", "title": title, "verb": verb, "data": data, "associatedInputs": "auto",
        "fallback": {"type": "Action.Submit", "title": title, "data": {"verb": verb, **data}, "associatedInputs": "auto"},
    }
    if body is None:
        return action
    return {"type": "Action.ShowCard", "title": title, "card": {"type": "AdaptiveCard", "body": body, "actions": [action]}}


def campaign_card(campaign: Campaign, progress: service.Progress, *, now: datetime, tz: ZoneInfo) -> dict[str, Any]:
    """The sender's card: what, for whom, when, the state and the counts; regie's approval while a
    rule holds it, follow-up and "opgelost" buttons once it went."""
    data = campaign.payload
    kind = texts.ANNOUNCEMENT_KINDS.get(campaign.kind, campaign.kind)
    body: list[dict[str, Any]] = [heading(f"{kind} {number(campaign.id)}")]
    if data.get("what") or data.get("text"):
        body.append({"type": "RichTextBlock", "inlines": [plain.run(data.get("what") or data.get("text"))]})
    audience = campaign.audience or {}
    pairs = [(texts.CAMPAIGN_FOR, texts.audience_name(audience.get("who", ""), audience.get("value", "")))]
    period = period_of(data, now=now, tz=tz)
    if period:
        pairs.append((texts.CAMPAIGN_WHEN, period))
    pairs.append((texts.CAMPAIGN_BY, plain.markdown(campaign.created_by_name)))
    pairs.append((texts.LABEL_STATE, texts.CAMPAIGN_STATES.get(campaign.state, campaign.state)))
    if campaign.not_before > now and campaign.state == State.SENDING:
        pairs.append((texts.CAMPAIGN_SENT_FROM, say_when(campaign.not_before, now=now, tz=tz)))
    body.append(facts(pairs))
    if data.get("meanwhile"):
        body.append({"type": "TextBlock", "text": texts.WHAT_YOU_CAN_DO, "wrap": True, "weight": "Bolder"})
        body.append({"type": "RichTextBlock", "inlines": [plain.run(data["meanwhile"])]})
    counts = progress.as_json()
    body.append(facts([(label, str(counts[key])) for key, label in texts.CAMPAIGN_PROGRESS if counts[key] or key in ("sent", "pending")]))
    actions: list[dict[str, Any]] = []
    if campaign.state == State.AWAITING_REGIE:
        for reason in (campaign.refusal or "").split(","):
            if reason:
                body.append(labelled(texts.CAMPAIGN_REFUSED, texts.REFUSALS.get(reason, reason), attention=True))
        body.append({"type": "TextBlock", "text": texts.CAMPAIGN_NEEDS_REGIE, "wrap": True})
        actions.append(_execute(texts.CAMPAIGN_APPROVE, VERB_APPROVE, campaign))
    elif campaign.approved_by_name:
        body.append(labelled(texts.CAMPAIGN_APPROVED_BY, plain.markdown(campaign.approved_by_name)))
    if campaign.state in (State.SENDING, State.DONE) and campaign.parent_id is None and campaign.kind in ANNOUNCEMENTS:
        text_input = {"type": "Input.Text", "label": texts.CAMPAIGN_FOLLOW_UP_TEXT, "isMultiline": True, "maxLength": 1000}
        actions.append(_execute(texts.CAMPAIGN_FOLLOW_UP, VERB_FOLLOW_UP, campaign, [
            {**text_input, "id": IN_TEXT, "isRequired": True, "errorMessage": texts.ANNOUNCE_FOLLOW_UP_INVALID},
        ]))
        actions.append(_execute(texts.CAMPAIGN_RESOLVED, VERB_RESOLVED, campaign, [{**text_input, "id": IN_RESOLVED_TEXT}]))
    card: dict[str, Any] = {"type": "AdaptiveCard", "$schema": CARD_SCHEMA, "version": "1.5", "body": body}
    if actions:
        card["actions"] = actions
    return card


def notice_card(text: str) -> dict[str, Any]:
    """What replaces the servicedesk's form once it was sent: one line (the campaign's own card
    follows in the channel)."""
    return {"type": "AdaptiveCard", "$schema": CARD_SCHEMA, "version": "1.5", "body": [
        {"type": "TextBlock", "text": text, "wrap": True},
    ]}
