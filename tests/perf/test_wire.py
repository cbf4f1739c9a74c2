"""``bot.wire`` converts activities exactly as msrest does; msrest is the oracle throughout.

"Exactly" means: the same JSON (same keys in the same order, same value types), the same model
objects back (same classes, attributes in the same order, the same ``datetime`` with the same
tzinfo class, containers copied where msrest copies them), and the same exception where msrest
raises. Shapes: what Teams posts and what the bot sends (every card in the gallery), random
activities derived from the schema's own ``_attribute_map``, random JSON bodies, timestamps in
every spelling, and the rare values msrest must still decide.
"""

from __future__ import annotations

import json
import logging
from collections import OrderedDict
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from enum import Enum
from typing import Any
from zoneinfo import ZoneInfo

import isodate
import pytest
from botbuilder.core import BotAdapter, CardFactory, MessageFactory, TurnContext
from botbuilder.schema import (
    Activity,
    ActivityTypes,
    Attachment,
    ChannelAccount,
    ConversationAccount,
    ConversationReference,
    Entity,
    GeoCoordinates,
    Mention,
    ResourceResponse,
    SemanticAction,
    TextHighlight,
    TokenExchangeState,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from msrest.exceptions import DeserializationError
from msrest.serialization import Model

from bot import adapter, wire
from tests.cards.gallery import all_cards
from tests.support import activities as acts
from tests.support.harness import harness_settings, start_harness, stop_harness

SERVICE_URL = "https://smba.trafficmanager.net/emea/"
PROPERTY = settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))


# -- the oracle and the comparison -------------------------------------------------------------

def msrest_serialise(model: Any) -> Any:
    return wire.SERIALIZER._serialize(model, keep_readonly=False)  # noqa: SLF001


def msrest_deserialise(body: Any, model: type = Activity) -> Any:
    return wire.DESERIALIZER(model.__name__, body)


def outcome(convert, *args) -> tuple:
    try:
        return ("returned", convert(*args))
    except Exception as error:  # noqa: BLE001 - the exception is part of the behaviour compared
        return ("raised", type(error), str(error))


def shape(value: Any, body_ids: frozenset[int] = frozenset()) -> Any:
    """A strict picture of a value: types, order, tzinfo classes, and which containers are the
    body's own objects rather than copies."""
    shared = id(value) in body_ids
    if isinstance(value, Model):
        return (type(value).__name__, [(k, shape(v, body_ids)) for k, v in vars(value).items()])
    if type(value) is dict:
        return ("dict", shared, [(shape(k), shape(v, body_ids)) for k, v in value.items()])
    if type(value) is list:
        return ("list", shared, [shape(v, body_ids) for v in value])
    if isinstance(value, datetime):
        return ("datetime", value.isoformat(), type(value.tzinfo).__name__, value.tzname(), value.utcoffset())
    return (type(value).__name__, repr(value))


def containers(value: Any) -> frozenset[int]:
    found: set[int] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            found.add(id(node))
            for item in node.values():
                walk(item)
        elif isinstance(node, list):
            found.add(id(node))
            for item in node:
                walk(item)

    walk(value)
    return frozenset(found)


def assert_serialises_as_msrest(model: Any) -> Any:
    expected = outcome(msrest_serialise, model)
    got = outcome(wire.serialise, model)
    if expected[0] == "returned":
        assert got[0] == "returned", got
        # repr: key order and value types count, not only ==
        assert repr(got[1]) == repr(expected[1])
    else:
        assert got == expected
    return expected[1] if expected[0] == "returned" else None


def assert_deserialises_as_msrest(body: Any, model: type = Activity) -> Any:
    body_ids = containers(body)
    expected = outcome(msrest_deserialise, body, model)
    got = outcome(wire.deserialise, body, model)
    if expected[0] == "returned":
        assert got[0] == "returned", got
        assert shape(got[1], body_ids) == shape(expected[1], body_ids)
    else:
        assert got == expected
    return got[1] if got[0] == "returned" else None


# -- what Teams posts and what the bot sends ---------------------------------------------------

