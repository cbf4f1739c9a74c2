"""Reach: one personal message to many employees, within Teams' limits, each employee once.

The domain of announcements (a disruption, a change, planned maintenance, their follow-ups) and,
built on it, survey rounds. Laid out as Netflix Dispatch lays out a domain: the tables are in
``storage.models`` (``campaigns``, ``campaign_recipients``, ``directory_employees``,
``reach_pace``), the states and kinds in ``reach.enums``, the pure rules in ``reach.rules`` (quiet
hours, the weekly maximum, maintenance's 48 hours; no I/O), who an audience is in
``reach.audience``, the directory import in ``reach.directory``, and the lifecycle in
``reach.service``. What people see is drawn in ``bot.reach_cards`` when the outbox sends it.

Public API (for the survey helper and the servicedesk's announcement card)
--------------------------------------------------------------------------
``service.start(session, *, kind, message_kind, audience, payload, created_by, created_by_name,
now, not_before=None, urgent=False, parent_id=None, refusal=None, exclude=None) -> Campaign``
    In the caller's transaction: the campaign, one recipient row per employee of ``audience``
    (``audience.Target(Audience.EVERYONE | LOCATION | TEAM | OUTAGE, value)``), and its card in
    the servicedesk channel. Each recipient gets one outbox message
    ``{"kind": message_kind, "campaign_id": id, "user": object_id}`` keyed
    ``reach:{campaign}:{object id}``; ``message_kind`` is a member of ``storage.outbox.Kind`` with
    its renderer registered in ``bot.delivery`` (``@renders(Kind.X)``, as ``Kind.ANNOUNCEMENT``'s).
    ``exclude`` is a SQLAlchemy ``SELECT`` of object ids to leave out, e.g. the survey's opt-outs:
    ``exclude=select(SurveyOptOut.object_id)``. ``parent_id``: a follow-up, to the parent's
    recipients. ``kind`` decides the rules: ``Kind.SURVEY``/``SURVEY_REMINDER`` count towards the
    weekly maximum and are postponed to the next week over it; announcements are dropped over it;
    follow-ups and ``urgent`` (a P1 disruption) are neither capped nor quiet.
``service.pump(session, *, calendar, options, now)``
    Queue the next send slots; the scheduler's ``reach_sweep`` calls it every 15 seconds.
``service.progress(session, campaign_id) -> Progress``
    sent / pending / failed / unreachable / skipped.
``service.cancel(session, *, campaign_id, now)``
    stop a campaign that is still going (a survey round that closed).
``service.approve(...)``
    regie lets a campaign that a rule refused go.

Delivery goes through the outbox (``storage.outbox``, ``bot.delivery``): resumable after a crash,
429s retried without sending twice, 403/404 counted as unreachable and named to the servicedesk
when the campaign ends. Teams' limits (Microsoft, "Optimize your bot with rate limiting in Teams":
7 operations per second per conversation; 50 requests per second per app per tenant) are kept by
the connector's pacers in each process and, over replicas, by the shared send slots
(``REACH_PER_SECOND``, default 30).
"""
