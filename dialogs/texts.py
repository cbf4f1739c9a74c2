"""Every Dutch word the product shows, in one place: what the employee reads in the chat, the
servicedesk's and regie's cards, the weekly card and the monthly report (its templates take the
shared words from here), and the names of the codes the SLA layer hands up.

Short sentences, "je", concrete times. Keep the tone calm: people write to us when something is
broken, often minutes before they must teach a class or sit in a hearing.

Two tests keep it so: ``tests/test_copy_home.py`` finds Dutch copy written anywhere else, and
``tests/dialogs/test_copy_reads_at_b1.py`` reads every text here against B1 (at most 20 words a
sentence, "je", no officialese, active voice) and fails on a text no module uses. The words people
*type* are not copy: they live in ``dialogs/recognize.py``.

In this order: the employee's chat (intake, updates, closing questions, the supplier's request text,
escalation names, announcements, surveys); then, under ``# ==`` headers, the servicedesk's ticket
card and regie's notices; the answers to card clicks and the other cards; the weekly card, the
monthly report and the SLA layer's codes in words.

Every function here that puts another person's words (an agent's note or name, an outage's title)
into a message passes them through ``dialogs.plain.markdown``: the message is markdown, their words
are not.
"""

from __future__ import annotations

from datetime import date

from dialogs import plain
from sla import events as ev
from sla.fold import BreachCause
from sla.priority import PriorityReason
from sla.status import TicketStatus

WELCOME = (
    "Hoi! Ik ben de servicedesk-bot. Hier meld je een IT-storing. "
    "Typ **nieuwe melding** of beschrijf meteen je probleem."
)
ASK_DESCRIPTION = "Wat is er aan de hand? Beschrijf het kort in één of twee zinnen."
ASK_DESCRIPTION_WITH_PHOTO = "Ik heb je foto. Ik bewaar hem bij je melding. Wat is er aan de hand? Beschrijf het kort."
DESCRIPTION_TOO_SHORT = "Vertel iets meer, bijvoorbeeld: \"mijn laptop start niet op\"."
ASK_DESCRIPTION_SIMPLER = (
    "Wat zie je gebeuren, of wat lukt er niet? "
    "Bijvoorbeeld: \"ik kan niet inloggen\" of \"de printer geeft een foutmelding\"."
)

# -- the chat around the questions ----------------------------------------------------------------
# When a turn fails on our side (app.py's turn error handler): what was typed is kept.
TURN_FAILED = "Sorry, er ging bij mij iets mis. Probeer het over een minuut opnieuw. Wat je al had ingevuld, bewaar ik."
SMALL_TALK = (
    "Ik ben de servicedesk-bot. Ik help je graag met een IT-probleem. "
    "Wat is er aan de hand? Beschrijf het kort in één of twee zinnen."
)
YOU_ARE_WELCOME = "Graag gedaan!"
THANKS_REPLY = f"{YOU_ARE_WELCOME} Is er nog iets? Beschrijf het gerust."
OK_REPLY = "Oké! Is er nog iets? Beschrijf het gerust, of typ **help**."
NOTHING_ASKED = (
    "Ik heb je nu niets gevraagd. Wil je een storing melden? Beschrijf dan kort wat er aan de hand is. "
    "Typ **help** voor wat ik nog meer kan."
)

# -- intake questions ---------------------------------------------------------------------------
ASK_CATEGORY = "Waar gaat het over? Tik een knop of typ het nummer."
ASK_SECURITY = "Wat is er gebeurd?"
ASK_PHISHING_CLICKED = "Heb je op een link geklikt, een bijlage geopend of je wachtwoord ingevuld?"
ASK_SCOPE = "Wie heeft er last van?"
ASK_WORK = "Kun je nog werken?"
UPLIFT_INTRO = "Drie korte vragen om te bepalen hoe snel we moeten helpen."
UPLIFT_ROLE = (
    "Heb je nu een kritieke rol of een tijdkritische verplichting? "
    "Bijvoorbeeld een les of voorlichting aan een klas, een zitting, een crisisoverleg of woordvoering."
)
UPLIFT_IMPACT = (
    "Heeft dit direct gevolgen voor de continuïteit, de veiligheid, de publieke taak "
    "of de reputatie van de organisatie?"
)
UPLIFT_CANNOT_WORK = "Kun je je taak nu helemaal niet uitvoeren?"
# Asked instead when the answer was "weet ik niet".
UPLIFT_ROLE_SIMPLER = (
    "Moet je vandaag iets doen dat niet kan wachten? Bijvoorbeeld lesgeven, een zitting of een crisisoverleg."
)
UPLIFT_IMPACT_SIMPLER = (
    "Gaat er iets mis als dit niet snel is opgelost? Bijvoorbeeld voor leerlingen, cliënten of de veiligheid."
)
UPLIFT_CANNOT_WORK_SIMPLER = "Kun je nu helemaal niets van je taak doen, ook niet op een andere manier?"
UPLIFT_GRANTED = "Dan krijgt je melding de hoogste prioriteit: P1-uplift (één medewerker)."
ASK_MOTIVATION = "Wat moet je nu doen, en wanneer? Bijvoorbeeld: \"om 10:00 lesgeven aan groep 8\"."
ASK_MOTIVATION_SIMPLER = "Wat moet je vandaag doen dat niet kan wachten? Een paar woorden is genoeg."
ASK_PHONE = "Op welk telefoonnummer ben je nu bereikbaar? De servicedesk belt je bij P1 op."
PHONE_NOT_RECOGNISED = "Dat herken ik niet als telefoonnummer. Typ het zo: 06 12345678 of +31 6 12345678."
PHONE_SKIPPED = "Ik ga verder zonder telefoonnummer. De servicedesk zoekt je op via Teams."

YES = "Ja"
NO = "Nee"

# Choices: (value, title on the button, words that also pick it). Numbers work too ("2").
# Titles stay short: a phone shows about 30 characters on a button before it cuts them off.
CATEGORY_CHOICES = (
    ("laptop", "Laptop of computer", ("laptop", "computer", "pc", "scherm", "beeldscherm", "toetsenbord", "muis", "docking", "dockingstation")),
    ("telefoon", "Telefoon", ("telefoon", "mobiel", "mobieltje", "smartphone", "iphone", "samsung", "gsm")),
    ("m365", "Microsoft 365 (Teams, Outlook)", ("microsoft", "365", "m365", "office", "teams", "outlook", "mail", "email", "e mail", "sharepoint", "onedrive", "word", "excel", "agenda")),
    ("netwerk", "Netwerk, VPN of wifi", ("netwerk", "vpn", "wifi", "wi fi", "internet", "verbinding", "wlan")),
    ("account", "Account of wachtwoord", ("account", "wachtwoord", "mfa", "inloggen", "authenticator", "2fa", "geblokkeerd", "password")),
    ("beveiliging", "Beveiliging of datalek", ("beveiliging", "security", "datalek", "phishing", "kwijt", "gestolen", "verloren", "hack", "gehackt", "virus", "verdacht", "verdachte")),
    ("printer", "Printer of scanner", ("printer", "printen", "print", "scanner", "scannen", "multifunctional", "mfp", "kopieerapparaat", "kopieren")),
    ("applicatie", "Applicatie of programma", ("applicatie", "app", "programma", "systeem", "software", "pakket")),
    ("vraag", "Vraag of verzoek", ("vraag", "verzoek", "aanvraag", "bestellen", "nieuw account", "toegang")),
    ("overig", "Iets anders", ("overig", "anders", "iets anders")),
)
CATEGORY_NAMES = {
    "laptop": "laptop of computer",
    "telefoon": "telefoon",
    "m365": "Microsoft 365",
    "netwerk": "netwerk, VPN of wifi",
    "account": "account, wachtwoord of MFA",
    "beveiliging": "beveiliging",
    "printer": "printer of multifunctional",
    "applicatie": "applicatie",
    "vraag": "vraag of verzoek",
    "overig": "iets anders",
}
SECURITY_CHOICES = (
    ("kwijt", "Apparaat kwijt of gestolen", ("kwijt", "gestolen", "verloren", "verloren of gestolen", "diefstal", "laten liggen")),
    ("datalek", "Datalek", ("datalek", "gegevens", "verkeerde persoon", "verkeerd gemaild", "verkeerde ontvanger", "lek")),
    ("account_gehackt", "Iemand anders zit in mijn account", ("gehackt", "hack", "account gehackt", "iemand anders", "overgenomen", "ingebroken in mijn account")),
    ("actieve_aanval", "Virus, ransomware of een aanval", ("virus", "ransomware", "aanval", "malware", "versleuteld", "gijzelsoftware", "besmet")),
    ("phishing", "Phishing of verdachte mail", ("phishing", "verdachte mail", "nepmail", "spam", "link", "verdacht")),
    ("anders", "Iets anders", ("anders", "iets anders", "overig")),
)
SECURITY_NAMES = {
    "kwijt": "apparaat kwijt of gestolen",
    "datalek": "datalek",
    "account_gehackt": "iemand anders zit in je account",
    "actieve_aanval": "virus, ransomware of een aanval",
    "phishing": "phishing of verdachte mail",
    "anders": "ander beveiligingsprobleem",
}
SCOPE_CHOICES = (
    ("alleen_ik", "Alleen ik", ("alleen ik", "ik", "mij", "ikzelf", "alleen mij", "alleen")),
    ("mijn_team", "Mijn team", ("team", "mijn team", "collega", "collegas", "afdeling")),
    ("meerdere_teams", "Meerdere teams of locaties", ("meerdere", "teams", "locaties", "meerdere teams", "verschillende", "andere teams", "scholen", "vestigingen")),
    ("iedereen", "Iedereen", ("iedereen", "alle", "allemaal", "overal", "hele organisatie", "heel")),
)
SCOPE_NAMES = {
    "alleen_ik": "alleen jij",
    "mijn_team": "jouw team",
    "meerdere_teams": "meerdere teams of locaties",
    "iedereen": "iedereen",
}
WORK_CHOICES = (
    ("nee", "Nee, ik kan niet werken", ("niet werken", "kan niet", "helemaal niet", "niks", "niets", "lukt niet")),
    ("omweg", "Ja, met een omweg", ("omweg", "workaround", "andere manier", "ander apparaat", "deels", "beetje", "half", "met moeite")),
    ("ja", "Ja, het is alleen lastig", ("gewoon", "lastig", "hinderlijk", "wel", "prima")),
)
WORK_NAMES = {
    "nee": "nee, je kunt niet werken",
    "omweg": "ja, met een omweg",
    "ja": "ja, het is alleen lastig",
}

# Answers the first description already gave: confirmed above the next question, not asked.
FROM_DESCRIPTION = {
    "scope": "Je schreef al wie er last van heeft: **{value}**.",
    "work": "Je schreef al of je kunt werken: **{value}**.",
}
CHANGE_ON_SUMMARY = "Je kunt het straks in de samenvatting wijzigen."
FROM_DESCRIPTION_CHANGE = f"Klopt dat niet? {CHANGE_ON_SUMMARY}"

# -- known outage -------------------------------------------------------------------------------
def known_outage(*, title: str, category: str, since: str) -> str:
    """The offer to follow an outage, named by the title the servicedesk gave it: never by the
    words of the colleague who reported it."""
    return (
        f"Er is al een storing bekend bij {category}: **{plain.markdown(title)}**, sinds {since}.\n\n"
        "Gaat het om dezelfde storing? Dan koppel ik je aan die melding. "
        "Je krijgt dan de updates van die storing en hoeft verder niets te doen."
    )


def linked(*, label: str, next_update: str | None) -> str:
    text = f"Je bent gekoppeld aan **{label}**. Je krijgt de updates van die storing."
    if next_update:
        text += f" De volgende update komt uiterlijk {next_update}."
    return text + " Typ **status " + label + "** om de stand te zien."


def already_linked(*, label: str) -> str:
    return f"Je volgde **{label}** al. Je krijgt de updates van die storing. Typ **status {label}** voor de stand."


NOT_THE_SAME_OUTAGE = "Oké, dan maak ik een nieuwe melding. Nog een paar vragen."

# -- security paths -----------------------------------------------------------------------------
LOST_DEVICE_NOW = (
    "Vervelend! Een kwijt of gestolen apparaat is een beveiligingsincident met de hoogste prioriteit (P1).\n\n"
    "**Wat de servicedesk doet:** je apparaat op afstand blokkeren en wissen (remote wipe), "
    "zodat niemand bij je mail en bestanden kan.\n\n"
    "**Wat jij nu doet:**\n\n"
    "1. Verander je wachtwoord vanaf een ander apparaat, als dat kan.\n"
    "2. Gestolen? Doe aangifte bij de politie.\n"
    "3. Teruggevonden? Laat het ons meteen weten, dan stoppen we het wissen misschien nog."
)
LOST_DEVICE_AFTER = (
    "Gevonden? Typ **aanvulling {label}: teruggevonden**. "
    "Gestolen? Zet het nummer van je aangifte erbij met **aanvulling {label}: aangifte ...**."
)
DATALEK_NOW = (
    "Een datalek is een beveiligingsincident met de hoogste prioriteit (P1).\n\n"
    "**Wat jij nu doet:** verwijder niets en stuur niets door. Schrijf op wat er gebeurde, wanneer, "
    "en welke gegevens het zijn. Vraag de ontvanger de mail ongelezen te verwijderen, als dat kan.\n\n"
    "**Wat de servicedesk doet:** het lek indammen en de privacy-officer inschakelen. "
    "Die beslist over een melding bij de Autoriteit Persoonsgegevens (binnen 72 uur)."
)
ACCOUNT_HACKED_NOW = (
    "Iemand anders in je account is een beveiligingsincident met de hoogste prioriteit (P1).\n\n"
    "**Wat jij nu doet:** verander meteen je wachtwoord vanaf een ander apparaat, als dat lukt. "
    "Klik niet op mails die je niet verwacht.\n\n"
    "**Wat de servicedesk doet:** de indringer uit je account zetten en nagaan wat er met je account is gedaan."
)
ACTIVE_ATTACK_NOW = (
    "Een virus of een aanval is een beveiligingsincident met de hoogste prioriteit (P1).\n\n"
    "**Wat jij nu doet:** zet wifi uit of haal de netwerkkabel eruit, maar zet je apparaat niet uit. "
    "Klik nergens meer op.\n\n"
    "**Wat de servicedesk doet:** de aanval indammen, zodat die zich niet verder verspreidt."
)
# What the employee reads right after telling what happened (a security report).
SECURITY_NOW = {
    "kwijt": LOST_DEVICE_NOW,
    "datalek": DATALEK_NOW,
    "account_gehackt": ACCOUNT_HACKED_NOW,
    "actieve_aanval": ACTIVE_ATTACK_NOW,
}
PHISHING_CLICKED_NOW = (
    "Dan behandelen we dit als beveiligingsincident met de hoogste prioriteit (P1). "
    "**Wat jij nu doet:** verander meteen je wachtwoord vanaf een ander apparaat en klik nergens meer op."
)
PHISHING_NOT_CLICKED = "Goed dat je niets hebt aangeklikt. Verwijder de mail niet: de servicedesk wil hem bekijken."