def teams_bodies() -> list[dict[str, Any]]:
    personal = acts.personal_message(SERVICE_URL, "Mijn laptop start niet op")
    personal.update(
        localTimestamp="2026-04-28T10:00:00.1234567+02:00",
        localTimezone="Europe/Amsterdam",
        timestamp="2026-04-28T08:00:00.1234567Z",
        textFormat="plain",
        entities=[{"type": "clientInfo", "locale": "nl-NL", "country": "NL", "platform": "Web", "timezone": "Europe/Amsterdam"}],
        attachments=[{"contentType": "application/vnd.microsoft.teams.file.download.info", "contentUrl": "https://x/y.png",
                      "name": "scherm.png", "content": {"downloadUrl": "https://x/d", "uniqueId": "u1", "fileType": "png"}}],
    )
    submit = acts.personal_message(SERVICE_URL, None, value={"verb": "ja", "notitie": "graag snel", "n": 3, "ok": True, "f": 1.5, "x": None})
    channel = acts.channel_message(SERVICE_URL, "status 12")
    execute = acts.card_execute(SERVICE_URL, "oppakken", {"ticket": 12, "versie": 3, "notitie": ""}, reply_to="1700000000001")
    update = dict(acts.personal_message(SERVICE_URL, None), type="conversationUpdate", membersAdded=[acts.EMPLOYEE, acts.BOT])
    update.pop("text")
    update["channelData"] = {"tenant": {"id": acts.TENANT}, "eventType": "teamMemberAdded", "team": {"id": "19:t", "name": "Servicedesk"}}
    installation = dict(acts.personal_message(SERVICE_URL, None), type="installationUpdate", action="add")
    reaction = dict(channel, type="messageReaction", reactionsAdded=[{"type": "like"}], replyToId="1700000000002")
    return [personal, submit, channel, execute, update, installation, reaction]


@pytest.mark.parametrize("body", teams_bodies(), ids=lambda b: f"{b['type']}-{b['conversation']['conversationType']}")
def test_what_teams_posts_deserialises_and_serialises_back_as_msrest(body):
    activity = assert_deserialises_as_msrest(body)
    assert adapter.deserialise_activity(body) == activity
    assert_serialises_as_msrest(activity)
    # and the JSON the bot would store or send again reads back the same
    assert_deserialises_as_msrest(json.loads(json.dumps(msrest_serialise(activity))))


class RecordingAdapter(BotAdapter):
    """Keeps what a turn sends, as botbuilder hands it to ``TeamsAdapter``."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[Activity] = []

    async def send_activities(self, context, activities):
        self.sent.extend(activities)
        return [ResourceResponse(id=str(n)) for n, _ in enumerate(activities)]

    async def update_activity(self, context, activity):
        self.sent.append(activity)
        return ResourceResponse(id=activity.id)

    async def delete_activity(self, context, reference):
        return None


async def what_the_bot_sends() -> list[Activity]:
    """Every gallery card as a reply, a redraw in place and a proactive message, plus plain text,
    the way the bot's turns (``TurnContext``) and outbox (``bot.delivery``) build them."""
    recorder = RecordingAdapter()
    incoming = [wire.deserialise(body) for body in teams_bodies()[:4]]
    context = TurnContext(recorder, incoming[0])
    await context.send_activity("Dank je. Wat is het probleem precies?")
    for n, entry in enumerate(all_cards()):
        context = TurnContext(recorder, incoming[n % len(incoming)])
        card_message = MessageFactory.attachment(CardFactory.adaptive_card(entry.card))
        if n % 3 == 0:
            card_message.text = "Melding T-0012"
        await context.send_activity(card_message)
        await context.update_activity(
            Activity(type=ActivityTypes.message, id="1700000000003", attachments=[CardFactory.adaptive_card(entry.card)])
        )
    reference = TurnContext.get_conversation_reference(incoming[2])
    for entry in all_cards()[:3]:
        proactive = MessageFactory.attachment(CardFactory.adaptive_card(entry.card))
        proactive.conversation, proactive.from_property = reference.conversation, reference.bot
        proactive.service_url, proactive.channel_id = reference.service_url, reference.channel_id
        recorder.sent.append(proactive)
    mention = Mention(mentioned=ChannelAccount(id=acts.AGENT["id"], name=acts.AGENT["name"]), text="<at>Karim Bouali</at>", type="mention")
    await TurnContext(recorder, incoming[2]).send_activity(MessageFactory.text("<at>Karim Bouali</at> pakt het op"))
    recorder.sent[-1].entities = [mention]
    return recorder.sent


