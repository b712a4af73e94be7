"""`saferplaces workshop results` prints the hand-worked example's ranking."""

import csv
import io

import pytest

from tests.commands import run_command
from tests.factories import PartnershipFactory
from tests.workshop_data import make_workshop

pytestmark = pytest.mark.django_db


def test_results_as_csv_give_the_worked_figures():
    workshop = make_workshop(PartnershipFactory())
    code, out, err = run_command("workshop", "results", "--workshop", workshop.pk,
                                 "--format", "csv")
    assert (code, err) == (0, "")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["rank"], r["candidate"], r["mean"], r["median"], r["scorers"]) for r in rows] == [
        ("1", "Z", "81.67", "81.67", "2"), ("2", "X", "66.11", "73.33", "3"),
        ("3", "W", "61.11", "50.0", "3"), ("3", "Y", "61.11", "50.0", "3")]
    assert (rows[1]["lowest"], rows[1]["highest"], rows[1]["std_dev"]) == ("25.0", "100.0",
                                                                           "31.04")


def test_results_as_a_table_end_with_the_sensitivity_summary():
    workshop = make_workshop(PartnershipFactory())
    code, out, _err = run_command("workshop", "results", "--workshop", workshop.pk)
    assert code == 0
    assert out.splitlines()[0].split() == ["rank", "candidate", "mean", "median",
                                           "median_rank", "lowest", "highest", "std_dev",
                                           "scorers", "chosen"]
    assert "The ranking is stable under every ±25% move of a weight." in out


def test_an_unknown_workshop_is_exit_code_2():
    code, out, err = run_command("workshop", "results", "--workshop", 999999)
    assert (code, out.strip(), err.strip()) == (2, "", "No workshop 999999.")
