"""Every Dutch sentence the employee reads, in one place.

Short sentences, "je", concrete times. Keep the tone calm: people write to us when something is
broken, often minutes before they must teach a class or sit in a hearing.
"""

from __future__ import annotations

WELCOME = (
    "Hoi! Ik ben de servicedesk-bot. Hier meld je een IT-storing. "
    "Typ **nieuwe melding** of beschrijf meteen je probleem."
)
ASK_DESCRIPTION = "Wat is er aan de hand? Beschrijf het kort in één of twee zinnen."
DESCRIPTION_TOO_SHORT = "Vertel iets meer, bijvoorbeeld: \"mijn laptop start niet op\"."

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
ASK_MOTIVATION = "Wat moet je nu doen, en wanneer? Bijvoorbeeld: \"om 10:00 lesgeven aan groep 8\"."
ASK_PHONE = "Op welk telefoonnummer ben je nu bereikbaar? De servicedesk belt je bij P1 op."
PHONE_NOT_RECOGNISED = "Dat herken ik niet als telefoonnummer. Typ het zo: 06 12345678 of +31 6 12345678."

YES = "Ja"
NO = "Nee"

NOT_UNDERSTOOD_YES_NO = "Dat begreep ik niet. Antwoord met **ja** of **nee**."
NOT_UNDERSTOOD_CHOICE = "Dat begreep ik niet. Kies een knop of typ het nummer, bijvoorbeeld **1**."
WAY_OUT = (
    "Het lukt nog niet. Typ **stop** om te stoppen, of bel de servicedesk als het dringend is. "
    "Je kunt ook gewoon opnieuw antwoorden."
)

CANCELLED = "Oké, ik ben gestopt. Er is geen melding gemaakt. Typ **nieuwe melding** om opnieuw te beginnen."
NOTHING_TO_CANCEL = "Er loopt nu niets om te stoppen. Typ **nieuwe melding** om een storing te melden."
HELP = (
    "Dit kan ik voor je doen:\n\n"
    "- **nieuwe melding**: een storing melden\n"
    "- **mijn meldingen**: je open meldingen bekijken\n"
    "- **status M-12**: de stand van één melding\n"
    "- **stop**: stoppen met wat we nu doen\n\n"
    "Je kunt ook meteen je probleem beschrijven."
)
UNKNOWN_COMMAND = (
    "Die opdracht ken ik niet. Beschrijf je probleem in een zin, bijvoorbeeld "
    "\"mijn laptop start niet op\", of typ **nieuwe melding** of **help**."
)
HELP_DURING_INTAKE = "We waren bezig met je melding. Beantwoord de vraag hierboven, of typ **stop** om te stoppen."
NO_OPEN_TICKETS = "Je hebt geen open meldingen."
UNKNOWN_TICKET = "Ik vind geen melding {label} van jou. Typ **mijn meldingen** voor je open meldingen."

PRIORITY_LABELS = {
    "P1": "P1 (kritiek)",
    "P2": "P2 (hoog)",
    "P3": "P3 (normaal)",
    "P4": "P4 (laag)",
}
UPLIFT_LABEL = "P1-uplift (één medewerker)"

STATUS_LABELS = {
    "nieuw": "nieuw, nog niet opgepakt",
    "opgepakt": "opgepakt",
    "wacht_op_derde": "wacht op een derde partij",
    "opgelost": "opgelost",
    "gesloten": "gesloten",
}

CADENCE_SENTENCES = {
    "P1": "Je hoort elke 30 minuten hoe het ervoor staat.",
    "P2": "Je hoort elke 2 uur hoe het ervoor staat.",
    "P3": "Je hoort elke werkdag hoe het ervoor staat.",
    "P4": "Je hoort van ons op de afgesproken datum.",
}


def ticket_created(*, label: str, priority: str, uplift: bool, first_response: str, resolution: str) -> str:
    priority_text = UPLIFT_LABEL if uplift else PRIORITY_LABELS[priority]
    call = " en belt je op" if priority == "P1" else ""
    return (
        f"Je melding **{label}** is aangemaakt met prioriteit {priority_text}.\n\n"
        f"De servicedesk reageert uiterlijk {first_response}{call}. "
        f"We willen het uiterlijk {resolution} opgelost hebben. {CADENCE_SENTENCES[priority]}"
    )


def acknowledged(*, label: str, agent_name: str, note: str | None) -> str:
    text = f"Je melding **{label}** is opgepakt door {agent_name}."
    if note:
        text += f"\n\nBericht van de servicedesk: {note}"
    return text


def status_update(*, label: str, status: str, owner: str | None, latest_note: str | None, next_update: str | None) -> str:
    lines = [f"Stand van je melding **{label}**: {STATUS_LABELS.get(status, status)}."]
    if owner:
        lines.append(f"{owner} werkt eraan.")
    if latest_note:
        lines.append(f"Laatste bericht van de servicedesk: {latest_note}")
    else:
        lines.append("We zijn ermee bezig. Er is nog geen nieuws.")
    if next_update:
        lines.append(f"Je volgende update krijg je uiterlijk {next_update}.")
    return "\n\n".join(lines)


def ticket_line(*, label: str, status: str, owner: str | None, next_deadline: str | None) -> str:
    parts = [f"**{label}**: {STATUS_LABELS.get(status, status)}"]
    if owner:
        parts.append(f"bij {owner}")
    if next_deadline:
        parts.append(f"volgende stap uiterlijk {next_deadline}")
    return ", ".join(parts)

# -- feedback after a workaround or resolution ------------------------------------------------
MTTP_QUESTION = "Kun je weer verder met je werk?"
MTTP_THANKS = "Fijn dat je weer verder kunt! Dank je voor het laten weten ({label})."
MTTP_NOT_YET = "Jammer. Ik laat de servicedesk weten dat je nog niet verder kunt ({label})."
CSAT_THANKS = "Dank je voor je cijfer: {score}. Daar worden we beter van."
CSAT_PICK_A_SCORE = "Tik een cijfer van 1 tot 10 op de kaart."
FEEDBACK_ALREADY = "Je antwoord voor {label} had ik al. Dank je!"
FEEDBACK_NOT_YOURS = "Deze vraag hoort niet bij een melding van jou. Er is niets veranderd."
FEEDBACK_NOT_UNDERSTOOD = "Die knop begreep ik niet. Typ **mijn meldingen** voor je open meldingen."


def status_update_holding(*, label: str, status: str, next_update: str | None) -> str:
    text = f"Stand van je melding **{label}**: {STATUS_LABELS.get(status, status)}. We zijn ermee bezig; er is nog geen nieuws."
    if next_update:
        text += f"\n\nJe volgende update krijg je uiterlijk {next_update}."
    return text
