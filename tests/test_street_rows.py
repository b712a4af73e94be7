"""Small street files are imported without pyarrow (crime/street_rows.py): the same rows stored
as the pyarrow path stores, and any file that path would refuse left to it."""

import csv
import functools
import gzip
import io
import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from saferplaces.crime import ingest, street_rows
from saferplaces.crime.models import CrimeCount, CrimeImport, CrimeRecord, LastOutcomeCount
from tests.commands import run_command
from tests.conftest import process_env

pytestmark = pytest.mark.django_db

STREET = Path(__file__).parent / "data" / "policeuk" / "2017-07-west-yorkshire-street.csv.gz"
OWN_LSOAS = ("E01010710", "E01010655", "E01010654")  # Bradford LSOAs with many rows


def first_rows(count: int) -> list[list[str]]:
    """The header, then the file's first rows and its last 100 (which have no location)."""
    rows = [list(row) for row in whole_file()]
    return rows[:count - 99] + rows[-100:] if count > 100 else rows[:count + 1]


@functools.cache
def whole_file() -> tuple[tuple[str, ...], ...]:
    with gzip.open(STREET, "rt", encoding="utf-8", newline="") as handle:
        return tuple(tuple(row) for row in csv.reader(handle))


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def mixed_file(path: Path) -> Path:
    """3,000 real rows, some reported by a second force (two imports from one file), one with
    no last outcome, and the own LSOAs' rows; ASB rows without a crime ID and rows without a
    location are in the real rows already."""
    rows = first_rows(3000)
    for row in rows[1:200]:
        row[2] = "British Transport Police"
    rows[300][10] = ""
    assert sum(1 for r in rows if r[7] in OWN_LSOAS) > 10
    assert sum(1 for r in rows if r[7] == "") > 10 and sum(1 for r in rows if r[0] == "") > 10
    return write_csv(path, rows)


def own_partnership():
    from saferplaces.areas.models import Area, AreaLink
    from saferplaces.partnership.models import Partnership

    lad = Area.objects.create(level="lad", code="E08000036", name="Wakefield", vintage="2021")
    for code in OWN_LSOAS:
        lsoa = Area.objects.create(level="lsoa", code=code, name=code, vintage="2011")
        AreaLink.objects.create(child=lsoa, parent=lad, vintage="test")
    Partnership.objects.create(name="Wakefield", short_name="W", slug="w", area=lad)


def stored() -> dict:
    """Every stored row, its import named by (force, month) instead of its id."""
    batch = {b.pk: (b.force, str(b.month)) for b in CrimeImport.objects.all()}

    def rows(model):
        fields = [f.attname for f in model._meta.concrete_fields if f.attname != "id"]
        return sorted((batch[values.pop("batch_id")], sorted(values.items()))
                      for values in model.objects.values(*fields))

    imports = sorted(CrimeImport.objects.values_list(
        "force", "month", "kind", "file_format", "rows_total", "rows_stored",
        "rows_without_location", "is_simulated"))
    return {"imports": imports, "counts": rows(CrimeCount),
            "outcomes": rows(LastOutcomeCount), "records": rows(CrimeRecord)}


def test_small_and_pyarrow_paths_store_the_same_rows(tmp_path, monkeypatch):
    own_partnership()
    path = mixed_file(tmp_path / "street.csv")
    code, small_out, _ = run_command("crime", "import", str(path))
    assert code == 0
    small = stored()
    CrimeImport.objects.all().delete()
    monkeypatch.setattr(street_rows, "SMALL_FILE_BYTES", 0)
    code, arrow_out, _ = run_command("crime", "import", str(path))
    assert code == 0
    assert stored() == small
    assert small_out == arrow_out
    # and both agree with an independent tally of the file
    rows = first_rows(3000)[1:]
    assert [i[:2] + i[4:7] for i in small["imports"]] == [
        ("British Transport Police", ingest._month_date("2017-07"), 199,
         sum(1 for r in rows[:199] if r[7] in OWN_LSOAS), 0),
        ("West Yorkshire Police", ingest._month_date("2017-07"), 2801,
         sum(1 for r in rows if r[7] in OWN_LSOAS), 100),
    ]
    by_lsoa = Counter(r[7] for r in rows)
    stored_by_lsoa = Counter()
    for _batch, values in small["counts"]:
        values = dict(values)
        stored_by_lsoa[values["lsoa_code"]] += values["count"]
    assert stored_by_lsoa == by_lsoa
    assert len(small["records"]) == sum(1 for r in rows if r[7] in OWN_LSOAS)