# -- summary and change ---------------------------------------------------------------------------
SUMMARY_TITLE = "Klopt dit?"
SUMMARY_ASK = "Klopt alles? Tik **Ja, maak de melding**. Klopt iets niet? Tik **Wijzigen**."
SUMMARY_CONFIRM = "Ja, maak de melding"
SUMMARY_CHANGE = "Wijzigen"
SUMMARY_STOP = "Stoppen"
SUMMARY_FIELDS = {
    "description": "Wat er is",
    "category": "Soort",
    "security": "Wat er gebeurde",
    "scope": "Wie last heeft",
    "work": "Kun je werken",
    "priority": "Prioriteit",
    "motivation": "Wat je moet doen",
    "phone": "Telefoon",
    "attachments": "Foto's",
}
ASK_CHANGE = "Wat wil je wijzigen?"
CHANGE_CHOICES_BASE = (
    ("description", "De beschrijving", ("beschrijving", "omschrijving", "tekst", "wat er is")),
    ("category", "De soort", ("soort", "categorie", "onderwerp")),
    ("scope", "Wie er last van heeft", ("wie", "last", "bereik", "teams")),
    ("work", "Of je kunt werken", ("werken", "omweg", "workaround")),
)
CHANGE_CHOICE_PHONE = ("phone", "Het telefoonnummer", ("telefoon", "nummer", "telefoonnummer"))
CHANGE_CHOICE_MOTIVATION = ("motivation", "Wat je moet doen", ("motivatie", "wat moet je doen"))

# -- created -------------------------------------------------------------------------------------
TOO_MANY_TICKETS = (
    "Je hebt het afgelopen uur al {count} meldingen gemaakt. Meer kan niet binnen een uur. "
    "Vanaf {retry} kan het weer. Is het dringend? Bel de servicedesk. "
    "Iets toevoegen aan een melding kan wel: typ **aanvulling M-12: je tekst**."
)

# -- re-asking -------------------------------------------------------------------------------------
NOT_UNDERSTOOD_YES_NO = "Dat begreep ik niet. Antwoord met **ja** of **nee**, of tik een knop."
NOT_UNDERSTOOD_CHOICE = "Dat begreep ik niet. Tik een knop of typ het nummer, bijvoorbeeld {examples}."
WAY_OUT = (
    "Het lukt nog niet. Typ **stop** om te stoppen, of bel de servicedesk als het dringend is. "
    "Je kunt ook gewoon opnieuw antwoorden."
)
WAY_OUT_FALLBACK = f"Ik begrijp het nog niet. Ik ga verder met **{{choice}}**. {CHANGE_ON_SUMMARY}"
STALE_BUTTON = "Die knop hoort bij een eerdere vraag. Kies hieronder."
# "weet ik niet": asked again more simply, or a default that is said out loud; never a silent answer.
DONT_KNOW_SIMPLER = "Geen probleem. Ik vraag het anders."
DONT_KNOW_DEFAULT = "Geen probleem. Ik ga uit van **{choice}**."
DONT_KNOW_NO_DEFAULT = "Geen probleem. Kies wat het beste past. Weet je het echt niet? Typ **stop**, of bel de servicedesk."
PHOTO_RECEIVED = "Foto ontvangen. Ik bewaar hem bij je melding."

# -- commands at every step ----------------------------------------------------------------------
STOPPED = "Oké, ik ben gestopt."
CANCELLED = f"{STOPPED} Er is geen melding gemaakt. Typ **nieuwe melding** om opnieuw te beginnen."
NOTHING_TO_CANCEL = "Er loopt nu niets om te stoppen. Typ **nieuwe melding** om een storing te melden."
HELP = (
    "Dit kan ik voor je doen:\n\n"
    "- **nieuwe melding**: een storing melden (je mag ook meteen je probleem beschrijven)\n"
    "- **mijn meldingen**: je open meldingen bekijken\n"
    "- **status M-12**: de stand van één melding\n"
    "- **aanvulling M-12: je tekst**: iets toevoegen aan een melding (een foto sturen mag ook)\n"
    "- **stop**: stoppen met wat we nu doen\n\n"
    "Je kunt ook meteen je probleem beschrijven."
)
UNKNOWN_COMMAND = (
    "Die opdracht ken ik niet. Beschrijf je probleem in een zin, bijvoorbeeld "
    "\"mijn laptop start niet op\", of typ **nieuwe melding** of **help**."
)
HELP_DURING_INTAKE = "We waren bezig met je melding. Beantwoord de vraag hieronder, of typ **stop** om te stoppen."
HELP_DURING_ADD_INFO = "We waren bezig met een aanvulling. Beantwoord de vraag hieronder, of typ **stop** om te stoppen."
NO_OPEN_TICKETS = "Je hebt geen open meldingen."
UNKNOWN_TICKET = "Ik vind geen melding {label} van jou. Typ **mijn meldingen** voor je open meldingen."
EXPIRED = (
    "Je melding van {started} was nog niet af. Je hebt er {minutes} minuten niet op gereageerd, "
    "dus ik ben ermee gestopt. Er is geen melding gemaakt."
)
EXPIRED_ADD_INFO = (
    "Je aanvulling van {started} was nog niet af. Je hebt er {minutes} minuten niet op gereageerd, "
    "dus ik ben ermee gestopt."
)
EXPIRED_START_AGAIN = "Speelt het nog? Beschrijf je probleem opnieuw of typ **nieuwe melding**."
CARD_FROM_EARLIER = "Die knop hoort bij een eerdere vraag. Typ **nieuwe melding** om een storing te melden."

# -- adding information ---------------------------------------------------------------------------
ASK_WHICH_TICKET = "Bij welke melding hoort dit?"
ASK_ADD_INFO = "Wat wil je toevoegen aan **{label}**? Een foto sturen mag ook."
ASK_ADD_INFO_SIMPLER = "Vertel wat je ziet of wat er niet lukt. Een paar woorden is genoeg."
ASK_STILL_FAILING = "Wat werkt er nog niet? Vertel het kort. Een foto sturen mag ook."
ASK_STILL_FAILING_LATER = "Wat werkt er nog niet? Zet het straks bij je melding met **aanvulling {label}: je tekst**."


def nothing_added(*, label: str | None, reopened: bool) -> str:
    """What a stopped aanvulling did not do (and, after "nog niet", what did happen)."""
    text = f"Er is niets toegevoegd aan **{label}**." if label else "Er is niets toegevoegd aan een melding."
    if reopened:
        text += " Je melding staat wel weer open. De servicedesk kijkt er opnieuw naar."
    return text

INFO_ADDED = "Dank je. Ik heb je aanvulling bij **{label}** gezet. De servicedesk ziet hem meteen."
PHOTO_ADDED = "Dank je. Ik heb je foto bij **{label}** gezet. De servicedesk kan hem openen."
NO_OPEN_TICKET_TO_ADD = "Je hebt geen open melding om iets aan toe te voegen. Typ **nieuwe melding** om een storing te melden."
TICKET_CLOSED_FOR_INFO = "Melding {label} is niet meer open. Typ **nieuwe melding** als het probleem terug is."

PRIORITY_LABELS = {
    "P1": "P1 (kritiek)",
    "P2": "P2 (hoog)",
    "P3": "P3 (normaal)",
    "P4": "P4 (laag)",
}
UPLIFT_LABEL = "P1-uplift (één medewerker)"

STATUS_LABELS = {
    TicketStatus.NEW: "nieuw, nog niet opgepakt",
    TicketStatus.PICKED_UP: "opgepakt",
    TicketStatus.WAITING: "wacht op een derde partij",
    TicketStatus.RESOLVED: "opgelost",
    TicketStatus.CLOSED: "gesloten",
}

CADENCE_SENTENCES = {
    "P1": "Je hoort elke 30 minuten hoe het ervoor staat.",
    "P2": "Je hoort elke 2 uur hoe het ervoor staat.",
    "P3": "Je hoort elke werkdag hoe het ervoor staat.",
    # P4 "updates op afgesproken datum": no date is agreed yet when the ticket is made.
    "P4": "De servicedesk spreekt met je af wanneer je weer van ons hoort.",
}


def ticket_created(
    *, label: str, priority: str, uplift: bool, first_response: str, resolution: str, phone: str | None = None
) -> str:
    priority_text = UPLIFT_LABEL if uplift else PRIORITY_LABELS[priority]
    return (
        f"Je melding **{label}** is aangemaakt met prioriteit {priority_text}.\n\n"
        f"{first_response_by(when=first_response, call=priority == 'P1', phone=phone)} "
        f"{RESOLVE_BY.format(when=resolution)} {CADENCE_SENTENCES[priority]}"
    )


MY_TICKETS_HEADER = "Je open meldingen:"
FOLLOWED_HEADER = "Storingen die je volgt:"
NEXT_UPDATE_LINE = "Je volgende update krijg je uiterlijk {when}."


def acknowledged(*, label: str, agent_name: str, note: str | None) -> str:
    text = f"{first_up(plain.markdown(agent_name))} heeft je melding **{label}** opgepakt."
    if note:
        text += f"\n\nBericht van de servicedesk: {plain.markdown(note)}"
    return text


# What a status update says after "Stand van je melding M-1:": never "nieuw" beside "we zijn ermee bezig".
STATUS_UPDATE_STATE = {
    TicketStatus.NEW: "nog niet opgepakt. De servicedesk pakt hem zo snel mogelijk op.",
    TicketStatus.PICKED_UP: "opgepakt.",
    TicketStatus.WAITING: "we wachten op een andere partij.",
}
STATUS_UPDATE_OWNER = "{owner} werkt eraan."
STATUS_UPDATE_WAIT = "We wachten op {party}: {reason}"
STATUS_UPDATE_EXPECTED = "Zij verwachten klaar te zijn op {day}."
STATUS_UPDATE_NEWS = "Nieuw bericht van de servicedesk: {note}"
STATUS_UPDATE_LATEST = "Laatste bericht van de servicedesk: {note}"  # when the reporter asks
STATUS_UPDATE_NO_NEWS = "Er is nog geen nieuws."


def status_update(
    *, label: str, status: str, owner: str | None, next_update: str | None,
    wait: tuple[str | None, str | None, str | None] | None = None, news: str | None = None, asked: bool = False,
) -> str:
    """The state of a ticket for its reporter: the status, the current wait (party, reason, the
    day they expect to be done), the servicedesk's newest message if it is news, the next update.
    ``owner``, the wait's words and ``news`` are people's words: shown as typed. ``asked``: the
    reporter asked ("status M-1"), so ``news`` is the servicedesk's latest message, news or not."""
    state = STATUS_UPDATE_STATE.get(status) or f"{STATUS_LABELS.get(status, status)}."
    lines = [f"Stand van je melding **{label}**: {state}"]
    if owner and status != TicketStatus.NEW:
        lines[0] += " " + STATUS_UPDATE_OWNER.format(owner=plain.markdown(owner))
    if wait is not None:
        party, reason, day = wait
        text = STATUS_UPDATE_WAIT.format(party=plain.markdown(party or ITSM_WAIT_PARTY), reason=plain.markdown(reason or "-"))
        if day:
            text += "\n\n" + STATUS_UPDATE_EXPECTED.format(day=day)
        lines.append(text)
    if news:
        lines.append((STATUS_UPDATE_LATEST if asked else STATUS_UPDATE_NEWS).format(note=plain.markdown(news)))
    else:
        lines.append(STATUS_UPDATE_NO_NEWS)
    if next_update:
        lines.append(NEXT_UPDATE_LINE.format(when=next_update))
    return "\n\n".join(lines)


TICKET_ABOUT_CHARS = 60  # enough words to tell two tickets apart on a phone


def ticket_line(*, label: str, status: str, owner: str | None, next_deadline: str | None, about: str | None = None) -> str:
    """One line of "mijn meldingen"; ``about`` (a person's words, shown as typed and cut short)
    tells two tickets apart."""
    parts = [f"**{label}**" + (f" ({plain.markdown(_shortened(about, TICKET_ABOUT_CHARS))})" if about else "")
             + f": {STATUS_LABELS.get(status, status)}"]
    if owner:
        parts.append(f"bij {plain.markdown(owner)}")
    if next_deadline:
        parts.append(f"volgende stap uiterlijk {next_deadline}")
    return ", ".join(parts)


