"""Activities to and from their JSON wire form, without msrest's generic (de)serialiser.

Why this exists: msrest's ``Serializer``/``Deserializer`` re-interpret every model's
``_attribute_map`` on every call (type strings looked up in dicts, ``kwargs`` copied per value,
``try``/``except`` and ``isinstance`` ladders per attribute, ``isodate``'s regex cascade and
``Decimal`` arithmetic per timestamp). py-spy put that at about 15 % of a bot turn's CPU. This
module reads each model class's ``_attribute_map``/``_validation`` once, keeps a per-class plan of
(attribute, JSON key, parsed type) and converts with exact-type checks.

The output is meant to be identical to msrest 0.7's, which stays the oracle
(``tests/perf/test_wire.py`` compares both on Teams-shaped and on random activities):

- serialising is ``Serializer(schema models)._serialize(activity, keep_readonly=False)``:
  attributes in ``_attribute_map`` order, ``None`` and readonly attributes left out, str-Enums
  written as ``.value``, ``iso-8601`` as msrest's ``serialize_iso`` writes it (UTC, "Z", at least
  three fractional digits), ``object`` values by ``serialize_object``'s rules, each nested model by
  its own class's map;
- deserialising is ``Deserializer(schema models)("Activity", body)``: every attribute passed to the
  model's constructor, unknown keys kept in ``additional_properties``, timestamps parsed to the same
  ``datetime`` (``isodate``'s ``UTC``/``FixedOffset`` tzinfo, fractions cut to microseconds).

Only what is common goes the fast way: exact ``str``/``int``/``float``/``bool``/``dict``/``list``
values, ``datetime``, str-Enums, and models whose class is "plain" (no XML, no flattened or
duplicate keys, no polymorphic ``_subtype_map``, no additional-properties sending). Anything else is
handed to msrest itself, for that value in the same context msrest would have handled it, so rare
shapes (str subclasses, ``Decimal``, ``bytearray``, non-plain models, odd timestamp formats) and
every error come out exactly as before. Deserialising is pure, so any surprise there simply redoes
the whole body with msrest; bad input therefore raises msrest's own ``DeserializationError``.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime
from enum import Enum
from operator import attrgetter
from typing import Any, Callable

from botbuilder.schema import Activity
from isodate.tzinfo import UTC as _ISODATE_UTC
from isodate.tzinfo import FixedOffset as _IsodateFixedOffset
from msrest.exceptions import SerializationError
from msrest.serialization import Deserializer, Model, Serializer

__all__ = ["serialise", "deserialise", "SCHEMA_MODELS", "SERIALIZER", "DESERIALIZER"]

# msrest's lookup of the schema's classes (``Model._infer_class_models``), done once; the serialiser
# and deserialiser built from it are the fallback and the tests' oracle.
SCHEMA_MODELS: dict[str, type] = Activity._infer_class_models()  # noqa: SLF001 - msrest's own lookup
SERIALIZER = Serializer(SCHEMA_MODELS)
DESERIALIZER = Deserializer(SCHEMA_MODELS)

# msrest warns (on its own logger) for every naive datetime it serialises; so do we.
_MSREST_LOG = logging.getLogger("msrest.serialization")

# Parsed type strings: (kind, type string, inner parsed type or model class).
_STR, _INT, _BOOL, _FLOAT, _ISO, _OBJ, _MODEL, _LIST, _DICT, _OTHER = range(10)
# Declared scalar types whose values go to and from JSON unchanged when the Python type is exact.
_SAME_BOTH_WAYS = {_STR: str, _INT: int, _BOOL: bool, _FLOAT: float}
_BASIC = {"str": _STR, "int": _INT, "bool": _BOOL, "float": _FLOAT}
_SKIP = object()  # "leave this attribute out", as msrest does for a plain ValueError


class _Unusual(Exception):
    """Raised by the fast deserialiser for anything it does not handle itself."""


def _parse_type(name: str) -> tuple:
    """Classify a type string the way ``serialize_data``/``deserialize_data`` dispatch on it."""
    if name in _BASIC:
        return (_BASIC[name], name, None)
    if name == "iso-8601":
        return (_ISO, name, None)
    if name == "object":
        return (_OBJ, name, None)
    if not name or name in SERIALIZER.serialize_type or name in DESERIALIZER.deserialize_type:
        return (_OTHER, name, None)
    target = SCHEMA_MODELS.get(name)
    if isinstance(target, type) and issubclass(target, Enum):
        return (_OTHER, name, None)
    if len(name) > 2 and name[0] + name[-1] == "[]":
        return (_LIST, name, _parse_type(name[1:-1]))
    if len(name) > 2 and name[0] + name[-1] == "{}":
        return (_DICT, name, _parse_type(name[1:-1]))
    # msrest serialises whatever model sits there by its own class; deserialising needs the class
    # from the schema (None: msrest's KeyError path, left to msrest).
    return (_MODEL, name, target if isinstance(target, type) and issubclass(target, Model) else None)


class _Plan:
    """What the converter needs to know about one model class, read from it once."""

    __slots__ = ("cls", "attribute_map", "size", "ser", "values", "deser_ok", "by_key", "none_kwargs",
                 "known", "readonly", "excluded")

    def __init__(self, cls: type) -> None:
        attribute_map = cls._attribute_map  # noqa: SLF001
        validation = getattr(cls, "_validation", None) or {}
        self.cls = cls
        self.attribute_map = attribute_map
        self.size = len(attribute_map)
        ser = []
        by_key = {}
        for attr, desc in attribute_map.items():
            parsed = _parse_type(desc["type"])
            by_key[desc["key"]] = (attr, parsed)
            if not validation.get(attr, {}).get("readonly", False):
                ser.append((desc["key"], parsed, desc))
        self.ser = tuple(ser)
        names = [attr for attr, desc in attribute_map.items() if not validation.get(attr, {}).get("readonly", False)]
        if len(names) > 1:
            self.values: Callable[[Any], tuple] = attrgetter(*names)
        elif names:
            only = names[0]
            self.values = lambda obj: (getattr(obj, only),)
        else:
            self.values = lambda obj: ()
        # Deserialising (msrest's ``_deserialize`` + ``_instantiate_model``).
        self.by_key = by_key
        self.none_kwargs = dict.fromkeys(attribute_map)
        self.known = set(by_key)
        self.readonly = tuple(k for k, v in validation.items() if v.get("readonly"))
        constants = tuple(k for k, v in validation.items() if v.get("constant"))
        self.excluded = frozenset(self.readonly + constants)
        self.deser_ok = (
            not getattr(cls, "_subtype_map", None)
            and not constants
            and getattr(cls._classify, "__func__", None) is Model._classify.__func__  # noqa: SLF001
        )


def _plain(cls: type) -> bool:
    """A model class whose JSON form is just its ``_attribute_map``, key by key."""
    try:
        attribute_map = cls._attribute_map  # noqa: SLF001
        if type(attribute_map) is not dict or "additional_properties" in attribute_map or cls.is_xml_model():
            return False
        keys = [desc["key"] for desc in attribute_map.values()]
        if len(set(keys)) != len(keys):
            return False
        return all(
            type(key) is str and key and "." not in key and "\\" not in key
            and type(desc["type"]) is str and "xml" not in desc
            for key, desc in zip(keys, attribute_map.values())
        )
    except Exception:  # noqa: BLE001 - anything odd about the class: msrest handles it
        return False


_PLANS: dict[type, _Plan | None] = {}


def _plan(cls: type) -> _Plan | None:
    """The cached plan of a plain model class, None for anything else.

    Rebuilt if the class's ``_attribute_map`` was replaced or grew (msrest's
    ``enable_additional_properties_sending`` adds an entry in place).
    """
    plan = _PLANS.get(cls, _SKIP)
    if plan is not _SKIP:
        if plan is None or (plan.attribute_map is cls._attribute_map and len(plan.attribute_map) == plan.size):
            return plan
    plan = _Plan(cls) if isinstance(cls, type) and issubclass(cls, Model) and _plain(cls) else None
    _PLANS[cls] = plan
    return plan


# -- serialising -----------------------------------------------------------------------------

_KW = {"keep_readonly": False, "is_xml": False}


def _msrest_value(value: Any, type_name: str, desc: dict, missing: Any) -> Any:
    """msrest's ``serialize_data`` for one value, with the handling of its caller (``_serialize``,
    ``serialize_iter``, ``serialize_dict``): a plain ValueError means "no value" (``missing``)."""
    try:
        return SERIALIZER.serialize_data(value, type_name, serialization_ctxt=desc, **_KW)
    except SerializationError:
        raise
    except ValueError:
        return missing


def _iso(value: datetime) -> str | None:
    """``Serializer.serialize_iso`` for a ``datetime``; None where msrest should decide (errors)."""
    try:
        utc = value.utctimetuple()
        year = utc[0]
        if year > 9999 or year < 1:
            return None
        micro = value.microsecond
        fraction = str(micro).rjust(6, "0").rstrip("0").ljust(3, "0") if micro else "000"
        naive = not value.tzinfo
    except Exception:  # noqa: BLE001 - msrest raises its own error for these
        return None
    if naive:
        _MSREST_LOG.warning("Datetime with no tzinfo will be considered UTC.")
    return "%04d-%02d-%02dT%02d:%02d:%02d.%sZ" % (year, utc[1], utc[2], utc[3], utc[4], utc[5], fraction)


def _key(key: Any) -> Any:
    return key if type(key) is str else Serializer.serialize_unicode(key)


def _object(value: Any) -> Any:
    """``Serializer.serialize_object``: JSON values as they are, nested containers copied."""
    kind = type(value)
    if kind is str or kind is int or kind is float or kind is bool or value is None:
        return value
    if kind is dict:
        out = {}
        for key, item in value.items():
            try:
                out[_key(key)] = _object(item)
            except ValueError:
                out[_key(key)] = None
        return out
    if kind is list:
        items = []
        for item in value:
            try:
                items.append(_object(item))
            except ValueError:
                pass
        return items
    if kind is datetime:
        text = _iso(value)
        if text is not None:
            return text
    else:
        out = _plain_model(value)
        if out is not _NOT_PLAIN:
            return out
    return SERIALIZER.serialize_object(value, **_KW)


_NOT_PLAIN = object()


def _plain_model(value: Any) -> Any:
    """``value`` as a plain model's JSON, or ``_NOT_PLAIN`` when msrest must decide (and raise)."""
    plan = _plan(type(value))
    if plan is None:
        return _NOT_PLAIN
    try:
        return _model(value, plan)
    except Exception:  # noqa: BLE001 - msrest decides (and raises) for this model
        return _NOT_PLAIN


