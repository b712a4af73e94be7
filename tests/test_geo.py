"""`saferplaces geo`: boundaries, lookups, population and deprivation from small real files
(tests/data/geo, see SOURCES.md there) and hand-made invalid ones."""

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest
from shapely.geometry import Point, Polygon, shape

from saferplaces.areas import geometry, parsing
from saferplaces.areas.gss import is_gss_code
from saferplaces.areas.models import Area, AreaLevel, AreaLink, Deprivation, Population
from saferplaces.areas.queries import descendant_lsoa_codes, descendant_lsoas
from tests.commands import run_command

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent / "data" / "geo"
WARDS = DATA / "geographybits_WD23_wards_wolverhampton.geojson"
LSOAS = DATA / "ukgeojson_lsoa_by_lad_E08000031.json"
LSOAS_TOPO = DATA / "ukgeojson_lsoa_by_lad_topo_E08000031.json"
LAD_CSP_PFA = DATA / "lad22_csp22_pfa22_lookup_blackthrive.csv"
LSOA21_WARD25 = DATA / "lsoa21_to_ward25_bestfit_wolverhampton.csv"
LSOA_FORCE = DATA / "lsoa11_to_police_force_wolverhampton_PoliceforceLSOA.csv"
CENSUS_2011 = DATA / "census2011_lsoa11_population_households_wolverhampton.csv"
IOD_FILE1 = DATA / "iod2019_file1_imd_rank_decile_wolverhampton.csv"
IOD_FILE2 = DATA / "iod2019_file2_domains_ranks_deciles_wolverhampton.csv"
IMD_SCORE = DATA / "imd2019_score_westmids_group4_wolverhampton.csv"

WARD_CODES = [f"E0501{n}" for n in range(4838, 4858)]


def geo(*args):
    """Run `geo` with call_command; returns (exit code, stdout, stderr)."""
    return run_command("geo", *args)


def import_wards():
    return geo("import-boundaries", WARDS, "--level", "ward", "--vintage", "2023",
               "--valid-from", "2023-05-04")


def import_lsoas():
    return geo("import-boundaries", LSOAS, "--level", "lsoa", "--vintage", "2011")


def derive():
    return geo("derive-lookup", "--child-level", "lsoa", "--child-vintage", "2011",
               "--parent-level", "ward", "--parent-vintage", "2023")


def lad_to_csp(path=LAD_CSP_PFA, *extra):
    return geo("import-lookup", path, "--child-level", "lad", "--child-vintage", "2022",
               "--parent-level", "csp", "--parent-vintage", "2022",
               "--child-column", "LAD22CD", "--parent-column", "CSP22CD",
               "--child-name-column", "LAD22NM", "--parent-name-column", "CSP22NM",
               "--create-missing", *extra)


def census_2011(*value_args, source="Census 2011 PHP01 usual residents"):
    value_args = value_args or ("--value-column", "Persons")
    return geo("import-population", CENSUS_2011, "--level", "lsoa", "--vintage", "2011",
               "--code-column", "LSOA Code", *value_args, "--year", "2011",
               "--source", source)


@pytest.fixture
def wolverhampton():
    """The demo geography: 2023 wards and 2011 LSOAs, linked by centroid."""
    assert import_wards()[0] == 0
    assert import_lsoas()[0] == 0
    assert derive()[0] == 0


# --- plain functions ---------------------------------------------------------------------


def test_levels_match_the_model():
    assert parsing.LEVELS == tuple(AreaLevel.values)


@pytest.mark.parametrize(("keys", "level", "suffix", "expected"), [
    (["LSOA11CD", "LSOA11NM"], "lsoa", "CD", "LSOA11CD"),
    (["WD23CD", "WD23NM"], "ward", "NM", "WD23NM"),
    (["WD13CD", "WD13CDO", "WD13NM", "WD13NMW"], "ward", "CD", "WD13CD"),
    (["MSOA11CD", "MSOA11NM"], "msoa", "CD", "MSOA11CD"),
    (["LAD22CD", "LAD22NM", "CSP22CD"], "lad", "CD", "LAD22CD"),
    (["lad25cd", "wd25cd"], "lad", "CD", "lad25cd"),
    (["CSP22CD", "LAD22CD"], "csp", "CD", "CSP22CD"),
    (["LAD22CD", "LAD23CD"], "lad", "CD", None),
    (["code", "name"], "ward", "CD", None),
])
def test_guess_property(keys, level, suffix, expected):
    assert parsing.guess_property(keys, level, suffix)[0] == expected


