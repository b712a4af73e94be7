"""One CSV reader for every importer (issue 7 point 1).

The reader's own rules (encoding, NUL, line numbers, numbers) are checked against literal
worked values; then every importer is shown to follow them: each refuses a latin-1 byte naming
its line, each numeric column refuses "1,2,3", and action rows obey the web form's rules.
"""

import datetime
import json

import pytest

from saferplaces.areas import parsing
from saferplaces.core.csv_records import (
    CsvFileError,
    LineError,
    decode,
    parse_number,
    parse_whole,
    read_records,
    read_table,
)
from saferplaces.core.imports import ImportResult
from saferplaces.crime import harm
from saferplaces.performance import value_csv
from saferplaces.strategy import action_csv
from saferplaces.strategy.models import Action

# --- numbers ---------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "number"), [
    ("1234", 1234.0), ("1,234", 1234.0), ("1234.5", 1234.5), (" 1,234.5 ", 1234.5),
    ("-3", -3.0), ("+0.25", 0.25), (".5", 0.5), ("2e3", 2000.0), ("12,345,678", 12345678.0),
])
def test_numbers_read(text, number):
    assert parse_number(text, "value") == number


@pytest.mark.parametrize(("text", "reason"), [
    ("1,2,3", "value '1,2,3' is not a number"),
    ("1234,5", "value '1234,5' is not a number"),
    ("12,34", "value '12,34' is not a number"),
    ("1,", "value '1,' is not a number"),
    ("nan", "value 'nan' is not a number"),
    ("inf", "value 'inf' is not a number"),
    ("1e999", "value '1e999' is not a finite number"),
    ("12a", "value '12a' is not a number"),
    ("", "value is empty"),
    ("   ", "value is empty"),
])
def test_numbers_refused(text, reason):
    with pytest.raises(ValueError) as caught:
        parse_number(text, "value")
    assert str(caught.value) == reason


@pytest.mark.parametrize(("text", "number"), [("1,563", 1563), ("1563.0", 1563), ("0", 0)])
def test_whole_numbers_read(text, number):
    assert parse_whole(text, "count") == number


@pytest.mark.parametrize(("text", "minimum", "maximum", "reason"), [
    ("1.5", 0, 10, "count '1.5' is not a whole number"),
    ("-3", 0, 10, "count '-3' must be 0 or more"),
    ("0", 1, 10, "count '0' must be 1 or more"),
    ("11", 1, 10, "count '11' must be 10 or less"),
    ("1,2,3", 0, 10**9, "count '1,2,3' is not a number"),
])
def test_whole_numbers_refused(text, minimum, maximum, reason):
    with pytest.raises(ValueError) as caught:
        parse_whole(text, "count", minimum, maximum)
    assert str(caught.value) == reason


# --- encoding, NUL, lines ---------------------------------------------------------------


def _refusal(data: bytes) -> LineError:
    with pytest.raises(CsvFileError) as caught:
        decode(data, "f.csv")
    return caught.value.error


def test_latin1_byte_on_line_2_is_refused_naming_the_line():
    error = _refusal("code,name\nE01,Caf\u00e9\n".encode("latin-1"))
    assert (error.file, error.line) == ("f.csv", 2)
    assert str(error).startswith("f.csv: line 2: byte 0xE9 is not UTF-8 text")


def test_latin1_byte_past_64_kb_is_refused_naming_its_line():
    good_line = b"E01000001,Somewhere quite ordinary\n"  # 36 bytes
    lines = [b"code,name\n"] + [good_line] * 3000  # line 3001 ends at byte 108,010
    data = b"".join(lines) + "E01000002,Caf\u00e9\n".encode("latin-1")
    assert len(data) > 65536 * 1.5
    assert _refusal(data).line == 3002


def test_line_breaks_of_every_kind_count():
    assert _refusal(b"a\r\nb\rc\n\xff").line == 4


def test_nul_byte_is_refused_naming_its_line():
    error = _refusal(b"code,name\nE01,ok\nE02,b\x00d\n")
    assert error.line == 3 and "NUL" in error.message


def test_byte_order_mark_is_dropped():
    assert decode(b"\xef\xbb\xbfcode\n") == "code\n"
    assert read_table(b"\xef\xbb\xbfcode,name\nE01,x\n").header == ["code", "name"]


