"""The states and kinds of ``reach``: one enum each, the strings stored in the database."""

from __future__ import annotations

import enum


class Kind(enum.StrEnum):
    """What a campaign is. Announcements (PvE §10.5 D: "tijdig informeren") and their follow-ups
    come from the servicedesk; a survey round and its reminder from ``reach``'s survey helper."""

    DISRUPTION = "verstoring"
    CHANGE = "wijziging"
    MAINTENANCE = "onderhoud"
    FOLLOW_UP = "vervolg"  # a follow-up of an announcement, to the same audience
    RESOLVED = "verholpen"  # "opgelost": the announcement's disruption is over, to the same audience
    SURVEY = "enquete"
    SURVEY_REMINDER = "herinnering"


ANNOUNCEMENTS = (Kind.DISRUPTION, Kind.CHANGE, Kind.MAINTENANCE)
FOLLOW_UPS = (Kind.FOLLOW_UP, Kind.RESOLVED)


class State(enum.StrEnum):
    AWAITING_REGIE = "regie"  # refused by a rule; regie may approve it on the card
    SENDING = "versturen"  # recipients are being queued and sent (waiting for its moment included)
    DONE = "klaar"  # every recipient has an outcome
    CANCELLED = "geannuleerd"


class Audience(enum.StrEnum):
    EVERYONE = "iedereen"
    LOCATION = "locatie"
    TEAM = "team"
    OUTAGE = "storing"  # the reporters and followers of a ticket (a known outage)


class Recipient(enum.StrEnum):
    WAITING = "wacht"  # not queued yet (the campaign's pace, its moment, a quiet period)
    QUEUED = "in_wachtrij"  # its outbox message is waiting to be sent (or tried again after a 429)
    SENT = "verstuurd"  # Teams accepted it
    FAILED = "mislukt"  # Teams refused it for good (after the outbox's retries)
    UNREACHABLE = "onbereikbaar"  # no conversation with the bot: the app is not installed for them
    CAPPED = "overgeslagen"  # over the weekly maximum of notices: not sent (MAX_NOTICES_PER_WEEK)


class Excess(enum.StrEnum):
    """What happens to a message over someone's weekly maximum."""

    DROP = "drop"  # an announcement: news a week late misleads, so it is not sent
    POSTPONE = "postpone"  # a survey question: asked in the next week instead