def test_guess_name_prefers_the_code_property_twin():
    keys = ["WD22CD", "WD22NM", "WD23CD", "WD23NM"]
    assert parsing.guess_property(keys, "ward", "NM", like="WD23CD")[0] == "WD23NM"


def test_gss_codes():
    assert is_gss_code("E05014838")
    assert is_gss_code("W01000001")
    assert not is_gss_code("E0501483")
    assert not is_gss_code("X05014838")
    assert not is_gss_code("e05014838")


def test_centroid_outside_a_c_shape_falls_back_to_a_point_inside():
    c_shape = Polygon([(0, 0), (3, 0), (3, 1), (1, 1), (1, 2), (3, 2), (3, 3), (0, 3)])
    assert not c_shape.contains(c_shape.centroid)
    lon, lat, true_centroid = geometry.centroid_of(c_shape)
    assert not true_centroid
    assert c_shape.contains(Point(lon, lat))
    square = Polygon([(0, 0), (2, 0), (2, 2), (0, 2)])
    assert geometry.centroid_of(square) == (1.0, 1.0, True)


def test_parse_boundaries_is_plain_and_rounds_to_six_places():
    parsed = parsing.parse_boundaries(LSOAS.read_bytes(), "lsoas.json", "lsoa")
    assert parsed.ok and len(parsed.records) == 158
    coordinates = json.dumps(parsed.records[0].geometry["coordinates"])
    assert "-2.071182," in coordinates
    assert max(len(number.split(".")[1]) for number in
               coordinates.replace("[", "").replace("]", "").split(", ")) <= 6


# --- import-boundaries ---------------------------------------------------------------------


def test_import_2023_wards():
    code, out, err = import_wards()
    assert code == 0, err
    assert "20 ward boundaries (vintage 2023): 20 created, 0 updated, 0 unchanged" in out
    wards = Area.objects.filter(level="ward", vintage="2023")
    assert sorted(wards.values_list("code", flat=True)) == WARD_CODES
    bilston = wards.get(code="E05014838")
    assert bilston.name == "Bilston North"
    assert str(bilston.valid_from) == "2023-05-04"
    assert bilston.boundary["type"] == "Polygon"
    assert bilston.source == WARDS.name
    polygon = shape(bilston.boundary)
    assert polygon.is_valid
    assert polygon.contains(Point(bilston.centroid_lon, bilston.centroid_lat))
    assert abs(polygon.centroid.x - bilston.centroid_lon) < 1e-6


def test_reimport_changes_nothing():
    import_wards()
    before = dict(Area.objects.values_list("code", "pk"))
    code, out, _ = import_wards()
    assert code == 0
    assert "0 created, 0 updated, 20 unchanged" in out
    assert dict(Area.objects.values_list("code", "pk")) == before


def test_import_2011_lsoas():
    code, out, err = import_lsoas()
    assert code == 0, err
    assert "158 lsoa boundaries (vintage 2011): 158 created" in out
    assert Area.objects.filter(level="lsoa", vintage="2011").count() == 158
    assert Area.objects.get(code="E01010410").name == "Wolverhampton 033A"
    # Five concave LSOAs have a centroid outside themselves: a point inside is used instead.
    assert "5 area(s) whose centroid lies outside the polygon" in err
    for area in Area.objects.filter(level="lsoa"):
        assert shape(area.boundary).contains(Point(area.centroid_lon, area.centroid_lat))
    assert import_lsoas()[1].endswith("0 created, 0 updated, 158 unchanged.\n")
    assert Area.objects.count() == 158


def test_topojson_reads_the_same_lsoas():
    topo = parsing.parse_boundaries(LSOAS_TOPO.read_bytes(), "topo.json", "lsoa")
    plain = parsing.parse_boundaries(LSOAS.read_bytes(), "lsoas.json", "lsoa")
    assert topo.ok, topo.problems
    assert [f.code for f in topo.records] == [f.code for f in plain.records]
    for a, b in zip(topo.records, plain.records, strict=True):
        assert a.name == b.name
        assert abs(a.centroid_lon - b.centroid_lon) < 0.002
        assert abs(a.centroid_lat - b.centroid_lat) < 0.002