async def test_what_the_bot_sends_serialises_as_msrest_and_reads_back():
    sent = await what_the_bot_sends()
    assert len(sent) > 20
    for activity in sent:
        json_body = assert_serialises_as_msrest(activity)
        assert adapter.serialise(activity) == json_body
        assert_deserialises_as_msrest(json.loads(json.dumps(json_body)))


def test_conversation_references_convert_as_msrest():
    """What ``bot.teams_bot`` stores and ``bot.delivery`` reads back (``Model.serialize``)."""
    for body in teams_bodies():
        reference = TurnContext.get_conversation_reference(msrest_deserialise(body))
        stored = assert_serialises_as_msrest(reference)
        assert stored == reference.serialize()
        assert shape(wire.deserialise(stored, ConversationReference)) == shape(ConversationReference.deserialize(stored))


def test_the_common_path_does_not_touch_msrest_or_isodate(monkeypatch):
    outgoing = MessageFactory.attachment(CardFactory.adaptive_card(all_cards()[0].card))
    outgoing.text = "Melding"
    incoming = [msrest_deserialise(body) for body in teams_bodies()]

    def refuse(*args, **kwargs):
        raise AssertionError("msrest/isodate used on the common path")

    for target in (wire.SERIALIZER, wire.DESERIALIZER):
        for name in ("_serialize", "serialize_data", "serialize_object", "serialize_iter", "serialize_dict",
                     "_deserialize", "deserialize_data", "deserialize_object", "__call__"):
            if hasattr(target, name):
                monkeypatch.setattr(target, name, refuse, raising=False)
    monkeypatch.setattr(type(wire.DESERIALIZER), "__call__", refuse)
    monkeypatch.setattr(isodate, "parse_datetime", refuse)
    for activity in incoming:
        outgoing.conversation, outgoing.from_property = activity.conversation, activity.recipient
        outgoing.recipient, outgoing.timestamp = activity.from_property, activity.timestamp
        wire.serialise(outgoing)
        wire.serialise(activity)
    for body in teams_bodies():
        wire.deserialise(body)


# -- random activities, derived from the schema itself ----------------------------------------

SCHEMA_ENUMS = [member for cls in wire.SCHEMA_MODELS.values() if isinstance(cls, type) and issubclass(cls, Enum) for member in cls]


class Colour(str, Enum):  # an Enum msrest does not know
    RED = "red"


TIMEZONES = [
    timezone.utc, timezone(timedelta(hours=2)), timezone(timedelta(hours=-9, minutes=-30)),
    timezone(timedelta(hours=13, minutes=45)), ZoneInfo("Europe/Amsterdam"), ZoneInfo("America/St_Johns"),
    isodate.UTC, isodate.FixedOffset(5, 30, "+05:30"),
]
texts = st.text(max_size=10)
datetimes = st.builds(
    lambda moment, micro, tz: moment.replace(microsecond=micro, tzinfo=tz),
    st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)),
    st.one_of(st.integers(0, 999_999), st.sampled_from([0, 1, 10, 120_000, 500_000, 999_999])),
    st.one_of(st.none(), st.sampled_from(TIMEZONES)),
)
json_scalars = st.one_of(st.none(), st.booleans(), st.integers(-(2**40), 2**40),
                         st.floats(allow_nan=False, allow_infinity=False), texts)
json_values = st.recursive(json_scalars, lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(texts, inner, max_size=4)), max_leaves=10)
# ``object`` attributes hold JSON, but msrest also writes datetimes, dates, Decimals, models,
# unknown Enums, tuples, dicts with int keys (serialize_object's rules).
object_leaves = st.one_of(
    json_scalars, datetimes, st.dates(), st.times(), st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=9)),
    st.decimals(allow_nan=False, allow_infinity=False, places=3), st.just(Colour.RED),
    st.builds(ChannelAccount, id=texts, name=st.one_of(st.none(), texts)), st.tuples(st.integers()),
    st.dictionaries(st.integers(0, 3), st.integers(), max_size=2), st.builds(OrderedDict, st.just({"a": 1})),
)
object_values = st.recursive(object_leaves, lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(texts, inner, max_size=4)), max_leaves=10)
ENTITY_CLASSES = ("Entity", "Mention", "Place", "GeoCoordinates", "Thing")


