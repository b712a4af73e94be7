"""The demo's evidence base: real Wolverhampton geography, population, deprivation, the real
June 2018 crimes and outcomes months, and seeded simulated months (see simulate.py).

Everything goes through the same importers as the commands, so the demo exercises them."""

from __future__ import annotations

import datetime
from pathlib import Path

from saferplaces.areas import importers
from saferplaces.areas.models import Area, AreaLink
from saferplaces.core.periods import month_list, parse_month
from saferplaces.crime import ingest
from saferplaces.crime.harm_store import ensure_default_cchi_table
from saferplaces.crime.locate import LsoaLocator, partnership_lsoa_codes
from saferplaces.crime.models import CrimeImport
from saferplaces.demo.simulate import simulate_months

DATA = Path(__file__).parent / "data"
FORCE = "West Midlands Police"
LAD_CODE = "E08000031"
CSP_CODE = "E22000341"
WARDS_FROM = datetime.date(2023, 5, 4)  # the new wards were first used at the May 2023 poll
REAL_MONTH = datetime.date(2018, 6, 1)
SIMULATED_FROM = datetime.date(2017, 7, 1)
SIMULATED_TO = datetime.date(2020, 12, 1)
OUTCOME_FILES = ("2019-03-west-midlands-outcomes-wolverhampton.csv",
                 "2020-04-west-midlands-outcomes-wolverhampton.csv",
                 "2020-12-west-midlands-outcomes-wolverhampton.csv")


class DemoDataError(Exception):
    pass


def _ok(result, what: str):
    if not result.ok:
        problems = "; ".join(str(p) for p in result.errors[:5])
        raise DemoDataError(f"demo {what} did not import: {problems}")
    return result


def _read(name: str) -> bytes:
    return (DATA / name).read_bytes()


def load_geography() -> Area:
    """Boundaries, lookups, population and deprivation; returns the CSP area."""
    _ok(importers.import_boundaries(
        _read("lsoa11_wolverhampton.geojson"), "lsoa11_wolverhampton.geojson", level="lsoa",
        vintage="2011", source="ONS LSOA 2011 boundaries via martinjc/UK-GeoJSON"), "LSOAs")
    _ok(importers.import_boundaries(
        _read("wards_2023_wolverhampton.geojson"), "wards_2023_wolverhampton.geojson",
        level="ward", vintage="2023", valid_from=WARDS_FROM,
        source="Wards (May 2023) via open-innovations/geography-bits"), "wards")
    lookup = _read("lad22_csp22_pfa22_lookup.csv")
    _ok(importers.import_lookup(
        lookup, "lad22_csp22_pfa22_lookup.csv", child_level="lad", child_vintage="2022",
        parent_level="csp", parent_vintage="2022", child_column="LAD22CD",
        parent_column="CSP22CD", child_name_column="LAD22NM", parent_name_column="CSP22NM",
        lookup_vintage="LAD22-CSP22 (ONS)", method="official", create_missing=True),
        "LAD to CSP lookup")
    _ok(importers.import_lookup(
        lookup, "lad22_csp22_pfa22_lookup.csv", child_level="csp", child_vintage="2022",
        parent_level="pfa", parent_vintage="2022", child_column="CSP22CD",
        parent_column="PFA22CD", child_name_column="CSP22NM", parent_name_column="PFA22NM",
        lookup_vintage="CSP22-PFA22 (ONS)", method="official", create_missing=True),
        "CSP to force area lookup")
    _link_wards_to_lad()
    _ok(importers.derive_lookup(child_level="lsoa", child_vintage="2011", parent_level="ward",
                                parent_vintage="2023"), "LSOA to ward lookup")
    _ok(importers.import_population(
        _read("census2011_lsoa11_population_wolverhampton.csv"),
        "census2011_lsoa11_population_wolverhampton.csv", level="lsoa", vintage="2011",
        code_column="LSOA Code", value_column="Persons", year=2011,
        source="Census 2011 usual residents (ONS PHP01)"), "population")
    _ok(importers.import_iod2019_file2(_read("iod2019_file2_wolverhampton.csv"),
                                       "iod2019_file2_wolverhampton.csv"), "IMD 2019 ranks")
    _ok(importers.import_deprivation(
        _read("imd2019_score_wolverhampton.csv"), "imd2019_score_wolverhampton.csv",
        level="lsoa", vintage="2011", edition="IMD 2019", domain="imd",
        code_column="LSOA code", score_column="LSOA IMD Score"), "IMD 2019 scores")
    return Area.objects.get(level="csp", code=CSP_CODE)


def _link_wards_to_lad() -> None:
    """Every ward in the 2023 file is a Wolverhampton ward (WD23 codes E05014838-57)."""
    lad = Area.objects.get(level="lad", code=LAD_CODE, vintage="2022")
    for ward in Area.objects.filter(level="ward", vintage="2023"):
        AreaLink.objects.get_or_create(child=ward, parent=lad, vintage="WD23-LAD22",
                                       defaults={"method": "all 20 wards lie in the LAD",
                                                 "source": "ward file"})


def load_crime(user=None) -> dict[str, int]:
    """Real June 2018 crimes, real outcomes months, simulated months; skipped when present."""
    loaded = {}
    own = partnership_lsoa_codes()
    if not CrimeImport.objects.filter(force=FORCE, month=REAL_MONTH, kind="street").exists():
        source = ingest.Source(str(DATA / "policeuk_2018-06_wolverhampton_api_street.csv"),
                               lambda: _read("policeuk_2018-06_wolverhampton_api_street.csv"))
        prepared = ingest.prepare(source, force=FORCE, locate_lsoa=LsoaLocator.from_database())
        ingest.write(prepared, source.name, point_lsoas=own, user=user,
                     file_format=prepared.format_name)
        loaded["real street months"] = 1
        _simulate(prepared, own, user)
        loaded["simulated street months"] = len(_simulated_month_list())
    for name in OUTCOME_FILES:
        month = parse_month(name[:7])
        if CrimeImport.objects.filter(force=FORCE, month=month, kind="outcomes").exists():
            continue
        report = ingest.import_source(ingest.Source(str(DATA / name), lambda n=name: _read(n)),
                                      point_lsoas=own, user=user)
        if report.refused:
            raise DemoDataError(f"demo outcomes {name}: {report.errors[0]}")
        loaded["outcomes months"] = loaded.get("outcomes months", 0) + 1
    return loaded


def _simulated_month_list() -> list[datetime.date]:
    return [m for m in month_list(SIMULATED_FROM, SIMULATED_TO) if m != REAL_MONTH]


def _simulate(real: ingest.Prepared, own: set[str], user) -> None:
    table = simulate_months(real.table, _simulated_month_list())
    simulated = ingest.Prepared("street", table, format_name="simulated from police.uk API")
    ingest.write(simulated, "simulated by saferplaces/demo/simulate.py", point_lsoas=own,
                 user=user, simulated=True, file_format="simulated (demonstration)")


def load_evidence(partnership, user=None) -> dict[str, int]:
    """Geography, harm weights and crime data for the demo partnership."""
    csp = load_geography()
    if partnership.area_id != csp.pk or partnership.police_force != FORCE:
        partnership.area = csp
        partnership.police_force = FORCE
        partnership.save()
    ensure_default_cchi_table()
    return load_crime(user)