def test_invalid_geometry_refuses_the_whole_file():
    code, out, err = geo("import-boundaries", DATA / "invalid_bowtie_wards.geojson",
                         "--level", "ward", "--vintage", "2023")
    assert code == 1
    assert ("invalid_bowtie_wards.geojson: feature 2 (E05099991): invalid geometry: "
            "Self-intersection") in err
    assert "--fix-invalid" in err
    assert "nothing written" in err
    assert out == ""
    assert Area.objects.count() == 0  # not even the valid first feature


def test_fix_invalid_repairs_and_says_so():
    code, out, err = geo("import-boundaries", DATA / "invalid_bowtie_wards.geojson",
                         "--level", "ward", "--vintage", "2023", "--fix-invalid")
    assert code == 0, err
    assert "feature 2 (E05099991): invalid geometry (Self-intersection" in err
    assert "repaired with shapely.make_valid" in err
    bowtie = Area.objects.get(code="E05099991")
    assert bowtie.boundary["type"] == "MultiPolygon"
    assert shape(bowtie.boundary).is_valid


def test_every_bad_feature_is_named():
    code, _, err = geo("import-boundaries", DATA / "invalid_many_problems_wards.geojson",
                       "--level", "ward", "--vintage", "2023")
    assert code == 1
    name = "invalid_many_problems_wards.geojson"
    assert f"{name}: feature 2 (E05099990): duplicate code: also feature 1" in err
    assert f"{name}: feature 3 (WARD-7): code 'WARD-7' is not a GSS code" in err
    assert f"{name}: feature 4 (E05099993): geometry is Point, not Polygon" in err
    assert f"{name}: feature 5 (E05099994): no name" in err
    assert f"{name}: feature 6 (E05099995): coordinates are not longitude/latitude" in err
    assert "refused, 5 problems; nothing written." in err
    assert Area.objects.count() == 0


def test_unguessable_properties_are_listed_and_can_be_named():
    path = DATA / "invalid_unguessable_properties.geojson"
    code, _, err = geo("import-boundaries", path, "--level", "ward", "--vintage", "2023")
    assert code == 1
    assert "cannot tell which property holds the ward code" in err
    assert "pass --code-property. Properties: code, label" in err
    code, _, err = geo("import-boundaries", path, "--level", "ward", "--vintage", "2023",
                       "--code-property", "code", "--name-property", "label")
    assert code == 0, err
    assert Area.objects.get(code="E05099990").name == "Test Square"


def test_a_csv_or_a_single_feature_is_not_a_feature_collection(tmp_path):
    code, _, err = geo("import-boundaries", LAD_CSP_PFA, "--level", "lad", "--vintage", "22")
    assert code == 1 and "not valid JSON" in err
    feature = tmp_path / "one.geojson"
    feature.write_text(json.dumps(json.loads(WARDS.read_text())["features"][0]))
    code, _, err = geo("import-boundaries", feature, "--level", "ward", "--vintage", "2023")
    assert code == 1 and "not a GeoJSON FeatureCollection (its type is 'Feature')" in err


def test_projected_crs_is_refused(tmp_path):
    document = json.loads(WARDS.read_text())
    document["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::27700"}}
    path = tmp_path / "bng.geojson"
    path.write_text(json.dumps(document))
    code, _, err = geo("import-boundaries", path, "--level", "ward", "--vintage", "2023")
    assert code == 1 and "convert the file to WGS84" in err


def test_usage_errors_exit_2():
    code, _, err = geo("import-boundaries", DATA / "missing.geojson", "--level", "ward",
                       "--vintage", "2023")
    assert code == 2 and "Cannot read" in err
    code, _, err = geo("import-boundaries", WARDS, "--level", "ward", "--vintage", "2023",
                       "--valid-from", "2023-05-04", "--valid-to", "2020-01-01")
    assert code == 2 and "--valid-to is before --valid-from" in err
    code, _, err = geo("import-boundaries", WARDS, "--level", "county", "--vintage", "2023")
    assert code == 2 and "invalid choice: 'county'" in err
    assert Area.objects.count() == 0


def test_dry_run_writes_nothing():
    code, out, _ = geo("import-boundaries", WARDS, "--level", "ward", "--vintage", "2023",
                       "--dry-run")
    assert code == 0 and "dry run, nothing written" in out
    assert Area.objects.count() == 0


# --- derive-lookup and the chain up to the CSP ------------------------------------------


