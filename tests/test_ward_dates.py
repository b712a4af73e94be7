"""Wards by date: crimes are counted in the wards in force in the period shown, because wards
are redrawn (Wolverhampton's changed at the May 2023 elections)."""

import datetime

import pytest

from saferplaces.areas.models import Area
from saferplaces.crime import analytics
from saferplaces.crime.models import CrimeCount, CrimeImport
from tests.factories import AreaFactory, AreaLinkFactory

pytestmark = pytest.mark.django_db

OLD_WARDS_END = datetime.date(2023, 5, 3)
NEW_WARDS_START = datetime.date(2023, 5, 4)


@pytest.fixture
def redrawn():
    """Two LSOAs in two old wards (2004-2023) that became one new ward (from May 2023)."""
    lsoas = [AreaFactory(code="E01010001"), AreaFactory(code="E01010002")]
    old = [AreaFactory(level="ward", code=code, name=name, vintage="2004",
                       valid_to=OLD_WARDS_END)
           for code, name in [("E05001321", "Bilston East"), ("E05001322", "Bilston North")]]
    new = AreaFactory(level="ward", code="E05014838", name="Bilston South", vintage="2023",
                      valid_from=NEW_WARDS_START)
    for lsoa, old_ward in zip(lsoas, old, strict=True):
        AreaLinkFactory(child=lsoa, parent=old_ward, vintage="LSOA11-WD04")
        AreaLinkFactory(child=lsoa, parent=new, vintage="LSOA11-WD23")
    return {"lsoas": lsoas, "old": old, "new": new}


def codes(lookup):
    return {lsoa: ward.code for lsoa, ward in lookup.items()}


def test_wards_valid_on_the_day_are_used(redrawn):
    lsoa_codes = ["E01010001", "E01010002"]
    before = {"E01010001": "E05001321", "E01010002": "E05001322"}
    after = {"E01010001": "E05014838", "E01010002": "E05014838"}
    assert codes(analytics.ward_lookup(lsoa_codes, on=datetime.date(2020, 6, 1))) == before
    assert codes(analytics.ward_lookup(lsoa_codes, on=OLD_WARDS_END)) == before
    assert codes(analytics.ward_lookup(lsoa_codes, on=NEW_WARDS_START)) == after
    assert codes(analytics.ward_lookup(lsoa_codes)) == after  # no date: the newest vintage


def test_lsoas_with_no_ward_valid_then_keep_the_newest(redrawn):
    # Only the new wards loaded (as in the demo): older crimes are shown on them.
    Area.objects.filter(vintage="2004").delete()
    found = analytics.ward_lookup(["E01010001", "E01010002"], on=datetime.date(2020, 6, 1))
    assert codes(found) == {"E01010001": "E05014838", "E01010002": "E05014838"}


def test_summary_by_ward_uses_the_wards_of_the_period(redrawn):
    for month, counts in [(datetime.date(2020, 6, 1), (3, 4)), (datetime.date(2024, 6, 1), (5, 6))]:
        batch = CrimeImport.objects.create(force="West Midlands Police", month=month,
                                           kind="street", source_file="test")
        for lsoa, n in zip(["E01010001", "E01010002"], counts, strict=True):
            CrimeCount.objects.create(batch=batch, month=month, lsoa_code=lsoa,
                                      crime_type="Burglary", count=n)

    def by_ward(month):
        scope = analytics.Scope(month, month, "West Midlands Police", None,
                                ["E01010001", "E01010002"])
        return {row.key: row.count for row in analytics.summarise(scope, "ward").rows}

    assert by_ward(datetime.date(2020, 6, 1)) == {"E05001321": 3, "E05001322": 4}
    assert by_ward(datetime.date(2024, 6, 1)) == {"E05014838": 11}
