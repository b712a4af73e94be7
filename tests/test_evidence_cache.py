"""The evidence overview's figures are cached (crime/evidence_cache.py) and never shown stale:
every import, replacement, deletion or edit of crime data makes the next page compute afresh.
Expected figures are the row counts of the files the test writes."""

import csv
import gzip
import re
from pathlib import Path

import pytest
from django.core.cache import cache
from django.urls import reverse

from saferplaces.crime import evidence_cache, views
from saferplaces.crime.models import CrimeImport
from tests.commands import run_command
from tests.conftest import make_user
from tests.factories import AreaFactory, AreaLinkFactory, PartnershipFactory

pytestmark = pytest.mark.django_db

STREET = Path(__file__).parent / "data" / "policeuk" / "2017-07-west-yorkshire-street.csv.gz"
LSOAS = ["E01007426", "E01007427"]


def street_file(path: Path, month: str, per_lsoa: list[int]) -> str:
    """A West Yorkshire street file for `month` with per_lsoa[i] crimes in LSOAS[i] (real
    rows of the July 2017 file, moved)."""
    with gzip.open(STREET, "rt", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        template = [next(reader) for _ in range(max(per_lsoa))]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, list(template[0]))
        writer.writeheader()
        for code, count in zip(LSOAS, per_lsoa, strict=True):
            writer.writerows({**row, "Month": month, "LSOA code": code}
                             for row in template[:count])
    return str(path)


def imported(*args) -> None:
    code, _out, err = run_command("crime", "import", *args)
    assert code == 0, err


@pytest.fixture
def admin(client):
    district = AreaFactory(level="lad", code="E08000036", vintage="2021")
    for code in LSOAS:
        AreaLinkFactory(child=AreaFactory(code=code), parent=district)
    partnership = PartnershipFactory(slug="wake", area=district,
                                     police_force="West Yorkshire Police")
    client.force_login(make_user("wake-admin", partnership, "admin"))
    cache.clear()
    return client


def latest_month(client) -> tuple[str, int]:
    """The overview's "Latest month" heading and its count of crimes and ASB incidents."""
    html = client.get(reverse("evidence_home", args=["wake"])).content.decode()
    month = re.search(r"<h2>Latest month: ([^<]+)</h2>", html).group(1)
    count = re.search(r'<p class="big-figure">([\d,]+)</p>', html).group(1)
    return month, int(count.replace(",", ""))


def test_the_overview_shows_each_import_at_once(admin, tmp_path):
    imported(street_file(tmp_path / "jan.csv", "2020-01", [3, 2]))
    assert latest_month(admin) == ("January 2020", 5)
    imported(street_file(tmp_path / "feb.csv", "2020-02", [4, 3]))
    assert latest_month(admin) == ("February 2020", 7)
    imported(street_file(tmp_path / "feb-again.csv", "2020-02", [6, 3]))  # replaces it
    assert latest_month(admin) == ("February 2020", 9)
    CrimeImport.objects.get(month="2020-02-01").delete()
    assert latest_month(admin) == ("January 2020", 5)


def test_the_figures_are_computed_once_per_crime_data_version(admin, tmp_path, monkeypatch):
    computed = []
    compute = views._home_figures
    monkeypatch.setattr(views, "_home_figures",
                        lambda place: computed.append(place.last) or compute(place))
    imported(street_file(tmp_path / "jan.csv", "2020-01", [3, 2]))
    latest_month(admin)
    latest_month(admin)
    assert len(computed) == 1
    imported(street_file(tmp_path / "feb.csv", "2020-02", [1, 1]))
    latest_month(admin)
    assert [f"{month:%Y-%m}" for month in computed] == ["2020-01", "2020-02"]


def test_the_data_version_changes_with_every_change_to_crime_data(tmp_path):
    versions = [evidence_cache.data_version()]
    imported(street_file(tmp_path / "jan.csv", "2020-01", [3, 2]))
    versions.append(evidence_cache.data_version())
    imported(street_file(tmp_path / "jan.csv", "2020-01", [3, 2]))  # the same file again
    versions.append(evidence_cache.data_version())
    stored = CrimeImport.objects.get()
    stored.is_simulated = True  # as an administrator might in the admin
    stored.save()
    versions.append(evidence_cache.data_version())
    imported(street_file(tmp_path / "feb.csv", "2020-02", [1, 1]))
    versions.append(evidence_cache.data_version())
    assert len(set(versions)) == len(versions), versions
    CrimeImport.objects.get(month="2020-02-01").delete()
    # the data is again exactly what it was before February came, and so are its figures
    assert evidence_cache.data_version() == versions[-2]
