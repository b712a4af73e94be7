"""police.uk ingestion: kinds detected, bad files refused with file and line, re-import
replaces, counts match the CSV row for row."""

import csv
import gzip
import io
import json
import shutil
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from saferplaces.crime.models import (
    CrimeCount,
    CrimeImport,
    CrimeRecord,
    OutcomeCount,
    StopSearch,
)
from tests.commands import run_command

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data" / "policeuk"
STREET = DATA / "2017-07-west-yorkshire-street.csv.gz"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "policeuk"


def crime(*args):
    """Run `saferplaces crime ...`; returns (exit code, stdout, stderr)."""
    return run_command("crime", *args)


def street_rows():
    with gzip.open(STREET, "rt", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def table_counts():
    return (CrimeImport.objects.count(), CrimeCount.objects.count(),
            sum(CrimeCount.objects.values_list("count", flat=True)), CrimeRecord.objects.count())


def test_street_file_import_and_reimport(tmp_path):
    code, out, _ = crime("import", str(STREET))
    assert code == 0
    assert "West Yorkshire Police 2017-07 street: 28,537 rows (1,541 without a location)" in out
    first = table_counts()
    assert first[0] == 1 and first[2] == 28537
    code, out, _ = crime("import", str(STREET))
    assert code == 0 and "replacing the earlier import" in out
    assert table_counts() == first


def test_summary_matches_csv_row_for_row():
    crime("import", str(STREET))
    rows = street_rows()
    by_lsoa = Counter(r["LSOA code"] for r in rows)
    code, out, _ = crime("summary", "--force", "West Yorkshire Police", "--from", "2017-07",
                         "--to", "2017-07", "--by", "lsoa", "--format", "csv")
    assert code == 0
    got = {r["lsoa_code"]: int(r["count"]) for r in csv.DictReader(io.StringIO(out))}
    assert got == dict(by_lsoa)
    assert got[""] == 1541  # no location: counted under an empty code, never dropped
    by_type = Counter(r["Crime type"] for r in rows)
    code, out, _ = crime("summary", "--force", "West Yorkshire Police", "--from", "2017-07",
                         "--to", "2017-07", "--by", "crime-type", "--format", "csv")
    got = {r["crime_type"]: int(r["count"]) for r in csv.DictReader(io.StringIO(out))}
    assert got == dict(by_type)
    by_outcome = Counter(r["Last outcome category"] or "(no outcome recorded)" for r in rows)
    code, out, _ = crime("summary", "--force", "West Yorkshire Police", "--from", "2017-07",
                         "--to", "2017-07", "--by", "outcome", "--format", "json")
    got = {r["outcome"]: r["count"] for r in json.loads(out)["rows"]}
    assert got == dict(by_outcome)


def test_corrupted_header_is_refused_and_writes_nothing(tmp_path):
    text = gzip.decompress(STREET.read_bytes()).decode()
    bad = tmp_path / "2017-07-west-yorkshire-street.csv"
    bad.write_text(text.replace("Crime type", "Crime tpye", 1))
    code, out, err = crime("import", str(bad))
    assert code == 1
    assert f"{bad}: refused, nothing written: line 1: the header matches no police.uk format" \
        in err
    assert "missing Crime type" in err and "unexpected Crime tpye" in err
    assert table_counts() == (0, 0, 0, 0)


def test_truncated_row_is_refused_with_its_line(tmp_path):
    lines = gzip.decompress(STREET.read_bytes()).decode().splitlines()
    lines[1234] = ",".join(lines[1234].split(",")[:5])  # line 1235 of the file
    bad = tmp_path / "truncated.csv"
    bad.write_text("\n".join(lines) + "\n")
    code, _out, err = crime("import", str(bad))
    assert code == 1
    assert "line 1235: 5 cells where the header has 12" in err
    assert table_counts() == (0, 0, 0, 0)


def test_bad_values_are_refused_with_lines(tmp_path):
    lines = gzip.decompress(STREET.read_bytes()).decode().splitlines()
    cells = next(csv.reader([lines[10]]))
    cells[1] = "2017-13"
    lines[10] = ",".join(f'"{c}"' for c in cells)
    cells = next(csv.reader([lines[20]]))
    cells[4] = "west"
    lines[20] = ",".join(f'"{c}"' for c in cells)
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines) + "\n")
    code, _out, err = crime("import", str(bad))
    assert code == 1
    assert "line 11: Month is not a month (YYYY-MM)" in err
    assert "line 21: Longitude is not a number" in err
    assert table_counts() == (0, 0, 0, 0)