def test_derive_lookup_places_every_2011_lsoa_in_a_2023_ward(wolverhampton):
    links = AreaLink.objects.filter(vintage="LSOA11-WD23 best fit by centroid")
    assert links.count() == 158
    assert set(links.values_list("child__level", flat=True)) == {"lsoa"}
    assert set(links.values_list("parent__code", flat=True)) <= set(WARD_CODES)
    assert len(set(links.values_list("parent__code", flat=True))) == 20
    assert set(links.values_list("method", flat=True)) == {"best fit by centroid"}
    assert links.values("child").distinct().count() == 158
    # E01010410 (Wolverhampton 033A) lies in Bilston South per the BCC best-fit lookup too.
    assert links.get(child__code="E01010410").parent.name == "Bilston South"
    code, out, _ = derive()
    assert code == 0
    assert "links 0 created, 0 updated, 0 removed, 158 unchanged" in out
    assert AreaLink.objects.count() == 158


def test_centroid_best_fit_mostly_agrees_with_the_bcc_area_best_fit():
    """SOURCES.md 2c: of the 155 LSOAs whose code is the same in 2011 and 2021, about 149
    land in the same ward as BCC's largest-overlap lookup (150 with our centroids)."""
    lsoas = parsing.parse_boundaries(LSOAS.read_bytes(), "lsoas", "lsoa").records
    wards = parsing.parse_boundaries(WARDS.read_bytes(), "wards", "ward").records
    fit = geometry.best_fit_by_centroid(
        [(f.code, f.centroid_lon, f.centroid_lat) for f in lsoas],
        [(f.code, f.geometry) for f in wards])
    assert not fit.unmatched and not fit.ambiguous
    with LSOA21_WARD25.open(newline="") as handle:
        bcc = {row["lsoa21cd"]: row["wd25cd"] for row in csv.DictReader(handle)}
    common = [code for code in fit.matches if code in bcc]
    assert len(common) == 155
    assert sum(fit.matches[code] == bcc[code] for code in common) >= 149


def test_topojson_file_imports_through_the_command():
    code, out, err = geo("import-boundaries", LSOAS_TOPO, "--level", "lsoa", "--vintage",
                         "2011")
    assert code == 0, err
    assert "158 lsoa boundaries (vintage 2011): 158 created" in out
    assert all(shape(a.boundary).is_valid for a in Area.objects.all())


def test_derive_lookup_reports_children_in_no_parent():
    import_wards()
    Area.objects.create(level="lsoa", vintage="2011", code="E01000001", name="City of London",
                        centroid_lon=-0.09, centroid_lat=51.51)
    Area.objects.create(level="lsoa", vintage="2011", code="E01010410", name="Inside",
                        centroid_lon=-2.07, centroid_lat=52.557)
    code, _, err = geo("derive-lookup", "--child-level", "lsoa", "--child-vintage", "2011",
                       "--parent-level", "ward", "--parent-vintage", "2023", "--strict")
    assert code == 1
    assert "E01000001 (City of London): centroid (-0.09, 51.51) is in no ward" in err
    assert AreaLink.objects.count() == 0
    code, out, err = derive()
    assert code == 0
    assert "1 area linked, 1 in no ward" in out
    assert "warning:" in err and "E01000001" in err
    assert AreaLink.objects.count() == 1


def test_derive_lookup_needs_boundaries():
    code, _, err = derive()
    assert code == 1
    assert "there are no lsoa areas of vintage 2011" in err


def test_descendant_lsoas_through_ward_lad_and_csp(wolverhampton):
    code, out, err = geo(
        "import-lookup", LSOA21_WARD25, "--child-level", "ward", "--child-vintage", "2023",
        "--parent-level", "lad", "--parent-vintage", "2022", "--child-column", "wd25cd",
        "--parent-column", "lad25cd", "--parent-name-column", "lad25nm", "--create-missing",
        "--method", "best fit by area (BCC)")
    assert code == 0, err
    assert "20 links ward 2023 → lad 2022" in out  # 161 rows, one ward → LAD pair each
    assert lad_to_csp()[0] == 0
    lad = Area.objects.get(level="lad", code="E08000031")
    csp = Area.objects.get(level="csp", code="E22000341")
    assert len(descendant_lsoas(lad)) == 158
    lsoas = descendant_lsoas(csp)
    assert len(lsoas) == 158
    assert {a.code for a in lsoas} == set(
        Area.objects.filter(level="lsoa").values_list("code", flat=True))
    per_ward = [len(descendant_lsoas(w)) for w in Area.objects.filter(level="ward")]
    assert sum(per_ward) == 158 and min(per_ward) >= 1
    for area in (csp, lad, *Area.objects.filter(level="ward"), lsoas[0]):
        assert descendant_lsoa_codes(area) == [a.code for a in descendant_lsoas(area)]


