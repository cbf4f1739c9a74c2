"""The mapping file is checked when it is read: a mistake is one message naming the key."""

from __future__ import annotations

import tomllib

import pytest

from itsm.mapping import MappingError, load_mapping, parse_mapping
from tests.itsm.desk import EXAMPLE_MAPPING


def example() -> dict:
    return tomllib.loads(EXAMPLE_MAPPING.read_text(encoding="utf-8"))


def test_the_documented_example_maps_every_word_both_ways():
    mapping = load_mapping(EXAMPLE_MAPPING)
    assert mapping.priority_of("p2 hoog") == "P2"  # as TOPdesk's screens show it, any case
    assert mapping.priority_of("Onbekend") is None
    assert mapping.category_of("Werkplek", "Printer") == "printer"
    assert mapping.category_of("Werkplek", "Beeldscherm") == "overig"
    assert mapping.category_of("Netwerk", "Wifi") == "netwerk"
    assert (mapping.channel_of("Telefonisch"), mapping.channel_of("Teams"), mapping.channel_of("Chat")) == ("telefoon", "teams", None)
    assert mapping.is_waiting("Wacht op leverancier") and not mapping.is_waiting("Wacht op gebruiker")
    assert mapping.line_of("Werkplekbeheer") == "2"
    assert (mapping.external_number("M-12"), mapping.ticket_label("M-12")) == ("M-12", "M-12")


def test_a_prefix_keeps_one_organisations_ticket_numbers_apart_from_anothers():
    document = example()
    document["new"]["external_prefix"] = "HALT-"
    mapping = parse_mapping(document)
    assert mapping.external_number("M-12") == "HALT-M-12"
    assert (mapping.ticket_label("HALT-M-12"), mapping.ticket_label("M-12"), mapping.ticket_label(None)) == ("M-12", None, None)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("priorities"), "priorities.P1 is missing"),
        (lambda d: d["priorities"].pop("P3"), "priorities.P3 is missing: every priority P1..P4 needs the system's terms"),
        (lambda d: d["categories"].pop("overig"), "categories.overig is missing"),
        (lambda d: d["categories"].update(schoenen={"category": "Schoenen"}), "categories.schoenen is not a known key"),
        (lambda d: d["channels"].update(Fax="Fax!"), "channels.'Fax': 'Fax!' must be a short lower-case word"),
        (lambda d: d["new"].pop("entry_type"), "new.entry_type is missing"),
        (lambda d: d["new"].update(caller_lookup="email"), "new.caller_lookup must be one of networkLoginName"),
        (lambda d: d["import"].update(lookback_days=-1), "import.lookback_days must be a whole number of days"),
        (lambda d: d.update(extra={}), "unknown section [extra]"),
    ],
)
def test_a_mistake_is_named_by_its_key(change, message):
    document = example()
    change(document)
    with pytest.raises(MappingError) as raised:
        parse_mapping(document)
    assert message in str(raised.value)


def test_a_missing_or_broken_file_names_the_file(tmp_path):
    with pytest.raises(MappingError, match="not found"):
        load_mapping(tmp_path / "nope.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text("[priorities\n", encoding="utf-8")
    with pytest.raises(MappingError, match=f"mapping file {broken} cannot be read"):
        load_mapping(broken)
