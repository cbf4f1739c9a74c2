"""Reading what employees type: one recogniser for every question and for the chat around them.

Employees type on phones, in a hurry, mostly in Dutch and sometimes in English: "ja hoor", "jaa",
"👍", "klopt", "nee hoor", "nog niet", "een 8", "acht", "8/10", "bedankt!", "ok", "weet ik niet",
"hello, can you help me?". ``read`` says what a message is: yes, no, agreement ("ok", "top"),
thanks, a greeting, small talk, "I don't know", a number (a whole one: "8,5" is read as a number
that needs a whole one), "geen enquêtes" / "wel enquêtes" (the experience surveys), or something else (an answer to a
choice, or a description of a problem). Every question of the conversation, the closing questions
after a resolution and the chat outside them read messages through it, so "ja hoor" is yes
everywhere and "weet ik niet" is never taken for an answer.

Yes and no are read the way people answer a question: the first word decides ("nee, ik kan niet
werken"), and a few phrases decide wherever they stand ("het werkt nog niet"). ``Reading.more``
says whether the message says more than its answer ("nee, de printer piept nog steeds"): outside a
question such a message may be a description.

The Teams client's locale does not matter: answers are read as Dutch, with the common English
words accepted as a courtesy (an English client still gets Dutch questions).

``scope_in`` and ``work_in`` find the answers a first description already gives ("mijn hele
team heeft er last van", "ik kan niet werken"), so the intake confirms them instead of asking.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass
from typing import Sequence

_EMOJI = {"👍": " ja ", "👎": " nee ", "👌": " ok ", "🙏": " bedankt ", "✅": " ja ", "❌": " nee "}
_EMOJI_MODIFIERS = re.compile("[\U0001F3FB-\U0001F3FF\uFE0F]")  # skin tones, presentation selector


def normalise(text: str | None) -> str:
    """Lower case, accents folded, a few emoji as words, apostrophes dropped ("don't" is "dont",
    "collega's" is "collegas"), other punctuation and emoji dropped, single spaces."""
    if not text:
        return ""
    text = _EMOJI_MODIFIERS.sub("", text)
    for emoji, word in _EMOJI.items():
        text = text.replace(emoji, word)
    folded = unicodedata.normalize("NFKD", text.lower())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    folded = re.sub(r"['’`]", "", folded)
    folded = re.sub(r"[^a-z0-9@+ ]+", " ", folded)
    return " ".join(folded.split())


class Kind(enum.Enum):
    YES = "yes"
    NO = "no"
    OK = "ok"  # "ok", "prima", "top": agreement to a question; outside one, a thank-you
    THANKS = "thanks"
    GREETING = "greeting"
    SMALL_TALK = "small_talk"
    DONT_KNOW = "dont_know"
    NUMBER = "number"  # ``number`` None: a number that is not whole ("8,5"); ask for a whole one
    NO_SURVEYS = "no_surveys"  # "geen enquêtes": not asked for the experience surveys again
    SURVEYS = "surveys"  # "wel enquêtes": asked again
    OTHER = "other"


@dataclass(frozen=True)
class Reading:
    kind: Kind
    number: int | None = None  # for NUMBER
    more: bool = False  # the message says more than its answer


# Commands, as ``normalise`` leaves them: the whole message is the command.
# In the personal chat (dialogs.conversation):
HELP_COMMAND_WORDS = frozenset({"help", "hulp", "wat kan je", "wat kun je", "helpen", "menu"})
STOP_COMMAND_WORDS = frozenset({"stop", "annuleer", "annuleren", "cancel", "stoppen", "laat maar", "afbreken", "stop maar"})
NEW_TICKET_COMMAND_WORDS = frozenset({"nieuwe melding", "melding", "melden", "storing melden", "nieuw", "melding maken", "storing"})
MY_TICKETS_COMMAND_WORDS = frozenset({"mijn meldingen", "meldingen", "mijn tickets", "mijn melding", "overzicht"})
# In the servicedesk channel (bot.teams_bot): the announcement form.
ANNOUNCE_COMMAND_WORDS = frozenset({"aankondiging", "nieuwe aankondiging"})

_YES = {
    "ja", "jawel", "jazeker", "zeker", "klopt", "correct", "inderdaad", "natuurlijk", "uiteraard",
    "absoluut", "graag", "yes", "yep", "yup", "yeah", "jep", "jup", "j", "y", "sure",
}
_YES_STRETCHED = re.compile(r"^(?:j+a+h?|ye+s+|je+p+)$")  # "jaa", "jaaah", "yess"
_NO = {"nee", "neen", "neej", "nope", "no", "n", "niet", "neuh", "nah", "nooit", "geen", "never"}
_NO_STRETCHED = re.compile(r"^(?:ne+j?|no+)$")
# Decide wherever they stand: "ik heb nog niet geklikt", "het werkt nog steeds niet".
_NO_PHRASES = (
    "nog niet", "helaas niet", "zeker niet", "niet echt", "absoluut niet", "liever niet", "nog steeds niet",
    "not yet", "still not",
)
# Decide only as the whole message: "werkt niet" may also start a description.
_NO_WHOLE = {"werkt niet", "werkt het niet", "doet het niet", "nog steeds kapot", "nog kapot", "doesnt work", "still broken"}
_OK = {
    "ok", "oke", "okay", "okey", "okee", "oki", "okido", "okidoki", "k", "kk", "prima", "top", "goed", "akkoord",
    "super", "mooi", "fijn", "perfect", "cool", "great", "nice", "alright",
}
_THANKS = {"bedankt", "dank", "dankje", "dankjewel", "dankuwel", "thanks", "thank", "thx", "tnx", "merci", "bedankjes"}
_GREETINGS = {
    "hoi", "hallo", "hey", "hee", "hai", "hi", "hello", "goedemorgen", "goedemiddag", "goedenavond", "dag",
    "morgen", "yo", "heey", "hoii", "good", "morning", "afternoon", "evening",
}
# Words that add nothing to an answer: "ja hoor", "nee dank je", "top, bedankt voor je hulp".
# Echoes of the question count as filler too: "nee, ik kan nog niet verder met mijn werk".
_FILLER = {
    "hoor", "je", "jij", "u", "wel", "dat", "is", "het", "heel", "erg", "echt", "nou", "toch", "zo", "even",
    "voor", "hulp", "de", "alles", "helemaal", "gewoon", "maar", "dus", "dan", "hoi", "hallo", "you",
    "very", "much", "so", "a", "lot", "it", "works", "werkt", "weer", "nog", "steeds", "kan", "ik", "helaas",
    "sorry", "al", "eens", "zeker", "verder", "werken", "werk", "mijn", "met", "meer", "lukt", "doet",
}
# Polite words around small talk: "hallo, kun je me even helpen alsjeblieft?"
_POLITE = {"even", "alsjeblieft", "alstublieft", "aub", "svp", "please", "pls", "ff", "misschien", "eens", "nog"}
_SMALL_TALK = {
    "kun je me helpen", "kan je me helpen", "kunt u me helpen", "kun jij me helpen", "kan jij me helpen",
    "kun je mij helpen", "kan je mij helpen", "kunt u mij helpen", "kun jij mij helpen", "wil je me helpen",
    "wil je mij helpen", "help me", "help mij", "ik heb hulp nodig", "ik wil hulp", "hulp nodig",
    "ik heb een vraag", "ik heb een probleem", "ik heb een storing", "hoe gaat het", "hoe gaat het met je",
    "hoe gaat het met jou", "hoe is het", "hoe is het met je", "alles goed", "alles goed met je", "wie ben je",
    "wie ben jij", "wat ben je", "wat ben jij", "ben je een robot", "ben jij een robot", "ben je een bot",
    "ben jij een bot", "ben je een mens", "ben jij een mens", "ben je er", "ben je daar", "is daar iemand",
    "is er iemand", "test", "testje", "testen", "dit is een test",
    "can you help me", "can you help", "could you help me", "can u help me", "help me please", "i need help",
    "i have a question", "i have a problem", "how are you", "who are you", "what are you", "are you a bot",
    "are you a robot", "are you human", "anyone there", "is anyone there", "testing",
}
_DONT_KNOW = {
    "weet ik niet", "weet niet", "ik weet het niet", "ik weet niet", "weet ik het", "weet ik veel",
    "weet ik het niet", "weet ik niet zeker", "ik weet het niet zeker", "weet ik nog niet", "ik weet het nog niet",
    "niet zeker", "geen idee",
    "geen flauw idee", "geen benul", "geen flauw benul", "ik heb geen idee", "onbekend", "kan ik niet zeggen",
    "idk", "i dont know", "dont know", "i do not know", "no idea", "not sure", "im not sure",
}
_DONT_KNOW_FILLER = {"dat", "hoor", "eigenlijk", "echt", "helaas", "nou", "zo", "precies", "sorry", "ook", "eh",
                     "uh", "uhm", "ehm", "hmm", "pff", "nee", "no", "nog", "even", "really"}

_NUMBER_WORDS = {
    "een": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7, "acht": 8, "negen": 9, "tien": 10,
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}
# "een 8", "ik geef een 8", "cijfer 7", "nummer 2"; then "8", "acht"; then "/10", "uit 10", "van de 10".
_NUMBER = re.compile(
    r"^(?:(?:ik|geef|je|een|n|het|cijfer|score|nummer|optie|keuze|is|dan|maar|nou|i|give|a|number|option) )*"
    r"(?P<n>\d{1,2}|" + "|".join(_NUMBER_WORDS) + r")"
    r"(?: (?:10|tien|uit 10|van de 10|op 10|out of 10|of 10))?(?: (?:hoor|punten|points))?$"
)


# A score with a fraction ("8,5", "een 7.5"): a number, but the scales here are whole numbers.
_FRACTION = re.compile(r"^\s*(?:(?:een|n|ik geef een)\s+)?\d{1,2}\s*[.,]\s*\d{1,2}\s*(?:/\s*10)?\s*[.!]?\s*$", re.IGNORECASE)
_SURVEY_WORDS = r"(?:enquetes?|enquete s|vragenlijst(?:en)?|surveys?|belevingsmeting(?:en)?)"
_NO_SURVEYS = re.compile(
    rf"^(?:ik wil )?(?:(?:geen|stop(?: met)?|nooit meer|niet meer|liever geen) (?:de |die )?{_SURVEY_WORDS}"
    rf"|{_SURVEY_WORDS} (?:uit|stop|nee|uitzetten))(?: meer)?(?: aub| alsjeblieft| graag| bedankt)?$"
)
_SURVEYS = re.compile(
    rf"^(?:ik wil )?(?:(?:wel|weer) (?:de )?{_SURVEY_WORDS}(?: ontvangen| krijgen)?|{_SURVEY_WORDS} (?:aan|aanzetten))"
    rf"(?: aub| alsjeblieft| graag)?$"
)


def _number(words: str) -> int | None:
    match = _NUMBER.match(words)
    if match is None:
        return None
    found = match.group("n")
    return int(found) if found.isdigit() else _NUMBER_WORDS[found]


def _is_yes(token: str) -> bool:
    return token in _YES or bool(_YES_STRETCHED.match(token))


def _is_no(token: str) -> bool:
    return token in _NO or bool(_NO_STRETCHED.match(token))


_ANSWER_WORDS = (
    _YES | _NO | _OK | _THANKS | _FILLER
    | {word for phrase in (*_NO_PHRASES, *_NO_WHOLE) for word in phrase.split()}
)


def _more(tokens: Sequence[str]) -> bool:
    return any(not (t in _ANSWER_WORDS or _is_yes(t) or _is_no(t)) for t in tokens)


def read(text: str | None) -> Reading:
    """What this message is, read as an answer to a question (see the module docstring)."""
    words = normalise(text)
    if not words:
        return Reading(Kind.OTHER)
    tokens = words.split()
    if _NO_SURVEYS.match(words):
        return Reading(Kind.NO_SURVEYS)
    if _SURVEYS.match(words):
        return Reading(Kind.SURVEYS)
    if _FRACTION.match(text or ""):
        return Reading(Kind.NUMBER, number=None)
    if words in _DONT_KNOW or " ".join(t for t in tokens if t not in _DONT_KNOW_FILLER) in _DONT_KNOW:
        return Reading(Kind.DONT_KNOW)
    number = _number(words)
    if number is not None:
        return Reading(Kind.NUMBER, number=number)
    if words in _NO_WHOLE or any(f" {phrase} " in f" {words} " for phrase in _NO_PHRASES):
        return Reading(Kind.NO, more=_more(tokens))
    first = tokens[0]
    if _is_no(first):
        return Reading(Kind.NO, more=_more(tokens))
    if _is_yes(first):
        return Reading(Kind.YES, more=_more(tokens))
    if first in _OK:
        return Reading(Kind.OK, more=_more(tokens))
    if first in _THANKS:
        return Reading(Kind.THANKS, more=_more(tokens))
    rest = tokens
    while rest and rest[0] in _GREETINGS:
        rest = rest[1:]
    if not rest:
        return Reading(Kind.GREETING)
    phrase = " ".join(t for t in rest if t not in _POLITE)
    if phrase in _SMALL_TALK:
        return Reading(Kind.SMALL_TALK)
    if rest is not tokens and (rest[0] in _THANKS or rest[0] in _OK) and not _more(rest):
        return Reading(Kind.THANKS)  # "hoi, bedankt!"
    return Reading(Kind.OTHER, more=True)


def yes_no(text: str | None) -> bool | None:
    """True for yes (or agreement: "ok", "prima"), False for no, None when it is neither."""
    kind = read(text).kind
    if kind in (Kind.YES, Kind.OK):
        return True
    if kind is Kind.NO:
        return False
    return None


@dataclass(frozen=True)
class Choice:
    value: str
    title: str
    synonyms: tuple[str, ...] = ()


def choice(text: str | None, choices: Sequence[Choice]) -> str | None:
    """The chosen value: by number ("2", "twee"), by title, or by a synonym contained in the answer."""
    words = normalise(text)
    if not words:
        return None
    number = _number(words)
    if number is not None:
        return choices[number - 1].value if 1 <= number <= len(choices) else None
    for option in choices:
        if words in (normalise(option.title), normalise(option.value)):
            return option.value
    matches = [
        option.value
        for option in choices
        if any(re.search(rf"\b{re.escape(normalise(s))}\b", words) for s in (option.title, *option.synonyms) if normalise(s))
    ]
    return matches[0] if len(set(matches)) == 1 else None


_PHONE = re.compile(r"^\+?[0-9][0-9 ()-]{7,18}[0-9]$")


def phone_number(text: str | None) -> str | None:
    """A phone number as typed (Dutch mobile, landline or international), cleaned of spaces."""
    if not text:
        return None
    candidate = text.strip()
    if not _PHONE.match(candidate):
        return None
    digits = re.sub(r"[^0-9+]", "", candidate)
    return digits if 10 <= len(digits.lstrip("+")) <= 15 else None


# -- answers a first description already gives --------------------------------------------------
# Only plain statements count; whatever is taken is told to the employee and shown on the summary,
# where it can be changed. Values are the intake's scope values (dialogs.texts.SCOPE_CHOICES).
_AFFECTED = r"(?=.*\b(?:last|ook|niet|geen|kapot|probleem|problemen|storing)\b)"
_SCOPE_PATTERNS = (
    ("alleen_ik", re.compile(
        r"\balleen (?:ik|mij|bij mij|ikzelf|mijn)\b|\bbij mij alleen\b|\bcollegas (?:hebben (?:er )?geen|niet)\b"
        r"|\bbij (?:mijn )?collegas (?:werkt|doet) het wel\b|\bonly (?:me|mine|my)\b"
    )),
    ("iedereen", re.compile(
        r"\b(?:iedereen|bij niemand|voor niemand|niemand kan|niemand kon|de hele organisatie|heel de organisatie"
        r"|alle collegas|alle medewerkers|alle locaties|alle scholen|alle vestigingen|overal|everyone|nobody can)\b"
    )),
    ("meerdere_teams", re.compile(
        r"\b(?:meerdere|verschillende|diverse|andere|twee|drie|vier|vijf|\d+) "
        r"(?:teams|afdelingen|locaties|scholen|vestigingen|kantoren|regios)\b|\bseveral (?:teams|offices|locations)\b"
    )),
    ("mijn_team", re.compile(
        r"\b(?:(?:mijn|ons|onze) (?:hele )?|(?:het|de) hele )(?:team|afdeling)\b" + _AFFECTED
        + r"|\b(?:mijn |onze |de |alle )?collegas\b" + _AFFECTED
        + r"|\bheel het team\b|\b(?:my|our) (?:whole )?team\b"
    )),
)
_CANNOT_WORK = re.compile(
    r"\bkan (?:(?:helemaal|dus|nu|echt|daardoor|hierdoor|totaal|gewoon) )*(?:niet|niks|niets|geen) (?:meer )?"
    r"(?:werken|verder|doorwerken)\b"
    r"|\bkan (?:(?:helemaal|dus|nu|echt|daardoor|hierdoor|totaal|gewoon) )*(?:niks|niets) (?:meer )?doen\b"
    r"|\bkan mijn werk niet (?:meer )?doen\b|\bkunnen (?:(?:dus|nu|helemaal|daardoor|hierdoor) )*niet (?:meer )?werken\b"
    r"|\b(?:cant|cannot|can not) work\b"
)


def scope_in(description: str | None) -> str | None:
    """Who is affected, when the description says it plainly ("mijn hele team heeft er last van")."""
    words = normalise(description)
    return next((value for value, pattern in _SCOPE_PATTERNS if pattern.search(words)), None)


def work_in(description: str | None) -> str | None:
    """The answer to "Kun je nog werken?" when the description says it plainly: "nee" for "ik kan
    niet werken" (the intake's value, dialogs.texts.WORK_CHOICES)."""
    return "nee" if _CANNOT_WORK.search(normalise(description)) else None