def test_one_bad_file_does_not_stop_the_others(tmp_path):
    good = tmp_path / "good.csv.gz"
    shutil.copy(STREET, good)
    bad = tmp_path / "bad.csv"
    bad.write_text("not,a,police,file\n1,2,3,4\n")
    code, out, err = crime("import", str(tmp_path))
    assert code == 1
    assert "1 file(s) imported (28,537 rows), 1 refused." in out
    assert "bad.csv: refused" in err
    assert CrimeImport.objects.count() == 1


def test_dry_run_writes_nothing():
    code, out, _ = crime("import", "--dry-run", str(STREET))
    assert code == 0 and "valid (dry run)" in out
    assert table_counts() == (0, 0, 0, 0)


def test_monthly_archive_zip(tmp_path):
    archive = tmp_path / "2017-07.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("2017-07/2017-07-west-yorkshire-street.csv",
                    gzip.decompress(STREET.read_bytes()))
        zf.write(DATA / "2020-02-durham-stop-and-search.csv",
                 "2020-02/2020-02-durham-stop-and-search.csv")
    code, out, _ = crime("import", str(archive))
    assert code == 0, out
    kinds = set(CrimeImport.objects.values_list("force", "kind"))
    assert kinds == {("West Yorkshire Police", "street"), ("Durham Constabulary", "stop_search")}


def test_stop_search_and_outcomes():
    code, out, _ = crime("import", str(DATA / "2020-02-durham-stop-and-search.csv"),
                         str(DATA / "2020-12-west-midlands-outcomes_wolverhampton.csv"))
    assert code == 0, out
    with open(DATA / "2020-02-durham-stop-and-search.csv", encoding="utf-8") as handle:
        expected = sum(1 for _ in csv.DictReader(handle))
    assert StopSearch.objects.filter(force="Durham Constabulary").count() == expected
    assert sum(OutcomeCount.objects.values_list("count", flat=True)) == 193


def test_points_kept_only_for_partnership_lsoas():
    from saferplaces.areas.models import Area, AreaLink
    from saferplaces.partnership.models import Partnership

    lad = Area.objects.create(level="lad", code="E08000036", name="Wakefield", vintage="2021")
    lsoa = Area.objects.create(level="lsoa", code="E01011736", name="Wakefield 001A",
                               vintage="2011")
    AreaLink.objects.create(child=lsoa, parent=lad, vintage="test")
    Partnership.objects.create(name="Wakefield", short_name="W", slug="w", area=lad)
    crime("import", str(STREET))
    expected = sum(1 for r in street_rows() if r["LSOA code"] == "E01011736")
    assert expected > 0
    assert CrimeRecord.objects.count() == expected
    assert set(CrimeRecord.objects.values_list("lsoa_code", flat=True)) == {"E01011736"}


@pytest.mark.skipif(not SHARED.exists(), reason="the shared data folder is not beside the repo")
def test_every_shared_policeuk_file_imports():
    code, out, err = crime("import", str(SHARED), "--force", "West Midlands Police")
    assert code == 0, err
    assert "0 refused" in out
    before = table_counts()
    crime("import", str(SHARED), "--force", "West Midlands Police")
    assert table_counts() == before


def test_byte_order_mark_and_empty_and_binary_files(tmp_path):
    text = gzip.decompress(STREET.read_bytes()).decode()
    bom = tmp_path / "bom.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + "\n".join(text.splitlines()[:50]).encode() + b"\n")
    code, out, err = crime("import", str(bom))
    assert code == 0, err
    assert "49 rows" in out
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"\xff\xfe\x00\x01" * 100)
    broken_gz = tmp_path / "broken.csv.gz"
    broken_gz.write_bytes(b"not gzip at all")
    code, _out, err = crime("import", str(empty), str(binary), str(broken_gz))
    assert code == 1
    assert "empty.csv: refused, nothing written: line 1: the file is empty" in err
    assert "binary.csv: refused, nothing written: line 1: byte 0xFF is not UTF-8 text" in err
    assert "broken.csv.gz: refused, nothing written: cannot read the file" in err