def _shortened(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"

# -- feedback after a workaround or resolution ------------------------------------------------
MTTP_QUESTION = "Kun je weer verder met je werk?"
MTTP_THANKS = "Fijn dat je weer verder kunt! Dank je voor het laten weten ({label})."
MTTP_NOT_YET = "Jammer. Ik laat de servicedesk weten dat je nog niet verder kunt ({label})."
MTTP_REOPENED = (
    "Jammer dat het nog niet werkt. Je melding **{label}** staat weer open. "
    "De servicedesk gaat er opnieuw mee aan de slag."
)
# What the servicedesk reads for a "nog niet": the reopen reason, or the added information.
NOT_YET_FOR_DESK = "De melder kan nog niet verder met het werk."
# The first line of the servicedesk card after that reopen ("label: value").
REOPENED_BY_REPORTER_LABEL = "Heropend door de melder"
REOPENED_BY_REPORTER = "{name} kan nog niet verder met het werk."
STILL_FAILING_LABEL = "Wat nog niet werkt"  # the reporter's words after that reopen, in the same frame

# -- cards that stay true (bot.cards) --------------------------------------------------------------
DETAILS = "Details"  # the ticket card's button that shows what is not on its face
EARLIER_EVENTS = "Eerdere gebeurtenissen"
CSAT_ON_CARD = "Cijfer van de melder"
REFRESH = "Vernieuwen"
REOPEN_REASON_INPUT = 'Waarom weer open? De melder leest dit: schrijf "je"'
REOPEN_REASON_EXAMPLE = "Bijvoorbeeld: je printer geeft nog steeds een foutmelding."
NOW_LABEL = "Nu"  # a notice's first line when the ticket moved on
NOW_SOLVED = "opgelost {when}: hier hoeft regie niets meer voor te doen"
NOW_OTHER_PRIORITY = "prioriteit {priority}: deze melding geldt niet meer"
WARNING_TITLE = "Dreigt te laat: {label}, {what}"
LATE_TITLE = "Te laat: {label}, {what}"
DONE_SOLVED = "gedaan: opgelost {when}"
NOT_BEFORE_SOLUTION = "niet vastgelegd voor de oplossing (was uiterlijk {when})"
NOT_BEFORE_SOLUTION_LATE = ", te laat"
WAS_DUE = "was uiterlijk {when}"

# -- what the reporter reads after "Hervat" and a reopen by the servicedesk ---------------------------
RESUMED = "We werken weer aan je melding {label}."
RESOLVE_BY = "We willen het uiterlijk {when} opgelost hebben."
REOPENED_FOR_REPORTER = (
    "De servicedesk heeft je melding {label} weer geopend en gaat er opnieuw mee aan de slag.\n\n"
    "Dit schreef de servicedesk erbij: {reason}"
)
MTTP_ASK = "Kun je weer verder met je werk ({label})? Typ **ja** of **nog niet**."
MTTP_DONT_KNOW = "Probeer het gerust even uit. Werkt alles? Typ **ja**. Werkt het nog niet? Typ **nog niet**."
CSAT_THANKS = "Dank je voor je cijfer: {score}. Daar worden we beter van."
CSAT_ASK = "Welk cijfer van 1 tot 10 geef je voor de hulp bij {label}? Typ het cijfer, bijvoorbeeld **8**."
CSAT_PICK_A_SCORE = "Kies een cijfer van 1 tot 10. Tik het op de kaart of typ het."
CSAT_NONE = "Geen probleem. Een cijfer geven hoeft niet."
FEEDBACK_NOT_ASKED = "Die vraag staat voor melding {label} nu niet open. Er is niets veranderd."
FEEDBACK_ALREADY = "Je antwoord voor {label} had ik al. Dank je!"
FEEDBACK_NOT_YOURS = "Deze vraag hoort niet bij een melding van jou. Er is niets veranderd."
FEEDBACK_CARD_ANSWERED = "Melding {label}: je antwoord is binnen. Dank je!"
FEEDBACK_NOT_UNDERSTOOD = "Die knop begreep ik niet. Typ **mijn meldingen** voor je open meldingen."


# -- the supplier's ticket system (itsm) ----------------------------------------------------------
# How a report came in (the ticket's channel); an unlisted channel is shown as it is named.
CHANNEL_NAMES = {"teams": "Teams", "telefoon": "telefoon", "e-mail": "e-mail", "portaal": "portaal", "balie": "balie"}
# Who acted, when the supplier's system names no operator.
SUPPLIER_DESK = "de servicedesk van de leverancier"
# Reasons recorded with a change that came from the supplier's system (the reporter reads them).
ITSM_IMPORTED_REASON = "overgenomen uit het systeem van de leverancier"
ITSM_PRIORITY_REASON = "aangepast in het systeem van de leverancier"
ITSM_REOPEN_REASON = "weer geopend in het systeem van de leverancier"
ITSM_WAIT_PARTY = "een andere partij"
ITSM_WAIT_REASON = "status in het systeem van de leverancier: {status}"
ITSM_RESOLVED = "afgehandeld in het systeem van de leverancier"


def itsm_linked(*, label: str, number: str) -> str:
    return (
        f"Je melding **{label}** staat ook bij de leverancier, onder nummer **{number}**. "
        "Noem dat nummer als je de servicedesk belt."
    )


# Why the supplier's system cannot be reached (itsm.base.Fault names), for the servicedesk.
ITSM_FAULTS = {
    "UNREACHABLE": "geen antwoord",
    "CREDENTIALS": "de inloggegevens van de bot worden geweigerd",
    "FORBIDDEN": "het account van de bot mist een recht",
    "THROTTLED": "te veel verzoeken",
    "SERVER_ERROR": "een fout aan de kant van het systeem",
    "REJECTED": "een verzoek werd geweigerd",
}


def itsm_outage(*, system: str, since: str, fault: str) -> str:
    reason = ITSM_FAULTS.get(fault, fault)
    return (
        f"{system} is sinds {since} niet bereikbaar voor de bot ({reason}). Er gaat niets verloren: "
        f"nieuwe meldingen en wijzigingen op de kaarten gaan naar {system} zodra het weer kan. "
        f"Wat in {system} gebeurt, zie je hier pas daarna."
    )


def itsm_restored(*, system: str, since: str) -> str:
    return f"{system} is weer bereikbaar (storing sinds {since}). Wat bleef liggen, gaat er nu heen."


# What a card's action becomes in the supplier's system: an action its operators read.
ITSM_ACTIONS = {
    ev.ACKNOWLEDGED: "Opgepakt in Teams door {agent_name}.",
    ev.AGENT_UPDATE: "Bericht aan de melder via Teams, van {agent_name}: {text}",
    ev.PRIORITY_CHANGED: "Prioriteit in Teams gewijzigd van {from} naar {to} door {agent_name}. Reden: {reason}",
    ev.PAUSED: "Wacht op {party}, vastgelegd in Teams door {agent_name}: {reason}",
    ev.RESUMED: "Hervat in Teams door {agent_name}.",
    ev.WORKAROUND: "Noodoplossing, gemeld via Teams door {agent_name}: {note}",
    ev.RESOLVED: "Opgelost in Teams door {agent_name}: {solution}",
    ev.REOPENED: "Weer geopend in Teams door {agent_name}: {reason}",
    ev.HANDED_OVER: "In Teams overgedragen aan {to_name} door {agent_name}.",
}
ITSM_ACKNOWLEDGED_NOTE = "Opgepakt in Teams door {agent_name}. Bericht aan de melder: {note}"

ITSM_SCOPE_NAMES = {
    "alleen_ik": "één medewerker",
    "mijn_team": "één team",
    "meerdere_teams": "meerdere teams of locaties",
    "iedereen": "iedereen",
}


def itsm_request(
    *, description: str, label: str, category: str, scope: str, priority: str, reasons: list[str],
    motivation: str | None, phone: str | None, answers: dict[str, object],
) -> str:
    """The request text of an incident the bot registers: what the employee told the bot."""
    lines = [description, ""]
    lines.append(f"Soort: {CATEGORY_NAMES.get(category, category)}")
    lines.append(f"Wie last heeft: {ITSM_SCOPE_NAMES.get(scope, scope)}")
    lines.append(f"{LABEL_PRIORITY}: {priority}")
    if reasons:
        lines.append(f"{LABEL_PRIORITY_REASON}: {'; '.join(reasons)}")
    if motivation:
        lines.append(f"{LABEL_UPLIFT_MOTIVATION}: {motivation}")
    lines += [_itsm_answer(key, value) for key, value in answers.items()]
    if phone:
        lines.append(f"{LABEL_REPORTER_PHONE}: {phone}")
    lines.append(f"Gemeld via Teams als {label}.")
    return "\n".join(lines)


# The intake's answers in the supplier's request text, as its operator reads them: the question in
# words and the answer in words (the bot's codes and true/false mean nothing there).
ITSM_PHISHING_CLICKED = "Op een link geklikt, een bijlage geopend of een wachtwoord ingevuld"
ITSM_CAN_WORK = "Kan de melder werken"
ITSM_WORK_NAMES = {"nee": "nee", "omweg": "ja, met een omweg", "ja": "ja, het is alleen lastig"}


def _itsm_answer(key: str, value: object) -> str:
    uplift = {reason.value: reason for reason in (PriorityReason.CRITICAL_ROLE, PriorityReason.DIRECT_IMPACT, PriorityReason.CANNOT_WORK)}
    if key in uplift:
        question = PRIORITY_REASONS[uplift[key]]
    else:
        question = {"security": SUMMARY_FIELDS["security"], "phishing_clicked": ITSM_PHISHING_CLICKED, "work": ITSM_CAN_WORK}.get(key, key)
    if isinstance(value, bool):
        answer = (YES if value else NO).lower()
    else:
        answer = {"security": SECURITY_KIND_NAMES, "work": ITSM_WORK_NAMES}.get(key, {}).get(str(value), str(value))
    return f"{question}: {answer}"


# -- for the servicedesk: a message the bot could not deliver -----------------------------------
UNDELIVERED_WHAT = {
    "ticket_card": "de kaart",
    "regie_new_p1": "de melding van een nieuwe P1",
    "regie_notice": "een termijnmelding",
    "piket_alert": "de piketmelding",
    "weekly_summary": "het wekelijkse SLA-overzicht",
    "low_csat": "een lage tevredenheid",
    "reporter_unreachable": "het bericht dat een melder niet bereikbaar is",
}
UNDELIVERED_WHERE = {
    "regie": "het regiekanaal",
    "overleg": "het overlegkanaal",
    "servicedesk": "het servicedeskkanaal",
}


def delivery_given_up(
    *, what: str | None, target_kind: str | None, target_key: str | None, label: str | None, status: int | None,
    hours: int | None, message_id: int,
) -> str:
    """The servicedesk hears of a message that did not arrive, and how a beheerder sends it again."""
    thing = UNDELIVERED_WHAT.get(what or "", "een bericht")
    where = UNDELIVERED_WHERE.get(target_key or "", "dat kanaal") if target_kind == "channel" else "de chat met de melder"
    about = f" over **{label}**" if label else ""
    refused = f"{hours} uur lang" if hours else "meteen"
    return (
        f"Ik kon {thing}{about} niet bezorgen in {where}: Teams weigerde het {refused} (status {status}). "
        f"Werkt het weer? Dan stuurt een beheerder het opnieuw met `servicedesk outbox retry {message_id}`."
    )


# -- regie: escalations (PvE §2.4.3), the weekly card and the monthly report --------------------
# Why an escalation has its level (sla.escalation.Escalation).
ESCALATION_WHY = {
    "single": "eenmalige overschrijding van de norm",
    "repeated_norm": "dezelfde norm is in de afgelopen maand al eerder overschreden",
    "broad": "de verstoring raakt meerdere processen (meerdere teams of iedereen)",
    "critical": "kritieke verstoring (P1 of P1-uplift) buiten de norm",
    "repeated_n2": "herhaalde escalatie op niveau N2",
    "norm_missed": "de norm is deze maand niet gehaald (structureel probleem)",
    "norm_missed_again": "de norm is twee maanden achter elkaar niet gehaald (dreigende contractbreuk)",
}


def escalation_why(reasons: list[str]) -> str:
    """ "herhaalde escalatie op niveau N2: dezelfde norm ..." from the reasons' values."""
    words = [ESCALATION_WHY.get(reason, reason) for reason in reasons]
    if reasons and reasons[0] == "repeated_n2" and len(words) > 1:
        return f"{words[0]}: " + "; ".join(words[1:])
    return "; ".join(words)


# PvE §2.4.3 A and B per level: its name, the action holder, who to inform, what starts by when.
ESCALATION_LEVELS = {
    "N1": {
        "name": "operationeel",
        "owner": "Functioneel Beheer Halt",
        "inform": "intern informeel melden",
        "action": "Start binnen 1 werkdag; handmatige opvolging in het reguliere operationeel overleg.",
    },
    "N2": {
        "name": "tactisch",
        "owner": "ICT Service Manager (dossiervorming, regie)",
        "inform": "Informatiemanager betrekken",
        "action": "Overleg met de leverancier binnen 3 werkdagen; wekelijks voortgang en zo nodig contractafspraken aanscherpen.",
    },
    "N3": {
        "name": "strategisch",
        "owner": "Informatiemanager en/of Directeur Bedrijfsvoering",
        "inform": "Informatiemanager en Directeur Bedrijfsvoering informeren",
        "action": "Escalatie binnen 5 werkdagen; juridische toetsing en besluit over maatregelen.",
    },
}
ESCALATION_STATES = {"open": "wacht op regie (niveau voorgesteld)", "assigned": "niveau vastgesteld door regie", "closed": "afgesloten"}
ESCALATION_TRIGGERS = {"breach": "normoverschrijding", "norm_missed": "maandnorm niet gehaald"}
NO_CAUSE = "geen oorzaak opgegeven door de leverancier"


def ticket_subject(*, public_title: str | None, category: str, priority: str, uplift: bool = False) -> str:
    """What a breach or escalation is about, for people the reporter did not write to: the public
    title the servicedesk set, else the category and priority. Never the reporter's own words."""
    if public_title:
        return public_title
    return f"{CATEGORY_NAMES.get(category, category)}, {UPLIFT_LABEL if uplift else PRIORITY_LABELS.get(priority, priority)}"


# The escalation card's buttons and forms (bot.escalation_cards) and the answers to them.
ESCALATION_ASSIGN = "Niveau vaststellen"
ESCALATION_ASSIGN_LEVEL = "Welk niveau?"
ESCALATION_ASSIGN_REASON = "Waarom dit niveau? (komt in het escalatiedossier)"
ESCALATION_ACTION = "Oorzaak en herstelactie"
ESCALATION_CAUSE = "Oorzaak (wat ging er mis?)"
ESCALATION_CORRECTIVE = "Herstelactie (wat gaat de leverancier doen?)"
ESCALATION_OWNER = "Eigenaar van de actie"
ESCALATION_DUE = "Klaar op"
ESCALATION_CLOSE = "Afsluiten"
ESCALATION_EVALUATION = "Evaluatie: kwaliteit van de oplossing, snelheid en samenwerking"
ESCALATION_SAVE = "Opslaan"
ESCALATION_INVALID = {
    "escalatie_niveau": "Kies N1, N2 of N3 en geef een reden. Dat kan zolang de escalatie open is.",
    "escalatie_actie": "Vul de oorzaak, de herstelactie, de eigenaar en een datum in. Dat kan zolang de escalatie open is.",
    "escalatie_afsluiten": "Schrijf een evaluatie. Een afgesloten escalatie kan niet nog eens dicht.",
}
ESCALATION_NOT_ALLOWED = {
    "escalatie_niveau": "Alleen regie kan het niveau van een escalatie vaststellen.",
    "escalatie_actie": "Alleen de servicedesk legt oorzaak en herstelactie vast.",
    "escalatie_afsluiten": "Alleen regie kan een escalatie afsluiten.",
}
ESCALATION_NOT_FOUND = "Deze escalatie bestaat niet (meer)."
# The figures over all priorities, by the name sla.kpi gives them.
FIGURE_NAMES = {
    "kept_informed": "melder op de hoogte gehouden",
    "major_incident_updates": "updates bij major incidents",
    "first_time_fix": "in één keer opgelost",
    "single_owner": "één eigenaar",
    "csat": "tevredenheid (CSAT)",
    "backlog": "achterstand (open > 10 werkdagen)",
    "data_breach": "datalek gemeld (72 uur)",
    "rca": "RCA gedeeld",
}


# -- reach: announcements to many employees (reach, bot.reach_cards) -----------------------------
ANNOUNCEMENT_KINDS = {
    "verstoring": "Storing",
    "wijziging": "Wijziging",
    "onderhoud": "Gepland onderhoud",
    "vervolg": "Update",
    "verholpen": "Opgelost",
    "enquete": "Enquête",
    "herinnering": "Herinnering enquête",
}
AUDIENCE_NAMES = {"iedereen": "iedereen", "locatie": "locatie {value}", "team": "team {value}", "storing": "wie {value} meldde of volgt"}
CAMPAIGN_STATES = {
    "regie": "wacht op goedkeuring van regie",
    "versturen": "wordt verstuurd",
    "klaar": "verstuurd",
    "geannuleerd": "geannuleerd",
}
REFUSALS = {
    "minder_dan_48_uur": "Gepland onderhoud kondig je minstens 48 uur van tevoren aan.",
    "binnen_kantoortijd": "Gepland onderhoud valt buiten kantoortijd (ma-vr 08:00-18:00).",
}
CAMPAIGN_PROGRESS = (
    ("sent", "Verstuurd"), ("pending", "Nog te versturen"), ("failed", "Mislukt"),
    ("unreachable", "Niet bereikbaar (app niet geïnstalleerd)"), ("skipped", "Overgeslagen (al genoeg berichten deze week)"),
)


def audience_name(kind: str, value: str) -> str:
    return AUDIENCE_NAMES.get(kind, kind).format(value=plain.markdown(value))


def _when_and_meanwhile(period: str | None, meanwhile: str | None) -> list[str]:
    return [line for line in (
        f"Wanneer: {period}." if period else None,
        f"{WHAT_YOU_CAN_DO} {plain.markdown(meanwhile)}" if meanwhile else None,
    ) if line]


def announcement(*, kind: str, what: str, period: str | None, meanwhile: str | None, outage: str | None) -> str:
    """The personal message of an announcement. ``what`` and ``meanwhile`` are the servicedesk's
    words: shown as plain text."""
    lines = [f"**{ANNOUNCEMENT_KINDS.get(kind, kind)}**: {plain.markdown(what)}", *_when_and_meanwhile(period, meanwhile)]
    if outage:
        lines.append(f"Dit hoort bij storing **{outage}**. Je hoeft dit niet zelf te melden.")
    return "\n\n".join(lines)


def announcement_follow_up(*, kind: str, about: str, text: str | None) -> str:
    head = f"**{ANNOUNCEMENT_KINDS.get(kind, kind)}** over: {plain.markdown(about)}"
    return f"{head}\n\n{plain.markdown(text)}" if text else head


def campaign_unreachable(*, number: str, what: str, names: list[str], total: int) -> str:
    shown = ", ".join(plain.markdown(name) for name in names)
    more = f" en {total - len(names)} anderen" if total > len(names) else ""
    return (
        f"**{number}** ({plain.markdown(what)}) kon {total} {'medewerker' if total == 1 else 'medewerkers'} niet bereiken: "
        f"de app is niet voor hen geïnstalleerd, of ze hebben de bot verwijderd of geblokkeerd. "
        f"Informeer ze op een andere manier: {shown}{more}."
    )
CAMPAIGN_NEEDS_REGIE = "Regie kan de aankondiging toch laten versturen. Dat wordt vastgelegd."
CAMPAIGN_APPROVE = "Toch versturen (regie)"
CAMPAIGN_FOLLOW_UP = "Vervolgbericht"
CAMPAIGN_FOLLOW_UP_TEXT = "Wat wil je de medewerkers laten weten?"
CAMPAIGN_RESOLVED = "Opgelost"
# The servicedesk's announcement form (bot.announcements) and the answers to it.
ANNOUNCE_TITLE = "Nieuwe aankondiging"
ANNOUNCE_INTRO = (
    "Laat medewerkers weten wat er speelt. Iedereen krijgt het bericht persoonlijk van de bot. "
    "Gepland onderhoud kondig je minstens 48 uur vooraf aan, en het valt buiten kantoortijd."
)
ANNOUNCE_KIND = "Wat kondig je aan?"
ANNOUNCE_WHAT = "Wat is er aan de hand? (medewerkers lezen dit)"
ANNOUNCE_AUDIENCE = "Voor wie?"
ANNOUNCE_AUDIENCE_VALUE = "Welke locatie, welk team of welke storing (bijvoorbeeld M-12)?"
AUDIENCE_CHOICES = {"iedereen": "Iedereen", "locatie": "Eén locatie", "team": "Eén team", "storing": "Wie een storing meldde of volgt"}
ANNOUNCE_FROM = "Vanaf"
ANNOUNCE_UNTIL = "Tot"
ANNOUNCE_TIME = "Tijd"
ANNOUNCE_MEANWHILE = "Wat kunnen medewerkers intussen doen?"
ANNOUNCE_CATEGORY = "Over welk onderwerp? (wie daarover iets meldt, krijgt deze aankondiging eerst te zien)"
ANNOUNCE_TICKET = "Hoort bij melding (bijvoorbeeld M-12; wie erover meldt, kan die volgen)"
ANNOUNCE_P1_LABEL = "Spoed"  # the label a screen reader reads before the toggle
ANNOUNCE_P1 = "P1-verstoring: meteen versturen, ook 's avonds en in het weekend"
ANNOUNCE_SEND = "Versturen"
ANNOUNCE_INVALID = {
    "soort": "Kies wat je aankondigt: een storing, een wijziging of gepland onderhoud.",
    "what": "Schrijf kort wat er aan de hand is.",
    "outage": "Vul het nummer van een bestaande melding in, bijvoorbeeld M-12.",
    "locatie": "Die locatie staat niet in de medewerkerslijst. Controleer de naam.",
    "team": "Dat team staat niet in de medewerkerslijst. Controleer de naam.",
    "period": "Kies een datum en tijd. Het einde ligt na het begin.",
    "maintenance_period": "Vul bij gepland onderhoud in van wanneer tot wanneer het duurt.",
    "p1": "Alleen een storing kan P1 zijn.",
}
ANNOUNCE_NOT_ALLOWED = "Alleen medewerkers van de servicedesk kunnen een aankondiging versturen."
ANNOUNCE_APPROVE_NOT_ALLOWED = "Alleen regie kan een geweigerde aankondiging toch laten versturen."
ANNOUNCE_NOT_FOUND = "Deze aankondiging bestaat niet (meer)."
CARD_STALE = "Deze kaart was verouderd. Je ziet nu de actuele stand; probeer het opnieuw als het nog nodig is."
ANNOUNCE_NOT_WAITING = "Deze aankondiging wacht niet (meer) op regie. Je ziet nu de actuele stand."
ANNOUNCE_FOLLOW_UP_INVALID = "Schrijf wat je de medewerkers wilt laten weten."


def announce_created(*, number: str, refused: bool) -> str:
    if refused:
        return f"Aankondiging **{number}** is nog niet verstuurd. Op de kaart staat waarom. Regie kan hem toch laten versturen."
    return f"Aankondiging **{number}** wordt verstuurd. Op de kaart zie je hoeveel medewerkers hem al hebben."


def announce_follow_up_created(*, number: str) -> str:
    return f"Het bericht wordt verstuurd aan dezelfde medewerkers. De voortgang zie je op de kaart van **{number}**."


def announcement_offer(*, kind: str, what: str, period: str | None, meanwhile: str | None, outage: str | None) -> str:
    """During an intake: the servicedesk announced something that may be this (its words as plain text)."""
    lines = [
        f"De servicedesk heeft hier al iets over laten weten. {ANNOUNCEMENT_KINDS.get(kind, kind)}: **{plain.markdown(what)}**",
        *_when_and_meanwhile(period, meanwhile),
        f"Gaat het om hetzelfde? Dan koppel ik je aan storing **{outage}**. Je krijgt dan de updates en hoeft niets te melden."
        if outage else "Gaat het om hetzelfde? Dan hoef je niets te melden. Je hoort het van ons als het is opgelost.",
    ]
    return "\n\n".join(lines)


ANNOUNCEMENT_ACCEPTED = "Fijn dat je het laat weten. Je hoeft niets te melden: je hoort het van ons als het is opgelost."
# -- experience surveys (XLA, PvE §10.5) -------------------------------------------------------------
# The three questions follow PvE §10.5 A (werkplek), B (servicedesk) and D (informatievoorziening).
SURVEY_TITLE = "Korte enquête over de ICT"
SURVEY_SCHEDULED = "planning (SURVEY_MONTHS)"  # who started a scheduled round, on the sender's card


def survey_on_request(*, day: date, time: str) -> str:
    """The name of a round started by hand (``servicedesk survey start``): "op verzoek, 1 december 2026 om 14:00"."""
    return f"op verzoek, {day.day} {MONTHS[day.month - 1]} {day.year} om {time}"


def survey_what(label: str) -> str:
    """What the servicedesk's card of a round's campaign says it is."""
    return f"Enquête ICT-beleving {label}"


def survey_reminder_what(label: str) -> str:
    return f"Herinnering enquête ICT-beleving {label}"


SURVEY_INTRO = (
    "We willen weten hoe je de ICT op je werk ervaart. Het zijn drie vragen, met een cijfer van 1 tot 10. "
    "Het kost je een minuut. Je kunt antwoorden tot {until}."
)
SURVEY_REMINDER = (
    "Herinnering: je hebt de korte enquête over de ICT nog niet ingevuld. Het zijn drie vragen, met een cijfer "
    "van 1 tot 10. Je kunt antwoorden tot {until}."
)
SURVEY_QUESTIONS = {
    "werkplek": "Hoe tevreden ben je over je ICT-werkplek? Denk aan je laptop, je telefoon en je programma's: kun je er je werk goed mee doen?",
    "servicedesk": "Hoe ervaar je de servicedesk? Is die duidelijk en vriendelijk, en denkt die met je mee?",
    "informatie": "Hoe goed word je op tijd verteld over storingen, wijzigingen en onderhoud?",
}
# How the reports and regie's card name each question.
SURVEY_QUESTION_NAMES = {
    "werkplek": "Werkplekbeleving (A)",
    "servicedesk": "Servicedesk-beleving (B)",
    "informatie": "Informatievoorziening (D)",
}
SURVEY_QUESTION_NUMBER = "Vraag {n} van 3"
SURVEY_HOW = "Tik een cijfer of typ het, bijvoorbeeld **8**."
SURVEY_OPT_OUT_HINT = "Liever geen enquêtes? Typ **geen enquêtes**."
SURVEY_REMARK_LABEL = "Wil je nog iets toelichten? (mag leeg blijven)"
SURVEY_GOT = "Genoteerd: een {score}."
SURVEY_ASK_REMARK = (
    "Dank je! Wil je nog iets toelichten? Typ het in één bericht. Typ **nee** als je niets wilt toevoegen."
)
SURVEY_THANKS = "Dank je wel voor je antwoorden! Daarmee maken we de ICT beter."
SURVEY_THANKS_REMARK = "Dank je wel voor je antwoorden en je toelichting! Daarmee maken we de ICT beter."
SURVEY_ALREADY = "Die vraag had je al beantwoord. Er is niets veranderd."
SURVEY_CLOSED = "Deze enquête is al gesloten. Je antwoord telt niet meer mee, en er is niets veranderd. Toch bedankt!"
SURVEY_NOT_ASKED = "Deze enquête is niet aan jou gestuurd. Er is niets veranderd."
SURVEY_WHOLE_NUMBER = "Geef een heel cijfer van 1 tot 10, bijvoorbeeld **8**."
SURVEY_CARD_ANSWERED = "{question}: je cijfer is binnen ({score}). Dank je!"
SURVEY_OPTED_OUT = "Goed, je krijgt geen enquêtes meer van mij. Wil je toch weer meedoen? Typ **wel enquêtes**."
SURVEY_ALREADY_OUT = "Je krijgt al geen enquêtes van mij. Wil je weer meedoen? Typ **wel enquêtes**."
SURVEY_OPTED_IN = "Fijn! Je krijgt weer enquêtes van mij, een paar keer per jaar."
SURVEY_ALREADY_IN = "Je krijgt al enquêtes van mij. Liever niet? Typ **geen enquêtes**."
# Regie's card when a round closes.
SURVEY_RESULT_TITLE = "Enquête ICT-beleving gesloten: {label}"
SURVEY_RESULT_PERIOD = "Van {started} tot {closed}. {respondents} van {invited} medewerkers gaven antwoord ({rate})."
SURVEY_NO_NORM = "geen norm"
SURVEY_REMARKS_HEADER = "Toelichtingen van medewerkers (alleen voor regie)"
SURVEY_NO_REMARKS = "Geen toelichtingen."


def survey_number(number: float | None) -> str:
    """7.5 -> "7,5", 8.0 -> "8", None -> "-"."""
    return "-" if number is None else f"{number:g}".replace(".", ",")


def survey_result_line(*, mean: float | None, norm: float | None, met: bool | None, responses: int, rate: float | None) -> str:
    """One question's result as the card and the report show it: "gemiddeld 7,6 ✗ (norm 8; 41 antwoorden, 82%)"."""
    if mean is None:
        return "geen antwoorden"
    dutch = survey_number
    mark = "" if met is None else (" ✓" if met else " ✗")
    norm_text = SURVEY_NO_NORM if norm is None else f"norm {dutch(norm)}"
    rate_text = "-" if rate is None else f"{dutch(rate)}%"
    answers = counted(responses, "antwoord", "antwoorden")
    return f"gemiddeld {dutch(mean)}{mark} ({norm_text}; {answers}, {rate_text})"


# -- counting and weeks, for the summaries -------------------------------------------------------
def counted(number: int, one: str, more: str) -> str:
    """"1 antwoord", "2 antwoorden", "0 antwoorden"."""
    return f"{number} {one if number == 1 else more}"


def week_name(iso_week: str) -> str:
    """"2026-W49" as people say it: "week 49"; anything else as it is."""
    year, _, week = iso_week.partition("-W")
    return f"week {int(week)}" if year.isdigit() and week.isdigit() else iso_week


def weekly_legend(*, policy: str, previous: str) -> str:
    """Under the weekly card's title: which norms, and what the arrows compare with."""
    return f"Gemeten met de normen van {policy}. De kolom Vorige en de pijlen (▲ beter, ▼ slechter) vergelijken met {previous}."


# == the servicedesk's ticket card and regie's notices (bot.cards) ================================
# On a card, people's words are shown literally (``plain.run`` in bot.cards), so the card texts below do not escape them; the
# messages to the reporter at the end are markdown and quote people's words through ``_typed``.

# -- names of things on the cards ------------------------------------------------------------------
SERVICEDESK = "de servicedesk"  # who did something, when no agent's name is known
NOBODY = "nog niemand"  # the owner of a ticket nobody has picked up
# The treatment lines (storage.agents.Lines: "1" is the servicedesk itself).
LINE_NAMES = {"1": "1e lijn (servicedesk)", "2": "2e lijn", "3": "3e lijn"}
# How the reporter got a working device again (storage.tickets.DEVICE_HOW).
DEVICE_HOW_NAMES = {"swap": "omgeruild", "loaner": "leentoestel", "virtual": "virtuele werkplek"}
# The kinds of security incident (sla.priority.SECURITY_KINDS), as the servicedesk and regie read
# them; SECURITY_NAMES above is how the employee reads them.
SECURITY_KIND_NAMES = {
    "kwijt": "apparaat kwijt of gestolen",
    "datalek": "datalek",
    "actieve_aanval": "actieve aanval (virus, ransomware)",
    "account_gehackt": "account gehackt",
    "phishing": "phishing",
    "anders": "ander beveiligingsincident",
}
MAJOR_INCIDENT = "Major incident"
LINKED_TO_MAJOR = "Hoort bij major incident"
SECURITY_INCIDENT = "Beveiligingsincident"
SOLUTION = "Oplossing"
TITLE = "Titel"
CAUSE_AND_LESSONS = "Oorzaak en leerpunten"


def other_line(*, line: str | None) -> str:
    """A treatment line that LINE_NAMES does not name."""
    return f"lijn {line}"


def line_queue(*, line: str) -> str:
    """"de wachtrij van de 2e lijn" (``line``: a name from LINE_NAMES)."""
    return f"de wachtrij van de {line}"


def countdown(*, minutes: int, late: bool) -> str:
    """"nog 13 min", "nog 2 u 5 min", "nog 2 u", "nog 3 dagen", or "12 min te laat"."""
    if minutes >= 2 * 24 * 60:
        amount = f"{minutes // (24 * 60)} dagen"
    elif minutes >= 60:
        amount = f"{minutes // 60} u {minutes % 60} min" if minutes % 60 else f"{minutes // 60} u"
    else:
        amount = f"{minutes} min"
    return f"{amount} te laat" if late else f"nog {amount}"


def deadline(*, when: str, left: str) -> str:
    """"uiterlijk vandaag om 11:00 (nog 13 min)"."""
    return f"uiterlijk {when} ({left})"


# -- "Label: value" lines and headings on the ticket card and regie's cards ------------------------
LABEL_STATUS = "Status"
LABEL_REPORTER = "Melder"
LABEL_PRIORITY = SUMMARY_FIELDS["priority"]
LABEL_PRIORITY_REASON = "Reden prioriteit"
LABEL_UPLIFT_MOTIVATION = "Motivatie P1-uplift"
LABEL_MOTIVATION = "Motivatie bij melding"  # a motivation given with a report that did not become P1-uplift
LABEL_CATEGORY = "Categorie"
LABEL_CALL_BACK = "Bel terug"
LABEL_REPORTED = "Gemeld"
LABEL_REPORTED_VIA = "Gemeld via"
LABEL_SUPPLIER_NUMBER = "Nummer bij leverancier"
LABEL_OWNER = "Eigenaar"
LABEL_LINE = "Behandellijn"
LABEL_PICKED_UP = "Opgepakt"
LABEL_ATTENTION = "Let op"
LABEL_PUBLIC_TITLE = "Publieke titel"
LABEL_WAITING_FOR = "Wacht op"
LABEL_NEXT_UPDATE = "Volgende update aan melder"
LABEL_AGREED_DATE = "Update afgesproken op"
LABEL_CALLBACK_DUE = "Terugbellen"
LABEL_REPORTER_PHONE = "Telefoon melder"
LABEL_CHANGED_BY = "Gewijzigd door"
LABEL_REASON = "Reden"
LABEL_DEADLINE = "Termijn"
LABEL_PIKET = "Piketdienst"
LABEL_WHAT_HAPPENED = SUMMARY_FIELDS["security"]
LABEL_REPORT_TO_AP = "Melden bij de AP"
LABEL_DECLARED_BY = "Verklaard door"
LABEL_RCA_BY = "RCA gedeeld door"
LABEL_RCA_REPORT = "Rapport"
HEADING_DESCRIPTION = "Omschrijving"
HEADING_DEADLINES = "Termijnen"

# What each clock is called on the servicedesk card (sla.fold's clock names) ...
CARD_CLOCK_LABELS = {
    "first_response": "Eerste inhoudelijke reactie",
    "resolution": SOLUTION,
    "definitive_resolution": "Definitieve oplossing",
    "containment": "Beveiligingsincident begrensd (containment)",
    "onsite": "Monteur op locatie",
    "device_fallback": "Vervangend toestel",
    "data_breach": "Datalek gemeld bij de AP",
    "rca": "Oorzaakanalyse (RCA) gedeeld",
}
CLOCK_CALL = " (bel de melder)"  # after the first response's name, when the policy wants a call
CLOCK_OR_WORKAROUND = " of noodoplossing"  # after the resolution's name, when a workaround meets it
CLOCK_STOPPED = "de klok staat stil zolang we op een derde wachten"
# ... and in regie's notices, where it follows "Dreigt te laat: M-12, " (with the update and wait norms).
REGIE_CLOCK_NAMES = {
    "first_response": "reactietermijn (eerste inhoudelijke reactie)",
    "resolution": "oplostermijn",
    "definitive_resolution": "definitieve oplostermijn",
    "containment": "containment van het beveiligingsincident",
    "onsite": "termijn monteur op locatie",
    "device_fallback": "termijn vervangend toestel",
    "data_breach": "melding datalek (72 uur)",
    "rca": "oorzaakanalyse (RCA) na een major incident",
    "update": "statusupdate aan de melder",
    "wait": "wacht op derde",
}


def clock_done(*, when: str, late: bool) -> str:
    """A clock that stopped: "gedaan vandaag om 10:12", with " (te laat)" when it was late."""
    return f"gedaan {when}" + (" (te laat)" if late else "")


def waiting_since(*, party: str | None, since: str, too_long: bool) -> str:
    """The open wait on a third party (``party``: the agent's words, shown literally)."""
    text = f"{party or 'een derde'} sinds {since}"
    return text + (" (langer dan toegestaan, regie is ingelicht)" if too_long else "")


# -- the ticket card ---------------------------------------------------------------------------------
PUBLIC_TITLE_MISSING = "nog niet bevestigd: collega's met dezelfde storing krijgen deze melding niet aangeboden"
UPDATE_OVERDUE = "de melder kreeg een update zonder nieuws: stuur een update"
FIRST_REACTION_MISSING = "Nog nodig voor de eerste reactie"
AGREED_DATE_MISSING = "nog niet: spreek een datum af met de melder"
CONTAINED = "ingedamd"
NOT_CONTAINED = "nog niet ingedamd"


def ticket_card_title(*, label: str, priority: str) -> str:
    return f"Melding {label} · {priority}"


def reporter_and_phone(*, name: str, phone: str | None) -> str:
    """The reporter's name (and number), shown literally on the card."""
    return name + (f", bel {phone}" if phone else "")


def nobody_in_queue(*, line: str) -> str:
    return f"{NOBODY}: in {line_queue(line=line)}"


def picked_up_by(*, agent: str, when: str) -> str:
    return f"door {agent} {when}"


def priority_changed_reason(*, was: object, now: object, reason: str | None) -> str:
    return f"gewijzigd van {was} naar {now}: {reason or '-'}"


def first_reaction_missing(*, reaction: bool, call: bool) -> str | None:
    """What the servicedesk still owes for the first response to count (annex "eerste
    inhoudelijke reactie"; PvE P1 "telefonisch contact verplicht"); None when nothing."""
    needed = [
        *([f"de prioriteit voorlopig vaststellen en de volgende stap aan de melder laten weten ({CARD_BUTTONS['react']})"] if reaction else []),
        *([f"de melder bellen ({CARD_BUTTONS['call']})"] if call else []),
    ]
    return " en ".join(needed) or None


def public_title_suggestion(*, category: str) -> str:
    """The public title offered before the servicedesk writes one."""
    return f"Storing {category}"


# The ticket card's buttons, by the name of the form behind them (bot.cards): the button that
# opens a form, and the one that sends it, unless CARD_SEND_BUTTONS names that one.
CARD_BUTTONS = {
    "take": "Oppakken",
    "react": "Reageren",
    "call": "Gebeld",
    "update": "Update naar melder",
    "wait": "Wacht op derde",
    "resume": "Hervat",
    "resolve": "Opgelost",
    "workaround": "Noodoplossing",
    "agreed_date": "Datum afspreken",
    "priority": "Prioriteit wijzigen",
    "hand_over": "Overdragen",
    "device_needed": "Leentoestel nodig",
    "device_done": "Toestel geleverd",
    "onsite_needed": "Monteur op locatie nodig",
    "onsite_done": "Monteur is ter plaatse",
    "security": SECURITY_INCIDENT,
    "contained": "Ingedamd",
    "breach_reported": "Gemeld bij AP",
    "major": MAJOR_INCIDENT,
    "link": LINKED_TO_MAJOR,
    "rca": "RCA delen",
    "reopen": "Heropenen",
    "public_title": "Titel bevestigen",
}
CARD_SEND_BUTTONS = {
    "react": "Reactie versturen",
    "call": "Gesprek vastleggen",
    "update": "Versturen",
    "workaround": "Noodoplossing vastleggen",
    "agreed_date": "Datum vastleggen",
    "onsite_needed": "Monteur nodig",
    "security": "Vastleggen",
    "major": "Major incident verklaren",
    "link": "Koppelen",
}
# A form's button once what it records is there: it changes it.
CARD_CHANGE_BUTTONS = {
    "agreed_date": "Andere datum afspreken",
    "security": "Beveiliging wijzigen",
    "public_title": "Titel wijzigen",
}
CARD_MORE = "Meer"  # the button that shows the rarely used buttons

# The forms behind the buttons: what an input asks, its example, and what a missing answer gets.
INPUT_REQUIRED = "Vul dit in."
CHOICE_REQUIRED = "Maak een keuze."
DATE_REQUIRED = "Kies een datum vanaf vandaag."
MAY_BE_EMPTY = " (mag leeg)"
REPORTER_READS = " (de melder krijgt die te zien)"
REACTION_WITH_PICK_UP = (
    "Vul ook de prioriteit en de volgende stap in: dan is dit meteen de eerste inhoudelijke reactie aan de melder."
)
REACTION_INTRO = "Geef de melder een eerste inhoudelijke reactie: de voorlopige prioriteit en de volgende stap."
REACTION_PRIORITY = "Prioriteit (voorlopig)"
REACTION_REASON = f"Reden, als je de prioriteit wijzigt{REPORTER_READS}"
NEXT_STEP = f"Volgende stap{REPORTER_READS}"
NEXT_STEP_EXAMPLE = "Bijvoorbeeld: ik bel je binnen 10 minuten en kijk op afstand mee."
MESSAGE_TO_REPORTER = "Bericht aan de melder"
MESSAGE_TO_REPORTER_OPTIONAL = MESSAGE_TO_REPORTER + MAY_BE_EMPTY
NOTE_OPTIONAL = "Notitie" + MAY_BE_EMPTY
CALL_REACHED = "Melder bereikt?"
CALL_REACHED_YES = "Ja, gesproken"
CALL_REACHED_NO = "Nee, niet bereikt"
CALL_NOTE = "Notitie (alleen voor de servicedesk)"
UPDATE_EXAMPLE = "Wat is er gedaan, wat komt er nog?"
WAIT_PARTY = "Op wie wachten we?"
WAIT_PARTY_EXAMPLE = "Bijvoorbeeld: leverancier Ricoh"
WAIT_REASON = "Waarom?"
WAIT_REASON_EXAMPLE = "Bijvoorbeeld: onderdeel besteld"
WAIT_EXPECTED = "Wanneer verwachten ze klaar te zijn?" + MAY_BE_EMPTY
SOLUTION_INPUT = SOLUTION + REPORTER_READS
WORKAROUND_INPUT = f"Welke noodoplossing?{REPORTER_READS}"
WORKAROUND_EXAMPLE = "Bijvoorbeeld: leenlaptop uitgegeven"
AGREED_DATE_INPUT = "Wanneer hoort de melder van ons?"
NEW_PRIORITY = "Nieuwe prioriteit"
PRIORITY_REASON_INPUT = LABEL_REASON + REPORTER_READS
PRIORITY_REASON_EXAMPLE = "Bijvoorbeeld: het hele team kan niet werken."
HAND_OVER_TO = "Aan wie?"
DEVICE_NOTE_EXAMPLE = "Bijvoorbeeld: laptop start niet, koerier naar Utrecht"
DEVICE_HOW_INPUT = "Hoe heeft de melder weer een werkend toestel?"
ONSITE_WHERE = "Waar? (de melder krijgt dit te zien)"
IS_DATA_BREACH = "Is het een datalek?"
IS_DATA_BREACH_YES = "Ja: de privacy-officer krijgt meteen bericht"
CONTAINED_INPUT = "Hoe is het incident ingedamd?"
CONTAINED_EXAMPLE = "Bijvoorbeeld: account geblokkeerd, sessies beëindigd"
BREACH_REPORTED_NOTE = "Kenmerk of notitie" + MAY_BE_EMPTY
MAJOR_TITLE_EXAMPLE = "Bijvoorbeeld: Storing Outlook"
LINK_TO_INPUT = "Nummer van het major incident"
LINK_TO_EXAMPLE = "Bijvoorbeeld: M-12"
RCA_SUMMARY_INPUT = f"{CAUSE_AND_LESSONS} (regie krijgt dit te zien)"
RCA_LINK_INPUT = "Link naar het rapport" + MAY_BE_EMPTY
PUBLIC_TITLE_INPUT = "Titel die collega's met dezelfde storing zien (geen namen of details)"


def colleague_choice(*, name: str, line: str) -> str:
    """A colleague to hand over to: "Lisa Bakker (2e lijn)"."""
    return f"{name} ({line})"


def queue_choice(*, line: str) -> str:
    """A line's queue to hand over to: "Wachtrij 2e lijn"."""
    return f"Wachtrij {line}"


# -- the history on the ticket card, one line per event (sla.events) -------------------------------
# ``agent``: who did it (SERVICEDESK when unknown). People's words in a line are shown literally.
HISTORY_HOLDING = "Automatisch bericht aan melder: nog geen nieuws (telt niet als update)"
HISTORY_PRODUCTIVE_AGAIN = "Melder kan weer werken"
HISTORY_CLOSED = "Gesloten"


def _also(words: object, prefix: str = ": ") -> str:
    """What a history line adds when the event has it: ": the note", or nothing."""
    return f"{prefix}{words}" if words else ""


def history_reported(*, reporter: str) -> str:
    return f"Gemeld door {reporter}"


def history_acknowledged(*, agent: str, note: str | None) -> str:
    return f"Opgepakt door {agent}" + _also(note)


def history_reaction(*, agent: str, priority: object, next_step: str | None, message: str | None) -> str:
    return f"Eerste reactie van {agent}: prioriteit {priority}, volgende stap: {next_step or '-'}" + _also(message, " · bericht: ")


def history_call(*, agent: str, reached: bool, note: str | None) -> str:
    return f"{agent} belde de melder: {'bereikt' if reached else 'niet bereikt'}" + _also(note)


def history_priority_changed(*, agent: str, was: object, now: object, reason: str | None) -> str:
    return f"Prioriteit {was} → {now} door {agent}: {reason or '-'}"


def history_waiting(*, agent: str, party: str | None, reason: str | None, expected: str | None) -> str:
    """``expected``: the day the third party expects to be done, as people say it."""
    until = f" (verwacht {expected})" if expected else ""
    return f"Wacht op {party or 'derde'} ({agent}): {reason or '-'}{until}"


def history_resumed(*, agent: str) -> str:
    return f"Hervat door {agent}"


def history_update(*, agent: str, text: str | None) -> str:
    return f"Update aan melder door {agent}: {text or '-'}"


def history_status_update(*, holding: bool) -> str:
    return "Automatische statusupdate aan melder" + (" (zonder nieuws)" if holding else "")


def history_workaround(*, agent: str, note: str | None) -> str:
    return f"Noodoplossing door {agent}: {note or '-'}"


def history_resolved(*, agent: str, solution: str | None) -> str:
    return f"Opgelost door {agent}: {solution or '-'}"


def history_reopened(*, agent: str, reason: str | None) -> str:
    return f"Heropend door {agent}: {reason or '-'}"


def history_handed_over(*, agent: str, to_name: str | None, to_line: str, from_line: str | None) -> str:
    """``to_line``, ``from_line``: names from LINE_NAMES; ``from_line`` None when the line stayed."""
    lines = f" ({from_line} → {to_line})" if from_line is not None else ""
    return f"Overgedragen aan {to_name or line_queue(line=to_line)} door {agent}{lines}"


def history_csat(*, score: object) -> str:
    return f"Tevredenheid van de melder: {score}"


def history_info_added(*, text: str | None) -> str:
    return f"Aanvulling: {text or '-'}"


def history_agreed_date(*, agent: str, day: str) -> str:
    return f"Afgesproken datum voor de update: {day} ({agent})"


def history_device_needed(*, agent: str, note: str | None) -> str:
    return f"Leentoestel nodig ({agent})" + _also(note)


def history_device_done(*, agent: str, how: str, note: str | None) -> str:
    return f"Werkend toestel geleverd: {how} ({agent})" + _also(note)


def history_onsite_needed(*, agent: str, location: str | None, note: str | None) -> str:
    return f"Monteur op locatie nodig ({agent})" + _also(location) + _also(note, " · ")


def history_onsite_done(*, agent: str, note: str | None) -> str:
    return f"Monteur is ter plaatse ({agent})" + _also(note)


def history_security(*, agent: str, kind: str, data_breach: bool) -> str:
    """``kind``: a name from SECURITY_KIND_NAMES; ``data_breach``: also a data breach (another kind)."""
    breach = f", {SECURITY_KIND_NAMES['datalek']}" if data_breach else ""
    return f"{SECURITY_INCIDENT} ({kind}{breach}) door {agent}"


def history_contained(*, agent: str, note: str | None) -> str:
    return f"Ingedamd door {agent}: {note or '-'}"


def history_breach_reported(*, agent: str, note: str | None) -> str:
    return f"Datalek gemeld bij de AP ({agent})" + _also(note)


def history_major(*, agent: str, title: str | None) -> str:
    return f"{MAJOR_INCIDENT} verklaard door {agent}: {title or '-'}"


def history_linked(*, agent: str, ticket: object) -> str:
    return f"Melding {ticket} gekoppeld door {agent}"


def history_rca(*, agent: str, summary: str | None, link: str | None) -> str:
    return f"RCA gedeeld door {agent}: {summary or '-'}" + _also(link, " · ")


def history_public_title(*, agent: str, title: str | None) -> str:
    return f"{LABEL_PUBLIC_TITLE} door {agent}: {title or '-'}"


# -- regie's cards: a new P1, a deadline, the piket, a data breach, a major incident ----------------
def new_p1_title(*, priority: str, label: str) -> str:
    return f"Nieuwe {priority}: {label}"


def raised_to_p1_title(*, priority: str, label: str, was: str) -> str:
    return f"Prioriteit verhoogd naar {priority}: {label} (was {was})"


def done_picked_up(*, when: str) -> str:
    return f"gedaan: opgepakt {when}"


def wait_too_long_title(*, label: str) -> str:
    return f"Wacht te lang op een derde: {label}"


def wait_too_long_since(*, when: str) -> str:
    return f"langer dan toegestaan sinds {when}"


def breached_title(*, label: str, what: str) -> str:
    """A breach queued before breaches became escalations (bot.escalation_cards)."""
    return f"Overschreden: {label}, {what}"


def piket_title(*, priority: str, label: str) -> str:
    return f"Piket: {priority} buiten kantoortijd, {label}"


def data_breach_title(*, label: str) -> str:
    return f"Datalek: {label}"


def report_to_ap_by(*, when: str | None) -> str:
    """When regie must report a data breach to the AP (AVG art. 33: 72 hours after discovery)."""
    due = f"uiterlijk {when} (72 uur na ontdekking)" if when else "binnen 72 uur na ontdekking"
    return f"{due}, als het lek een risico is voor de betrokkenen"


REPORTED_TO_AP_HOW = f"Is het gemeld? De servicedesk of regie zet \"{CARD_BUTTONS['breach_reported']}\" op de kaart van de melding."


def major_title(*, label: str) -> str:
    return f"{MAJOR_INCIDENT}: {label}"


def major_rca_title(*, label: str) -> str:
    return f"RCA major incident {label}"


# -- what the reporter reads after a servicedesk action (bot.cards.REPORTER_TEXTS) ------------------
# Markdown: ``label`` comes in bold ("**M-12**"); the agent's words are quoted after a colon through
# ``_typed``, so Teams shows them as the agent typed them.
DEVICE_HOW_FOR_REPORTER = {"swap": "je apparaat is omgeruild", "loaner": "een leentoestel", "virtual": "een virtuele werkplek"}


def _typed(words: object, default: str = "-") -> str:
    """What a person typed (a reason, a next step, a message, a name, a place), shown as typed
    (``plain.markdown``), or the bot's own ``default``."""
    return plain.markdown(words) if words else default


def _by(when: str | None) -> str:
    return f" uiterlijk {when}" if when else ""


def first_response_by(*, when: str, call: bool, phone: str | None = None) -> str:
    """When the servicedesk reacts, and for P1 that it calls (on ``phone`` when the reporter gave
    one): in the ticket's first message and after a priority change."""
    calls = (f" en belt je op {phone}" if phone else " en belt je op") if call else ""
    return f"De servicedesk reageert uiterlijk {when}{calls}."


def priority_changed_for_reporter(*, label: str, was: str, now: str, reason: str | None) -> str:
    """``was`` and ``now``: names from PRIORITY_LABELS."""
    return f"De prioriteit van je melding {label} is veranderd van {was} naar {now}.\n\nReden: {_typed(reason)}"


def reaction_for_reporter(
    *, label: str, agent: str | None, priority: str, was: str | None, reason: str | None, then: list[str],
    next_step: str | None, message: str | None,
) -> str:
    """The first substantive reaction. ``priority``, ``was``: names from PRIORITY_LABELS (``was``
    when the reaction changed it); ``then``: the sentences that follow a change (deadlines, rhythm)."""
    lines = [f"{_typed(agent, SERVICEDESK.capitalize())} heeft je melding {label} bekeken."]
    if was is not None:
        lines.append(f"De prioriteit is nu {priority}; eerst was dat {was}. Reden: {_typed(reason)}")
        lines.extend(then)
    else:
        lines.append(f"De prioriteit is voorlopig {priority}.")
    lines.append(f"Volgende stap: {_typed(next_step)}")
    if message:
        lines.append(f"Bericht van {_typed(agent, SERVICEDESK)}: {_typed(message)}")
    return "\n\n".join(lines)


def call_missed_for_reporter(*, label: str, agent: str | None) -> str:
    return (
        f"{_typed(agent, SERVICEDESK.capitalize())} belde je over je melding {label}, maar kreeg je niet te pakken. "
        "Houd je telefoon bij de hand: we bellen je opnieuw."
    )


def waiting_for_reporter(*, label: str, party: str | None, reason: str | None, expected: str | None) -> str:
    """``expected``: the day the third party expects to be done, as people say it."""
    text = f"Voor je melding {label} wachten we op {_typed(party, ITSM_WAIT_PARTY)}: {_typed(reason)}"
    if expected:
        text += "\n\n" + STATUS_UPDATE_EXPECTED.format(day=expected)
    return text + "\n\nJe blijft wel op de hoogte van hoe het ervoor staat."


def agent_update_for_reporter(*, label: str, agent: str | None, text: str | None) -> str:
    return f"Bericht van {_typed(agent, SERVICEDESK)} over je melding {label}:\n\n{_typed(text, '')}"


def workaround_for_reporter(*, label: str, note: str | None) -> str:
    return (
        f"Er is een noodoplossing voor je melding {label}: {_typed(note)}\n\n"
        "Dit is tijdelijk; we werken verder aan een echte oplossing."
    )


def resolved_for_reporter(*, label: str, solution: str | None) -> str:
    return (
        f"Je melding {label} is opgelost: {_typed(solution)}\n\n"
        "Werkt het toch nog niet? Laat het ons weten, dan kijken we opnieuw."
    )


def reopened_for_reporter(*, label: str, reason: str | None) -> str:
    return REOPENED_FOR_REPORTER.format(label=label, reason=_typed(reason))


def handed_over_for_reporter(*, label: str, to: str | None) -> str:
    return f"Je melding {label} is overgedragen aan {_typed(to, 'een collega')} van de servicedesk."


def back_to_servicedesk(*, label: str) -> str:
    return f"Je melding {label} ligt weer bij de servicedesk. Een collega pakt hem op."


def handed_to_line(*, label: str, line: str) -> str:
    """``line``: a name from LINE_NAMES."""
    return f"Je melding {label} is doorgezet naar de {line}. Daar pakt een specialist hem op."


def agreed_date_for_reporter(*, label: str, by: str | None, day: str) -> str:
    """``by``: the moment the next update is due, if known; else ``day``, the agreed date."""
    when = f"uiterlijk {by}" if by else f"op {day}"
    return f"Afgesproken: je hoort {when} van ons over je melding {label}."


def device_needed_for_reporter(*, label: str, by: str | None) -> str:
    return (
        f"Voor je melding {label} krijg je{_by(by)} een vervangend apparaat, zodat je weer kunt werken. "
        "We laten je weten hoe je het krijgt."
    )


def device_done_for_reporter(*, label: str, how: str | None) -> str:
    """``how``: a key of DEVICE_HOW_FOR_REPORTER (storage.tickets.DEVICE_HOW)."""
    device = DEVICE_HOW_FOR_REPORTER.get(how or "", "een werkend apparaat")
    return f"Je kunt weer werken: {device} (melding {label}). Werkt het niet goed? Laat het ons weten."


def onsite_needed_for_reporter(*, label: str, by: str | None, location: str | None) -> str:
    where = f" ({_typed(location)})" if location else ""
    return f"Voor je melding {label} komt er{_by(by)} een monteur bij je langs{where}."


def linked_to_major_for_reporter(*, label: str, major: object) -> str:
    return (
        f"Je melding {label} hoort bij een grotere storing: **{major}**. We werken aan één oplossing.\n\n"
        f"Je krijgt vanaf nu de updates van **{major}**. Typ **status {major}** voor de stand."
    )


# == answers to card clicks, the outbox's notices, channel set-up, escalation and reach cards ======

# -- answers to a click on the servicedesk's ticket card (bot.card_actions) -------------------------
CARD_NOT_AGENT = "Alleen medewerkers van de servicedesk kunnen een melding oppakken."
CARD_NOT_ALLOWED = "Alleen medewerkers van de servicedesk kunnen dit doen."
CARD_UNKNOWN_BUTTON = "Deze knop ken ik niet."
CARD_TICKET_NOT_FOUND = "Deze melding bestaat niet (meer)."
CARD_NAMELESS_CLICKER = "Servicedesk"  # the name written down for a clicker Teams sends without one
A_COLLEAGUE = "een collega"  # who gets a handed-over ticket, when the bot has not seen their name yet
# What to fix when a form on the ticket card was not filled in as it must be, per button; the second
# sentence says when the button works.
WHILE_OPEN = "Dat kan zolang de melding open is."
AFTER_PICK_UP = "Dat kan nadat de melding is opgepakt."
CARD_INVALID_PRIORITY = "Kies een andere prioriteit en geef een reden op."
CARD_INVALID_REACTION = (
    f"Vul de volgende stap in. Wijzig je de prioriteit, geef dan ook de reden. {WHILE_OPEN}"
)
CARD_INVALID_CALL = f"Kies of je de melder hebt bereikt. {WHILE_OPEN}"
CARD_INVALID_AGREED_DATE = "Kies een datum vanaf vandaag. Een afgesproken datum voor updates hoort bij P4."
CARD_INVALID_WAIT = (
    "Vul in op wie we wachten en waarom. Een verwachte datum mag niet in het verleden liggen. "
    "Wachten op een derde kan alleen bij een opgepakte melding."
)
CARD_INVALID_RESUME = "Deze melding wacht niet op een derde."
CARD_INVALID_UPDATE = f"Schrijf een bericht voor de melder. {AFTER_PICK_UP}"
CARD_INVALID_WORKAROUND = f"Beschrijf de noodoplossing. {AFTER_PICK_UP}"
CARD_INVALID_RESOLVE = f"Beschrijf de oplossing. {AFTER_PICK_UP}"
CARD_INVALID_REOPEN = "Geef een reden op. Alleen een opgeloste melding kan weer open."
CARD_INVALID_HAND_OVER = "Kies een collega van de servicedesk die de melding nog niet heeft, of een andere lijn."
CARD_INVALID_ACKNOWLEDGE = (
    "Je kunt deze melding niet meer oppakken. Vul je een volgende stap in? "
    "Geef dan bij een andere prioriteit ook de reden."
)
CARD_INVALID_DEVICE_NEEDED = "Voor deze melding is al een vervangend apparaat geregeld."
CARD_INVALID_DEVICE_DONE = "Kies hoe de melder weer een werkend apparaat heeft. Dat kan als er een leentoestel nodig was."
CARD_INVALID_ONSITE_NEEDED = "Voor deze melding is al een monteur geregeld."
CARD_INVALID_ONSITE_DONE = "Er is geen monteur onderweg voor deze melding."
CARD_INVALID_SECURITY = (
    "Kies wat er is gebeurd en of het een datalek is (of iets anders dan nu). Een datalek blijft een datalek: "
    "de privacy-officer beslist over de melding bij de AP."
)
CARD_INVALID_CONTAINED = "Beschrijf hoe het incident is ingedamd. Dat kan bij een beveiligingsincident dat nog niet is ingedamd."
CARD_INVALID_BREACH_REPORTED = "Dit kan bij een datalek dat nog niet bij de AP is gemeld."
CARD_INVALID_MAJOR = "Geef het major incident een titel. Dat kan één keer, zolang de melding open is."
CARD_INVALID_LINK = (
    "Vul het nummer in van een open major incident (bijvoorbeeld M-12). "
    "Een melding kan aan één major incident hangen."
)
CARD_INVALID_RCA = "Vat de RCA samen. Dat kan één keer, na de oplossing van een major incident."
CARD_INVALID_PUBLIC_TITLE = f"Schrijf een korte titel die collega's mogen zien, zonder namen. {WHILE_OPEN}"

# -- messages the outbox renders (bot.delivery) ------------------------------------------------------
def reporter_unreachable(*, label: str, reporter: str, phone: str | None) -> str:
    """For the servicedesk: the bot cannot reach a reporter. ``reporter`` and ``phone`` as typed."""
    call = f" Bel de melder op {plain.markdown(phone)}." if phone else " Neem op een andere manier contact op."
    return (
        f"De melder van **{label}** ({plain.markdown(reporter)}) is niet bereikbaar via Teams: "
        f"de bot is verwijderd of geblokkeerd.{call}"
    )


# -- the reporter's closing questions (bot.feedback_cards) -------------------------------------------
FEEDBACK_TICKET_HEADING = "Melding {label}"
FEEDBACK_RESOLVED_HEADING = "Melding {label} is opgelost"
MTTP_NOT_YET_BUTTON = "Nog niet"
CSAT_QUESTION = "Hoe tevreden ben je over de hulp? Tik een cijfer van 1 tot 10."
CSAT_REMARK_LABEL = "Opmerking (mag leeg blijven)"

# -- linking a channel (bot.teams_bot) ---------------------------------------------------------------
CHANNEL_ONLY_ADMINS = "Alleen beheerders kunnen een kanaal koppelen."
CHANNEL_HELP = (
    "In een kanaal kan ik dit: **koppel dit kanaal als servicedesk** (of **regie**, of **overleg**). "
    f"{CHANNEL_ONLY_ADMINS} In het servicedeskkanaal maak je met **aankondiging** "
    "een bericht aan medewerkers over een storing, wijziging of onderhoud. "
    "Een storing meld je in een persoonlijke chat met mij."
)
# What a linked channel receives from now on, by the role it was linked as.
CHANNEL_LINKED = {
    "servicedesk": "Dit kanaal is nu gekoppeld als **servicedesk**. Nieuwe meldingen verschijnen hier als kaart.",
    "regie": "Dit kanaal is nu gekoppeld als **regie**. P1-meldingen en escalaties komen hier binnen.",
    "overleg": "Dit kanaal is nu gekoppeld als **overleg**. Het wekelijkse SLA-overzicht komt hier.",
}
CHANNEL_NOT_ADMIN = f"{CHANNEL_ONLY_ADMINS} Vraag je beheerder om dit te doen."

# -- an escalation's card and the weekly reminder (bot.escalation_cards) -----------------------------
LABEL_SUBJECT = "Onderwerp"
LABEL_STATE = "Stand"  # an escalation's or an announcement's
ESCALATION_NORM_MISSED_TITLE = "Maandnorm niet gehaald ({period}): {norm}"
ESCALATION_NO_NEWS_TITLE = "Melder zonder nieuws: {label}, {what}"
ESCALATION_HEADING = "Escalatie {level} ({name})"
ESCALATION_TICKET_STATUS = "Status melding"
ESCALATION_TICKET_OWNER = "Eigenaar melding"
ESCALATION_RESULT = "Resultaat"
ESCALATION_REASON = "Waarom"
ESCALATION_PROPOSED = " (voorgesteld: {level})"


def escalation_level_by(*, name: str, proposed: str | None) -> str:
    """Who set the level, and what the bot had proposed when regie chose another."""
    return f"Niveau vastgesteld door {name}" + (ESCALATION_PROPOSED.format(level=proposed) if proposed else "")


ESCALATION_HOLDER = "Actiehouder"
ESCALATION_INFORM = "Informeren"
ESCALATION_START_BY = "Start uiterlijk"
ESCALATION_WHAT = "Wat"
ESCALATION_CAUSE_LABEL = "Oorzaak"
ESCALATION_CORRECTIVE_LABEL = "Herstelactie"
ESCALATION_RECORDED_BY = "Vastgelegd door"
ESCALATION_EVALUATION_HEADING = "Evaluatie"
ESCALATION_CLOSED_BY = "Afgesloten door {name}"
ESCALATION_CLOSED_BY_NOBODY = "regie"  # closed, but no name was written down
ESCALATION_DUE_INVALID = "Kies een datum."


def working_days(days: int) -> str:
    """"1 werkdag", "3 werkdagen"."""
    return counted(days, "werkdag", "werkdagen")


def calendar_days(days: int) -> str:
    """"1 dag", "12 dagen"."""
    return counted(days, "dag", "dagen")


ESCALATION_REMINDER_TITLE = "Open escalaties N2/N3, week {week}: {count}"
ESCALATION_REMINDER_INTRO = (
    "Wekelijkse voortgang (PvE §2.4.3 B4). Sluit een escalatie af op haar eigen kaart, met een evaluatie."
)
ESCALATION_OPEN_SINCE = "Open sinds"
ESCALATION_OPEN_DAYS = "{day} ({days})"  # days: calendar_days(n)
ESCALATION_ACTION_LINE = "{action} (eigenaar {owner}, klaar op {due})"
# An improvement action's state, on the reminder and in the reports.
ACTION_DONE = "gereed"
ACTION_LATE = "te laat"
ACTION_OPEN = "open"

# -- the sender's card of an announcement (bot.reach_cards) ------------------------------------------
CAMPAIGN_FOR = "Voor"
CAMPAIGN_WHEN = "Wanneer"
CAMPAIGN_BY = "Door"
CAMPAIGN_SENT_FROM = "Verstuurd vanaf"
WHAT_YOU_CAN_DO = "Wat kun je doen:"  # above what the servicedesk says to do meanwhile
CAMPAIGN_REFUSED = "Geweigerd"
CAMPAIGN_APPROVED_BY = "Goedgekeurd door regie"

# -- a period, as an announcement says it (dialogs.when) ---------------------------------------------


def period(*, start: str | None, end: str | None) -> str | None:
    """"van zaterdag 2 mei om 19:00 tot zaterdag 2 mei om 23:00", "vanaf …", "tot …"."""
    if start and end:
        return f"van {start} tot {end}"
    if start:
        return f"vanaf {start}"
    return f"tot {end}" if end else None


# -- the monthly report's link (bot.report_links) ----------------------------------------------------
REPORT_LINK_FORBIDDEN = "Deze link klopt niet. Vraag in het regiekanaal om het rapport."
REPORT_LINK_EXPIRED = (
    "Deze link is verlopen. Het rapport staat ook op de kaart van een volgende maand, "
    "of vraag een beheerder: servicedesk report monthly --month {month} --format pdf."
)


# == the weekly card, the monthly report and the words for the SLA layer's codes ==================

# -- the SLA layer's codes in words ----------------------------------------------------------------
# Why the intake's answers gave their priority (sla.priority.PriorityReason). The ticket keeps these
# words (its card and the supplier's ticket show them), so a change here reaches new tickets only.
PRIORITY_REASONS = {
    PriorityReason.SECURITY_DATA_BREACH: "Security-incident met hoog risico: datalek",
    PriorityReason.SECURITY_ACTIVE_ATTACK: "Security-incident met hoog risico: actieve aanval",
    PriorityReason.SECURITY_ACCOUNT_HACKED: "Security-incident met hoog risico: account gehackt (actieve aanval)",
    PriorityReason.SECURITY_DEVICE_LOST: "Security-incident met hoog risico: apparaat kwijt of gestolen",
    PriorityReason.SECURITY_PHISHING_CLICKED: "Security-incident met hoog risico: op phishing geklikt",
    PriorityReason.SECURITY_TO_ASSESS: "Security-incident; de servicedesk beoordeelt het risico",
    PriorityReason.BROAD_OUTAGE: "Brede storing van M365, netwerk, VPN of kernapplicatie",
    PriorityReason.QUESTION: "Vraag of standaardverzoek",
    PriorityReason.SEVERAL_TEAMS: "Meerdere teams of locaties met hinder",
    PriorityReason.EVERYONE: "Iedereen heeft hinder",
    PriorityReason.TEAM: "Klein team met hinder",
    PriorityReason.ONE_EMPLOYEE: "Eén medewerker met hinder",
    PriorityReason.CRITICAL_ROLE: "Kritieke rol of tijdkritische verplichting",
    PriorityReason.DIRECT_IMPACT: "Directe impact op continuïteit, veiligheid, publieke taak of reputatie",
    PriorityReason.CANNOT_WORK: "Kan taak niet uitvoeren",
}


def priority_reasons(why: tuple[PriorityReason, ...]) -> tuple[str, ...]:
    """The reasons for a priority in words, in the order the rule found them."""
    return tuple(PRIORITY_REASONS[reason] for reason in why)


# Why a clock was breached (sla.fold.BreachCause): "oorzaak" on the weekly card, "volgens de
# klokken" in the monthly report.
BREACH_CAUSES = {
    BreachCause.LATE: "te laat",
    BreachCause.PRIORITY_CHANGED: "prioriteit gewijzigd",
    BreachCause.WAITED_ON_THIRD_PARTY: "wachtte op derde",
    BreachCause.PAUSED: "gepauzeerd",
    BreachCause.NO_UPDATE: "geen update door de servicedesk",
}


def breach_cause(cause: str) -> str:
    """A breach's cause (a ``BreachCause`` code) in words."""
    return BREACH_CAUSES.get(cause, cause)


# -- the weekly card and the figures it shares with the monthly report (bot.summary) --------------
NOT_APPLICABLE = "n.v.t."  # not "-": Teams reads a lone dash in a fact as a markdown list item
MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)