def test_small_file_is_read_without_pyarrow(tmp_path, monkeypatch):
    def no_pyarrow(*args, **kwargs):
        raise AssertionError("the pyarrow path was used")

    monkeypatch.setattr(ingest, "_read_table", no_pyarrow)
    path = write_csv(tmp_path / "street.csv", first_rows(1000))
    code, out, _ = run_command("crime", "import", str(path))
    assert code == 0
    assert "West Yorkshire Police 2017-07 street: 1,000 rows (100 without a location)" in out
    assert sum(CrimeCount.objects.values_list("count", flat=True)) == 1000
    code, out, _ = run_command("crime", "import", "--dry-run", str(path))
    assert code == 0 and "West Yorkshire Police 2017-07 street: 1,000 rows" in out


def test_a_file_the_pyarrow_path_refuses_is_refused_by_it(tmp_path):
    rows = first_rows(1000)
    rows[10][1] = "2017-13"
    rows[20][4] = "west"
    path = write_csv(tmp_path / "bad.csv", rows)
    code, _out, err = run_command("crime", "import", str(path))
    assert code == 1
    assert "line 11: Month is not a month (YYYY-MM)" in err
    assert "line 21: Longitude is not a number" in err
    assert CrimeImport.objects.count() == 0


def cells(**changes) -> list[str]:
    row = dict(zip(first_rows(1)[0], first_rows(1)[1], strict=True))
    row.update(changes)
    return list(row.values())


@pytest.mark.parametrize("changes", [
    {"Month": "2017-13"}, {"Month": ""}, {"Reported by": ""}, {"Falls within": ""},
    {"Crime type": ""}, {"Crime type": "Shoplifting, probably"}, {"Crime ID": ""},
    {"LSOA code": "X01007426"}, {"Longitude": "west"}, {"Longitude": "1e2"},
    {"Longitude": ""}, {"Latitude": "91"}, {"Longitude": "-180.5"}, {"Location": "two\nlines"},
])
def test_any_doubt_leaves_the_file_to_the_pyarrow_path(changes):
    header = first_rows(1)[0]
    good = [header, cells()]
    bad = [header, cells(**changes)]
    assert len(street_rows.read_rows(encode(good))) == 1
    with pytest.raises(street_rows.NotForThisPath):
        street_rows.read_rows(encode(bad))


@pytest.mark.parametrize("text", [
    "", "Crime ID,Month\n1,2017-07\n",  # not a street file
    "HEADER\n",  # no rows
])
def test_other_files_are_left_to_the_pyarrow_path(text):
    with pytest.raises(street_rows.NotForThisPath):
        street_rows.read_rows(text.encode())


def test_short_rows_extra_cells_and_other_encodings_are_left_to_the_pyarrow_path():
    header = first_rows(1)[0]
    with pytest.raises(street_rows.NotForThisPath):
        street_rows.read_rows(encode([header, cells()[:5]]))
    with pytest.raises(street_rows.NotForThisPath):
        street_rows.read_rows(encode([header, [*cells(), ""]]))
    with pytest.raises(street_rows.NotForThisPath):
        street_rows.read_rows(encode([header, cells(Location="Caf\u00e9")])
                              .decode().encode("latin-1"))


def encode(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


LOADED = """
import json, sys
from saferplaces.cli import main
code = main(sys.argv[1:])
print(json.dumps([code] + sorted(m for m in ("numpy", "pyarrow") if m in sys.modules)))
"""


def test_a_small_import_process_loads_neither_pyarrow_nor_numpy(tmp_path, migrated_sqlite):
    path = write_csv(tmp_path / "street.csv", first_rows(1000))
    database = tmp_path / "db.sqlite3"
    shutil.copy(migrated_sqlite, database)
    env = process_env(database)
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, "-c", LOADED, "crime", "import", str(path)],
                          env=env, cwd=root, capture_output=True, text=True, check=True)
    assert "1 file(s) imported (1,000 rows), 0 refused." in done.stdout
    assert json.loads(done.stdout.splitlines()[-1]) == [0]
