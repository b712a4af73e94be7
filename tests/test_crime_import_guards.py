"""The crime import's guards (issue 9, points 3 and 7): crime types checked against police.uk's
categories, encoding errors named by line anywhere in a file, a replacement with fewer than
half the stored rows refused, and SQLite writers that wait for each other or say, per file,
that the database is busy. Files are small, written from real police.uk rows."""

import csv
import gzip
import io
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from saferplaces.crime.ingest import shrinking_replacements
from saferplaces.crime.models import CrimeCount, CrimeImport
from tests.commands import run_command
from tests.conftest import process_env

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[1]
STREET = ROOT / "tests" / "data" / "policeuk" / "2017-07-west-yorkshire-street.csv.gz"
API_FILE = ROOT / "tests" / "data" / "policeuk" / "2018-06-wolverhampton-api-street-first-30.csv"
BUSY = "the database is busy (locked by another writer) — try again"


def crime(*args):
    return run_command("crime", *map(str, args))


def street_rows(count: int | None = None, **changes) -> list[dict]:
    with gzip.open(STREET, "rt", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))[:count]
    return [{**row, **changes} for row in rows]


def write_csv(path: Path, rows: list[dict]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def stored_total() -> int:
    return sum(CrimeCount.objects.values_list("count", flat=True))


# ---------------------------------------------------------------------------------------------
# Crime types


def test_an_unknown_crime_type_is_refused_with_its_line_unless_allowed(tmp_path):
    rows = street_rows(60)
    rows[38]["Crime type"] = "Knife crime"  # line 40: the header is line 1
    path = write_csv(tmp_path / "new-type.csv", rows)
    code, _out, err = crime("import", path)
    assert code == 1
    assert (f"{path}: refused, nothing written: line 40: Crime type 'Knife crime' is not one "
            "of police.uk's crime categories (--allow-new-types accepts it)") in err
    assert CrimeImport.objects.count() == 0

    code, out, err = crime("import", "--allow-new-types", path)
    assert code == 0, err
    assert "new crime type(s) accepted: Knife crime" in out
    assert CrimeCount.objects.filter(crime_type="Knife crime").get().count == 1
    assert stored_total() == 60


def test_crime_types_used_before_may_2013_are_accepted(tmp_path):
    rows = [row for row in street_rows(Month="2012-03") if row["Crime ID"]][:40]
    for row in rows[:10]:
        row["Crime type"] = "Violent crime"
    for row in rows[10:15]:
        row["Crime type"] = "Public disorder and weapons"
    code, _out, err = crime("import", write_csv(tmp_path / "2012.csv", rows))
    assert code == 0, err
    by_type: dict[str, int] = {}
    for crime_type, count in CrimeCount.objects.values_list("crime_type", "count"):
        by_type[crime_type] = by_type.get(crime_type, 0) + count
    assert by_type["Violent crime"] == 10
    assert by_type["Public disorder and weapons"] == 5


def test_an_unknown_api_category_is_refused_unless_allowed(tmp_path):
    lines = API_FILE.read_text(encoding="utf-8").splitlines()
    cells = next(csv.reader([lines[20]]))
    cells[5] = "knife-crime"  # line 21
    lines[20] = ",".join(cells)
    path = tmp_path / "api.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, _out, err = crime("import", "--force", "west-midlands", path)
    assert code == 1
    assert "line 21: category 'knife-crime' is not one of police.uk's crime categories" in err
    code, _out, err = crime("import", "--force", "west-midlands", "--allow-new-types", path)
    assert code == 0, err
    assert CrimeCount.objects.filter(crime_type="knife-crime").get().count == 1
    assert stored_total() == 30


# ---------------------------------------------------------------------------------------------
# Encoding


def with_bad_byte(rows: list[dict], line: int, column: str) -> bytes:
    """The CSV of `rows` with a Latin-1 'é' (not UTF-8) in `column` on `line`."""
    rows = [dict(row) for row in rows]
    rows[line - 2][column] = "Caf\x00"  # a marker replaced by the raw byte below
    text = io.StringIO()
    writer = csv.DictWriter(text, list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return text.getvalue().encode("utf-8").replace(b"Caf\x00", b"Caf\xe9")


@pytest.mark.parametrize("line, column, compress", [
    (5, "Location", False),  # inside the first 64 KB: it once said "line 1"
    (1500, "Location", False),  # far past the first block pyarrow reads
    (1999, "Crime type", True),  # a dictionary-encoded column, in a .csv.gz
    (1200, "LSOA name", False),
])
def test_an_encoding_error_anywhere_names_its_line(tmp_path, line, column, compress):
    data = with_bad_byte(street_rows(2000), line, column)
    assert len(data) > 256 * 1024
    path = tmp_path / ("bad.csv.gz" if compress else "bad.csv")
    path.write_bytes(gzip.compress(data) if compress else data)
    code, _out, err = crime("import", path)
    assert code == 1
    assert (f"{path}: refused, nothing written: line {line}: byte 0xE9 is not UTF-8 text"
            in err), err
    assert CrimeImport.objects.count() == 0


def test_a_bad_byte_in_the_header_is_line_1(tmp_path):
    data = with_bad_byte(street_rows(20), 3, "Location")
    data = data.replace(b"Context", b"Cont\xe9xt", 1)
    path = tmp_path / "bad-header.csv"
    path.write_bytes(data)
    code, _out, err = crime("import", path)
    assert code == 1
    assert f"{path}: refused, nothing written: line 1: byte 0xE9 is not UTF-8 text" in err


# ---------------------------------------------------------------------------------------------
# Shrinking replacements


def test_shrinking_replacements_rule():
    stored = {("Durham Constabulary", "2020-01"): 27176, ("Durham Constabulary", "2020-02"): 10}
    new = {("Durham Constabulary", "2020-01"): 99, ("Durham Constabulary", "2020-02"): 5,
           ("Kent Police", "2020-01"): 1}
    assert shrinking_replacements("street", new, stored) == [
        "Durham Constabulary 2020-01 street: this file has 99 rows where the stored import "
        "has 27,176; it would replace them with fewer than half as many, so it is refused "
        "(--replace replaces them anyway)"]  # 5 of 10 is half: allowed; Kent: nothing stored


def test_a_file_with_fewer_than_half_the_stored_rows_is_refused_unless_replace(tmp_path):
    full = write_csv(tmp_path / "full.csv", street_rows(200))
    part = write_csv(tmp_path / "part.csv", street_rows(99))
    assert crime("import", full)[0] == 0
    for dry_run in ("--dry-run", None):
        code, _out, err = crime("import", *filter(None, [dry_run, part]))
        assert code == 1
        assert (f"{part}: refused, nothing written: West Yorkshire Police 2017-07 street: "
                "this file has 99 rows where the stored import has 200") in err
    assert CrimeImport.objects.get().rows_total == 200
    assert stored_total() == 200

    code, out, err = crime("import", "--replace", part)
    assert code == 0, err
    assert "99 rows" in out and "replacing the earlier import" in out
    assert CrimeImport.objects.get().rows_total == 99
    assert stored_total() == 99
    half = write_csv(tmp_path / "half.csv", street_rows(50))  # 50 of 99 is not fewer than half
    assert crime("import", half)[0] == 0
    assert stored_total() == 50


# ---------------------------------------------------------------------------------------------
# SQLite locks: whole processes on one database file




def start_import(database: Path, paths, **extra) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "saferplaces.cli", "crime", "import",
                             *map(str, paths)], env=process_env(database, **extra), cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def stored(database: Path) -> tuple[int, int]:
    """(imports, crimes counted) in the database file."""
    with sqlite3.connect(database) as db:
        imports = db.execute("SELECT COUNT(*) FROM crime_crimeimport").fetchone()[0]
        crimes = db.execute("SELECT COALESCE(SUM(count), 0) FROM crime_crimecount").fetchone()[0]
    return imports, crimes


def month_files(folder: Path, months: list[str], rows: list[dict]) -> list[Path]:
    folder.mkdir()
    return [write_csv(folder / f"{month}-west-yorkshire-street.csv",
                      [{**row, "Month": month} for row in rows]) for month in months]


def test_two_concurrent_imports_both_succeed(tmp_path, migrated_sqlite):
    database = tmp_path / "db.sqlite3"
    shutil.copy(migrated_sqlite, database)
    rows = street_rows(8000)
    first = month_files(tmp_path / "a", [f"2016-{m:02d}" for m in range(1, 7)], rows)
    second = month_files(tmp_path / "b", [f"2016-{m:02d}" for m in range(7, 13)], rows)
    processes = [start_import(database, first), start_import(database, second)]
    results = [process.communicate(timeout=300) for process in processes]
    for process, (out, err) in zip(processes, results, strict=True):
        assert process.returncode == 0, err
        assert "6 file(s) imported (48,000 rows), 0 refused." in out
    assert stored(database) == (12, 12 * 8000)


def test_a_file_that_finds_the_database_locked_is_reported_and_the_next_imported(
        tmp_path, migrated_sqlite):
    database = tmp_path / "db.sqlite3"
    shutil.copy(migrated_sqlite, database)
    rows = street_rows(300)
    locked, later = month_files(tmp_path / "files", ["2016-01", "2016-02"], rows)
    holder = sqlite3.connect(database, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the write lock
    process = start_import(database, [locked, later], SQLITE_BUSY_TIMEOUT="1")
    first_line = process.stderr.readline()  # the lock is let go once the first file gave up
    holder.execute("COMMIT")
    holder.close()
    out, err = process.communicate(timeout=120)
    assert first_line == f"{locked}: {BUSY}\n"
    assert process.returncode == 1
    assert "Traceback" not in err
    assert f"{later}: imported: West Yorkshire Police 2016-02 street: 300 rows" in out
    assert "1 file(s) imported (300 rows), 0 refused, 1 not imported (database busy)." in out
    assert stored(database) == (1, 300)


def test_other_importers_report_a_locked_database_in_one_line(tmp_path, migrated_sqlite):
    database = tmp_path / "db.sqlite3"
    shutil.copy(migrated_sqlite, database)
    lookup = ROOT / "tests" / "data" / "geo" / "lad22_csp22_pfa22_lookup_blackthrive.csv"
    holder = sqlite3.connect(database, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        done = subprocess.run(
            [sys.executable, "-m", "saferplaces.cli", "geo", "import-lookup", str(lookup),
             "--child-level", "lad", "--child-vintage", "2022", "--parent-level", "csp",
             "--parent-vintage", "2022", "--child-column", "LAD22CD", "--parent-column",
             "CSP22CD", "--child-name-column", "LAD22NM", "--parent-name-column", "CSP22NM",
             "--create-missing"],
            env=process_env(database, SQLITE_BUSY_TIMEOUT="1"), cwd=ROOT, capture_output=True,
            text=True, timeout=120)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert done.returncode == 1
    assert done.stderr == f"{lookup}: {BUSY}\n"
