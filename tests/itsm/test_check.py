"""`python app.py itsm check`: the connection, the account and the mapping, one line per problem."""

from __future__ import annotations

import asyncio

import pytest
from aiohttp.test_utils import TestServer

import app as app_module
from sla.clock import FixedClock
from tests.itsm.desk import EXAMPLE_MAPPING
from tests.support.fake_topdesk import APP_PASSWORD, USER, FakeTopdesk
from tests.support.harness import DEFAULT_START


@pytest.fixture
async def topdesk_url(monkeypatch):
    fake = FakeTopdesk(clock=FixedClock(DEFAULT_START).now)
    server = TestServer(fake.app(), host="127.0.0.1")
    await server.start_server()
    url = str(server.make_url("")).rstrip("/")
    for name, value in {
        "ITSM_BACKEND": "topdesk", "TOPDESK_URL": url, "TOPDESK_USER": USER, "TOPDESK_APP_PASSWORD": APP_PASSWORD,
        "ITSM_MAPPING_FILE": str(EXAMPLE_MAPPING),
    }.items():
        monkeypatch.setenv(name, value)
    yield url
    await server.close()


async def check(capsys) -> tuple[int, list[str], str]:
    code = await asyncio.to_thread(app_module.main, ["itsm", "check"])  # the command runs its own event loop
    captured = capsys.readouterr()
    return code, captured.out.splitlines(), captured.err


async def test_all_in_order_is_one_line_and_exit_0(topdesk_url, capsys):
    code, lines, _ = await check(capsys)
    assert code == 0
    assert lines == [f"TOPdesk at {topdesk_url}: connection, account and mapping ({EXAMPLE_MAPPING}) are in order"]


async def test_a_refused_application_password_is_one_line_naming_the_settings(topdesk_url, capsys, monkeypatch):
    monkeypatch.setenv("TOPDESK_APP_PASSWORD", "verlopen")
    code, lines, _ = await check(capsys)
    assert code == 1
    assert len(lines) == 1 and lines[0].startswith("TOPDESK_USER / TOPDESK_APP_PASSWORD: TOPdesk refuses them (HTTP 401")


async def test_every_name_topdesk_does_not_know_is_a_line_of_its_own(topdesk_url, capsys, monkeypatch, tmp_path):
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(
        EXAMPLE_MAPPING.read_text(encoding="utf-8")
        .replace('P2 = { priority = "P2 Hoog"', 'P2 = { priority = "P2 Urgent"')
        .replace('"Balie" = "balie"', '"Fax" = "fax"')
        .replace('waiting = ["Wacht op leverancier"]', 'waiting = ["Wacht op derde"]'),
        encoding="utf-8",
    )
    monkeypatch.setenv("ITSM_MAPPING_FILE", str(mapping))
    code, lines, _ = await check(capsys)
    assert code == 1
    assert lines == [
        "mapping priorities.P2.priority: 'P2 Urgent' is not one of TOPdesk's priorities (P1 Kritiek, P2 Hoog, P3 Normaal, P4 Laag)",
        "mapping channels: 'Fax' is not one of TOPdesk's entry types (Balie, Chat, E-mail, Self Service Desk, Teams, Telefonisch)",
        "mapping statuses.waiting: 'Wacht op derde' is not one of TOPdesk's processing statuses (Afgemeld, Geregistreerd, In behandeling, Wacht op gebruiker, Wacht op leverancier)",
        "mapping priorities: TOPdesk's priority 'P2 Hoog' is none of P1..P4: incidents with it are not imported",
    ]


async def test_a_mapping_file_that_cannot_be_used_is_one_line(topdesk_url, capsys, monkeypatch, tmp_path):
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(EXAMPLE_MAPPING.read_text(encoding="utf-8").replace("P4 = {", "P5 = {"), encoding="utf-8")
    monkeypatch.setenv("ITSM_MAPPING_FILE", str(mapping))
    code, lines, _ = await check(capsys)
    assert code == 1
    assert lines == [f"mapping file {mapping}: priorities.P4 is missing: every priority P1..P4 needs the system's terms"]


async def test_settings_it_cannot_run_with_are_one_line_and_exit_2(capsys, monkeypatch):
    monkeypatch.setenv("ITSM_BACKEND", "topdesk")
    for name in ("TOPDESK_URL", "TOPDESK_USER", "TOPDESK_APP_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    code, lines, err = await check(capsys)
    assert (code, lines) == (2, [])
    assert err == "servicedesk: TOPDESK_URL, TOPDESK_USER, TOPDESK_APP_PASSWORD must be set when ITSM_BACKEND=topdesk\n"
    monkeypatch.setenv("ITSM_BACKEND", "none")
    code, _, err = await check(capsys)
    assert code == 2 and "no ticket system to check" in err
