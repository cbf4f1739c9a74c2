"""Dialog state to and from its stored JSON document, in jsonpickle's format, without its generic walk.

The conversation state holds plain JSON values and two botbuilder classes, ``DialogState`` and
``DialogInstance``. jsonpickle handles any Python object, and pays for it: restoring the state at
the intake's summary took about 0.2 ms and flattening it about 0.15 ms, on every turn. Here the
common case is converted directly, producing and reading exactly what jsonpickle does
(``{"py/object": "botbuilder.dialogs.dialog_state.DialogState", "_dialog_stack": [...]}``); any
other shape (a tuple, a set, another class, a non-string key, one container referenced twice, which
jsonpickle writes as ``py/id``) goes through jsonpickle itself, so stored documents keep their
meaning either way. ``tests/dialogs/test_state_documents.py`` holds jsonpickle as the oracle.
"""

from __future__ import annotations

from typing import Any

from botbuilder.dialogs import DialogInstance, DialogState
from jsonpickle.pickler import Pickler
from jsonpickle.unpickler import Unpickler

_CLASSES: dict[str, type] = {
    f"{cls.__module__}.{cls.__name__}": cls for cls in (DialogState, DialogInstance)
}
_NAMES: dict[type, str] = {cls: name for name, cls in _CLASSES.items()}
_SCALARS = (str, int, float, bool, type(None))
_TAG = "py/"
_ESCAPED = (_TAG, "json://")  # dict keys jsonpickle tags or encodes


class _Unusual(Exception):
    """A shape only jsonpickle knows how to write or read."""


def flatten(value: Any) -> Any:
    """What ``Pickler(keys=True).flatten(value)`` returns."""
    try:
        return _flatten(value, set())
    except _Unusual:
        return Pickler(keys=True, warn=True).flatten(value)


def restore(document: Any) -> Any:
    """What ``Unpickler(keys=True).restore(document)`` returns."""
    try:
        return _restore(document)
    except _Unusual:
        return Unpickler(keys=True).restore(document)


def _flatten(value: Any, seen: set[int]) -> Any:
    kind = type(value)
    if kind in _SCALARS:
        return value
    if id(value) in seen:
        raise _Unusual  # referenced twice: jsonpickle writes a py/id
    seen.add(id(value))
    if kind is dict:
        out = {}
        for key, item in value.items():
            if type(key) is not str or key.startswith(_ESCAPED):
                raise _Unusual
            out[key] = _flatten(item, seen)
        return out
    if kind is list:
        return [_flatten(item, seen) for item in value]
    name = _NAMES.get(kind)
    if name is None:
        raise _Unusual
    out = {"py/object": name}
    for key, item in vars(value).items():
        if key.startswith(_ESCAPED):
            raise _Unusual
        out[key] = _flatten(item, seen)
    return out


def _restore(document: Any) -> Any:
    kind = type(document)
    if kind in _SCALARS:
        return document
    if kind is list:
        return [_restore(item) for item in document]
    if kind is not dict:
        raise _Unusual
    name = document.get("py/object")
    if name is None:
        out = {}
        for key, item in document.items():
            if key.startswith(_ESCAPED):
                raise _Unusual
            out[key] = _restore(item)
        return out
    cls = _CLASSES.get(name)
    if cls is None:
        raise _Unusual
    instance = cls.__new__(cls)
    for key, item in document.items():
        if key == "py/object":
            continue
        if key.startswith(_ESCAPED):
            raise _Unusual
        instance.__dict__[key] = _restore(item)
    return instance