# --- import-lookup ---------------------------------------------------------------------


def test_lookup_imports_and_reimports_without_duplicates():
    code, out, err = lad_to_csp()
    assert code == 0, err
    assert "331 links lad 2022 → csp 2022 ('LAD22-CSP22'): 331 created" in out
    assert AreaLink.objects.count() == 331
    areas = Area.objects.count()
    wolverhampton = AreaLink.objects.get(child__code="E08000031")
    assert wolverhampton.parent.code == "E22000341"
    assert wolverhampton.parent.name == "Wolverhampton"
    code, out, _ = lad_to_csp()
    assert code == 0
    assert "0 created, 0 updated, 0 removed, 331 unchanged; 0 areas created" in out
    assert AreaLink.objects.count() == 331
    assert Area.objects.count() == areas
    # CSP → PFA from the same file: each CSP's repeated rows give one link.
    code, out, err = geo("import-lookup", LAD_CSP_PFA, "--child-level", "csp",
                         "--child-vintage", "2022", "--parent-level", "pfa",
                         "--parent-vintage", "2022", "--child-column", "CSP22CD",
                         "--parent-column", "PFA22CD", "--parent-name-column", "PFA22NM",
                         "--create-missing")
    assert code == 0, err
    assert AreaLink.objects.get(child__code="E22000341").parent.name == "West Midlands"


def test_reimport_replaces_a_changed_link(tmp_path):
    lad_to_csp()
    changed = tmp_path / "lookup.csv"
    text = LAD_CSP_PFA.read_text().replace("E08000031,Wolverhampton,E22000341",
                                           "E08000031,Wolverhampton,E22000337")
    changed.write_text(text)
    code, out, _ = lad_to_csp(changed, "--source", LAD_CSP_PFA.name)
    assert code == 0
    assert "1 created, 0 updated, 1 removed, 330 unchanged" in out
    assert AreaLink.objects.count() == 331
    assert AreaLink.objects.get(child__code="E08000031").parent.code == "E22000337"


def test_lookup_bad_header_is_line_1_with_the_columns():
    code, _, err = lad_to_csp(DATA / "invalid_lookup_bad_header.csv")
    assert code == 1
    assert ("invalid_lookup_bad_header.csv: line 1: no column 'LAD22CD' (--child-column); "
            "the columns are: 'LAD_CODE', 'LAD_NAME', 'CSP_CODE', 'CSP_NAME'") in err
    assert Area.objects.count() == 0


def test_lookup_child_with_two_parents_names_both_lines():
    code, _, err = lad_to_csp(DATA / "invalid_lookup_two_parents.csv")
    assert code == 1
    name = "invalid_lookup_two_parents.csv"
    assert (f"{name}: line 4: child E08000031 is linked to parent E22000337 here but to "
            "E22000341 on line 2") in err
    assert f"{name}: line 5: parent code is empty" in err
    assert Area.objects.count() == 0 and AreaLink.objects.count() == 0


def test_lookup_areas_must_exist_without_create_missing():
    code, _, err = geo("import-lookup", LAD_CSP_PFA, "--child-level", "lad",
                       "--child-vintage", "2022", "--parent-level", "csp",
                       "--parent-vintage", "2022", "--child-column", "LAD22CD",
                       "--parent-column", "CSP22CD")
    assert code == 1
    assert "line 2: no lad 2022 area E08000001" in err
    assert "line 332: no csp 2022 area" not in err  # the first 100 problems are listed...
    assert "and 562 more; 662 errors in all" in err  # ...and the rest counted
    assert "refused, 662 problems" in err


def test_create_missing_needs_a_name_column():
    code, _, err = geo("import-lookup", LAD_CSP_PFA, "--child-level", "lad",
                       "--child-vintage", "2022", "--parent-level", "csp",
                       "--parent-vintage", "2022", "--child-column", "LAD22CD",
                       "--parent-column", "CSP22CD", "--create-missing")
    assert code == 2 and "--create-missing needs" in err