def value_of(type_name: str, depth: int) -> st.SearchStrategy:
    """Values msrest can write for an ``_attribute_map`` type (None where a model is too deep)."""
    simple = {
        "str": st.one_of(texts, st.sampled_from(SCHEMA_ENUMS)),
        "int": st.integers(-1000, 10**12),
        "bool": st.booleans(),
        "float": st.floats(allow_nan=False, allow_infinity=False),
        "iso-8601": datetimes,
        "object": object_values if depth < 2 else json_values,
        "bytearray": st.binary(max_size=6).map(bytearray),
    }
    if type_name in simple:
        return simple[type_name]
    if type_name.startswith("["):
        return st.lists(st.one_of(value_of(type_name[1:-1], depth), st.none()), max_size=3)
    if type_name.startswith("{"):
        return st.dictionaries(texts, st.one_of(value_of(type_name[1:-1], depth), st.none()), max_size=3)
    if depth >= 2:
        return st.none()
    names = ENTITY_CLASSES if type_name == "Entity" else (type_name,)
    return st.one_of([model_of(wire.SCHEMA_MODELS[name], depth + 1) for name in names])


_MODEL_STRATEGIES: dict[tuple[type, int], st.SearchStrategy] = {}


def model_of(cls: type, depth: int = 0) -> st.SearchStrategy:
    key = (cls, depth)
    if key not in _MODEL_STRATEGIES:
        fields = {attr: st.deferred(lambda t=desc["type"]: value_of(t, depth)) for attr, desc in cls._attribute_map.items()}
        _MODEL_STRATEGIES[key] = st.fixed_dictionaries({}, optional=fields).map(lambda kwargs: cls(**kwargs))
    return _MODEL_STRATEGIES[key]


def jsonable(body: Any) -> Any:
    try:
        return json.loads(json.dumps(body))
    except (TypeError, ValueError):
        return body


@PROPERTY
@given(activity=model_of(Activity))
def test_random_activities_convert_both_ways_as_msrest(activity):
    body = assert_serialises_as_msrest(activity)
    if body is not None:
        assert_deserialises_as_msrest(jsonable(body))
        assert_deserialises_as_msrest(body)


@PROPERTY
@given(model=st.sampled_from(sorted(
    (cls for cls in wire.SCHEMA_MODELS.values() if isinstance(cls, type) and issubclass(cls, Model) and cls is not Activity),
    key=lambda cls: cls.__name__,
)).flatmap(model_of))
def test_every_schema_model_converts_as_msrest(model):
    body = assert_serialises_as_msrest(model)
    if body is not None:
        assert_deserialises_as_msrest(jsonable(body), type(model))


# -- rare values and malformed input: msrest decides --------------------------------------------

class Text(str):
    pass


UNUSUAL = [
    5, 2.5, True, Text("sub"), Colour.RED, ("a", "b"), {"x": 1}, [1, "a", None], "2026-04-28T08:00:00Z", "nope",
    date(2026, 4, 28), Decimal("1.5"), bytearray(b"ab"), OrderedDict(a=1), {1, 2},
    datetime(1, 1, 1, 0, 30, tzinfo=timezone(timedelta(hours=1))),        # before year 1 in UTC
    datetime(9999, 12, 31, 23, 0, tzinfo=timezone(timedelta(hours=-2))),  # after year 9999 in UTC
    datetime(2026, 4, 28, 8, 0, 0, 5), ChannelAccount(id="x"), ConversationAccount(id="c", is_group=True),
    TokenExchangeState(connection_name="a", bot_url="b"),  # duplicate keys: not plain, msrest writes it
    Attachment(content={"when": datetime(2026, 4, 28, tzinfo=timezone.utc), "enum": ActivityTypes.message}),
    {"enum": ActivityTypes.message}, [ActivityTypes.message], {"ok": 1, "bad": datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=3)))},
    [ChannelAccount(id="1"), None, "str", {"id": "d"}], [Mention(text="m"), Entity(type="e")],
]


