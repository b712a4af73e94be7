"""crime/bulk.py: what a bulk write stores is exactly what was given (on SQLite with multi-row
INSERTs, on PostgreSQL with COPY: CI runs this file on both), and a big SQLite load that
drops and rebuilds the indexes leaves them as they were, even when it fails."""

import datetime

import pyarrow as pa
import pytest
from django.db import connection, transaction

from saferplaces.crime import bulk
from saferplaces.crime.models import CrimeCount, CrimeImport, StopSearch

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def test_insert_table_stores_exactly_what_it_is_given():
    batch = CrimeImport.objects.create(force="Kent Police", month=datetime.date(2019, 1, 1),
                                       kind="stop_search")
    table = pa.table({
        "batch_id": pa.array([batch.pk, batch.pk], pa.int64()),
        "month": pa.array(["2019-01-01", "2019-01-01"]),
        "force": pa.array(["Kent Police", "Kent Police"]),
        "occurred_at": pa.array([datetime.datetime(2019, 1, 2, 3, 4, 5, tzinfo=UTC), None],
                                pa.timestamp("us", "UTC")),
        "search_type": pa.array(["Person search", "Vehicle search"]),
        "part_of_operation": pa.array([True, None], pa.bool_()),
        "operation": pa.array(['Op "Quote", with comma\nand a new line', ""]),
        "latitude": pa.array([51.2786, None], pa.float64()),
        "longitude": pa.array([1.0804, None], pa.float64()),
        "gender": pa.array(["Female", ""]),
        "age_range": pa.array(["18-24", ""]),
        "self_defined_ethnicity": pa.array(["", ""]),
        "officer_defined_ethnicity": pa.array(["", ""]),
        "legislation": pa.array(["Misuse of Drugs Act 1971 (section 23)", ""]),
        "object_of_search": pa.array(["Controlled drugs", ""]),
        "outcome": pa.array(["Arrest", "A no further action disposal"]),
        "outcome_linked_to_object": pa.array([False, None], pa.bool_()),
        "removal_of_clothing": pa.array([None, True], pa.bool_()),
    })
    with transaction.atomic():
        bulk.insert_table(StopSearch, table)
    stored = list(StopSearch.objects.order_by("pk").values(
        "month", "occurred_at", "part_of_operation", "operation", "latitude", "longitude",
        "gender", "outcome_linked_to_object", "removal_of_clothing"))
    assert stored == [
        {"month": datetime.date(2019, 1, 1),
         "occurred_at": datetime.datetime(2019, 1, 2, 3, 4, 5, tzinfo=UTC),
         "part_of_operation": True, "operation": 'Op "Quote", with comma\nand a new line',
         "latitude": 51.2786, "longitude": 1.0804, "gender": "Female",
         "outcome_linked_to_object": False, "removal_of_clothing": None},
        {"month": datetime.date(2019, 1, 1), "occurred_at": None, "part_of_operation": None,
         "operation": "", "latitude": None, "longitude": None, "gender": "",
         "outcome_linked_to_object": None, "removal_of_clothing": True},
    ]


def _count_rows(batch: CrimeImport, rows: int) -> pa.Table:
    return pa.table({
        "batch_id": pa.array([batch.pk] * rows, pa.int64()),
        "month": pa.array(["2019-01-01"] * rows),
        "lsoa_code": pa.array([f"E01{n:06d}" for n in range(rows)]),
        "crime_type": pa.array(["Burglary"] * rows),
        "count": pa.array([n % 7 + 1 for n in range(rows)], pa.int64()),
    })


def _indexes(table: str) -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND "
                       "tbl_name = %s AND sql IS NOT NULL ORDER BY name", [table])
        return cursor.fetchall()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="index rebuilding is for SQLite")
def test_big_sqlite_load_rebuilds_the_indexes_it_drops():
    table = CrimeCount._meta.db_table
    before = _indexes(table)
    assert len(before) == 2  # the batch foreign key and (lsoa_code, month)
    batch = CrimeImport.objects.create(force="Kent Police", month=datetime.date(2019, 1, 1),
                                       kind="street")
    rows = 60_000
    with transaction.atomic(), bulk.indexes_rebuilt_for(CrimeCount, rows):
        assert _indexes(table) == []  # dropped for the load
        bulk.insert_table(CrimeCount, _count_rows(batch, rows))
    assert _indexes(table) == before
    assert CrimeCount.objects.count() == rows
    assert sum(CrimeCount.objects.values_list("count", flat=True)) == \
        sum(n % 7 + 1 for n in range(rows))


@pytest.mark.skipif(connection.vendor != "sqlite", reason="index rebuilding is for SQLite")
def test_failed_big_load_leaves_rows_and_indexes_as_they_were():
    table = CrimeCount._meta.db_table
    before = _indexes(table)
    batch = CrimeImport.objects.create(force="Kent Police", month=datetime.date(2019, 1, 1),
                                       kind="street")
    with pytest.raises(RuntimeError, match="a later step failed"):
        with transaction.atomic(), bulk.indexes_rebuilt_for(CrimeCount, 60_000):
            bulk.insert_table(CrimeCount, _count_rows(batch, 60_000))
            raise RuntimeError("a later step failed")
    assert _indexes(table) == before
    assert CrimeCount.objects.count() == 0


@pytest.mark.skipif(connection.vendor != "sqlite", reason="index rebuilding is for SQLite")
def test_load_into_a_bigger_table_keeps_the_indexes():
    batch = CrimeImport.objects.create(force="Kent Police", month=datetime.date(2019, 1, 1),
                                       kind="street")
    bulk.insert_table(CrimeCount, _count_rows(batch, 60_000))
    before = _indexes(CrimeCount._meta.db_table)
    with transaction.atomic(), bulk.indexes_rebuilt_for(CrimeCount, 50_000):
        assert _indexes(CrimeCount._meta.db_table) == before  # not dropped