def _value(value: Any, parsed: tuple, desc: dict, missing: Any) -> Any:
    """``serialize_data(value, type)`` for a value that is not None."""
    kind = parsed[0]
    cls = type(value)
    if cls is _SAME_BOTH_WAYS.get(kind):
        return value
    if kind == _STR:
        if isinstance(value, Enum):
            return value.value
    elif kind == _MODEL:
        out = _plain_model(value)
        if out is not _NOT_PLAIN:
            return out
    elif kind == _OBJ:
        try:
            return _object(value)
        except Exception:  # noqa: BLE001 - msrest decides (and raises)
            pass
    elif kind == _LIST:
        if cls is list:
            inner = parsed[2]
            return [None if item is None else _value(item, inner, desc, None) for item in value]
    elif kind == _DICT:
        if cls is dict:
            inner = parsed[2]
            out = {}
            for key, item in value.items():
                out[_key(key)] = None if item is None else _value(item, inner, desc, None)
            return out
    elif kind == _ISO:
        if cls is datetime:
            text = _iso(value)
            if text is not None:
                return text
    return _msrest_value(value, parsed[1], desc, missing)


def _model(obj: Any, plan: _Plan) -> dict[str, Any]:
    """``Serializer._serialize(obj)`` for a plain model (readonly attributes are never sent)."""
    out = {}
    for (key, parsed, desc), value in zip(plan.ser, plan.values(obj)):
        if value is None:
            continue
        if type(value) is str and (parsed[0] == _STR or parsed[0] == _OBJ):
            out[key] = value
            continue
        value = _value(value, parsed, desc, _SKIP)
        if value is not _SKIP:
            out[key] = value
    return out