def test_lookup_with_pandas_index_column_and_bom(tmp_path):
    args = ["--child-level", "lsoa", "--child-vintage", "2011", "--parent-level", "msoa",
            "--parent-vintage", "2011", "--child-column", "LSOA Code",
            "--parent-column", "MSOA Code", "--child-name-column", "LSOA Name",
            "--parent-name-column", "MSOA Name", "--create-missing"]
    code, out, err = geo("import-lookup", LSOA_FORCE, *args)
    assert code == 0, err
    assert "158 links lsoa 2011 → msoa 2011" in out
    assert Area.objects.filter(level="msoa").count() == 33
    with_bom = tmp_path / "bom.csv"
    with_bom.write_bytes(b"\xef\xbb\xbf" + LAD_CSP_PFA.read_bytes())
    code, _, err = lad_to_csp(with_bom)
    assert code == 0, err
    assert AreaLink.objects.get(child__code="E08000031").parent.code == "E22000341"


def test_pandas_index_column_is_recognised():
    parsed = parsing.parse_lookup(LSOA_FORCE.read_bytes(), "f.csv", child_column="nope",
                                  parent_column="nope")
    assert "(column 1: pandas row index)" in str(parsed.problems[0])


# --- import-population ---------------------------------------------------------------------


def test_census_2011_population_totals_249470(wolverhampton):
    code, out, err = census_2011()
    assert code == 0, err
    assert "158 areas (lsoa 2011), 249,470 residents in 2011" in out
    # Three columns are called Persons: the first (all usual residents) wins, and we say so.
    assert "3 columns are called 'Persons' (columns 10, 11, 12); using the first" in err
    rows = Population.objects.filter(year=2011, source="Census 2011 PHP01 usual residents")
    assert rows.count() == 158
    assert sum(rows.values_list("value", flat=True)) == 249470
    assert rows.get(area__code="E01010434").value == 1683
    assert "0 created, 0 updated, 158 unchanged" in census_2011()[1]
    assert Population.objects.count() == 158