def month_and_year(*, month: int, year: int) -> str:
    """"november 2026"."""
    return f"{MONTHS[month - 1]} {year}"


def day_range(first: date, last: date) -> str:
    """"27 april t/m 3 mei"; "1 t/m 7 juni" within one month."""
    if first.month == last.month:
        return f"{first.day} t/m {last.day} {MONTHS[last.month - 1]}"
    return f"{first.day} {MONTHS[first.month - 1]} t/m {last.day} {MONTHS[last.month - 1]}"


WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
NEAR_DAYS = {-1: "gisteren", 0: "vandaag", 1: "morgen"}  # by days from today


def day_name(day: date) -> str:
    """A date as people say it: "dinsdag 5 mei"."""
    return f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]}"


def moment(*, day: date, time: str, today: date) -> str:
    """A moment as people say it: "vandaag om 10:17", "dinsdag 28 april om 08:30"; the year only
    when it is not this year."""
    near = NEAR_DAYS.get((day - today).days)
    if near:
        return f"{near} om {time}"
    return f"{day_name(day)}{f' {day.year}' if day.year != today.year else ''} om {time}"


def first_up(label: str) -> str:
    """A label at the start of a line: "RCA gedeeld", "Eén eigenaar" (Dutch writes "Eén", and
    str.capitalize would lower the rest)."""
    if label.startswith("één"):
        return "Eén" + label[3:]
    return label[:1].upper() + label[1:]


