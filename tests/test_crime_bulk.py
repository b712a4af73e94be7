"""crime/bulk.py: what a bulk write stores is exactly what was given (on SQLite with multi-row
INSERTs, on PostgreSQL with COPY: CI runs this file on both)."""

import datetime

import pyarrow as pa
import pytest
from django.db import transaction

from saferplaces.crime import bulk
from saferplaces.crime.models import CrimeImport, StopSearch

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
