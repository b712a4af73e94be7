"""`saferplaces indicators import-values` / `recompute` / `list`: all-or-nothing CSV import of
indicator values, exit codes, and the value_csv parser on its own."""

import datetime
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from saferplaces.performance import value_csv
from saferplaces.performance.models import Indicator, IndicatorValue
from tests.conftest import make_partnership, make_user

pytestmark = pytest.mark.django_db


def make_indicator(partnership, code, owner, source="imported", frequency="quarterly", **extra):
    values = {"name": f"Indicator {code}", "definition": "What is counted.", "polarity": "lower",
              "unit": "count", "frequency": frequency, "source": source}
    if source == "computed":
        values["measure"] = "count"
    values.update(extra)
    return Indicator.objects.create(partnership=partnership, code=code, owner=owner, **values)


def add_value(indicator, period, value, status="approved"):
    from saferplaces.performance.rules import parse_period

    parsed = parse_period(period)
    return IndicatorValue.objects.create(indicator=indicator, period=parsed.code,
                                         period_start=parsed.start, period_end=parsed.end,
                                         value=value, status=status)


@pytest.fixture
def framework(db):
    """A partnership with four indicators (one of each source and frequency) and a second
    partnership whose indicator codes must not be reachable from the first."""
    a = make_partnership("alpha", "Alpha")
    b = make_partnership("beta", "Beta")
    a["quarterly"] = make_indicator(a["partnership"], "PV1", a["police"], source="submitted")
    a["monthly"] = make_indicator(a["partnership"], "PV2", a["council"], frequency="monthly")
    a["annual"] = make_indicator(a["partnership"], "PV3", a["council"], frequency="annual")
    a["computed"] = make_indicator(a["partnership"], "CR1", a["police"], source="computed")
    b["other"] = make_indicator(b["partnership"], "BX1", b["police"])
    users = {"admin": make_user("admin-a", a["partnership"], "admin"),
             "officer": make_user("police-a", a["partnership"], "officer", a["police"])}
    return {"a": a, "b": b, "users": users}


def snapshot():
    """Every value and how many history rows there are."""
    rows = list(IndicatorValue.objects.order_by("pk").values_list(
        "indicator__code", "period", "value", "numerator", "denominator", "commentary",
        "status", "reviewed_by_id"))
    return rows, IndicatorValue.history.count()


def run(*args):
    call_command(*args)
    return 0


GOOD = (
    "indicator,period,value,numerator,denominator,commentary\n"
    "PV1,2020-Q3,12,,,Autumn figures\n"
    "PV1,2020/21 Q2,9,,,\n"
    "pv2,2020-09,1.5,3,2000,\n"
    "PV3,2020/21,\"1,234\",,,Whole year\n"
)


def test_import_creates_and_updates_then_reimport_changes_nothing(framework, tmp_path, capsys):
    a = framework["a"]
    pending = add_value(a["quarterly"], "2020-Q2", 7, status="submitted")
    path = tmp_path / "values.csv"
    path.write_text(GOOD)
    assert run("indicators", "import-values", str(path), "--partnership", "alpha",
               "--user", "admin-a") == 0
    assert "3 value(s) were created, 1 updated, 0 unchanged" in capsys.readouterr().out

    autumn = IndicatorValue.objects.get(indicator=a["quarterly"], period="2020-Q3")
    assert (autumn.value, autumn.status, autumn.commentary) == (12, "approved", "Autumn figures")
    assert autumn.period_start == datetime.date(2020, 10, 1)
    assert autumn.period_end == datetime.date(2020, 12, 31)
    assert autumn.reviewed_by == framework["users"]["admin"]
    assert autumn.reviewed_at is not None
    assert autumn.history.first().history_user == framework["users"]["admin"]
    pending.refresh_from_db()  # the value awaiting approval was replaced and approved
    assert (pending.value, pending.status) == (9, "approved")
    monthly = IndicatorValue.objects.get(indicator=a["monthly"])
    assert (monthly.period, monthly.numerator, monthly.denominator) == ("2020-09", 3, 2000)
    annual = IndicatorValue.objects.get(indicator=a["annual"])
    assert (annual.period, annual.value) == ("2020/21", 1234)
    assert annual.period_start == datetime.date(2020, 4, 1)

    before = snapshot()
    assert run("indicators", "import-values", str(path), "--partnership", "alpha") == 0
    assert "0 value(s) were created, 0 updated, 4 unchanged" in capsys.readouterr().out
    assert snapshot() == before