# The contract's clocks as the reports name them (sla.policy.CLOCK_NAMES).
REPORT_CLOCK_NAMES = {
    "first_response": "reactie",
    "resolution": "oplossing",
    "definitive_resolution": "definitieve oplossing",
    "containment": "containment",
    "onsite": "monteur op locatie",
    "device_fallback": "vervangend toestel",
    "data_breach": FIGURE_NAMES["data_breach"],
    "rca": FIGURE_NAMES["rca"],
    "update": "update aan melder",
}
MTTR_NAME = "MTTR (tot opgelost)"
MTTP_NAME = "MTTP (tot weer aan het werk)"
HOLDING_MESSAGES_NAME = "Automatische berichten zonder nieuws"
WAITS_NAME = "Wacht op derde"
CHANNELS_NAME = "Gemeld per kanaal"
NORM_TABLE_HEADERS = ("Norm", "Nu", "Vorige", "Oordeel")
TICKETS_NAME = "Meldingen"
NONE_REPORTED = "geen"
PREVIOUS_WEEK = "vorige week"
NO_MOTIVATION = "(geen motivatie)"
BREACHES_NAME = "Normoverschrijdingen"
OPEN_ESCALATIONS = "Open escalaties"
OPEN_ACTIONS = "Open acties"
WEEKLY_TITLE = "SLA-overzicht week"  # the command line's heading


