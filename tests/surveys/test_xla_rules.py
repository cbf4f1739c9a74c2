"""The XLA rules (``sla.xla``) and the policy's ``[xla]`` table: the mean against the norm exactly,
the response rate, versions, and mistakes named with file and key."""

from __future__ import annotations

from datetime import datetime, timezone
from fractions import Fraction
from pathlib import Path

import pytest

from sla.policy import POLICY_DIR, PolicyError, load_policy
from sla.xla import Question, all_met, results, scheduled_start

HALT = (POLICY_DIR / "halt.toml").read_text("utf-8")
NORMS = {q: Fraction(8) for q in Question}


def test_the_mean_is_held_to_the_norm_exactly_and_the_rate_counts_everyone_asked():
    # 20 answers: 19 eights and one seven give 7.95, shown as 8 but short of the norm.
    found = results({Question.WORKPLACE: [8] * 19 + [7], Question.SERVICEDESK: [8, 8], Question.INFORMATION: []},
                    invited=40, norms=NORMS)
    workplace, servicedesk, information = found
    assert workplace.mean == Fraction(159, 20) and workplace.mean_rounded == 8.0 and workplace.met is False
    assert workplace.response_rate_percent == 50.0 and workplace.distribution[6:8] == (1, 19)
    assert servicedesk.met is True and servicedesk.response_rate_percent == 5.0
    assert information.mean is None and information.met is None  # no answers: no verdict
    assert all_met(found) is False and all_met(found[1:]) is True


def test_without_a_norm_the_figures_come_without_a_verdict():
    (workplace, *_) = results({Question.WORKPLACE: [9, 10]}, invited=2, norms={q: None for q in Question})
    assert workplace.mean_rounded == 9.5 and workplace.met is None


def test_halt_asks_twice_a_year_with_8_and_sib_reports_without_a_norm():
    halt, sib = load_policy("halt"), load_policy("sib")
    assert halt.xla.rounds_per_year == 2 and set(halt.xla.norms.values()) == {Fraction(8)}
    assert sib.xla is not None and set(sib.xla.norms.values()) == {None}


def _earlier_with_norm_7() -> str:
    """halt.toml with a new version from 2027-01-01 and the current one kept as [[earlier]] with norm 7."""
    current = HALT.replace("effective_from = 2026-01-01", "effective_from = 2027-01-01")
    earlier = HALT.split("\n[agenda]")[0].replace("werkplek = 8", "werkplek = 7")
    body = "\n".join(line for line in earlier.splitlines() if not line.startswith(("name =", "description =", "timezone =")))
    nested = []
    table = None
    for line in body.splitlines():  # every table of the earlier version under [earlier.x]
        if line.startswith("[") and not line.startswith("[["):
            table = line.strip("[] ").split("]")[0].strip()
            nested.append(f"[earlier.{table}]" + line.split("]", 1)[1])
        else:
            nested.append(line)
    return current + "\n[[earlier]]\n" + "\n".join(nested) + "\n"


def test_each_version_keeps_its_own_xla_norms(tmp_path: Path):
    path = tmp_path / "halt-versions.toml"
    path.write_text(_earlier_with_norm_7(), "utf-8")
    policy = load_policy(str(path))
    in_2026 = policy.in_force(datetime(2026, 10, 1, 8, 0, tzinfo=timezone.utc))
    in_2027 = policy.in_force(datetime(2027, 3, 1, 8, 0, tzinfo=timezone.utc))
    assert in_2026.xla.norms[Question.WORKPLACE] == 7 and in_2027.xla.norms[Question.WORKPLACE] == 8
    # The norms are outside the digest: a round stores the ones it started with.
    edited = tmp_path / "halt-edited.toml"
    edited.write_text(HALT.replace("werkplek = 8", "werkplek = 7.5"), "utf-8")
    assert load_policy(str(edited)).digest == load_policy("halt").digest


@pytest.mark.parametrize(("old", "new", "message"), [
    ("werkplek = 8", "werkplek = 11", "xla.norms.werkplek: expected a number from 0 to 10"),
    ("werkplek = 8", "werkplk = 8", "xla.norms.werkplk: unknown question"),
    ("rounds_per_year = 2", "rounds_per_year = 0", "xla.rounds_per_year: expected a whole number from 1 to 12"),
    ("rounds_per_year = 2", "rondes = 2", "xla.rondes: unknown key"),
])
def test_a_mistake_in_xla_names_file_key_and_problem(tmp_path: Path, old, new, message):
    path = tmp_path / "halt-custom.toml"
    path.write_text(HALT.replace(old, new), "utf-8")
    with pytest.raises(PolicyError) as raised:
        load_policy(str(path))
    assert str(raised.value).startswith(f"halt-custom.toml: {message}")


def test_a_scheduled_round_starts_at_10_on_the_first_working_day():
    policy = load_policy("halt")
    # 1 January 2027 is Nieuwjaarsdag (a Friday): the round starts on Monday 4 January.
    assert scheduled_start(policy.working_calendar, year=2027, month=1) == datetime(2027, 1, 4, 10, 0, tzinfo=policy.tz)
