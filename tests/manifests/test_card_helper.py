"""tests.support.cards: the Adaptive Card 1.5 check other test folders use."""
from __future__ import annotations

import copy

import pytest

from tests.support.cards import ADAPTIVE_CARD, assert_valid_card, cards_in_activity, validate_card

CARD = {
    "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
    "type": "AdaptiveCard",
    "version": "1.5",
    "body": [
        {"type": "TextBlock", "text": "Melding 2025-0042: laptop start niet", "weight": "Bolder",
         "size": "Medium", "wrap": True},
        {"type": "FactSet", "facts": [
            {"title": "Prioriteit", "value": "P3"},
            {"title": "Reactie", "value": "uiterlijk vandaag 14:15"}]},
        {"type": "Input.Text", "id": "note", "label": "Notitie voor de melder", "isMultiline": True},
        {"type": "ColumnSet", "columns": [
            {"type": "Column", "width": "auto", "items": [{"type": "TextBlock", "text": "Status"}]},
            {"type": "Column", "width": "stretch", "items": [{"type": "TextBlock", "text": "Nieuw"}]}]},
    ],
    "actions": [
        {"type": "Action.Execute", "title": "Bevestigen", "verb": "acknowledge", "data": {"ticket": 42}},
        {"type": "Action.Submit", "title": "Wacht op derde", "data": {"action": "wait"}},
        {"type": "Action.ShowCard", "title": "Prioriteit wijzigen", "card": {
            "type": "AdaptiveCard",
            "body": [{"type": "Input.ChoiceSet", "id": "priority", "choices": [
                {"title": "P1", "value": "P1"}, {"title": "P2", "value": "P2"}]}],
            "actions": [{"type": "Action.Submit", "title": "Opslaan"}]}},
    ],
}


def changed(change) -> dict:
    card = copy.deepcopy(CARD)
    change(card)
    return card


def test_valid_15_card_passes():
    assert validate_card(CARD) == []
    assert_valid_card(CARD)


def test_msteams_property_is_accepted():
    card = changed(lambda c: c.update(msteams={
        "width": "Full",
        "entities": [{"type": "mention", "text": "<at>Jan</at>",
                      "mentioned": {"id": "29:1abc", "name": "Jan"}}]}))
    assert validate_card(card) == []


def test_other_unknown_top_level_property_fails():
    errors = validate_card(changed(lambda c: c.update(teams={"width": "Full"})))
    assert any("'teams' was unexpected" in e for e in errors), errors


def test_unknown_element_type_fails():
    errors = validate_card(changed(lambda c: c["body"].append({"type": "Carousel", "pages": []})))
    assert errors == ["/body/4: unknown or invalid type 'Carousel'"]


def test_unknown_action_type_fails():
    errors = validate_card(changed(lambda c: c["actions"].append({"type": "Action.Teleport", "title": "x"})))
    assert errors == ["/actions/3: unknown or invalid type 'Action.Teleport'"]


def test_error_points_at_the_wrong_property_not_at_every_element_type():
    errors = validate_card(changed(lambda c: c["body"][0].update(weight="Heavy")))
    assert len(errors) == 1 and errors[0].startswith("/body/0/weight:"), errors


def test_missing_required_property_fails():
    errors = validate_card(changed(lambda c: c["body"][0].pop("text")))
    assert errors == ["/body/0: 'text' is a required property"]


@pytest.mark.parametrize("version", ["1.6", "2.0", "0.9", "1", "1.5.0", 1.5])
def test_wrong_version_fails(version):
    errors = validate_card(changed(lambda c: c.update(version=version)))
    assert any(e.startswith("/version:") for e in errors), errors


def test_missing_version_or_type_fails():
    assert any(e.startswith("/version:") for e in validate_card(changed(lambda c: c.pop("version"))))
    assert any(e.startswith("/type:") for e in validate_card(changed(lambda c: c.pop("type"))))
    assert any(e.startswith("/type:") for e in validate_card(changed(lambda c: c.update(type="HeroCard"))))


@pytest.mark.parametrize("version", ["1.0", "1.2", "1.4", "1.5"])
def test_older_versions_teams_renders_pass(version):
    assert validate_card(changed(lambda c: c.update(version=version))) == []


def test_assert_valid_card_lists_the_problems():
    with pytest.raises(AssertionError) as exc:
        assert_valid_card(changed(lambda c: c.update(version="1.6")))
    assert "/version:" in str(exc.value) and "Melding 2025-0042" in str(exc.value)


# --- cards_in_activity -----------------------------------------------------------------------------

def test_cards_in_message_activity():
    activity = {
        "type": "message",
        "text": "Je melding is ontvangen.",
        "attachments": [
            {"contentType": ADAPTIVE_CARD, "content": CARD},
            {"contentType": "application/vnd.microsoft.card.hero", "content": {"title": "x"}},
            {"contentType": ADAPTIVE_CARD, "content": {"type": "AdaptiveCard", "version": "1.5", "body": []}},
        ],
    }
    cards = cards_in_activity(activity)
    assert cards == [CARD, {"type": "AdaptiveCard", "version": "1.5", "body": []}]


def test_card_as_json_string_is_parsed():
    import json
    activity = {"type": "message", "attachments": [{"contentType": ADAPTIVE_CARD, "content": json.dumps(CARD)}]}
    assert cards_in_activity(activity) == [CARD]


def test_no_cards():
    assert cards_in_activity({"type": "message", "text": "hallo"}) == []
    assert cards_in_activity({"type": "typing", "attachments": None}) == []


def test_cards_in_action_execute_response():
    body = {"statusCode": 200, "type": ADAPTIVE_CARD, "value": CARD}
    assert cards_in_activity(body) == [CARD]
    assert cards_in_activity({"type": "invokeResponse", "value": {"status": 200, "body": body}}) == [CARD]
    message = {"statusCode": 200, "type": "application/vnd.microsoft.activity.message", "value": "Bedankt"}
    assert cards_in_activity({"type": "invokeResponse", "value": {"status": 200, "body": message}}) == []


def test_botbuilder_style_objects_are_serialised():
    class FakeActivity:  # stands in for botbuilder.schema.Activity (msrest Model.serialize())
        def serialize(self):
            return {"type": "message", "attachments": [{"contentType": ADAPTIVE_CARD, "content": CARD}]}

    assert cards_in_activity(FakeActivity()) == [CARD]


def test_every_card_in_an_activity_can_be_checked():
    activity = {"type": "message", "attachments": [
        {"contentType": ADAPTIVE_CARD, "content": CARD},
        {"contentType": ADAPTIVE_CARD, "content": changed(lambda c: c.update(version="1.6"))}]}
    results = [validate_card(c) for c in cards_in_activity(activity)]
    assert results[0] == [] and results[1]