def norm_text(norm: str | None) -> str:
    """"norm 98%", or "geen norm" where the contract sets none."""
    return SURVEY_NO_NORM if norm is None else f"norm {norm}"


def without_norm(value: str) -> str:
    """MTTR, MTTP: the contract sets no norm, and the figure says so."""
    return f"{value} ({SURVEY_NO_NORM})"


def against_norm(*, verdict: str, norm: str) -> str:
    """After a figure: " ✓ (norm 8)"."""
    return f" {verdict} (norm {norm})"


def reported_and_resolved(*, reported: int, resolved: int) -> str:
    return f"{reported} gemeld, {resolved} opgelost"


def backlog_text(*, older: int, open_count: int) -> str:
    """"3 van 40 open": tickets open longer than the limit, of all open ones."""
    return f"{older} van {open_count} open"


def older_than(*, working_days: int) -> str:
    """After backlog_text, in a missed norm's figures: " ouder dan 10 werkdagen"."""
    return f" ouder dan {working_days} werkdagen"


def backlog_limits(*, max_share: str, max_count: int) -> str:
    return f"(max {max_share}% en {max_count})"


def holding_messages(count: int) -> str:
    return f"{count} (tellen niet als update)"


def waits_text(*, count: int, duration: str, too_long: int) -> str:
    return f"{count} keer, {duration}, {too_long} te lang"