def test_rows_keep_physical_lines_and_shape_rules():
    table = read_table(b'code,name\n\nE01,"two\nlines"\nE02\nE03,x,,\nE04,x,extra\n', "f.csv")
    assert [(row.line, row.cells) for row in table.rows] == [
        (3, ["E01", "two\nlines"]), (6, ["E03", "x"])]
    assert [str(error) for error in table.errors] == [
        "f.csv: line 5: has 1 cells but the header has 2",
        "f.csv: line 7: has 3 cells but the header has 2"]


def test_known_columns_any_case_and_header_problems_named():
    parsed = read_records(b"Name,CODE\nx,E01\n", ("code", "name"), ("code",))
    assert parsed.header == ["name", "code"]
    assert parsed.records[0].cells == {"name": "x", "code": "E01"}
    with pytest.raises(CsvFileError) as caught:
        read_records(b"code,colour,code\n", ("code", "name"), ("code", "name"))
    assert caught.value.error.line == 1
    assert caught.value.error.message == (
        "unknown column(s) colour; missing required column(s) name; repeated column(s) code. "
        "Columns: code, name")


def test_import_result_summaries():
    result = ImportResult(file="f.csv", noun="action", created=["A"], unchanged=["B", "C"])
    assert result.summary() == "f.csv: 1 action(s) were created, 0 updated, 2 unchanged."
    result.refuse([LineError("f.csv", 3, "", "x"), LineError("f.csv", 1, "", "y")])
    assert [error.line for error in result.errors] == [1, 3]
    assert result.summary() == "f.csv: refused, 2 problems; nothing written."


# --- every importer goes through the one reader -----------------------------------------

ACTION_LOOKUPS = action_csv.Lookups(organisations={"pol": 1}, aims={"1.1": 10}, officers={},
                                    statuses={"on_track": "on_track"})
VALUE_LOOKUPS = value_csv.Lookups({
    "pv1": value_csv.IndicatorInfo(1, "PV1", "quarterly", "imported"),
})
ACTIONS = "reference,title,aims,lead_organisation,due_date,status,progress\n"
VALUES = "indicator,period,value,numerator,denominator\n"
PEERS = "indicator,period,area_code,area_name,count,population\n"
WEIGHTS = "crime_type,weight\n"
LOOKUP = "LSOA11CD,WD23CD\n"
POPULATION = "code,persons\n"
IMD = "code,rank,decile,score\n"


def _actions(data: bytes) -> list[LineError]:
    return action_csv.parse_actions(data, ACTION_LOOKUPS, "f.csv")[1]


def _values(data: bytes) -> list[LineError]:
    return value_csv.parse_values(data, VALUE_LOOKUPS, "f.csv")[1]


def _peers(data: bytes) -> list[LineError]:
    return value_csv.parse_peers(data, VALUE_LOOKUPS, "MSG", "f.csv")[1]


def _weights(data: bytes) -> list[LineError]:
    return harm.parse_weights_csv(data, "f.csv").errors


def _lookup(data: bytes) -> list[LineError]:
    return parsing.parse_lookup(data, "f.csv", child_column="LSOA11CD",
                                parent_column="WD23CD").problems


def _population(data: bytes) -> list[LineError]:
    return parsing.parse_population(data, "f.csv", code_column="code",
                                    value_column="persons").problems


def _imd(data: bytes) -> list[LineError]:
    return parsing.parse_deprivation(data, "f.csv", code_column="code", domain="imd",
                                     rank_column="rank", decile_column="decile",
                                     score_column="score").problems


def _iod2019(data: bytes) -> list[LineError]:
    return parsing.parse_iod2019_file2(data, "f.csv").problems


def _boundaries(data: bytes) -> list[LineError]:
    return parsing.parse_boundaries(data, "f.geojson", "ward").problems


GOOD_ROWS = {
    _actions: (ACTIONS, "A-1,Patrols,1.1,POL,2021-01-31,on_track,40\n"),
    _values: (VALUES, "PV1,2020-Q3,12.5,5,40\n"),
    _peers: (PEERS, "PV1,2020-Q3,E22000340,Walsall,120,\"281,293\"\n"),
    _weights: (WEIGHTS, "Robbery,365\n"),
    _lookup: (LOOKUP, "E01010410,E05014838\n"),
    _population: (POPULATION, "E01010410,\"1,563\"\n"),
    _imd: (IMD, "E01010410,\"3,038\",1,45.111\n"),
}
IMPORTERS = [*GOOD_ROWS, _iod2019, _boundaries]