# Where a value can sit, one place per kind of ``_attribute_map`` type and container.
PLACES = {
    "str": lambda v: Activity(type=v),
    "iso-8601": lambda v: Activity(timestamp=v),
    "bool": lambda v: Activity(history_disclosed=v),
    "int": lambda v: Activity(text_highlights=[TextHighlight(text="t", occurrence=v)]),
    "float": lambda v: Activity(entities=[GeoCoordinates(latitude=v)]),
    "model": lambda v: Activity(from_property=v),
    "[model]": lambda v: Activity(members_added=v),
    "[model] item": lambda v: Activity(attachments=[Attachment(name="a"), v]),
    "[str]": lambda v: Activity(listen_for=v),
    "[str] item": lambda v: Activity(listen_for=["a", v]),
    "{model}": lambda v: Activity(semantic_action=SemanticAction(entities=v)),
    "{model} value": lambda v: Activity(semantic_action=SemanticAction(entities={"e": v})),
    "object": lambda v: Activity(channel_data=v),
    "object in a dict": lambda v: Activity(value={"a": v, "b": 1}),
    "object in a list": lambda v: Activity(value=[1, v, 2]),
    "object in a nested model": lambda v: Activity(attachments=[Attachment(content={"k": [v]})]),
    "object in a model in an object": lambda v: Activity(value={"account": ChannelAccount(id="1", properties=v)}),
    "str in a nested model": lambda v: Activity(conversation=ConversationAccount(id="a", conversation_type=v)),
}


@pytest.mark.parametrize("place", PLACES)
def test_unusual_values_come_out_as_msrest_makes_them(place):
    for value in UNUSUAL:
        assert_serialises_as_msrest(PLACES[place](value))


@PROPERTY
@given(activity=model_of(Activity), value=st.sampled_from(UNUSUAL), data=st.data())
def test_an_unusual_value_anywhere_comes_out_as_msrest_makes_it(activity, value, data):
    targets = [activity] + [v for v in vars(activity).values() if isinstance(v, Model)]
    target = data.draw(st.sampled_from(targets))
    setattr(target, data.draw(st.sampled_from(sorted(target._attribute_map))), value)
    assert_serialises_as_msrest(activity)


def test_a_naive_datetime_is_written_as_utc_with_msrests_warning(caplog):
    activity = Activity(type="message", timestamp=datetime(2026, 4, 28, 8, 0, 0, 120_000))
    with caplog.at_level(logging.WARNING, logger="msrest.serialization"):
        expected = msrest_serialise(activity)
        warned = [r.getMessage() for r in caplog.records]
        caplog.clear()
        assert wire.serialise(activity) == expected == {"type": "message", "timestamp": "2026-04-28T08:00:00.120Z"}
    assert [r.getMessage() for r in caplog.records] == warned == ["Datetime with no tzinfo will be considered UTC."]


def test_a_model_class_changed_after_first_use_is_read_again():
    class Extra(Model):
        _attribute_map = {"name": {"key": "name", "type": "str"}}

        def __init__(self, name=None, **kwargs):
            super().__init__(**kwargs)
            self.name = name

    first = Extra(name="a")
    assert wire.serialise(first) == msrest_serialise(first) == {"name": "a"}
    Extra.enable_additional_properties_sending()
    first.additional_properties = {"extra": 1}
    assert wire.serialise(first) == msrest_serialise(first) == {"name": "a", "extra": 1}


# Timestamps as Teams writes them, and every other spelling msrest accepts or refuses.
def timestamp_text(year, month, day, hour, minute, second, fraction, zone, t) -> str:
    return f"{year:04}-{month:02}-{day:02}{t}{hour:02}:{minute:02}:{second:02}{fraction}{zone}"


timestamps = st.one_of(
    st.builds(
        timestamp_text,
        st.one_of(st.integers(1, 9999), st.sampled_from([0, 1, 9999])), st.integers(0, 13), st.integers(0, 32),
        st.integers(0, 25), st.integers(0, 61), st.integers(0, 61),
        st.one_of(st.just(""), st.from_regex(r"[.,][0-9]{1,9}", fullmatch=True), st.just(".")),
        st.one_of(st.sampled_from(["", "Z", "z", "+00:00", "-00:00", "+02:00", "-0530", "+05", "+25:00", "+02:", "+14:59"]),
                  st.from_regex(r"[+-][0-9]{2}(:?[0-9]{2})?", fullmatch=True)),
        st.sampled_from(["T", "t", " "]),
    ),
    st.sampled_from([
        "2026-04-28T08:00:00.1234567Z", "2026-04-28T10:00:00.1234567+02:00", "2026-00-10T08:00:00Z",
        "2026-04-28T08:00:00", "2026-04-28T080000Z", "2026-04-28", "", "2026-04-28T08:00:00.Z",
        "0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00", "2026-04-28T08:00:00.999999999Z",
        "2026-04-28T03:00:00.5-05:30", "2026-04-28T03:00:00-0930", "2026-04-28T03:00:00+0545", "2026-04-28T03:00:00-00:30",
        "２０２６-04-28T08:00:00Z", "2026-04-28T08:00:00Zjunk",
    ]),
    texts,
)


