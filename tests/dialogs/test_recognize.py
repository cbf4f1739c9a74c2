"""What people type, and what the one recogniser makes of it (``dialogs.recognize``).

The dialog tests show these readings at work in the conversation; this table keeps the words
themselves in view, so a change to the word lists shows which everyday answer it breaks.
"""

from __future__ import annotations

import pytest

from dialogs.recognize import Kind, Reading, read, scope_in, work_in, yes_no

YES = ["ja", "Ja!", "ja hoor", "jaa", "jaaa", "jep", "jazeker", "klopt", "👍", "👍🏽", "yes", "yeah", "zeker weten", "ja, het werkt weer"]
NO = ["nee", "nee hoor", "neee", "nog niet", "werkt nog steeds niet", "het werkt nog niet", "niet echt", "👎", "no", "not yet"]
THANKS = ["bedankt!", "dank je", "dank je wel", "dankjewel", "thanks", "thank you", "hoi, bedankt!", "🙏"]
OK = ["ok", "oké", "okay", "top", "prima", "Oké, bedankt", "👌"]
GREETINGS = ["hoi", "Hallo!", "goedemorgen", "hello", "good morning"]
SMALL_TALK = ["hello, can you help me?", "kun je me helpen?", "Hoi, kun je me even helpen?", "ik heb een vraag", "hoe gaat het?", "test"]
DONT_KNOW = ["weet ik niet", "Weet ik niet.", "geen idee", "ik weet het niet", "dat weet ik echt niet", "I don't know", "no idea", "nee, weet ik niet"]
DESCRIPTIONS = [
    "mijn laptop start niet op", "hoi, de printer geeft een papierstoring", "ik heb een probleem met mijn laptop",
    "ik weet het wachtwoord niet meer", "geen internet op de tweede verdieping", "nee, de printer piept nog steeds",
]


READINGS = [
    *((text, Kind.YES, True) for text in YES),
    *((text, Kind.NO, False) for text in NO),
    *((text, Kind.OK, True) for text in OK),  # agreement, to a question
    *((text, Kind.THANKS, None) for text in THANKS),
    *((text, Kind.GREETING, None) for text in GREETINGS),
    *((text, Kind.SMALL_TALK, None) for text in SMALL_TALK),  # no problem description
    *((text, Kind.DONT_KNOW, None) for text in DONT_KNOW),  # never yes or no
]


@pytest.mark.parametrize(("text", "kind", "answer"), READINGS)
def test_everyday_answers_read_as_meant(text, kind, answer):
    assert read(text).kind is kind and yes_no(text) is answer


@pytest.mark.parametrize(("text", "number"), [("8", 8), ("een 8", 8), ("acht", 8), ("8/10", 8), ("ik geef een 7", 7), ("10 van de 10", 10), ("tien", 10)])
def test_scores_as_people_type_them(text, number):
    assert read(text) == read(str(number)) and read(text).number == number


@pytest.mark.parametrize("text", ["2 teams", "acht uur"])
def test_a_number_with_more_is_not_a_score(text):
    assert read(text).kind is not Kind.NUMBER


@pytest.mark.parametrize("text", ["8,5", "een 7.5", "6,5/10"])
def test_a_score_with_a_fraction_is_a_number_that_needs_a_whole_one(text):
    """The scales are whole numbers (the cards' buttons): "8,5" is asked again, never rounded."""
    assert read(text) == Reading(Kind.NUMBER, number=None)


@pytest.mark.parametrize("text", ["geen enquêtes", "Geen enquetes meer!", "stop met enquêtes", "ik wil geen vragenlijsten",
                                  "liever geen enquêtes", "enquêtes uit"])
def test_no_surveys_in_the_ways_people_say_it(text):
    assert read(text).kind is Kind.NO_SURVEYS


@pytest.mark.parametrize("text", ["wel enquêtes", "weer enquêtes graag", "ik wil weer enquêtes ontvangen", "enquêtes aan"])
def test_surveys_again_in_the_ways_people_say_it(text):
    assert read(text).kind is Kind.SURVEYS


@pytest.mark.parametrize("text", ["geen idee", "de enquête van vorige week ging niet open", "nee"])
def test_other_messages_about_surveys_are_not_an_opt_out(text):
    assert read(text).kind not in (Kind.NO_SURVEYS, Kind.SURVEYS)


@pytest.mark.parametrize("text", DESCRIPTIONS)
def test_a_message_that_says_more_may_be_a_description(text):
    assert read(text).more


@pytest.mark.parametrize("text", ["nee, ik kan nog niet verder met mijn werk", "ja hoor, het werkt weer", "nee, het lukt nog niet"])
def test_an_answer_that_echoes_the_question_says_nothing_more(text):
    assert not read(text).more


@pytest.mark.parametrize(
    ("description", "scope"),
    [
        ("mijn hele team heeft er last van", "mijn_team"),
        ("ons team kan niet printen", "mijn_team"),
        ("de printers op drie scholen printen niets meer", "meerdere_teams"),
        ("Teams werkt bij niemand", "iedereen"),
        ("alleen bij mij doet outlook raar", "alleen_ik"),
        ("collega's hebben er geen last van", "alleen_ik"),
        ("ik moet mijn team bellen maar mijn telefoon is stuk", None),
        ("mijn laptop start niet op", None),
    ],
)
def test_who_is_affected_is_read_from_a_plain_description(description, scope):
    assert scope_in(description) == scope


@pytest.mark.parametrize(
    ("description", "work"),
    [
        ("mijn laptop is kapot, ik kan niet werken", "nee"),
        ("ik kan hierdoor helemaal niet werken", "nee"),
        ("we kunnen niet werken", "nee"),
        ("ik kan niet inloggen", None),
        ("ik kan gewoon doorwerken op een leenlaptop", None),
    ],
)
def test_cannot_work_is_read_from_a_plain_description(description, work):
    assert work_in(description) == work