def serialise(model: Any) -> Any:
    """The JSON dict msrest's ``Serializer(SCHEMA_MODELS)._serialize(model, keep_readonly=False)`` gives."""
    plan = _plan(type(model))
    if plan is not None:
        try:
            return _model(model, plan)
        except Exception:  # noqa: BLE001 - msrest decides (and raises)
            pass
    return SERIALIZER._serialize(model, keep_readonly=False)  # noqa: SLF001


# -- deserialising ---------------------------------------------------------------------------

# Timestamps as Teams sends them ("2026-04-28T08:00:00.1234567Z", "...+02:00"); anything else is
# parsed by msrest (``Deserializer.deserialize_iso``: upper-cased, fraction cut to 6 digits, then
# ``isodate.parse_datetime``).
_ISO_RE = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]+))?"
    r"(?:(Z)|(([+-])([0-9]{2})(?::?([0-9]{2}))?))?"
)


def _timestamp(text: str) -> datetime:
    text = text.upper()
    match = _ISO_RE.fullmatch(text)
    if match is None:
        raise _Unusual
    year, month, day, hour, minute, second, fraction, utc, offset, sign, off_hours, off_minutes = match.groups()
    micro = int(fraction[:6].ljust(6, "0")) if fraction else 0
    if utc:
        tz = _ISODATE_UTC
    elif offset:
        hours, minutes = int(off_hours), int(off_minutes or 0)
        if sign == "-":
            hours, minutes = -hours, -minutes
        tz = _IsodateFixedOffset(hours, minutes, offset)
    else:
        tz = None
    # isodate reads month "00" as January (``int(month) or defaultmonth``).
    value = datetime(int(year), int(month) or 1, int(day), int(hour), int(minute), int(second), micro, tz)
    if offset:
        utc_year = value.utctimetuple()[0]
        if utc_year > 9999 or utc_year < 1:
            raise _Unusual
    return value


