"""Teams-shaped activities for tests, as the Bot Connector would post them."""

from __future__ import annotations

import itertools
from typing import Any

TENANT = "0d0d0d0d-1111-2222-3333-444444444444"
BOT = {"id": "28:servicedesk-bot", "name": "Servicedesk"}
TEAM_CHANNEL = "19:servicedesk-kanaal@thread.tacv2"

_ids = itertools.count(1)


def person(name: str, object_id: str) -> dict[str, Any]:
    return {"id": f"29:{object_id}", "aadObjectId": object_id, "name": name}


EMPLOYEE = person("Sanne de Vries", "aaaaaaaa-0000-0000-0000-000000000001")
AGENT = person("Karim Bouali", "bbbbbbbb-0000-0000-0000-000000000002")
OTHER_AGENT = person("Eva Jansen", "bbbbbbbb-0000-0000-0000-000000000004")
THIRD_AGENT = person("Tom Visser", "bbbbbbbb-0000-0000-0000-000000000005")
ADMIN = person("Petra Admin", "cccccccc-0000-0000-0000-000000000003")
STRANGER = person("Niet Bevoegd", "dddddddd-0000-0000-0000-000000000009")


def _base(service_url: str, sender: dict[str, Any], conversation: dict[str, Any], **extra: Any) -> dict[str, Any]:
    activity = {
        "id": f"act-{next(_ids)}",
        "channelId": "msteams",
        "serviceUrl": service_url,
        "from": sender,
        "recipient": BOT,
        "conversation": conversation,
        "channelData": {"tenant": {"id": TENANT}},
        "locale": "nl-NL",
        "timestamp": "2026-04-28T08:00:00Z",
    }
    activity.update(extra)
    return activity


def personal_conversation(user: dict[str, Any]) -> dict[str, Any]:
    return {"id": f"a:personal-{user['aadObjectId']}", "conversationType": "personal", "tenantId": TENANT}


def personal_message(service_url: str, text: str | None, *, user: dict[str, Any] = EMPLOYEE, value: Any = None) -> dict[str, Any]:
    activity = _base(service_url, user, personal_conversation(user), type="message", text=text or "")
    if value is not None:
        activity["value"] = value
    return activity


def channel_message(service_url: str, text: str, *, user: dict[str, Any] = ADMIN, channel: str = TEAM_CHANNEL) -> dict[str, Any]:
    mention = f"<at>{BOT['name']}</at>"
    return _base(
        service_url,
        user,
        {"id": f"{channel};messageid=1700000000000", "conversationType": "channel", "isGroup": True, "tenantId": TENANT},
        type="message",
        text=f"{mention} {text}",
        entities=[{"type": "mention", "text": mention, "mentioned": BOT}],
        channelData={"tenant": {"id": TENANT}, "channel": {"id": channel}, "team": {"id": "19:team@thread.tacv2"}},
    )


def card_execute(service_url: str, verb: str, data: dict[str, Any], *, user: dict[str, Any] = AGENT, channel: str = TEAM_CHANNEL, reply_to: str | None = None) -> dict[str, Any]:
    activity = _base(
        service_url,
        user,
        {"id": channel, "conversationType": "channel", "isGroup": True, "tenantId": TENANT},
        type="invoke",
        name="adaptiveCard/action",
        value={"action": {"type": "Action.Execute", "verb": verb, "data": data}, "trigger": "manual"},
        channelData={"tenant": {"id": TENANT}, "channel": {"id": channel}},
    )
    if reply_to:
        activity["replyToId"] = reply_to
    return activity


# A P1-uplift told through the whole intake, typed and tapped as an employee does: (text, card value).
UPLIFT_INTAKE = [
    ("mijn laptop start niet op en ik moet om 10 uur lesgeven", None),
    ("1", None),
    (None, {"vraag": "scope", "antwoord": "alleen_ik"}),
    ("met een omweg", None),
    (None, {"vraag": "uplift_role", "antwoord": "ja"}),
    ("Ja!", None),
    ("jazeker", None),
    ("om 10:00 lesgeven aan groep 8", None),
    ("06 12345678", None),
    (None, {"vraag": "confirm", "antwoord": "ja"}),
]