def test_population_by_column_position(wolverhampton):
    with CENSUS_2011.open(newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        household = sum(int(row[10].replace(",", "")) for row in reader)
    code, out, err = census_2011("--value-column-index", "11",
                                 source="Census 2011 PHP01 household residents")
    assert code == 0, err
    assert "values from column 11 ('Persons')" in err
    assert f"{household:,} residents" in out
    assert household < 249470
    assert Population.objects.count() == 158


def test_population_bad_numbers_and_unknown_areas_are_all_reported(wolverhampton):
    code, _, err = geo("import-population", DATA / "invalid_population_bad_numbers.csv",
                       "--level", "lsoa", "--vintage", "2011", "--code-column", "LSOA Code",
                       "--value-column", "Persons", "--year", "2011", "--source", "test")
    assert code == 1
    name = "invalid_population_bad_numbers.csv"
    assert f"{name}: line 3: population '1436.5' is not a whole number" in err
    assert f"{name}: line 4: population '-12' must be 0 or more" in err
    assert f"{name}: line 5: population 'many' is not a number" in err
    assert f"{name}: line 6: population is empty" in err
    assert f"{name}: line 7: no lsoa 2011 area E01099999" in err
    assert "line 2" not in err
    assert Population.objects.count() == 0


def test_population_create_missing():
    code, _, err = census_2011()
    assert code == 1 and "line 2: no lsoa 2011 area E01010434" in err
    code, _, err = geo("import-population", CENSUS_2011, "--level", "lsoa", "--vintage",
                       "2011", "--code-column", "LSOA Code", "--value-column", "Persons",
                       "--year", "2011", "--source", "Census 2011", "--create-missing")
    assert code == 2 and "--name-column" in err
    code, out, err = geo("import-population", CENSUS_2011, "--level", "lsoa", "--vintage",
                         "2011", "--code-column", "LSOA Code", "--value-column", "Persons",
                         "--year", "2011", "--source", "Census 2011", "--create-missing",
                         "--name-column", "LSOA Name")
    assert code == 0, err
    assert "158 areas created" in out
    assert Area.objects.get(code="E01010434").name == "Wolverhampton 001A"


# --- deprivation -------------------------------------------------------------------------


def test_iod2019_file2_imports_eight_domains_for_158_lsoas(wolverhampton):
    code, out, err = geo("import-iod2019", IOD_FILE2)
    assert code == 0, err
    assert "IMD 2019, 8 domains" in out and "for 158 areas" in out
    figures = Deprivation.objects.filter(edition="IMD 2019")
    assert figures.count() == 8 * 158
    assert set(figures.values_list("domain", flat=True)) == set(parsing.IOD2019_FILE2_DOMAINS)
    first = {d.domain: (d.rank, d.decile) for d in figures.filter(area__code="E01010410")}
    assert first["imd"] == (3038, 1)
    assert first["crime"] == (1560, 1)
    assert first["housing"] == (17104, 6)
    assert not figures.filter(decile__isnull=True).exists()
    assert "0 created, 0 updated, 1,264 unchanged" in geo("import-iod2019", IOD_FILE2)[1]


def test_imd_ranks_with_thousands_separators_then_scores(wolverhampton):
    code, out, err = geo("import-imd", IOD_FILE1, "--level", "lsoa", "--vintage", "2011",
                         "--edition", "IMD 2019", "--domain", "imd",
                         "--code-column", "LSOA code (2011)",
                         "--rank-column", "Index of Multiple Deprivation (IMD) Rank",
                         "--decile-column", "Index of Multiple Deprivation (IMD) Decile")
    assert code == 0, err
    assert Deprivation.objects.get(area__code="E01010411").rank == 9209  # "9,209"
    code, _, err = geo("import-imd", IMD_SCORE, "--level", "lsoa", "--vintage", "2011",
                       "--edition", "IMD 2019", "--domain", "imd", "--code-column",
                       "LSOA code", "--score-column", "LSOA IMD Score")
    assert code == 0, err
    figure = Deprivation.objects.get(area__code="E01010410")
    assert (figure.rank, figure.decile, figure.score) == (3038, 1, 45.111)
    assert Deprivation.objects.count() == 158


def test_imd_bad_deciles_and_ranks_are_refused(wolverhampton):
    code, _, err = geo("import-imd", DATA / "invalid_imd_bad_deciles.csv", "--level", "lsoa",
                       "--vintage", "2011", "--edition", "IMD 2019", "--domain", "imd",
                       "--code-column", "LSOA code", "--rank-column", "IMD Rank",
                       "--decile-column", "IMD Decile")
    assert code == 1
    name = "invalid_imd_bad_deciles.csv"
    assert f"{name}: line 3: imd decile '11' must be 10 or less" in err
    assert f"{name}: line 4: imd rank '0' must be 1 or more" in err
    assert f"{name}: line 5: imd rank '2,x' is not a number" in err
    assert Deprivation.objects.count() == 0


def test_file1_is_not_file2(wolverhampton):
    code, _, err = geo("import-iod2019", IOD_FILE1)
    assert code == 1
    assert "line 1: not the IoD2019 File 2 layout: no column 'Income Rank ...'" in err


def test_imd_needs_a_measure():
    code, _, err = geo("import-imd", IOD_FILE1, "--level", "lsoa", "--vintage", "2011",
                       "--edition", "IMD 2019", "--domain", "imd", "--code-column", "x")
    assert code == 2 and "at least one of --rank-column" in err


# --- the console script ------------------------------------------------------------------


@pytest.mark.parametrize(("subcommand", "mentions"), [
    ("import-boundaries", "LSOA11CD"), ("import-lookup", "--child-name-column"),
    ("derive-lookup", "best fit by centroid"), ("import-population", "thousands separators"),
    ("import-imd", "--decile-column"), ("import-iod2019", "LSOA code (2011)"),
])
def test_each_subcommand_has_help(subcommand, mentions):
    result = subprocess.run([sys.executable, "-m", "saferplaces.cli", "geo", subcommand,
                             "--help"], capture_output=True, text=True, timeout=60,
                            env={"SECRET_KEY": "x", "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    assert f"usage: saferplaces geo {subcommand}" in result.stdout
    assert mentions in result.stdout


def test_a_named_property_that_is_not_there_is_refused_with_the_ones_that_are():
    path = DATA / "invalid_unguessable_properties.geojson"
    code, _, err = geo("import-boundaries", path, "--level", "ward", "--vintage", "2023",
                       "--code-property", "code", "--name-property", "WD23NM")
    assert code == 1
    assert "no property 'WD23NM' (--name-property); properties: code, label" in err
    assert "cannot tell which property holds the ward name (none looks like WD..NM); " \
           "pass --name-property" not in err  # the named one is reported, not a guess
    assert Area.objects.count() == 0
