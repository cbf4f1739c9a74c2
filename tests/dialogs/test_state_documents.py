"""Dialog state documents are exactly jsonpickle's, whichever way they are written or read.

A half-finished intake saved by an older version must read back the same, and a document written
now must mean to jsonpickle what it means here. jsonpickle is the oracle: the direct conversion in
``storage.state_documents`` must produce what it produces, and read back what it reads back.
"""

from __future__ import annotations

import json

from botbuilder.dialogs import DialogInstance, DialogState
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonpickle.pickler import Pickler
from jsonpickle.unpickler import Unpickler

from storage import state_documents

_json_scalars = st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=12)
_keys = st.text(max_size=8)
_json = st.recursive(
    _json_scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(_keys, children, max_size=4),
    max_leaves=20,
)
_odd_values = st.tuples(_json_scalars, _json_scalars) | st.frozensets(st.integers(), max_size=3) | st.dictionaries(st.integers(), _json_scalars, max_size=2)


def _instance(dialog_id: str, state: dict) -> DialogInstance:
    instance = DialogInstance()
    instance.id = dialog_id
    instance.state = state
    return instance


@st.composite
def _conversation_states(draw, values=_json):
    stack = [
        _instance(draw(st.sampled_from(["intake", "question", "aanvulling"])), draw(st.dictionaries(_keys, values, max_size=5)))
        for _ in range(draw(st.integers(0, 3)))
    ]
    state = {"dialog_state": DialogState(stack)}
    if draw(st.booleans()):
        state["e_tag"] = str(draw(st.integers(1, 99)))
    return state


def _jsonpickle_flatten(value):
    return Pickler(keys=True, warn=True).flatten(value)


def _same(a, b) -> bool:
    """Equal as stored: the JSON text, keys in order."""
    return json.dumps(a) == json.dumps(b)


@settings(max_examples=300, deadline=None)
@given(_conversation_states())
def test_a_state_is_written_exactly_as_jsonpickle_writes_it_and_reads_back_the_same(state):
    document = state_documents.flatten(state)
    assert _same(document, _jsonpickle_flatten(state))
    stored = json.loads(json.dumps(document))  # through the database's JSON column
    ours, theirs = state_documents.restore(stored), Unpickler(keys=True).restore(json.loads(json.dumps(document)))
    assert _same(_jsonpickle_flatten(ours), _jsonpickle_flatten(theirs))
    assert type(ours["dialog_state"]) is DialogState
    assert all(type(i) is DialogInstance for i in ours["dialog_state"].dialog_stack)


@settings(max_examples=200, deadline=None)
@given(_conversation_states(values=_json | _odd_values))
def test_tuples_sets_and_number_keys_go_through_jsonpickle_and_mean_the_same(state):
    document = state_documents.flatten(state)
    assert _same(document, _jsonpickle_flatten(state))
    stored = json.loads(json.dumps(document))
    ours, theirs = state_documents.restore(stored), Unpickler(keys=True).restore(json.loads(json.dumps(document)))
    assert _same(_jsonpickle_flatten(ours), _jsonpickle_flatten(theirs))


def test_one_answer_referenced_twice_is_stored_once_and_restored_shared():
    shared = {"description": "printer kapot"}
    state = {"dialog_state": DialogState([_instance("intake", {"answers": shared, "copy": shared})])}
    document = state_documents.flatten(state)
    assert _same(document, _jsonpickle_flatten(state))
    assert "py/id" in json.dumps(document)
    restored = state_documents.restore(json.loads(json.dumps(document)))
    answers = restored["dialog_state"].dialog_stack[0].state
    assert answers["answers"] is answers["copy"]


def test_a_summary_state_as_the_intake_leaves_it_reads_back_with_every_answer():
    state = {
        "dialog_state": DialogState([
            _instance("question", {"question": {"id": "confirm", "kind": "choice", "choices": [{"value": "ja", "title": "Ja"}]}, "misses": 0}),
            _instance("intake", {"answers": {"description": "printer doet het niet meer", "category": "printer"}, "auto": [], "attachments": []}),
        ])
    }
    restored = state_documents.restore(json.loads(json.dumps(state_documents.flatten(state))))
    stack = restored["dialog_state"].dialog_stack
    assert [i.id for i in stack] == ["question", "intake"]
    assert stack[1].state["answers"]["description"] == "printer doet het niet meer"
