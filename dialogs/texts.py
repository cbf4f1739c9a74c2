"""Every Dutch sentence the employee reads, in one place.

Short sentences, "je", concrete times. Keep the tone calm: people write to us when something is
broken, often minutes before they must teach a class or sit in a hearing.

Every function here that puts another person's words (an agent's note or name, an outage's title)
into a message passes them through ``dialogs.plain.markdown``: the message is markdown, their words
are not.
"""

from __future__ import annotations

from dialogs import plain
from sla import events as ev
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
    call = ""
    if priority == "P1":
        call = f" en belt je op {phone}" if phone else " en belt je op"
    return (
        f"Je melding **{label}** is aangemaakt met prioriteit {priority_text}.\n\n"
        f"De servicedesk reageert uiterlijk {first_response}{call}. "
        f"{RESOLVE_BY.format(when=resolution)} {CADENCE_SENTENCES[priority]}"
    )


MY_TICKETS_HEADER = "Je open meldingen:"
FOLLOWED_HEADER = "Storingen die je volgt:"
NEXT_UPDATE_LINE = "Je volgende update krijg je uiterlijk {when}."


def acknowledged(*, label: str, agent_name: str, note: str | None) -> str:
    text = f"Je melding **{label}** is opgepakt door {plain.markdown(agent_name)}."
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
    lines.append(f"Prioriteit: {priority}" + (f" ({'; '.join(reasons)})" if reasons else ""))
    if motivation:
        lines.append(f"Motivatie P1-uplift: {motivation}")
    for key, value in answers.items():
        lines.append(f"{SUMMARY_FIELDS.get(key, key)}: {value}")
    if phone:
        lines.append(f"Telefoon melder: {phone}")
    lines.append(f"Gemeld via Teams als {label}.")
    return "\n".join(lines)


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
# == experience surveys (XLA, PvE §10.5; issue 19) ==================================================
# Kept together in this section so copy changes elsewhere merge cleanly. The three questions follow
# PvE §10.5 A (werkplek), B (servicedesk) and D (informatievoorziening).
SURVEY_TITLE = "Korte enquête over de ICT"
SURVEY_SCHEDULED = "planning (SURVEY_MONTHS)"  # who started a scheduled round, on the sender's card


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
# Moved here from bot/cards.py (issue 22: one home for Dutch copy).


# == card actions, deliveries, channel set-up, escalation and reach cards =========================
# Moved here from bot/card_actions.py, bot/delivery.py, bot/feedback_cards.py, bot/teams_bot.py,
# bot/escalation_cards.py, bot/reach_cards.py, bot/report_links.py and dialogs/when.py.

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

# -- texts the ticket card's section (bot.cards, branch copy-cards) defines too, by the same name and
# words: the merge keeps one of each. -------------------------------------------------------------
SERVICEDESK = "de servicedesk"  # who did something, when no agent's name is known
NOBODY = "nog niemand"  # the owner of a ticket nobody has picked up
LABEL_PRIORITY = SUMMARY_FIELDS["priority"]
LABEL_OWNER = "Eigenaar"
LABEL_DEADLINE = "Termijn"


def breached_title(*, label: str, what: str) -> str:
    """A breach queued before breaches became escalations (bot.escalation_cards)."""
    return f"Overschreden: {label}, {what}"


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
# Moved here from bot/summary.py, bot/reports/, bot/jobs.py and the words sla/ used to carry.