def test_optional_columns_left_out_keep_their_values(framework, tmp_path, capsys):
    a = framework["a"]
    value = add_value(a["monthly"], "2020-09", 1.0)
    value.numerator, value.commentary = 3, "Kept"
    value.save()
    path = tmp_path / "values.csv"
    path.write_text("indicator,period,value\nPV2,2020-09,2.5\n")
    assert run("indicators", "import-values", str(path), "--partnership", "alpha") == 0
    assert "0 value(s) were created, 1 updated" in capsys.readouterr().out
    value.refresh_from_db()
    assert (value.value, value.numerator, value.commentary) == (2.5, 3, "Kept")
    assert value.reviewed_by is None


BAD = (
    "indicator,period,value\n"
    "PV1,2020-Q3,12\n"              # line 2: good, but must not be written
    "NOPE,2020-Q3,1\n"              # line 3: unknown code
    "BX1,2020-Q3,1\n"               # line 4: another partnership's code
    "PV1,autumn,1\n"                # line 5: period not parseable
    "PV1,2020-09,1\n"               # line 6: a month for a quarterly indicator
    "PV3,2020,1\n"                  # line 7: a calendar year for an annual indicator
    "PV2,2020-10,lots\n"            # line 8: value not a number
    "PV1,2020/21 Q3,13\n"           # line 9: duplicate of line 2 (same period)
    "CR1,2020-Q3,40\n"              # line 10: computed indicator
    "PV2,2020-11,\n"                # line 11: value missing
)


def test_bad_rows_are_all_reported_and_nothing_is_written(framework, tmp_path, capsys):
    add_value(framework["a"]["quarterly"], "2020-Q1", 5)
    path = tmp_path / "bad.csv"
    path.write_text(BAD)
    before = snapshot()
    with pytest.raises(SystemExit) as exit_info:
        run("indicators", "import-values", str(path), "--partnership", "alpha")
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert f"{path}: line 3: unknown indicator 'NOPE'" in err
    assert f"{path}: line 4: unknown indicator 'BX1'" in err
    assert f"{path}: line 5: Unrecognised period 'autumn'" in err
    assert f"{path}: line 6: period '2020-09' is a month but PV1 is quarterly" in err
    assert f"{path}: line 7: period '2020' is a calendar year but PV3 is annual" in err
    assert f"{path}: line 8: value 'lots' is not a number" in err
    assert f"{path}: line 9: duplicate value for PV1 2020-Q3 (first on line 2)" in err
    assert f"{path}: line 10: indicator CR1 is computed" in err
    assert f"{path}: line 11: value is required" in err
    assert "line 2:" not in err
    assert "9 bad row(s); nothing was written." in err
    assert snapshot() == before