@pytest.mark.parametrize("importer", GOOD_ROWS, ids=lambda f: f.__name__.strip("_"))
def test_each_importer_reads_a_good_file_with_a_byte_order_mark(importer):
    header, row = GOOD_ROWS[importer]
    assert importer(b"\xef\xbb\xbf" + (header + row).encode()) == []


@pytest.mark.parametrize("importer", IMPORTERS, ids=lambda f: f.__name__.strip("_"))
def test_each_importer_refuses_latin1_naming_the_line(importer):
    data = "first line\nCaf\u00e9,1\n".encode("latin-1")
    [error] = importer(data)
    assert error.line == 2
    assert error.message.startswith("byte 0xE9 is not UTF-8 text")


@pytest.mark.parametrize("importer", IMPORTERS, ids=lambda f: f.__name__.strip("_"))
def test_each_importer_refuses_a_nul_byte_naming_the_line(importer):
    [error] = importer(b"first line\nsecond\nthi\x00rd\n")
    assert error.line == 3 and "NUL" in error.message


# Every numeric column of every importer, as (importer, file with "1,2,3" in that column).
ONE_TWO_THREE = [
    (_actions, "progress", ACTIONS + 'A-1,Patrols,1.1,POL,2021-01-31,on_track,"1,2,3"\n'),
    (_values, "value", VALUES + 'PV1,2020-Q3,"1,2,3",5,40\n'),
    (_values, "numerator", VALUES + 'PV1,2020-Q3,12.5,"1,2,3",40\n'),
    (_values, "denominator", VALUES + 'PV1,2020-Q3,12.5,5,"1,2,3"\n'),
    (_peers, "count", PEERS + 'PV1,2020-Q3,E22000340,Walsall,"1,2,3",281293\n'),
    (_peers, "population", PEERS + 'PV1,2020-Q3,E22000340,Walsall,120,"1,2,3"\n'),
    (_weights, "weight", WEIGHTS + 'Robbery,"1,2,3"\n'),
    (_population, "population", POPULATION + 'E01010410,"1,2,3"\n'),
    (_imd, "imd rank", IMD + 'E01010410,"1,2,3",1,45.1\n'),
    (_imd, "imd decile", IMD + 'E01010410,3038,"1,2,3",45.1\n'),
    (_imd, "imd score", IMD + 'E01010410,3038,1,"1,2,3"\n'),
]


@pytest.mark.parametrize(("importer", "column", "text"), ONE_TWO_THREE,
                         ids=[f"{f.__name__.strip('_')}-{c}" for f, c, _ in ONE_TWO_THREE])
def test_one_two_three_is_refused_by_every_numeric_column(importer, column, text):
    [error] = importer(text.encode())
    assert error.line == 2
    assert f"{column} '1,2,3' is not a number" in error.message


def test_iod2019_numbers_go_through_the_same_parser():
    columns = [f"{label} {measure}" for label in parsing.IOD2019_FILE2_DOMAINS.values()
               for measure in ("Rank", "Decile")]
    header = ",".join(f'"{name}"' for name in [parsing.IOD2019_FILE2_CODE_COLUMN, *columns])
    cells = ['"1,2,3"'] + ["1"] * (len(columns) - 1)
    errors = _iod2019((header + "\nE01010410," + ",".join(cells) + "\n").encode())
    assert [str(error) for error in errors] == ["f.csv: line 2: imd rank '1,2,3' is not a number"]


def test_boundaries_are_utf8_only_too():
    collection = {"type": "FeatureCollection", "features": []}
    data = json.dumps(collection).encode() + b"\n\n\xe9"
    assert [error.line for error in _boundaries(data)] == [3]


# --- action rows obey the web form ------------------------------------------------------


@pytest.fixture
def plan(world):
    return world["a"]["plan"]


def _import(plan, body: str, header: str = ACTIONS.replace(",progress", ",partner_organisations"
                                                            ",start_date,progress")):
    from saferplaces.strategy import services

    return services.import_actions(plan, (header + body).encode(), file="f.csv")