def csat_average(average: str) -> str:
    return f"gemiddeld {average}"


def csat_share(share: str) -> str:
    """``share`` with its "%": "85% een 7 of hoger"."""
    return f"{share} een 7 of hoger"


def answer_count(number: int) -> str:
    return counted(number, "antwoord", "antwoorden")


def policy_version(*, policy: str, version: str) -> str:
    """"halt (versie van 2026-01-01)": the policy whose norms the figures are held to."""
    return f"{policy} (versie van {version})"


def breach_line(*, ticket: str, priority: str, clock: str, due: str, count: int) -> str:
    """A breach's head: "M-1 P2 oplossing: uiterlijk 04-05 18:00", a run of missed updates with
    " en daarna nog 2 keer"."""
    times = f" en daarna nog {count - 1} keer" if count > 1 else ""
    return f"{ticket} {priority} {clock}: uiterlijk {due}{times}"


def breach_with_fold_cause(*, line: str, cause: str) -> str:
    """The figures alone (sla.kpi): the breach and its cause by the clocks."""
    return f"{line}, oorzaak: {cause}"


def breach_discussed(*, line: str, subject: str, owner: str, supplier_cause: str | None, cause: str, action: str) -> str:
    """A breach as the overleg discusses it: subject, owner, the supplier's cause (or that it has
    none), the clocks' cause in brackets and the action. Holds people's words: the caller shows
    the line as plain text (plain.run, plain.line)."""
    return f"{line} · {subject} · eigenaar {owner} · oorzaak: {supplier_cause or NO_CAUSE} (klok: {cause}){action}"


