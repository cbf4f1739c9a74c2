"""Every path of the employee's intake, through botbuilder's TestAdapter on channel msteams.

Time stands still at Tuesday 28 April 2026, 08:00 in Amsterdam (policy ``halt``), so every
deadline the employee reads is an exact time. Each test checks what the employee reads and what
is stored; every card is validated against the Adaptive Cards 1.5 schema by the chat helper.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from sla import events as ev
from storage.models import OutboxMessage, Ticket, TicketEventRow
from tests.dialogs.chat import Chat, make_services, render_card

DESCRIPTION = "mijn laptop start niet op en ik moet om 10 uur lesgeven"


async def tickets_in(services) -> list[Ticket]:
    async with services.database.sessions() as session:
        return list((await session.execute(select(Ticket).order_by(Ticket.id))).scalars())


async def reported_event(services, ticket_id: int) -> dict:
    async with services.database.sessions() as session:
        row = (
            await session.execute(
                select(TicketEventRow).where(TicketEventRow.ticket_id == ticket_id, TicketEventRow.kind == ev.REPORTED)
            )
        ).scalar_one()
    return row.data


async def outbox_kinds(services) -> list[tuple[str, str, str]]:
    async with services.database.sessions() as session:
        rows = (await session.execute(select(OutboxMessage).order_by(OutboxMessage.id))).scalars()
        return [(row.target_key, row.op, row.payload.get("kind")) for row in rows]


@pytest.mark.transcript("P3: laptop start niet, werken lukt nog")
async def test_p3_laptop(chat: Chat, services):
    read = await chat.say("mijn laptop start niet op, ik werk nu op een leenlaptop")
    assert "Waar gaat het over?" in read and "[1. Laptop of computer]" in read and "[10. Iets anders]" in read
    assert "Wie heeft er last van?" in await chat.say("laptop")
    assert "Kun je nog werken?" in await chat.tap("alleen_ik")
    summary = await chat.say("ja, het is alleen lastig")
    assert "kritieke rol" not in summary  # can work: the uplift questions cannot change anything
    assert "Klopt dit?" in summary and "Prioriteit: P3 (normaal)" in summary
    assert "Soort: Laptop of computer" in summary and "Wie last heeft: Alleen jij" in summary
    done = await chat.tap("ja")
    assert "Je melding **M-1** is aangemaakt met prioriteit P3 (normaal)." in done
    assert "De servicedesk reageert uiterlijk vandaag om 12:00." in done
    assert "opgelost hebben uiterlijk" not in done and "uiterlijk donderdag 30 april om 12:00 opgelost" in done
    assert "belt je" not in done
    [ticket] = await tickets_in(services)
    assert (ticket.category, ticket.scope, ticket.priority, ticket.uplift, ticket.phone) == ("laptop", "alleen_ik", "P3", False, None)
    assert ticket.description == "mijn laptop start niet op, ik werk nu op een leenlaptop"
    assert (await reported_event(services, ticket.id))["intake"] == {"work": "ja"}
    assert ("servicedesk", "send_card", "ticket_card") in await outbox_kinds(services)


@pytest.mark.transcript("P2: printers op meerdere scholen")
async def test_p2_several_teams(chat: Chat, services):
    await chat.say("de printers op drie scholen printen niets meer")
    asked = await chat.say("7")
    # "op drie scholen" already says who is affected: confirmed, not asked.
    assert "Je schreef al wie er last van heeft: **meerdere teams of locaties**." in asked
    assert "Wie heeft er last van?" not in asked and "Kun je nog werken?" in asked
    summary = await chat.say("nee hoor")
    assert "kritieke rol" not in summary  # several teams: no uplift questions
    assert "Wie last heeft: Meerdere teams of locaties" in summary
    assert "Prioriteit: P2 (hoog)" in summary
    done = await chat.say("Ja!")
    assert "prioriteit P2 (hoog)" in done
    assert "reageert uiterlijk vandaag om 09:00." in done and "uiterlijk vandaag om 16:00 opgelost" in done
    assert "Je hoort elke 2 uur hoe het ervoor staat." in done
    [ticket] = await tickets_in(services)
    assert (ticket.category, ticket.scope, ticket.priority) == ("printer", "meerdere_teams", "P2")
    assert not any(target == "regie" for target, _, _ in await outbox_kinds(services))


@pytest.mark.transcript("P1: Teams en Outlook liggen er overal uit")
async def test_p1_broad_outage(chat: Chat, services):
    await chat.say("Teams en Outlook werken bij niemand, we kunnen niet mailen")
    asked = await chat.say("microsoft 365")
    assert "Je schreef al wie er last van heeft: **iedereen**." in asked and "Kun je nog werken?" in asked
    asked = await chat.say("nee, ik kan niet werken")
    assert "Op welk telefoonnummer ben je nu bereikbaar?" in asked
    summary = await chat.say("+31 6 12345678")
    assert "Prioriteit: P1 (kritiek)" in summary and "Telefoon: +31612345678" in summary
    done = await chat.say("klopt")
    assert "prioriteit P1 (kritiek)" in done
    assert "reageert uiterlijk vandaag om 08:15 en belt je op +31612345678." in done
    assert "uiterlijk vandaag om 12:00 opgelost" in done and "elke 30 minuten" in done
    [ticket] = await tickets_in(services)
    assert (ticket.category, ticket.scope, ticket.priority, ticket.phone) == ("m365", "iedereen", "P1", "+31612345678")
    assert ("regie", "send_card", "regie_new_p1") in await outbox_kinds(services)
    assert "Brede storing van M365, netwerk, VPN of kernapplicatie" in ticket.priority_reasons["reasons"]


PRIVACY_OFFICER = "99999999-0000-0000-0000-00000000009a"


@pytest.mark.transcript("P1 beveiliging: datalek")
async def test_p1_security_datalek(database, clock, transcript):
    """PvE P1 row: a data breach is a security incident with high risk; the privacy officer and
    regie hear of it at once (AVG art. 33: the authority within 72 hours)."""
    services = make_services(database, clock, privacy_officers=frozenset({PRIVACY_OFFICER}))
    chat = Chat(services, transcript=transcript)
    await chat.say("ik heb een mail met leerlinggegevens naar de verkeerde ouder gestuurd")
    asked = await chat.say("beveiliging")
    assert "Wat is er gebeurd?" in asked
    told = await chat.tap("datalek")
    assert "hoogste prioriteit (P1)" in told and "verwijder niets en stuur niets door" in told
    assert "Wie heeft er last van?" in told
    asked = await chat.say("alleen ik")
    assert "Kun je nog werken?" not in asked and "telefoonnummer" in asked
    await chat.say("06-12345678")
    done = await chat.tap("ja")
    assert "prioriteit P1 (kritiek)" in done and "belt je op 0612345678" in done
    [ticket] = await tickets_in(services)
    assert (ticket.category, ticket.priority, ticket.phone) == ("beveiliging", "P1", "0612345678")
    assert ticket.priority_reasons["reasons"] == ["Security-incident met hoog risico: datalek"]
    reported = await reported_event(services, ticket.id)
    assert reported["intake"] == {"security": "datalek"}
    assert (reported["security_incident"], reported["data_breach"]) == (True, True)
    kinds = await outbox_kinds(services)
    assert ("regie", "send", "data_breach") in kinds and (PRIVACY_OFFICER, "send", "data_breach") in kinds


@pytest.mark.transcript("P1 beveiliging: iemand anders zit in mijn account")
async def test_p1_security_account_hacked(chat: Chat, services):
    """A hacked account is an active attack on that account: P1 (decided in sla/priority.py)."""
    await chat.say("er worden mails verstuurd vanuit mijn account die ik niet heb gestuurd")
    await chat.say("beveiliging")
    told = await chat.say("iemand anders zit in mijn account")
    assert "hoogste prioriteit (P1)" in told and "verander meteen je wachtwoord" in told
    await chat.say("alleen ik")
    summary = await chat.say("0612345678")
    assert "Wat er gebeurde: Iemand anders zit in je account" in summary and "Prioriteit: P1 (kritiek)" in summary
    done = await chat.tap("ja")
    assert "prioriteit P1 (kritiek)" in done
    [ticket] = await tickets_in(services)
    assert ticket.priority_reasons["reasons"] == ["Security-incident met hoog risico: account gehackt (actieve aanval)"]
    reported = await reported_event(services, ticket.id)
    assert (reported["security_incident"], reported["data_breach"]) == (True, False)
    assert not any(kind == "data_breach" for _, _, kind in await outbox_kinds(services))
    assert ("regie", "send_card", "regie_new_p1") in await outbox_kinds(services)


@pytest.mark.transcript("P1 beveiliging: virus of ransomware")
async def test_p1_security_active_attack(chat: Chat, services):
    await chat.say("op mijn scherm staat dat al mijn bestanden versleuteld zijn")
    await chat.say("beveiliging")
    told = await chat.say("ransomware")
    assert "hoogste prioriteit (P1)" in told and "zet wifi uit" in told and "niet uit" in told
    await chat.say("mijn team")
    await chat.say("0612345678")
    await chat.tap("ja")
    [ticket] = await tickets_in(services)
    assert (ticket.priority, ticket.priority_reasons["reasons"]) == ("P1", ["Security-incident met hoog risico: actieve aanval"])
    assert (await reported_event(services, ticket.id))["security_incident"] is True


@pytest.mark.transcript("Beveiliging: iets anders, niet aangeklikt")
async def test_security_other_is_classified_by_who_is_affected(chat: Chat, services):
    """Annex O1: a security incident is classified P1-P4 by impact; nothing the employee says
    shows a high risk, so it is not P1, and the servicedesk assesses it."""
    await chat.say("ik vond een usb-stick op de gang en heb hem in mijn laptop gestopt")
    await chat.say("beveiliging")
    asked = await chat.say("iets anders")
    assert "Wie heeft er last van?" in asked
    await chat.say("alleen ik")
    await chat.say("ja, het is alleen lastig")
    done = await chat.tap("ja")
    assert "prioriteit P3 (normaal)" in done
    [ticket] = await tickets_in(services)
    assert ticket.priority_reasons["reasons"][0] == "Security-incident; de servicedesk beoordeelt het risico"
    assert (await reported_event(services, ticket.id))["security_incident"] is True


@pytest.mark.transcript("P1 beveiliging: telefoon kwijt")
async def test_lost_phone(chat: Chat, services):
    await chat.say("ik ben mijn werktelefoon kwijt in de trein")
    await chat.say("6")
    told = await chat.say("kwijt of gestolen")
    assert "remote wipe" in told and "Verander je wachtwoord" in told and "aangifte" in told
    assert "Wie heeft er last van?" not in told  # it is your own device
    assert "telefoonnummer" in told
    summary = await chat.say("020 1234567")
    assert "Wat er gebeurde: Apparaat kwijt of gestolen" in summary and "Prioriteit: P1 (kritiek)" in summary
    done = await chat.say("ja")
    assert "prioriteit P1 (kritiek)" in done and "belt je op 0201234567" in done
    assert "aanvulling M-1: teruggevonden" in done
    [ticket] = await tickets_in(services)
    assert (ticket.category, ticket.scope, ticket.priority) == ("beveiliging", "alleen_ik", "P1")
    assert (await reported_event(services, ticket.id))["intake"] == {"security": "kwijt"}


@pytest.mark.transcript("P1-uplift: laptop kapot vlak voor de les")
async def test_p1_uplift_with_motivation(chat: Chat, services):
    asked = await chat.say(DESCRIPTION)
    assert "Waar gaat het over?" in asked
    await chat.say("1")
    await chat.say("alleen ik")
    asked = await chat.say("met een omweg")
    assert "Drie korte vragen" in asked and "kritieke rol" in asked
    assert "continuïteit" in await chat.tap("ja")
    assert "helemaal niet uitvoeren" in await chat.say("jazeker")
    asked = await chat.say("klopt")
    assert "P1-uplift (één medewerker)" in asked and "Wat moet je nu doen, en wanneer?" in asked
    asked = await chat.say("om 10:00 lesgeven aan groep 8")
    assert "telefoonnummer" in asked
    summary = await chat.say("06 12345678")
    assert "Prioriteit: P1-uplift (één medewerker)" in summary and "> om 10:00 lesgeven aan groep 8" in summary
    done = await chat.say("ja")
    assert "prioriteit P1-uplift (één medewerker)" in done
    assert "reageert uiterlijk vandaag om 08:15 en belt je op 0612345678" in done
    [ticket] = await tickets_in(services)
    assert (ticket.priority, ticket.uplift, ticket.uplift_motivation) == ("P1", True, "om 10:00 lesgeven aan groep 8")
    data = await reported_event(services, ticket.id)
    assert data["uplift"] is True and data["motivation"] == "om 10:00 lesgeven aan groep 8"
    assert data["intake"] == {"work": "omweg", "critical_role": True, "direct_impact": True, "cannot_work": True}


@pytest.mark.transcript("P1-uplift: 'ik kan niet werken' beantwoordt de derde vraag al")
async def test_cannot_work_answers_the_third_uplift_question(chat: Chat, services):
    await chat.say(DESCRIPTION)
    await chat.say("laptop")
    await chat.say("alleen ik")
    await chat.say("nee")  # ik kan niet werken
    await chat.say("ja")
    asked = await chat.say("ja")
    assert "helemaal niet uitvoeren" not in asked and "Wat moet je nu doen" in asked
    await chat.say("zitting om 9:30 bij de rechtbank")
    await chat.say("0612345678")
    await chat.say("ja")
    [ticket] = await tickets_in(services)
    assert ticket.uplift and ticket.uplift_motivation == "zitting om 9:30 bij de rechtbank"


@pytest.mark.transcript("Uplift-vragen met één 'nee': blijft P3")
async def test_uplift_with_one_nee_stays_p3(chat: Chat, services):
    await chat.say(DESCRIPTION)
    await chat.say("1")
    await chat.say("1")
    await chat.say("2")  # met een omweg
    await chat.say("ja")
    summary = await chat.say("nee hoor")
    assert "helemaal niet uitvoeren" not in summary  # one "nee" ends the uplift questions
    assert "Wat moet je nu doen" not in summary and "telefoonnummer" not in summary
    assert "Prioriteit: P3 (normaal)" in summary
    done = await chat.say("ja")
    assert "prioriteit P3 (normaal)" in done
    [ticket] = await tickets_in(services)
    assert (ticket.priority, ticket.uplift, ticket.uplift_motivation, ticket.phone) == ("P3", False, None, None)
    assert (await reported_event(services, ticket.id))["intake"] == {"work": "omweg", "critical_role": True, "direct_impact": False}


@pytest.mark.transcript("P4: een vraag of verzoek")
async def test_p4_question(chat: Chat, services):
    await chat.say("ik wil graag een tweede beeldscherm voor mijn werkplek")
    summary = await chat.say("vraag of verzoek")
    assert "Wie heeft er last van?" not in summary and "Klopt dit?" in summary
    assert "Prioriteit: P4 (laag)" in summary
    done = await chat.say("jazeker")
    assert "prioriteit P4 (laag)" in done
    # One working day is one full service window: 08:00 + 10 working hours is the close today.
    assert "reageert uiterlijk vandaag om 18:00." in done
    assert "uiterlijk maandag 4 mei om 18:00 opgelost" in done
    # PvE P4 "updates op afgesproken datum": no date is agreed yet, so none is promised.
    assert "afgesproken datum" not in done and "De servicedesk spreekt met je af wanneer je weer van ons hoort." in done
    [ticket] = await tickets_in(services)
    assert (ticket.category, ticket.priority) == ("vraag", "P4")


@pytest.mark.transcript("Halverwege stoppen")
async def test_cancel_halfway(chat: Chat, services):
    await chat.say(DESCRIPTION)
    await chat.say("laptop")
    stopped = await chat.say("Stop")
    assert "Oké, ik ben gestopt. Er is geen melding gemaakt." in stopped
    assert await tickets_in(services) == []
    assert "Die knop hoort bij een eerdere vraag" in await chat.tap("alleen_ik")  # the old card does nothing
    assert "Er loopt nu niets om te stoppen" in await chat.say("annuleer")
    # Stopping on the summary card, with its button.
    await chat.say("de beamer in lokaal 12 doet het niet")
    await chat.say("10")
    await chat.say("mijn team")
    await chat.say("ja")
    assert "ik ben gestopt" in await chat.tap("stoppen")
    assert await tickets_in(services) == []


@pytest.mark.transcript("Halverwege om hulp vragen")
async def test_help_halfway(chat: Chat, services):
    await chat.say(DESCRIPTION)
    helped = await chat.say("help")
    assert "**mijn meldingen**" in helped and "**stop**" in helped and "aanvulling M-12" in helped
    assert "We waren bezig met je melding" in helped
    assert "Waar gaat het over?" in helped  # the open question again
    await chat.say("laptop")
    assert "Kun je nog werken?" in await chat.say("alleen ik")
    listed = await chat.say("mijn meldingen")  # a command in the middle: answered, then the question again
    assert "Je hebt geen open meldingen." in listed and "Kun je nog werken?" in listed
    await chat.say("gewoon")
    await chat.say("ja")
    [ticket] = await tickets_in(services)
    assert ticket.description == DESCRIPTION and ticket.category == "laptop"


@pytest.mark.transcript("Wijzigen op de samenvatting")
async def test_change_on_summary(chat: Chat, services):
    await chat.say("de wifi valt steeds weg in het gebouw")
    await chat.say("laptop")  # a mistake
    await chat.say("alleen ik")
    summary = await chat.say("ja gewoon")
    assert "Soort: Laptop of computer" in summary
    asked = await chat.tap("wijzigen")
    assert "Wat wil je wijzigen?" in asked and "[2. De soort]" in asked
    assert "Waar gaat het over?" in await chat.tap("category")
    summary = await chat.say("netwerk")
    assert "Soort: Netwerk, VPN of wifi" in summary and "Wie last heeft: Alleen jij" in summary
    await chat.say("nee")  # not right yet: "nee" on "Klopt dit?" means change
    await chat.say("wie er last van heeft")
    summary = await chat.say("iedereen")  # the other answers stay: straight back to the summary
    assert "Wie last heeft: Iedereen" in summary and "Prioriteit: P2 (hoog)" in summary
    await chat.say("nee")
    await chat.say("beschrijving")
    await chat.say("de wifi valt steeds weg in het hele gebouw, ook bij collega's")
    done = await chat.say("ja")
    assert "P2 (hoog)" in done
    [ticket] = await tickets_in(services)
    assert (ticket.category, ticket.scope, ticket.priority) == ("netwerk", "iedereen", "P2")
    assert ticket.description == "de wifi valt steeds weg in het hele gebouw, ook bij collega's"


@pytest.mark.transcript("Onbegrepen antwoorden: twee keer opnieuw vragen, dan een uitweg")
async def test_unrecognised_answers(chat: Chat, services):
    await chat.say("het werkt allemaal niet meer hier")
    first = await chat.say("blabla")
    assert "Dat begreep ik niet. Tik een knop of typ het nummer, bijvoorbeeld **1** of **laptop of computer**." in first
    assert "Waar gaat het over?" in first
    second = await chat.say("pfff")
    assert "Dat begreep ik niet" in second and "Waar gaat het over?" in second
    third = await chat.say("???")
    assert "Ik ga verder met **Iets anders**" in third and "Wie heeft er last van?" in third
    await chat.say("ik")
    await chat.say("ja")
    # The summary has no fallback: after two re-asks it says how to get out, and stays open.
    assert "Dat begreep ik niet" in await chat.say("misschien")
    assert "Dat begreep ik niet" in await chat.say("hmm")
    way_out = await chat.say("tja")
    assert "Typ **stop** om te stoppen, of bel de servicedesk" in way_out and "Klopt dit?" in way_out
    assert await tickets_in(services) == []
    await chat.say("ja")
    [ticket] = await tickets_in(services)
    assert ticket.category == "overig"


@pytest.mark.transcript("Engelstalige Teams-client: toch Nederlands")
async def test_english_locale(services, transcript):
    chat = Chat(services, locale="en-US", transcript=transcript)
    read = await chat.say("my laptop does not start, mijn laptop doet niks")
    assert "Waar gaat het over?" in read
    await chat.say("Laptop")
    await chat.say("Alleen ik")
    await chat.say("2")
    assert "continuïteit" in await chat.say("yes")
    summary = await chat.say("No")
    assert "Klopt dit?" in summary and "P3 (normaal)" in summary
    done = await chat.say("Jazeker")
    assert "Je melding **M-1** is aangemaakt" in done
    assert chat.adapter.activity_buffer[-1].locale in (None, "en-US")


@pytest.mark.transcript("Herstart van de bot midden in een melding")
async def test_restart_mid_intake(chat: Chat, services):
    await chat.say("de scanner op de eerste verdieping maakt lege pdf's")
    await chat.say("printer")
    await chat.say("mijn team")
    restarted = chat.restart()
    assert restarted.conversation is not chat.conversation
    if chat.transcript is not None:
        chat.transcript.note("de bot start opnieuw op; het gesprek gaat verder")
    summary = await restarted.say("ja, met een omweg")
    assert "Klopt dit?" in summary and "Wie last heeft: Jouw team" in summary
    done = await restarted.say("ja")
    assert "P3 (normaal)" in done
    [ticket] = await tickets_in(services)
    assert (ticket.category, ticket.scope, ticket.description) == ("printer", "mijn_team", "de scanner op de eerste verdieping maakt lege pdf's")


@pytest.mark.transcript("Verlopen na te lang wachten")
async def test_expiry(chat: Chat, services, clock):
    from datetime import timedelta

    await chat.say(DESCRIPTION)
    clock.advance(timedelta(minutes=119))
    assert "Wie heeft er last van?" in await chat.say("laptop")  # still within the idle time
    clock.advance(timedelta(minutes=121))
    expired = await chat.say("alleen ik")
    assert "Je melding van vandaag om 08:00 was nog niet af." in expired
    assert "120 minuten niet op gereageerd" in expired and "Er is geen melding gemaakt." in expired
    assert "Beschrijf je probleem opnieuw" in expired
    assert await tickets_in(services) == []
    # A new description after an expiry is not lost: it starts a new intake.
    clock.advance(timedelta(minutes=200))
    restarted = await chat.say("de printer op de gang geeft een papierstoring")
    assert "Waar gaat het over?" in restarted


@pytest.mark.transcript("Maximaal aantal meldingen per uur")
async def test_hourly_limit(database, clock, transcript):
    from datetime import timedelta

    from tests.dialogs.chat import make_services

    services = make_services(database, clock, max_tickets_per_hour=2)
    chat = Chat(services, transcript=transcript)
    for minutes, text in ((0, "de printer op de gang is kapot"), (10, "mijn tweede scherm blijft zwart")):
        clock.advance(timedelta(minutes=minutes))
        await chat.say(text)
        await chat.say("10")
        await chat.say("alleen ik")
        await chat.say("gewoon")
        await chat.say("ja")
    clock.advance(timedelta(minutes=5))
    refused = await chat.say("nu doet ook de muis het niet meer")
    assert "Je hebt het afgelopen uur al 2 meldingen gemaakt." in refused
    assert "Vanaf vandaag om 09:00 kan het weer." in refused
    assert len(await tickets_in(services)) == 2
    clock.advance(timedelta(minutes=46))  # 09:01: the first one is more than an hour old
    assert "Waar gaat het over?" in await chat.say("nu doet ook de muis het niet meer")



async def test_a_re_asked_question_is_one_message_with_the_reason_above_it(chat: Chat):
    [asked] = await chat.send("nieuwe melding")
    [again] = await chat.send("kort")
    assert again.text.startswith("Vertel iets meer")
    assert again.text.endswith(asked.text)  # the same question, under the reason, in one message

    await chat.say("het werkt allemaal niet meer hier")
    [card_again] = await chat.send("blabla")
    assert card_again.text.startswith("Dat begreep ik niet.")
    assert "Waar gaat het over?" in "\n".join(render_card(card_again.cards[0]))