@pytest.mark.parametrize(("body", "column", "message"), [
    ("A-9," + "T" * 5000 + ",1.1,POL,2021-01-31,on_track,,,0\n", "title",
     "Ensure this value has at most 300 characters (it has 5000)."),
    ("R" * 201 + ",Patrols,1.1,POL,2021-01-31,on_track,,,0\n", "reference",
     "Ensure this value has at most 30 characters (it has 201)."),
    ("A-9,Patrols,1.1,POL,2021-01-31,on_track,POL,,0\n", "partner_organisations",
     "The lead organisation is not also a partner."),
    ("A-9,Patrols,1.1,POL,2021-01-31,on_track,,2021-02-01,0\n", "due_date",
     "The due date cannot be before the start date."),
    ("A-9,Patrols,1.1,POL,2021-01-31,on_track,,,101\n", "progress",
     "Progress is a percentage from 0 to 100."),
    ("A-9,Patrols,,POL,2021-01-31,on_track,,,0\n", "aims", "This field is required."),
])
def test_csv_rows_are_refused_by_the_web_forms_rules(plan, body, column, message):
    before = Action.objects.count()
    result = _import(plan, "A-8,Fine,1.1,POL,2021-01-31,on_track,,,0\n" + body)
    assert [(e.line, e.column, e.message) for e in result.errors] == [
        (3, column, f"{column}: {message}")]
    assert Action.objects.count() == before  # the good row on line 2 is not written either


def test_a_nul_byte_in_a_title_is_refused_with_its_line(plan):
    result = _import(plan, "A-8,Fine,1.1,POL,2021-01-31,on_track,,,0\n"
                           "A-9,Bad\x00title,1.1,POL,2021-01-31,on_track,,,0\n")
    assert [(e.line, "NUL" in e.message) for e in result.errors] == [(3, True)]
    assert not plan.actions.filter(reference__in=["A-8", "A-9"]).exists()


def test_an_update_is_checked_with_the_actions_other_values(plan):
    """PV-01 is led by POL with CNCL as partner; a file naming CNCL as lead but leaving
    partners out would make CNCL both."""
    result = _import(plan, "PV-01,Patrols,1.1,CNCL,2021-01-31,on_track\n",
                     header="reference,title,aims,lead_organisation,due_date,status\n")
    assert [(e.line, e.column) for e in result.errors] == [(2, "partner_organisations")]
    assert plan.actions.get(reference="PV-01").lead_organisation.short_name == "POL"


def test_a_row_the_form_accepts_is_written(plan):
    result = _import(plan, "A-9,Patrols,1.1,POL,2021-01-31,on_track,CNCL,2020-04-01,40\n")
    assert result.ok, result.errors
    action = plan.actions.get(reference="A-9")
    assert (action.title, action.start_date, action.progress) == (
        "Patrols", datetime.date(2020, 4, 1), 40)
    assert [o.short_name for o in action.partner_organisations.all()] == ["CNCL"]


# --- what the commands print --------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("command", [
    ("crime", "weights", "import", "{path}", "--name", "X"),
    ("geo", "import-population", "{path}", "--level", "lsoa", "--vintage", "2011",
     "--code-column", "code", "--value-column", "persons", "--year", "2011", "--source", "t"),
], ids=["weights", "population"])
def test_commands_print_each_problem_once_with_file_and_line(tmp_path, command):
    from tests.commands import run_command

    path = tmp_path / "latin1.csv"
    path.write_bytes("code,persons\nCaf\u00e9,1\n".encode("latin-1"))
    code, _, err = run_command(*(str(arg).format(path=path) for arg in command))
    assert code == 1
    assert err.splitlines() == [
        f"{path}: line 2: byte 0xE9 is not UTF-8 text; save the file as UTF-8 (in a "
        "spreadsheet: 'CSV UTF-8')",
        f"{path}: refused, 1 problem; nothing written."]


def test_actions_command_prints_form_problems_with_file_and_line(world, tmp_path):
    from tests.commands import run_command

    path = tmp_path / "plan.csv"
    path.write_text(ACTIONS + "A-9,Patrols,1.1,POL,2021-01-31,on_track,101\n")
    code, _, err = run_command("actions", "import", path, "--plan", world["a"]["plan"].pk)
    assert code == 1
    assert err.splitlines() == [
        f"{path}: line 2: progress: Progress is a percentage from 0 to 100.",
        f"{path}: refused, 1 problem; nothing written."]
