"""The pure CSV parser: every kind of bad row is reported with its line, good rows resolve."""

import datetime

from saferplaces.strategy.action_csv import Lookups, parse_actions, parse_date, write_actions

LOOKUPS = Lookups(
    organisations={"pol": 1, "west midlands police": 1, "cncl": 2, "council": 2},
    aims={"1.1": 10, "1.2": 11},
    officers={"pat lead": 5, "pat@example.org": 5},
    statuses={"on_track": "on_track", "on track": "on_track", "complete": "complete"},
)
HEADER = ("reference,title,description,aims,lead_organisation,partner_organisations,"
          "lead_officer,start_date,due_date,status,progress\n")


def parse(body, header=HEADER):
    return parse_actions((header + body).encode(), LOOKUPS)


def test_good_rows_resolve_names_and_dates():
    rows, errors = parse(
        'A-1,Patrols,"Hot spot patrols, evenings",1.1; 1.2,POL,Council,Pat Lead,'
        "01/04/2020,2020-09-30,On track,40%\n")
    assert errors == []
    [row] = rows
    assert row.line == 2
    assert row.reference == "A-1"
    assert row.values == {
        "title": "Patrols", "description": "Hot spot patrols, evenings", "aims": [10, 11],
        "lead_organisation": 1, "partner_organisations": [2], "lead_officer": 5,
        "start_date": datetime.date(2020, 4, 1), "due_date": datetime.date(2020, 9, 30),
        "status": "on_track", "progress": 40,
    }


def test_every_bad_row_is_reported_with_its_line():
    body = (
        "A-1,Fine,,1.1,POL,,,,2020-09-30,on_track,0\n"           # line 2: good
        "A-2,Bad org,,1.1,NOPE,,,,2020-09-30,on_track,0\n"       # line 3
        "A-3,Bad date,,1.1,POL,,,,31/02/2020,on_track,0\n"       # line 4
        "A-4,Bad status,,1.1,POL,,,,2020-09-30,finished,0\n"     # line 5
        "A-1,Duplicate,,1.1,POL,,,,2020-09-30,on_track,0\n"      # line 6
        "A-5,Bad aim,,9.9,POL,,,,2020-09-30,on_track,0\n"        # line 7
        "A-6,Not a number,,1.1,POL,,,,2020-09-30,on_track,1,2,3\n"  # line 8: 13 cells
        "A-7,Short row,,1.1,POL\n"                               # line 9
        'A-8,Not a number,,1.1,POL,,,,2020-09-30,on_track,"1,2,3"\n'  # line 10
        ",No reference,,1.1,POL,,,,2020-09-30,on_track,0\n"      # line 11
    )
    rows, errors = parse(body)
    assert [r.reference for r in rows] == ["A-1"]
    by_line = {e.line: e.message for e in errors}
    assert sorted(by_line) == [3, 4, 5, 6, 7, 8, 9, 10, 11]
    assert "unknown organisation 'NOPE'" in by_line[3]
    assert "'31/02/2020' is not a date" in by_line[4]
    assert "unknown status 'finished'" in by_line[5]
    assert "duplicate reference 'A-1' (first on line 2)" in by_line[6]
    assert "unknown aim '9.9'" in by_line[7]
    assert "has 13 cells but the header has 11" in by_line[8]
    assert "has 5 cells but the header has 11" in by_line[9]
    assert by_line[10] == "progress '1,2,3' is not a number"
    assert "reference is required" in by_line[11]


def test_line_numbers_count_quoted_line_breaks():
    body = ('A-1,"Two\nlines",,1.1,POL,,,,2020-09-30,on_track,0\n'
            "A-2,Bad,,1.1,NOPE,,,,2020-09-30,on_track,0\n")
    _rows, errors = parse(body)
    assert [e.line for e in errors] == [4]


def test_header_problems_refuse_the_file():
    _rows, errors = parse("A-1,x\n", header="reference,titel\n")
    assert len(errors) == 1 and errors[0].line == 1
    assert "unknown column(s) titel" in errors[0].message
    assert "missing required column(s) title, lead_organisation" in errors[0].message


def test_empty_and_non_utf8_files():
    assert parse_actions(b"", LOOKUPS)[1][0].message.startswith("the file is empty")
    assert "no actions" in parse_actions(HEADER.encode(), LOOKUPS)[1][0].message
    errors = parse_actions(HEADER.encode() + "A-1,Caf\u00e9".encode("latin-1"), LOOKUPS)[1]
    assert "not UTF-8" in errors[0].message


def test_byte_order_mark_and_blank_lines_are_tolerated():
    data = ("\ufeff" + HEADER + "\nA-1,Fine,,1.1,POL,,,,2020-09-30,on_track,0\n,,,,,,,,,,\n")
    rows, errors = parse_actions(data.encode(), LOOKUPS)
    assert errors == [] and rows[0].line == 3


def test_optional_columns_may_be_left_out():
    rows, errors = parse("A-1,Fine,POL,2020-09-30,complete\n",
                         header="reference,title,lead_organisation,due_date,status\n")
    assert errors == []
    assert set(rows[0].values) == {"title", "lead_organisation", "due_date", "status"}


def test_parse_date_formats():
    assert parse_date("2021-03-31") == datetime.date(2021, 3, 31)
    assert parse_date(" 31/03/2021 ") == datetime.date(2021, 3, 31)


def test_write_then_parse_round_trip():
    text = write_actions([{
        "reference": "A-1", "title": 'Say "hello", loudly', "description": "Line one\nline two",
        "aims": ["1.1", "1.2"], "lead_organisation": "POL", "partner_organisations": ["CNCL"],
        "lead_officer": "Pat Lead", "start_date": None, "due_date": datetime.date(2021, 1, 31),
        "status": "on_track", "progress": 5,
    }])
    rows, errors = parse_actions(text.encode(), LOOKUPS)
    assert errors == []
    assert rows[0].values["title"] == 'Say "hello", loudly'
    assert rows[0].values["description"] == "Line one\nline two"
    assert rows[0].values["aims"] == [10, 11]
    assert rows[0].values["start_date"] is None
