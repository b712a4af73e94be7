"""`saferplaces indicators import-values` / `import-peers` / `recompute` / `list`:
all-or-nothing CSV import of indicator values and peer data, exit codes, and the value_csv
parser on its own."""

import datetime
import subprocess
import sys

import pytest

from saferplaces.core import periods
from saferplaces.performance import scorecard, value_csv
from saferplaces.performance.models import (
    Indicator,
    IndicatorValue,
    PeerGroup,
    PeerGroupMember,
    PeerValue,
)
from tests.commands import exit_code, usage_error
from tests.conftest import make_partnership, make_user
from tests.factories import IndicatorFactory, IndicatorValueFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def framework(db):
    """A partnership with four indicators (one of each source and frequency) and a second
    partnership whose indicator codes must not be reachable from the first."""
    a = make_partnership("alpha", "Alpha")
    b = make_partnership("beta", "Beta")
    a["quarterly"] = IndicatorFactory(partnership=a["partnership"], code="PV1",
                                      owner=a["police"], source="submitted")
    a["monthly"] = IndicatorFactory(partnership=a["partnership"], code="PV2", owner=a["council"],
                                    frequency="monthly", source="imported")
    a["annual"] = IndicatorFactory(partnership=a["partnership"], code="PV3", owner=a["council"],
                                   frequency="annual", source="imported")
    a["computed"] = IndicatorFactory(partnership=a["partnership"], code="CR1", owner=a["police"],
                                     source="computed")
    b["other"] = IndicatorFactory(partnership=b["partnership"], code="BX1", owner=b["police"],
                                  source="imported")
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
    """The command's exit code; its output goes to stdout and stderr (capsys)."""
    return exit_code(*args)


GOOD = (
    "indicator,period,value,numerator,denominator,commentary\n"
    "PV1,2020-Q3,12,,,Autumn figures\n"
    "PV1,2020/21 Q2,9,,,\n"
    "pv2,2020-09,1.5,3,2000,\n"
    "PV3,2020/21,\"1,234\",,,Whole year\n"
)


def test_import_creates_and_updates_then_reimport_changes_nothing(framework, tmp_path, capsys):
    a = framework["a"]
    pending = IndicatorValueFactory(indicator=a["quarterly"], period="2020-Q2", value=7,
                                    status="submitted")
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
    value = IndicatorValueFactory(indicator=a["monthly"], period="2020-09", value=1.0)
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
    IndicatorValueFactory(indicator=framework["a"]["quarterly"], period="2020-Q1", value=5)
    path = tmp_path / "bad.csv"
    path.write_text(BAD)
    before = snapshot()
    assert run("indicators", "import-values", str(path), "--partnership", "alpha") == 1
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
    assert "refused, 9 problems; nothing written." in err
    assert snapshot() == before