def test_bad_header_and_empty_file(framework, tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text("code,period\nPV1,2020-Q3\n")
    with pytest.raises(SystemExit):
        run("indicators", "import-values", str(path), "--partnership", "alpha")
    err = capsys.readouterr().err
    assert "line 1: unknown column(s) code; missing required column(s) indicator, value" in err
    path.write_text("indicator,period,value\n")
    with pytest.raises(SystemExit):
        run("indicators", "import-values", str(path), "--partnership", "alpha")
    assert "line 2: the file has a header but no values" in capsys.readouterr().err
    assert not IndicatorValue.objects.exists()


def test_dry_run_writes_nothing(framework, tmp_path, capsys):
    path = tmp_path / "values.csv"
    path.write_text(GOOD)
    assert run("indicators", "import-values", str(path), "--partnership", "alpha",
               "--dry-run") == 0
    assert "4 value(s) would be created" in capsys.readouterr().out
    assert snapshot() == ([], 0)


def test_unknown_partnership_user_or_file_are_command_errors(framework, tmp_path):
    path = tmp_path / "values.csv"
    path.write_text(GOOD)
    with pytest.raises(CommandError, match="No partnership 'gamma'. Partnerships: alpha, beta"):
        run("indicators", "import-values", str(path), "--partnership", "gamma")
    with pytest.raises(CommandError, match="No login called 'ghost'"):
        run("indicators", "import-values", str(path), "--partnership", "alpha", "--user",
            "ghost")
    with pytest.raises(CommandError, match="not an administrator of Alpha"):
        run("indicators", "import-values", str(path), "--partnership", "alpha", "--user",
            "police-a")
    with pytest.raises(CommandError, match="Cannot read"):
        run("indicators", "import-values", str(tmp_path / "missing.csv"), "--partnership",
            "alpha")
    assert snapshot() == ([], 0)


def test_list_shows_latest_counting_value(framework, capsys):
    a = framework["a"]
    add_value(a["quarterly"], "2020-Q1", 5)
    add_value(a["quarterly"], "2020-Q2", 6.25)
    add_value(a["quarterly"], "2020-Q3", 99, status="submitted")  # does not count yet
    assert run("indicators", "list", "--partnership", "alpha") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["code", "name", "source", "frequency", "latest", "period"]
    assert [line.split()[0] for line in lines[1:]] == ["CR1", "PV1", "PV2", "PV3"]
    pv1 = next(line for line in lines if line.startswith("PV1"))
    assert pv1.split()[-4:] == ["submitted", "quarterly", "6.25", "2020-Q2"]
    pv2 = next(line for line in lines if line.startswith("PV2"))
    assert pv2.split()[-4:] == ["imported", "monthly", "-", "-"]
    assert "BX1" not in "\n".join(lines)


def test_recompute_reports_changes(framework, capsys):
    # No crime data is loaded, so the computed indicator has nothing to compute.
    assert run("indicators", "recompute", "--partnership", "alpha") == 0
    assert "0 value(s) changed." in capsys.readouterr().out
    assert run("indicators", "recompute") == 0
    assert "0 value(s) changed." in capsys.readouterr().out


@pytest.mark.parametrize("args", [
    ["indicators"], ["indicators", "import-values"], ["indicators", "recompute"],
    ["indicators", "list"], ["reminders"],
])
def test_help(args):
    result = subprocess.run([sys.executable, "-m", "saferplaces.cli", *args, "--help"],
                            capture_output=True, text=True, timeout=60,
                            env={"SECRET_KEY": "x", "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    assert "usage: saferplaces " + " ".join(args) in result.stdout


# ---------------------------------------------------------------------------------------------
# The parser alone (no database)

LOOKUPS = value_csv.Lookups({
    "pv1": value_csv.IndicatorInfo(1, "PV1", "quarterly", "submitted"),
    "pv2": value_csv.IndicatorInfo(2, "PV2", "monthly", "imported"),
})


def test_parser_reads_periods_in_canonical_form():
    rows, errors = value_csv.parse_values(
        b"\xef\xbb\xbfindicator,period,value,commentary\r\nPV1, 2020/21 q3 ,4,Note\r\n",
        LOOKUPS)
    assert errors == []
    (row,) = rows
    assert (row.line, row.indicator.code, row.period.code, row.value) == (2, "PV1", "2020-Q3", 4)
    assert row.values == {"commentary": "Note"}


def test_parser_reports_every_problem_in_a_row():
    rows, errors = value_csv.parse_values(b"indicator,period,value\nXX,never,nan\nPV2\n", LOOKUPS)
    assert rows == []
    assert str(errors[0]).startswith("line 2: unknown indicator 'XX' (this partnership's "
                                     "codes: PV1, PV2); Unrecognised period 'never'")
    assert str(errors[0]).endswith("value 'nan' is not a number")
    assert str(errors[1]) == "line 3: has 1 cells but the header has 3"


def test_parser_rejects_non_utf8():
    rows, errors = value_csv.parse_values("indicator,period,value\nPV1,2020-Q1,é\n"
                                          .encode("latin-1"), LOOKUPS)
    assert rows == [] and "not UTF-8" in str(errors[0])