@PROPERTY
@given(text=timestamps, key=st.sampled_from(["timestamp", "localTimestamp", "expiration"]))
def test_timestamps_read_as_msrest_reads_them(text, key):
    assert_deserialises_as_msrest({"type": "message", key: text})


def loose_json(type_name: str, depth: int) -> st.SearchStrategy:
    """JSON shaped like a type most of the time, and anything at all some of the time."""
    if type_name in ("str", "int", "bool", "float", "object"):
        typed = {"str": texts, "int": st.integers(), "bool": st.booleans(), "float": st.one_of(st.floats(allow_nan=False), st.integers()),
                 "object": json_values}[type_name]
    elif type_name == "iso-8601":
        typed = timestamps
    elif type_name.startswith("["):
        typed = st.lists(st.deferred(lambda: loose_json(type_name[1:-1], depth)), max_size=3)
    elif type_name.startswith("{"):
        typed = st.dictionaries(texts, st.deferred(lambda: loose_json(type_name[1:-1], depth)), max_size=3)
    elif depth >= 2 or type_name not in wire.SCHEMA_MODELS:
        typed = json_values
    else:
        typed = json_of(wire.SCHEMA_MODELS[type_name], depth + 1)
    return st.one_of(typed, typed, typed, json_values)


def json_of(cls: type, depth: int = 0) -> st.SearchStrategy:
    fields = {desc["key"]: st.deferred(lambda t=desc["type"]: loose_json(t, depth)) for desc in cls._attribute_map.values()}
    return st.builds(lambda known, unknown: {**unknown, **known},
                     st.fixed_dictionaries({}, optional=fields), st.dictionaries(texts, json_values, max_size=2))


@PROPERTY
@given(body=json_of(Activity))
def test_random_json_bodies_read_as_msrest_reads_them(body):
    assert_deserialises_as_msrest(body)


MALFORMED = {
    "not a dict": ["message"],
    "a model that is a list": {"type": "message", "from": [{"id": "x"}]},
    "a model that is a string": {"type": "message", "conversation": "a:1"},
    "a list that is a string": {"type": "message", "membersAdded": "29:x"},
    "a list that is a dict": {"type": "message", "entities": {"type": "mention"}},
    "a list item that is not a model": {"type": "message", "attachments": [5]},
    "a bad timestamp": {"type": "message", "timestamp": "yesterday"},
    "a timestamp that is a number": {"type": "message", "timestamp": 1714291200},
    "an impossible date": {"type": "message", "timestamp": "2026-02-30T08:00:00Z"},
    "an offset of a day": {"type": "message", "localTimestamp": "2026-04-28T08:00:00+24:00"},
    "a bool that is not one": {"type": "message", "historyDisclosed": "maybe"},
    "a nested bad value": {"type": "message", "conversation": {"id": "a", "isGroup": "sometimes"}},
    "a deeply nested bad value": {"type": "message", "suggestedActions": {"actions": [{"type": "imBack", "value": 1}, "x"]}},
}


@pytest.mark.parametrize("body", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_bodies_raise_as_msrest_raises(body):
    with pytest.raises(DeserializationError) as expected:
        msrest_deserialise(body)
    with pytest.raises(DeserializationError) as got:
        adapter.deserialise_activity(body)
    assert str(got.value) == str(expected.value)


async def test_an_activity_that_does_not_deserialise_is_answered_400_without_a_turn(sqlite_database_url):
    harness = await start_harness(harness_settings(sqlite_database_url))
    try:
        for bad in ({"timestamp": "yesterday"}, {"membersAdded": "29:x"}, {"recipient": [1]}):
            body = dict(acts.personal_message(harness.service_url, "hallo"), **bad)
            status, _ = await harness.post(body)
            assert status == 400
        assert harness.connector.calls == []
        status, _ = await harness.post(acts.personal_message(harness.service_url, "hallo"))
        assert status == 200 and harness.connector.calls
    finally:
        await stop_harness(harness)