def breach_action(*, action: str, owner: str, due: str) -> str:
    """After a breach line: the corrective action the supplier recorded."""
    return f"; actie: {action} ({owner}, {due})"


def open_action_line(*, action: str, owner: str, due: str, state: str) -> str:
    return f"{action} · {owner} · klaar op {due} · {state}"


def weekly_title(*, week: str, days: str) -> str:
    return f"SLA-overzicht {week} ({days})"


def uplifts_heading(count: int) -> str:
    return f"P1-uplifts: {count}"


def breaches_heading(*, count: int, without_cause: int = 0) -> str:
    """"Normoverschrijdingen: 4 (1 zonder oorzaak)"."""
    return f"{BREACHES_NAME}: {count}" + (f" ({without_cause} zonder oorzaak)" if without_cause else "")


def more_breaches(count: int) -> str:
    return f"… en {count} meer (zie `report weekly`)."


def summary_heading(*, title: str, period: str, policy: str, previous: str) -> str:
    """The command line's first line: "SLA-overzicht week 2026-W19 (beleid halt, trend t.o.v. 2026-W18)"."""
    return f"{title} {period} (beleid {policy}, trend t.o.v. {previous})"


# -- regie's monthly card (bot.summary) --------------------------------------------------------------
def slr_title(month: str) -> str:
    """"Servicelevelrapport november 2026" (``month`` from month_and_year)."""
    return f"Servicelevelrapport {month}"


def monthly_legend(*, policy: str, previous: str) -> str:
    return f"Beleid {policy}; trend t.o.v. {previous}."


NORMS_MISSED_NAME = "Maandnormen gemist (nu escalatie)"
OPEN_ESCALATIONS_N2_N3 = "Open escalaties N2/N3"
MONTHLY_LINK_HINT = "Het volledige rapport (PDF) opent met de knop; de link werkt een maand."
MONTHLY_LINK_BUTTON = "Volledig rapport (PDF)"


def monthly_command_hint(month: str) -> str:
    """Without a link (no public address): how to make the report on the command line."""
    return f"Het volledige rapport: `servicedesk report monthly --month {month} --format pdf --out rapport.pdf`."


# -- a low CSAT score for the servicedesk (bot.summary.low_csat_card) --------------------------------
def low_csat_title(*, label: str, score: object) -> str:
    return f"Lage tevredenheid bij {label}: {score}"


LOW_CSAT_TICKET = "Melding"
LOW_CSAT_REMARK = "Opmerking van de melder"
LOW_CSAT_ASK = "Neem contact op met de melder."
OWNER_NOBODY = "niemand"  # the owner of a ticket nobody picked up, in the reports


# -- the monthly service level report and the quarterly scorecard (bot.reports) ------------------
def scorecard_title(quarter: str) -> str:
    return f"Leveranciersscorecard {quarter}"


# The contract's requirements beside the norms (the policy's [agenda] keys).
REQUIREMENT_NAMES = {
    "update": "updates aan de melder",
    "security": "security-incidenten",
    "escalations": "escalaties",
    "improvement_actions": "verbeteracties",
    "xla": "XLA (belevingsmeting)",
}
NOT_MEASURED = "geen meting"
# The report's verdict on a norm (both report templates), and the state of one ticket's clock in
# its tables: in words beside the colour.
VERDICTS = {True: "✓ gehaald", False: "✗ niet gehaald", None: "geen oordeel"}
CLOCK_STATES = {
    "met": "binnen norm", "missed": "te laat", "overdue": "te laat (loopt nog)", "running": "loopt",
    "paused": "staat stil (wacht op derde)",
}


def updates_missed(count: int) -> str:
    return f"{count} keer geen update op tijd"


def security_incidents_count(count: int) -> str:
    return counted(count, "incident", "incidenten")


def escalations_this_month(count: int) -> str:
    return f"{count} in deze maand (open of geopend)"


def actions_late(*, count: int, late: int) -> str:
    return f"{counted(count, 'actie', 'acties')}, {late} te laat"


def xla_response(rate: str) -> str:
    """After a round's results in the report's XLA line: " (respons 82%)"."""
    return f" (respons {rate}%)"


# The report's charts (bot.reports.render): titles, axes, and the alt text that says each chart in words.
CHART_SHARE_AXIS = "% binnen norm"
CHART_HOURS_AXIS = "uren"
CHART_SCORE_AXIS = "cijfer"
CHART_COUNT_AXIS = "aantal"
CHART_TIMES_TITLE = "MTTR en MTTP per maand (gemiddeld, klokuren)"
CHART_TIMES_NAME = "MTTR en MTTP"
CHART_CSAT_NAME = "CSAT-verdeling"


def chart_trend_title(priority: str) -> str:
    return f"{priority}: binnen de norm per maand"


def chart_trend_name(priority: str) -> str:
    return f"{priority}: zes maanden"


def chart_trend_alt(*, priority: str, lines: list[str], norm: str | None) -> str:
    """``lines``: per clock "reactie: jun 98%, jul geen meting, ..."; ``norm``: "95%"."""
    return f"Lijngrafiek, {priority}, aandeel binnen de norm per maand. " + ". ".join(lines) + (f"; {norm_text(norm)}" if norm else "") + "."


def chart_times_alt(lines: list[str]) -> str:
    return "Lijngrafiek, gemiddelde tijden per maand. " + ". ".join(lines) + "."


def chart_csat_title(month: str) -> str:
    return f"Tevredenheid (CSAT) {month}: verdeling van de cijfers"


def chart_csat_alt(counts: str) -> str:
    """``counts``: "1: 0, 2: 1, ..."."""
    return f"Staafdiagram, aantal melders per cijfer van 1 tot 10: {counts}."


# The report as text for the command line (bot.reports.render.text_lines).
SLR_TEXT_TITLE = "Service level report maand"
SLR_TEXT_REQUIREMENTS = "Eisen uit het contract (Altijd / Alleen bij afwijking):"
AGENDA_ALWAYS_WORDS = "altijd"  # the policy's [agenda] "altijd"
AGENDA_DEVIATION_WORDS = "bij afwijking"  # the policy's [agenda] "afwijking"
MINIMUM_REQUIREMENT = ", minimumeis"
ON_AGENDA = " · op de agenda"
NO_CAUSE_GIVEN = "geen oorzaak opgegeven"
XLA_NOT_MEASURED = "geen meting in deze periode"


ESCALATIONS_NAME = "Escalaties"


def escalations_heading(count: int) -> str:
    return f"{ESCALATIONS_NAME}: {count}"


def breaches_with_cause_heading(*, count: int, without_cause: int) -> str:
    return f"Overschrijdingen met oorzaak: {count} (zonder oorzaak van de leverancier: {without_cause})"


def report_breach_line(*, ticket: str, priority: str, clock: str, subject: str, owner: str, cause: str, action: str) -> str:
    """People's words in it (subject, owner, cause, action) come through plain.line."""
    return f"- {ticket} {priority} {clock} · {subject} · eigenaar {owner} · oorzaak: {cause}{action}"


def improvement_actions_heading(count: int) -> str:
    return f"Verbeteracties: {count}"


def improvement_action_line(*, action: str, owner: str, due: str, state: str) -> str:
    return f"- {action} · eigenaar {owner} · {due} · {state}"


def incidents_headings(*, security: int, major: int) -> list[str]:
    return [f"Security-incidenten: {security}", f"Major incidents: {major}"]


def xla_line(summary: str) -> str:
    return f"XLA: {summary}"


def xla_round_line(*, label: str, respondents: int, invited: int) -> str:
    return f"- ronde {label}: {respondents} van {invited} gaven antwoord"


def xla_question_line(*, name: str, result: str, distribution: str) -> str:
    return f"  - {name}: {result}; spreiding {distribution}"


# The report's CSV: the section of each row.
CSV_SECTIONS = {"priority": "prioriteit", "requirements": "eisen", "breach": "overschrijding", "xla": "xla"}


# The quarterly scorecard as text (PvE §2.4.3 C).
# The four headings of PvE §2.4.3 C (the document's sections; a colon after them in text).
SCORECARD_ISSUES = "Aard en ernst van de issues"
SCORECARD_RESPONSE = "Reageren en oplossen"
SCORECARD_COMMUNICATION = "Communicatie"
SCORECARD_REPETITION = "Herhaling en verbeterpotentieel"
SCORECARD_NOTHING_REPEATED = "geen norm vaker dan één maand gemist"


def scorecard_heading(*, title: str, first: str, last: str) -> str:
    return f"{title} ({first} t/m {last})"


def scorecard_issues(*, p1: int, uplifts: int, security: int, major: int, breaches: int) -> str:
    return (
        f"- P1-meldingen {p1} (waarvan P1-uplift {uplifts}), security-incidenten {security}, "
        f"major incidents {major}, normoverschrijdingen {breaches}"
    )


def scorecard_escalations(counts: str) -> str:
    return f"- escalaties: {counts}"


def scorecard_kept_informed(value: str) -> str:
    return f"- {FIGURE_NAMES['kept_informed']}: {value}"


def scorecard_csat(value: str) -> str:
    return f"- tevredenheid: {value}"


def scorecard_repeated(*, norm: str, months: int) -> str:
    return f"- {norm}: {months} maanden niet gehaald"


def scorecard_open_actions(count: int) -> str:
    return f"- open verbeteracties: {count}"