def test_bad_header_and_empty_file(framework, tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text("code,period\nPV1,2020-Q3\n")
    assert run("indicators", "import-values", str(path), "--partnership", "alpha") == 1
    err = capsys.readouterr().err
    assert "line 1: unknown column(s) code; missing required column(s) indicator, value" in err
    path.write_text("indicator,period,value\n")
    assert run("indicators", "import-values", str(path), "--partnership", "alpha") == 1
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
    assert "No partnership 'gamma'. Partnerships: alpha, beta" in usage_error(
        "indicators", "import-values", str(path), "--partnership", "gamma")
    assert "No login called 'ghost'" in usage_error(
        "indicators", "import-values", str(path), "--partnership", "alpha", "--user", "ghost")
    assert "not an administrator of Alpha" in usage_error(
        "indicators", "import-values", str(path), "--partnership", "alpha", "--user", "police-a")
    assert "Cannot read" in usage_error(
        "indicators", "import-values", str(tmp_path / "missing.csv"), "--partnership", "alpha")
    assert snapshot() == ([], 0)


def test_list_shows_latest_counting_value(framework, capsys):
    a = framework["a"]
    IndicatorValueFactory(indicator=a["quarterly"], period="2020-Q1", value=5)
    IndicatorValueFactory(indicator=a["quarterly"], period="2020-Q2", value=6.25)
    IndicatorValueFactory(indicator=a["quarterly"], period="2020-Q3", value=99,
                          status="submitted")  # does not count yet
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
    ["indicators"], ["indicators", "import-values"], ["indicators", "import-peers"],
    ["indicators", "recompute"],
    ["indicators", "list"], ["reminders"],
])
def test_help(args):
    result = subprocess.run([sys.executable, "-m", "saferplaces.cli", *args, "--help"],
                            capture_output=True, text=True, timeout=60,
                            env={"SECRET_KEY": "x", "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    assert "usage: saferplaces " + " ".join(args) in result.stdout


# ---------------------------------------------------------------------------------------------
# import-peers

PEERS = (
    "indicator,period,area_code,area_name,count,population\n"
    "PV1,2020-Q3,E22000340,Walsall,300,\"285,000\"\n"
    "PV1,2020-Q3,E22000338,Sandwell,350,330000\n"
    "PV1,2020/21 Q2,E22000340,Walsall,280,285000\n"
    "pv2,2020-09,e22000338, Sandwell ,12,330000\n"
    "CR1,2020-Q3,E22000340,Walsall,40,285000\n"
)


def peer_snapshot():
    """Every peer group, member and value, indicators' groups, and the history row counts."""
    return (list(PeerGroup.objects.order_by("pk").values_list("partnership__slug", "name",
                                                              "description")),
            list(PeerGroupMember.objects.order_by("pk").values_list("group__name", "code",
                                                                    "name")),
            list(PeerValue.objects.order_by("pk").values_list(
                "indicator__code", "member__code", "period", "count", "population")),
            list(Indicator.objects.order_by("pk").values_list("code", "peer_group__name")),
            PeerGroup.history.count(), Indicator.history.count())


def import_peers(path, *extra):
    return run("indicators", "import-peers", str(path), "--partnership", "alpha", "--group",
               "Most similar group", *extra)


def test_import_peers_creates_group_members_and_values(framework, tmp_path, capsys):
    a = framework["a"]
    path = tmp_path / "peers.csv"
    path.write_text(PEERS)
    assert import_peers(path, "--description", "Home Office MSG, 2020") == 0
    out = capsys.readouterr().out
    assert ("1 group(s) were created, 2 member(s) created, 0 renamed; 5 value(s) created, "
            "0 updated, 0 unchanged; 3 indicator(s) linked to the group.") in out

    group = PeerGroup.objects.get()
    assert (group.partnership, group.name, group.description, group.is_illustrative) == (
        a["partnership"], "Most similar group", "Home Office MSG, 2020", False)
    assert sorted(group.members.values_list("code", "name")) == [
        ("E22000338", "Sandwell"), ("E22000340", "Walsall")]
    walsall = PeerValue.objects.get(indicator=a["quarterly"], member__code="E22000340",
                                    period="2020-Q3")
    assert (walsall.count, walsall.population) == (300, 285_000)
    assert PeerValue.objects.filter(indicator=a["quarterly"], period="2020-Q2").count() == 1
    assert PeerValue.objects.get(indicator=a["monthly"]).period == "2020-09"
    for key in ("quarterly", "monthly", "computed"):  # computed indicators may have peers too
        a[key].refresh_from_db()
        assert a[key].peer_group == group
    a["annual"].refresh_from_db()
    assert a["annual"].peer_group is None  # not in the file
    assert a["quarterly"].history.first().history_change_reason.startswith(
        "Linked to peer group 'Most similar group'")


def test_import_peers_again_changes_nothing_then_updates(framework, tmp_path, capsys):
    path = tmp_path / "peers.csv"
    path.write_text(PEERS)
    assert import_peers(path, "--description", "MSG") == 0
    capsys.readouterr()
    before = peer_snapshot()
    assert import_peers(path) == 0  # no --description: the description is kept
    assert ("0 group(s) were created, 0 member(s) created, 0 renamed; 0 value(s) created, "
            "0 updated, 5 unchanged; 0 indicator(s) linked") in capsys.readouterr().out
    assert peer_snapshot() == before
    assert import_peers(path, "--description", "MSG") == 0
    assert peer_snapshot() == before

    path.write_text(PEERS.replace("Walsall,300", "Walsall,301").replace("Walsall", "Walsall MB"))
    assert import_peers(path, "--description", "Most similar group (2021)") == 0
    assert ("0 group(s) were created, 0 member(s) created, 1 renamed; 0 value(s) created, "
            "1 updated, 4 unchanged") in capsys.readouterr().out
    assert PeerGroupMember.objects.get(code="E22000340").name == "Walsall MB"
    assert PeerValue.objects.get(member__code="E22000340", period="2020-Q3",
                                 indicator__code="PV1").count == 301
    assert PeerGroup.objects.get().description == "Most similar group (2021)"
    assert PeerGroup.history.count() == 2


PEERS_BAD = (
    "indicator,period,area_code,area_name,count,population\n"
    "PV1,2020-Q3,E22000340,Walsall,300,285000\n"   # line 2: good, but must not be written
    "NOPE,2020-Q3,E22000340,Walsall,1,285000\n"    # line 3: unknown code
    "BX1,2020-Q3,E22000340,Walsall,1,285000\n"     # line 4: another partnership's code
    "PV1,autumn,E22000340,Walsall,1,285000\n"      # line 5: period not parseable
    "PV1,2020-09,E22000340,Walsall,1,285000\n"     # line 6: a month for a quarterly indicator
    "PV1,2020-Q2,Walsall,Walsall,1,285000\n"       # line 7: not a GSS code
    "PV1,2020-Q2,E22000338,,1,285000\n"            # line 8: no name
    "PV1,2020-Q1,E22000340,Walsall,-1,285000\n"    # line 9: negative count
    "PV1,2019-Q4,E22000340,Walsall,2.5,285000\n"   # line 10: count not whole
    "PV1,2019-Q3,E22000340,Walsall,3,0\n"          # line 11: population not above 0
    "PV1,2019-Q2,E22000340,Walsall,3,lots\n"       # line 12: population not a number
    "PV1,2020/21 Q3,E22000340,Walsall,301,285000\n"  # line 13: duplicate of line 2
    "PV3,2020/21,E22000340,Walsall,1200,285000\n"  # line 14: PV3 compares with another group
    "PV2,2020-09,E22000340,Walsal,1,285000\n"      # line 15: line 2 names the area otherwise
    "PV2,2020-10,E22000340,Walsall,,285000\n"      # line 16: count missing
    "PV2,2020-11,E22000340\n"                      # line 17: too few cells
)


def test_import_peers_bad_rows_are_all_reported_and_nothing_is_written(framework, tmp_path,
                                                                       capsys):
    a = framework["a"]
    other = PeerGroup.objects.create(partnership=a["partnership"], name="Regional CSPs")
    a["annual"].peer_group = other
    a["annual"].save()
    path = tmp_path / "bad.csv"
    path.write_text(PEERS_BAD)
    before = peer_snapshot()
    assert import_peers(path) == 1
    err = capsys.readouterr().err
    expected = {
        3: "unknown indicator 'NOPE'",
        4: "unknown indicator 'BX1'",
        5: "Unrecognised period 'autumn'",
        6: "period '2020-09' is a month but PV1 is quarterly",
        7: "area_code 'Walsall' is not a GSS code",
        8: "area_name is required",
        9: "count '-1' must be 0 or more",
        10: "count '2.5' is not a whole number",
        11: "population '0' must be 1 or more",
        12: "population 'lots' is not a number",
        13: "duplicate peer value for PV1 E22000340 2020-Q3 (first on line 2)",
        14: "indicator PV3 already compares with group 'Regional CSPs'",
        15: "area E22000340 is called 'Walsal' here but 'Walsall' on line 2",
        16: "count is required",
        17: "has 3 cells but the header has 6",
    }
    for line, message in expected.items():
        assert f"{path}: line {line}: {message}" in err
    assert "line 2:" not in err
    assert "refused, 15 problems; nothing written." in err
    assert peer_snapshot() == before


def test_import_peers_bad_header_dry_run_and_command_errors(framework, tmp_path, capsys):
    path = tmp_path / "peers.csv"
    path.write_text("indicator,period,area,count,population\n")
    assert import_peers(path) == 1
    assert ("line 1: unknown column(s) area; missing required column(s) area_code, area_name"
            in capsys.readouterr().err)
    path.write_text(PEERS.splitlines()[0] + "\n")
    assert import_peers(path) == 1
    assert "line 2: the file has a header but no peer values" in capsys.readouterr().err

    path.write_text(PEERS)
    assert import_peers(path, "--dry-run") == 0
    assert ("1 group(s) would be created, 2 member(s) created, 0 renamed; 5 value(s) created"
            in capsys.readouterr().out)
    assert "--group needs a name" in usage_error(
        "indicators", "import-peers", str(path), "--partnership", "alpha", "--group", " ")
    assert "No partnership 'gamma'" in usage_error(
        "indicators", "import-peers", str(path), "--partnership", "gamma", "--group", "G")
    assert "Cannot read" in usage_error(
        "indicators", "import-peers", tmp_path / "missing.csv", "--partnership", "alpha",
        "--group", "MSG")
    assert not (PeerGroup.objects.exists() or PeerGroupMember.objects.exists()
                or PeerValue.objects.exists())
    assert not Indicator.objects.filter(peer_group__isnull=False).exists()


def test_import_peers_into_the_indicators_own_group(framework, tmp_path, capsys):
    """An indicator already comparing with the group named is fine (and stays linked)."""
    a = framework["a"]
    group = PeerGroup.objects.create(partnership=a["partnership"], name="Most similar group",
                                     description="Kept")
    PeerGroupMember.objects.create(group=group, code="E22000340", name="Walsall")
    a["quarterly"].peer_group = group
    a["quarterly"].save()
    path = tmp_path / "peers.csv"
    path.write_text(PEERS)
    assert import_peers(path) == 0
    assert ("0 group(s) were created, 1 member(s) created, 0 renamed; 5 value(s) created, "
            "0 updated, 0 unchanged; 2 indicator(s) linked") in capsys.readouterr().out
    assert PeerGroup.objects.get().description == "Kept"


def test_scorecard_places_the_indicator_among_its_imported_peers(framework, tmp_path):
    a = framework["a"]
    value = IndicatorValueFactory(indicator=a["quarterly"], period="2020-Q3", value=320)
    value.numerator, value.denominator = 320, 300_000
    value.save()
    # no count and population behind it
    IndicatorValueFactory(indicator=a["quarterly"], period="2020-Q2", value=290)
    path = tmp_path / "peers.csv"
    path.write_text(PEERS)
    assert import_peers(path) == 0

    indicator = Indicator.objects.get(pk=a["quarterly"].pk)
    row = scorecard.judge(indicator, periods.parse_period("2020-Q3"))
    assert row.peer is not None
    assert row.peer.peers == 2
    assert row.peer.count == 320
    assert row.peer.peer_rate == pytest.approx(650 / 615_000 * 1000)
    row = scorecard.judge(indicator, periods.parse_period("2020-Q2"))
    assert row.peer is None
    assert row.peer_note == "Peer comparison needs this area's count and population."


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


def test_peer_parser_reads_rows_and_checks_the_group():
    lookups = value_csv.Lookups({
        "pv1": value_csv.IndicatorInfo(1, "PV1", "quarterly", "submitted", "MSG"),
        "pv2": value_csv.IndicatorInfo(2, "PV2", "monthly", "imported"),
    })
    data = (b"\xef\xbb\xbfIndicator,Period,Area_Code,Area_Name,Count,Population\r\n"
            b"PV1, 2020/21 q3 ,e22000340,Walsall,\"1,200\",\"285,000\"\r\n"
            b"PV2,2020-09,E22000338,Sandwell,0,330000\r\n")
    rows, errors = value_csv.parse_peers(data, lookups, "MSG")
    assert errors == []
    first, second = rows
    assert (first.line, first.indicator.code, first.period.code, first.area_code,
            first.area_name, first.count, first.population) == (
        2, "PV1", "2020-Q3", "E22000340", "Walsall", 1200, 285_000)
    assert (second.line, second.count) == (3, 0)
    rows, errors = value_csv.parse_peers(data, lookups, "Other")
    assert [str(e) for e in errors] == ["line 2: indicator PV1 already compares with group 'MSG'"]
    assert [row.line for row in rows] == [3]
