"""`servicedesk survey start|status|close`: what the operator reads, the exit codes, the audit trail."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select

import app
from cli.common import EXIT_OK, EXIT_PROBLEM, EXIT_USAGE
from storage.db import open_database
from storage.models import AuditEntry, SurveyRound


@pytest.fixture
def operator(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'servicedesk.sqlite3'}"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", url)
    assert app.main(["db", "upgrade"]) == EXIT_OK
    return url


def _rows(url: str, model):
    async def read():
        database = open_database(url)
        try:
            async with database.sessions() as session:
                return list((await session.execute(select(model))).scalars())
        finally:
            await database.dispose()

    return asyncio.run(read())


def test_start_status_and_close_a_round_by_hand(operator, capsys):
    capsys.readouterr()
    assert app.main(["survey", "status"]) == EXIT_OK
    assert "no survey round was held yet" in capsys.readouterr().out

    assert app.main(["survey", "start", "--by", "Rita de Regie"]) == EXIT_OK
    assert "survey round 1 started" in capsys.readouterr().out
    assert app.main(["survey", "start"]) == EXIT_PROBLEM  # one round at a time
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("servicedesk: a survey round is open already")
    assert len(_rows(operator, SurveyRound)) == 1

    assert app.main(["survey", "status"]) == EXIT_OK
    out = capsys.readouterr().out
    assert ": open;" in out and "asked 0" in out and "Werkplekbeleving (A): geen antwoorden" in out

    assert app.main(["survey", "close", "--by", "Rita de Regie"]) == EXIT_OK
    assert "closed; the running bot sends the results to the regie channel" in capsys.readouterr().out
    assert app.main(["survey", "close"]) == EXIT_PROBLEM
    assert capsys.readouterr().err.startswith("servicedesk: no survey round is open")
    [row] = _rows(operator, SurveyRound)
    assert row.closed_by == "Rita de Regie" and row.norms == {"werkplek": "8", "servicedesk": "8", "informatie": "8"}
    actions = [(e.action, e.actor_id) for e in _rows(operator, AuditEntry)]
    assert ("survey.start", "Rita de Regie") in actions and ("survey.close", "Rita de Regie") in actions


def test_a_bad_survey_setting_is_one_line_and_changes_nothing(operator, capsys, monkeypatch):
    monkeypatch.setenv("SURVEY_REMINDER_DAYS", "20")  # not before the close (14 days)
    capsys.readouterr()
    assert app.main(["survey", "start"]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "SURVEY_REMINDER_DAYS" in err
    monkeypatch.setenv("SURVEY_REMINDER_DAYS", "7")
    monkeypatch.setenv("SURVEY_MONTHS", "3,13")
    assert app.main(["survey", "start"]) == EXIT_USAGE
    assert "SURVEY_MONTHS" in capsys.readouterr().err
    assert _rows(operator, SurveyRound) == []