def _dobject(value: Any) -> Any:
    """``Deserializer.deserialize_object`` for JSON values: copied containers, scalars as they are."""
    kind = type(value)
    if kind is str or kind is int or kind is float or kind is bool or value is None:
        return value
    if kind is dict:
        return {key: _dobject(item) for key, item in value.items()}
    if kind is list:
        return [_dobject(item) for item in value]
    raise _Unusual


def _dvalue(value: Any, parsed: tuple) -> Any:
    """``deserialize_data(value, type)`` for a value that is not None."""
    kind = parsed[0]
    cls = type(value)
    if cls is _SAME_BOTH_WAYS.get(kind):
        return value
    if kind == _MODEL:
        if cls is dict and parsed[2] is not None:
            plan = _plan(parsed[2])
            if plan is not None and plan.deser_ok:
                return _dmodel(value, plan)
    elif kind == _OBJ:
        return _dobject(value)
    elif kind == _ISO:
        if cls is str:
            return _timestamp(value)
    elif kind == _LIST:
        if cls is list:
            inner = parsed[2]
            return [None if item is None else _dvalue(item, inner) for item in value]
    elif kind == _DICT:
        if cls is dict:
            inner = parsed[2]
            return {key: None if item is None else _dvalue(item, inner) for key, item in value.items()}
    raise _Unusual


def _dmodel(data: dict, plan: _Plan) -> Any:
    kwargs = plan.none_kwargs.copy()
    by_key = plan.by_key
    unknown = False
    for key, raw in data.items():
        field = by_key.get(key)
        if field is None:
            unknown = True
        elif raw is not None:
            attr, parsed = field
            if type(raw) is str and parsed[0] == _STR:
                kwargs[attr] = raw
            else:
                kwargs[attr] = _dvalue(raw, parsed)
    if plan.excluded:
        values = kwargs
        kwargs = {k: v for k, v in values.items() if k not in plan.excluded}
        obj = plan.cls(**kwargs)
        for attr in plan.readonly:
            setattr(obj, attr, values.get(attr))
    else:
        obj = plan.cls(**kwargs)
    if unknown:
        obj.additional_properties = {key: data[key] for key in set(data.keys()) - plan.known}
    return obj


def deserialise(body: Any, model: type = Activity) -> Any:
    """What msrest's ``Deserializer(SCHEMA_MODELS)(model.__name__, body)`` gives (or raises)."""
    if type(body) is dict:
        plan = _plan(model)
        if plan is not None and plan.deser_ok:
            try:
                return _dmodel(body, plan)
            except Exception:  # noqa: BLE001 - unusual or malformed: msrest decides (and raises)
                pass
    return DESERIALIZER(model.__name__, body)