def test_import_announces_what_it_committed():
    from saferplaces.crime.signals import crime_imported

    heard = []

    def listener(sender, batches, **kwargs):
        heard.append((sorted((b.force, f"{b.month:%Y-%m}", b.kind) for b in batches),
                      CrimeImport.objects.count()))
        return "listener was here"

    crime_imported.connect(listener)
    try:
        code, out, _ = crime("import", str(STREET))
        crime("import", "--dry-run", str(STREET))
    finally:
        crime_imported.disconnect(listener)
    assert code == 0 and "listener was here" in out
    # once (the dry run announces nothing), after the rows were written
    assert heard == [([("West Yorkshire Police", "2017-07", "street")], 1)]


def test_crime_code_never_imports_performance():
    """crime is below performance: it announces imports with a signal instead."""
    import ast

    crime_root = Path(__file__).resolve().parents[1] / "saferplaces" / "crime"
    offenders = []
    for path in crime_root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names
                          if n.startswith("saferplaces.performance")]
    assert offenders == []


LOADED = """
import json, sys
from saferplaces.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
heavy = ("pandas", "scipy", "altair", "shapely", "saferplaces.crime.views",
         "saferplaces.crime.analytics", "saferplaces.crime.stats",
         "saferplaces.performance.compute", "pyarrow.acero", "pyarrow.dataset")
print(json.dumps(sorted(name for name in heavy if name in sys.modules)))
"""


def test_crime_import_process_loads_only_what_it_uses(tmp_path, migrated_sqlite):
    """A `crime import` process never loads the chart, statistics or geometry libraries, nor
    the views (the system checks would load the URLConf), nor pyarrow's query engine (its
    group_by, with the dataset and Parquet modules). The file and its LSOA codes need no
    boundaries, and no computed indicator exists to recompute."""
    import shutil
    import subprocess
    import sys

    from tests.conftest import process_env

    database = tmp_path / "db.sqlite3"
    shutil.copy(migrated_sqlite, database)
    env = process_env(database)
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, "-c", LOADED, "crime", "import", str(STREET)],
                          env=env, cwd=root, capture_output=True, text=True, check=True)
    assert "1 file(s) imported (28,537 rows), 0 refused." in done.stdout
    assert json.loads(done.stdout.splitlines()[-1]) == []


def test_reimport_leaves_exactly_the_new_counts_and_deleting_an_import_its_counts(tmp_path):
    """CrimeCount has no cascade (one index, no foreign-key constraint): replacing or deleting
    an import must still remove its counts, and only its counts."""
    rows = street_rows()
    header = list(rows[0])
    other = [{**r, "Month": "2017-08"} for r in rows[:300]]
    smaller = rows[:500]

    def write(name, items):
        path = tmp_path / name
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, header)
            writer.writeheader()
            writer.writerows(items)
        return str(path)

    assert crime("import", str(STREET), write("august.csv", other))[0] == 0
    assert crime("import", "--replace", write("smaller.csv", smaller))[0] == 0
    stored = Counter()
    for month, code, kind, n in CrimeCount.objects.values_list(
            "month", "lsoa_code", "crime_type", "count"):
        stored[(f"{month:%Y-%m}", code, kind)] += n
    expected = Counter((r["Month"], r["LSOA code"], r["Crime type"]) for r in smaller + other)
    assert stored == expected
    CrimeImport.objects.get(month="2017-07-01").delete()
    assert sum(CrimeCount.objects.values_list("count", flat=True)) == 300
    assert set(CrimeCount.objects.values_list("month", flat=True)) == {
        CrimeImport.objects.get().month}


def test_grouping_counts_like_a_counter_in_key_order():
    """ingest._group against collections.Counter, with empty values, and with so many
    distinct values that the group codes must be renumbered to fit in 64 bits."""
    import random

    import pyarrow as pa

    from saferplaces.crime.ingest import _group

    rng = random.Random(7)
    size = 30000
    columns = {f"k{i}": [str(rng.randrange(size)) if rng.random() > 0.01 else None
                         for _ in range(size)] for i in range(6)}
    columns["k0"] = [rng.choice(["b", "a", None]) for _ in range(size)]
    table = pa.table({**columns, "n": [rng.randrange(1, 4) for _ in range(size)]})
    keys = list(columns)
    rows = list(zip(*columns.values(), strict=True))
    for weights in (None, "n"):
        expected = Counter()
        for row, n in zip(rows, table["n"].to_pylist(), strict=True):
            expected[row] += n if weights else 1
        got = _group(table, keys, weights)
        listed = list(zip(*(got[k].to_pylist() for k in keys), strict=True))
        assert dict(zip(listed, got["rows"].to_pylist(), strict=True)) == dict(expected)
        assert listed == sorted(expected, key=lambda r: [(v is not None, v or "") for v in r])
