"""`sla deadlines` on the command line: the JSON contract and one-line errors with status 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import app


def run(argv, capsys):
    code = app.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_prints_the_four_keys_in_the_policy_time_zone(capsys):
    code, out, err = run(
        ["sla", "deadlines", "--policy", "halt", "--priority", "P2", "--opened", "2026-03-27T15:30:00Z"],
        capsys,
    )
    assert code == 0, err
    assert json.loads(out) == {
        "first_response_due": "2026-03-27T17:30:00+01:00",
        "resolution_due": "2026-03-30T14:30:00+02:00",
        "definitive_resolution_due": None,
        "next_update_due": "2026-03-30T08:30:00+02:00",
    }


def test_pauses_and_agreed_date(capsys):
    code, out, _ = run(
        ["sla", "deadlines", "--policy", "halt", "--priority", "P4", "--opened", "2026-03-02T10:00+01:00",
         "--pause", "2026-03-02T11:00+01:00/2026-03-02T13:00+01:00", "--agreed", "2026-03-10"],
        capsys,
    )
    assert code == 0
    data = json.loads(out)
    assert data["resolution_due"] == "2026-03-09T10:00:00+01:00"  # halt: a wait stops no clock
    assert data["next_update_due"] == "2026-03-10T18:00:00+01:00"


def test_a_policy_whose_waits_stop_resolution_moves_it_and_an_open_wait_prints_null(pausing_path, capsys):
    base = ["sla", "deadlines", "--policy", pausing_path, "--priority", "P2", "--opened", "2026-03-02T10:00+01:00"]
    code, out, _ = run([*base, "--pause", "2026-03-02T11:00+01:00/2026-03-02T13:00+01:00"], capsys)
    assert (code, json.loads(out)["resolution_due"]) == (0, "2026-03-03T10:00:00+01:00")
    code, out, _ = run([*base, "--pause", "2026-03-02T11:00+01:00/"], capsys)
    assert code == 0
    assert json.loads(out)["resolution_due"] is None


def test_sib_prints_definitive_resolution(capsys):
    code, out, _ = run(
        ["sla", "deadlines", "--policy", "sib", "--priority", "P1", "--opened", "2026-03-02T10:00+01:00"],
        capsys,
    )
    assert code == 0
    assert json.loads(out)["definitive_resolution_due"] == "2026-03-04T10:00:00+01:00"


@pytest.mark.parametrize(
    "argv, fragment",
    [
        (["--policy", "nope", "--priority", "P2", "--opened", "2026-03-02T10:00+01:00"], "unknown policy"),
        (["--policy", "/no/such.toml", "--priority", "P2", "--opened", "2026-03-02T10:00+01:00"], "not found"),
        (["--priority", "P5", "--opened", "2026-03-02T10:00+01:00"], "invalid choice"),
        (["--priority", "P2", "--opened", "gisteren"], "not an ISO 8601 timestamp"),
        (["--priority", "P2", "--opened", "2026-03-02T10:00"], "needs a UTC offset"),
        (["--priority", "P2", "--opened", "2026-03-02T10:00+01:00",
          "--pause", "2026-03-02T12:00+01:00/2026-03-02T11:00+01:00"], "ends before it starts"),
        (["--priority", "P2", "--opened", "2026-03-02T10:00+01:00", "--pause", "2026-03-02T12:00+01:00"],
         "START/END"),
        (["--priority", "P4", "--opened", "2026-03-02T10:00+01:00", "--agreed", "volgende week"],
         "not an ISO date"),
        (["--opened", "2026-03-02T10:00+01:00"], "required"),
        (["--priority", "P2", "--opened", "2026-03-02T10:00+01:00",
          "--pause", "2026-03-02T11:00+01:00/", "--pause", "2026-03-02T12:00+01:00/"], "only one pause"),
    ],
)
def test_bad_arguments_give_one_line_and_status_2(capsys, argv, fragment):
    code, out, err = run(["sla", "deadlines", *argv], capsys)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1, err
    assert fragment in err


def test_broken_policy_file_names_file_and_key(tmp_path, capsys):
    text = (Path(__file__).resolve().parents[2] / "sla" / "policies" / "halt.toml").read_text(encoding="utf-8")
    broken = tmp_path / "halt-custom.toml"
    broken.write_text(text.replace('first_response = "1h"', 'first_response = "soon"'), encoding="utf-8")
    code, _, err = run(
        ["sla", "deadlines", "--policy", str(broken), "--priority", "P2", "--opened", "2026-03-02T10:00+01:00"],
        capsys,
    )
    assert code == 2
    assert err.strip() == (
        "servicedesk: --policy: halt-custom.toml: priorities.P2.first_response: "
        "expected a duration like '1h' or '15m', got 'soon'"
    )
