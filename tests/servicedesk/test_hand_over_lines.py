"""Hand-overs between colleagues and treatment lines, recorded so that first-time-fix can be
derived from them (annex O3 "First-time-fix": "% tickets dat bij de eerste behandeling wordt
opgelost zonder overdracht naar een andere behandellijn"), instead of a box the resolver ticks.

Eva Jansen works in the second line (``SECOND_LINE_AGENTS``); Karim Bouali and Tom Visser are
servicedesk agents, so first line.
"""

from __future__ import annotations

import pytest

from sla import events as ev
from tests.servicedesk import desk
from tests.servicedesk.desk import card_of, click, message_of, new_ticket
from tests.support import activities as acts
from tests.support.cards import assert_valid_card
from tests.support.harness import stop_harness

EVA = acts.OTHER_AGENT


@pytest.fixture
async def harness(database_url):
    h = await desk.open_desk(database_url, second_line_agents=frozenset({EVA["aadObjectId"]}))
    yield h
    await stop_harness(h)


async def test_annex_ftf_a_hand_over_to_a_colleague_in_another_line_records_both_lines(harness):
    await click(harness, "oppakken", await new_ticket(harness, description="printer"), user=EVA)  # Eva is known
    ticket_id = await new_ticket(harness)
    status, body = await click(harness, "oppakken", ticket_id)
    card = card_of(body)
    choices = desk.choices(card, "overdragen_naar")
    assert choices[EVA["aadObjectId"]] == "Eva Jansen (2e lijn)"
    assert choices["lijn:2"] == "Wachtrij 2e lijn" and choices["lijn:1"] == "Wachtrij 1e lijn (servicedesk)"
    assert "lijn:3" not in choices  # no third line configured
    assert (await desk.ticket(harness, ticket_id)).treatment_line == "1"

    harness.connector.clear()
    status, body = await click(harness, "overdragen", ticket_id, overdragen_naar=EVA["aadObjectId"])
    card = card_of(body)
    assert_valid_card(card)
    event = (await desk.events(harness, ticket_id))[-1]
    assert event.kind == ev.HANDED_OVER
    assert {k: event.data[k] for k in ("from_agent", "to_agent", "to_name", "from_line", "to_line")} == {
        "from_agent": acts.AGENT["aadObjectId"], "to_agent": EVA["aadObjectId"], "to_name": "Eva Jansen",
        "from_line": "1", "to_line": "2",
    }
    assert (desk.line(card, "Eigenaar"), desk.line(card, "Behandellijn")) == ("Eva Jansen", "2e lijn")
    assert harness.replies_to_employee() == ["Je melding **M-2** is overgedragen aan Eva Jansen van de servicedesk."]


async def test_annex_ftf_a_hand_over_within_the_servicedesk_stays_in_the_first_line(harness):
    ticket_id = await new_ticket(harness)
    await click(harness, "oppakken", ticket_id)
    await click(harness, "overdragen", ticket_id, overdragen_naar=acts.THIRD_AGENT["aadObjectId"])
    event = (await desk.events(harness, ticket_id))[-1]
    assert (event.data["from_line"], event.data["to_line"]) == ("1", "1")


async def test_a_ticket_handed_to_a_lines_queue_is_picked_up_by_an_agent_of_that_line(harness):
    ticket_id = await new_ticket(harness)
    await click(harness, "oppakken", ticket_id)
    harness.connector.clear()
    status, body = await click(harness, "overdragen", ticket_id, overdragen_naar="lijn:2")
    card = card_of(body)
    assert_valid_card(card)
    t = await desk.ticket(harness, ticket_id)
    assert (t.owner_id, t.treatment_line, t.status) == (None, "2", "opgepakt")
    event = (await desk.events(harness, ticket_id))[-1]
    assert (event.data["to_agent"], event.data["from_line"], event.data["to_line"]) == (None, "1", "2")
    assert desk.line(card, "Eigenaar") == "nog niemand: in de wachtrij van de 2e lijn"
    assert "Oppakken" in desk.strings(card) and "lijn:2" not in desk.choices(card, "overdragen_naar")
    assert harness.replies_to_employee() == ["Je melding **M-1** is doorgezet naar de 2e lijn. Daar pakt een specialist hem op."]

    harness.connector.clear()
    status, body = await click(harness, "oppakken", ticket_id, user=EVA)
    card = card_of(body)
    assert_valid_card(card)
    t = await desk.ticket(harness, ticket_id)
    assert (t.owner_name, t.treatment_line) == ("Eva Jansen", "2")
    assert (await desk.events(harness, ticket_id))[-1].kind == ev.ACKNOWLEDGED
    assert desk.line(card, "Behandellijn") == "2e lijn" and "Oppakken" not in desk.strings(card)
    assert any("Eva Jansen heeft je melding" in m for m in harness.replies_to_employee())
    # A second click on the same queued card changes nothing.
    status, body = await click(harness, "oppakken", ticket_id, user=acts.THIRD_AGENT, version=t.version - 1)
    assert (await desk.ticket(harness, ticket_id)).owner_name == "Eva Jansen"


async def test_a_ticket_the_second_line_sends_back_to_the_servicedesk_queue_tells_the_reporter(harness):
    ticket_id = await new_ticket(harness)
    await click(harness, "oppakken", ticket_id)
    await click(harness, "overdragen", ticket_id, overdragen_naar="lijn:2")
    await click(harness, "oppakken", ticket_id, user=EVA)
    harness.connector.clear()
    status, body = await click(harness, "overdragen", ticket_id, overdragen_naar="lijn:1", user=EVA)
    card = card_of(body)
    t = await desk.ticket(harness, ticket_id)
    assert (t.owner_id, t.treatment_line) == (None, "1")
    assert desk.line(card, "Eigenaar") == "nog niemand: in de wachtrij van de 1e lijn (servicedesk)"
    assert harness.replies_to_employee() == ["Je melding **M-1** ligt weer bij de servicedesk. Een collega pakt hem op."]


@pytest.mark.parametrize("target", ["lijn:3", "lijn:x", acts.STRANGER["aadObjectId"], ""])
async def test_a_hand_over_to_an_unknown_line_or_a_non_agent_is_refused(harness, target):
    ticket_id = await new_ticket(harness)
    await click(harness, "oppakken", ticket_id)
    before = await desk.ticket(harness, ticket_id)
    status, body = await click(harness, "overdragen", ticket_id, overdragen_naar=target)
    assert "of een andere lijn" in message_of(body)
    after = await desk.ticket(harness, ticket_id)
    assert (after.version, after.owner_id, after.treatment_line) == (before.version, before.owner_id, "1")


async def test_opgelost_asks_no_first_time_fix_question(harness):
    ticket_id = await new_ticket(harness)
    status, body = await click(harness, "oppakken", ticket_id)
    card = card_of(body)
    assert "Opgelost zonder doorzetten naar een ander?" not in desk.strings(card)
    await click(harness, "opgelost", ticket_id, oplossing="Kabel vervangen")
    resolved = (await desk.events(harness, ticket_id))[-1]
    assert resolved.kind == ev.RESOLVED and "first_time_fix" not in resolved.data
