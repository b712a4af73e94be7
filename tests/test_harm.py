"""Harm weights: the CCHI 2020 roll-up, weight files, harm totals and the weights command."""

from pathlib import Path

import pytest

from saferplaces.crime import harm, harm_store
from saferplaces.crime.models import HarmWeight, HarmWeightTable
from tests.commands import run_command

CCHI_HEADER = ("ATHENA URN", "FULL_OFFENCE_TITLE", "SHORT_TITLE", "CCHI Score", "GROUP",
               "CLASSIFICATION_CODE", "HOME_OFFICE_CLASSIFICATION")


def cchi_row(code, score, title="offence"):
    return ("x", title, title, score, "GROUP", code, "000/00")


# A hand-checkable miniature of the three sources.
TINY_CCHI = [
    cchi_row("1", 5475, "Murder"),
    cchi_row("1", 5475, "Murder under 1"),
    cchi_row("4/1", 730, "Manslaughter"),  # "/" in the workbook, "." in the mapping
    cchi_row("8N", 2), cchi_row("8N", 10), cchi_row("8N", 19), cchi_row("8N", 547.5),
    cchi_row("105A", 1), cchi_row("105A", 2),
    cchi_row("34A", 365), cchi_row("34B", 365), cchi_row("34B", 365),
    cchi_row(46, 1, "Shoplifting"),  # the workbook stores some codes as numbers
    cchi_row("NN", 0.1, "Non-notifiable"),
    (None,) * 7,  # a blank row is skipped
]
TINY_MAPPING = """\
,Offence_Group,Offence_Code,Offence_Description,Offence_Subgroup,Police.uk_Cat
0,Violence,1/4.1/4.10/4.2,Homicide,Homicide,Violence and Sexual Offences
1,Violence,8N,Assault with injury,Violence with injury,Violence and Sexual Offences
2,Violence,105A,Assault without injury,Violence without injury,Violence and Sexual Offences
3,Robbery,34A,Robbery of business property,Robbery of business property,Robbery
4,Robbery,34B,Robbery of personal property,Robbery of personal property,Robbery
5,Theft,46,Shoplifting,Shoplifting,Shoplifting
6,Theft,28A,Burglary in a dwelling (outcome only),Domestic burglary,Burglary
"""
TINY_COUNTS = """\
,Financial_Year,Financial_Quarter,Force_Name,Offence_Code,Number_of_Offences
0,2017/18,1,A,1/4.1/4.10/4.2,6
1,2017/18,2,A,1/4.1/4.10/4.2,5
2,2017/18,3,B,1/4.1/4.10/4.2,-1
3,2017/18,1,A,8N,1000
4,2017/18,1,A,105A,2000
5,2017/18,1,A,34A,100
6,2017/18,1,A,34B,300
7,2017/18,1,A,46,500
8,2017/18,1,A,28A,0
"""


def weights(*args):
    """Run `crime weights ...`; return (exit code, stdout, stderr)."""
    return run_command("crime", "weights", *args)


def tiny_derivation():
    offences = harm.cchi_offences_from_rows(CCHI_HEADER, TINY_CCHI)
    mapping = harm.offence_mapping_from_csv(TINY_MAPPING.encode())
    counts = harm.prc_counts_from_csv(TINY_COUNTS.encode())
    return harm.derive_category_weights(offences, mapping, counts)


# ---------------------------------------------------------------------------------------------
# The derivation


def test_offence_codes_are_normalised_to_the_mapping_spelling():
    assert harm.normalise_offence_code("4/3") == "4.3"
    assert harm.normalise_offence_code(66) == "66"
    assert harm.normalise_offence_code(" 8n ") == "8N"
    mapping = harm.offence_mapping_from_csv(TINY_MAPPING.encode())
    assert mapping[0].parts == ("1", "4.1", "4.10", "4.2")
    assert mapping[0].crime_type == "Violence and sexual offences"


def test_counts_sum_quarters_and_forces_including_reclassification_negatives():
    counts = harm.prc_counts_from_csv(TINY_COUNTS.encode())
    assert counts["1/4.1/4.10/4.2"] == 10
    assert counts["28A"] == 0


def test_tiny_derivation_by_hand():
    result = tiny_derivation()
    weights = result.weights()
    # Homicide pools codes 1 and 4.1: [730, 5475, 5475] -> lower median 5475 (10 offences).
    # 8N: [2, 10, 19, 547.5] -> lower median 10 (1000). 105A: [1, 2] -> 1 (2000).
    # (5475*10 + 10*1000 + 1*2000) / 3010 = 66750 / 3010 = 22.176...
    assert weights["Violence and sexual offences"] == 22.18
    assert weights["Robbery"] == 365.0
    assert weights["Shoplifting"] == 1.0
    assert weights["Anti-social behaviour"] == 0.0
    assert "Burglary" not in weights  # its only code has no CCHI row
    codes = {c.code: c for c in result.codes}
    assert codes["1/4.1/4.10/4.2"].cchi_rows == 3
    assert codes["1/4.1/4.10/4.2"].median == 5475
    assert codes["8N"].median == 10
    warnings = "\n".join(result.warnings)
    assert "CCHI code NN (1 row" in warnings
    assert "HO code 28A" in warnings and "no CCHI 2020 row" in warnings
    assert "Burglary: no HO offence code" in warnings
    notes = {row.crime_type: row.note for row in result.rows}
    assert "3 HO offence codes (9 CCHI rows)" in notes["Violence and sexual offences"]
    assert "3,010 offences" in notes["Violence and sexual offences"]
    assert "not notifiable crimes" in notes["Anti-social behaviour"]


def test_rows_come_in_police_uk_order_with_asb_first():
    assert [r.crime_type for r in tiny_derivation().rows] == [
        "Anti-social behaviour", "Robbery", "Shoplifting", "Violence and sexual offences"]


def test_missing_workbook_column_is_a_clear_error():
    with pytest.raises(harm.HarmDataError, match="CLASSIFICATION_CODE"):
        harm.cchi_offences_from_rows(CCHI_HEADER[:5], [])


def test_committed_csv_is_exactly_what_the_code_derives():
    """Nobody can hand-edit the bundled table: regenerate it with `crime weights derive`."""
    derived = harm.format_weights_csv(harm.derive_cchi2020().rows)
    assert harm.CCHI_WEIGHTS_CSV.read_text(encoding="utf-8") == derived


def test_real_workbook_gives_plausible_weights():
    offences = harm.read_cchi_workbook()
    assert len(offences) == 698
    result = harm.bundled_cchi2020()
    weights = result.weights()
    assert set(weights) == set(harm.POLICE_UK_CRIME_TYPES)
    assert weights["Robbery"] == 365.0
    assert weights["Shoplifting"] == 1.0
    assert weights["Bicycle theft"] == 2.0
    assert weights["Theft from the person"] == 2.0
    assert weights["Anti-social behaviour"] == 0.0
    assert 100 <= weights["Violence and sexual offences"] < 1000
    assert 100 <= weights["Possession of weapons"] < 1000
    for crime_type in ("Burglary", "Criminal damage and arson", "Other crime", "Other theft",
                       "Public order", "Vehicle crime"):
        assert 1 < weights[crime_type] < 100, crime_type
    assert weights["Robbery"] > weights["Burglary"] > weights["Shoplifting"]
    warnings = "\n".join(result.warnings)
    for code in ("NN", "ASB", "NFIB", "19J"):
        assert f"CCHI code {code} " in warnings
    assert "HO code AF (Fraud offences recorded by Action Fraud" in warnings
    for row in result.rows:
        assert len(row.note) <= harm.NOTE_MAX_LENGTH


# ---------------------------------------------------------------------------------------------
# Weight files


def test_weights_file_errors_are_reported_by_line_and_nothing_is_loaded():
    text = ("crime_type,weight,note\n"
            "Robbery,365,ok\n"
            "Stealing horses,10,\n"
            "Burglary,-1,\n"
            "ROBBERY,300,\n"
            "Drugs,lots,\n"
            "Shoplifting,1\n")
    parsed = harm.parse_weights_csv(text.encode())
    assert parsed.rows == []
    lines = [(e.line, e.message.split(" (")[0]) for e in parsed.errors]
    assert lines == [
        (3, "unknown crime type 'Stealing horses'"),
        (4, "weight '-1' must be 0 or more"),
        (5, "'Robbery' already given on line 2"),
        (6, "weight 'lots' is not a number"),
        (7, "has 2 cells but the header has 3"),
    ]


@pytest.mark.parametrize("text, message", [
    (b"", "line 1: the file is empty"),
    (b"type,weight\nRobbery,1\n", "missing required column(s) crime_type"),
    (b"crime_type,weight,colour\nRobbery,1,red\n", "unknown column(s) colour"),
    (b"crime_type,weight\n", "no weights"),
    (b"crime_type,weight\nRobbery,\xff\n", "line 2: byte 0xFF is not UTF-8"),
])
def test_bad_weights_files(text, message):
    parsed = harm.parse_weights_csv(text)
    assert not parsed.ok and parsed.rows == []
    assert message in str(parsed.errors[0])


def test_weights_file_names_are_case_insensitive_and_gaps_are_warned():
    parsed = harm.parse_weights_csv(
        "\ufeffWeight,Crime_Type\n3.5,violence AND sexual offences\n".encode())
    assert parsed.ok
    assert parsed.rows == [harm.WeightRow("Violence and sexual offences", 3.5, "")]
    assert "no weight for: Anti-social behaviour" in parsed.warnings[0]


def test_committed_csv_reads_back_as_a_weights_file():
    path = harm.CCHI_WEIGHTS_CSV
    parsed = harm.parse_weights_csv(Path(path).read_bytes(), str(path))
    assert parsed.ok and not parsed.warnings
    assert {r.crime_type: r.weight for r in parsed.rows} == harm.bundled_cchi2020().weights()


# ---------------------------------------------------------------------------------------------
# Harm totals


def test_harm_total_reports_crime_types_without_a_weight():
    weights = {"Robbery": 365.0, "Shoplifting": 1.0, "Anti-social behaviour": 0.0}
    counts = {"Robbery": 2, "shoplifting": 3, "Burglary": 4, "Drugs": 0,
              "Anti-social behaviour": 50}
    result = harm.harm_total(weights, counts)
    assert result.total == 733.0
    assert result.by_type == {"Robbery": 730.0, "shoplifting": 3.0,
                              "Anti-social behaviour": 0.0}
    assert result.missing == {"Burglary": 4}  # reported, not silently zero
    assert not result.complete


def test_harm_total_can_leave_out_proactive_crime_types():
    weights = {"Drugs": 100.0, "Possession of weapons": 200.0, "Robbery": 365.0}
    result = harm.harm_total(weights, {"Drugs": 5, "Robbery": 1, "Possession of weapons": 1},
                             exclude=harm.PROACTIVE_CRIME_TYPES)
    assert result.total == 365.0
    assert result.excluded == {"Drugs": 5, "Possession of weapons": 1}
    assert result.complete


# ---------------------------------------------------------------------------------------------
# The database and the command


GOOD_CSV = "crime_type,weight,note\nRobbery,500,from sentencing\nShoplifting,2,\n"


@pytest.fixture
def csv_file(tmp_path):
    def write(text, name="weights.csv"):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return str(path)
    return write


@pytest.mark.django_db
def test_load_cchi_stores_the_derived_table_with_citation():
    code, out, _ = weights("load-cchi", "--default")
    assert code == 0
    table = HarmWeightTable.objects.get(name=harm.CCHI_2020_TABLE_NAME)
    assert table.is_default
    assert "doi:10.1093/police/paw003" in table.citation
    assert table.unit == "days of imprisonment"
    stored = dict(table.weights.values_list("crime_type", "weight"))
    assert stored == harm.bundled_cchi2020().weights()
    assert "not notifiable crimes" in out  # the ASB decision is in the output
    assert "CCHI code NN" in out
    assert "created; it is the default table" in out


@pytest.mark.django_db
def test_load_cchi_again_replaces_the_weights_of_that_table_only():
    weights("load-cchi")
    table = HarmWeightTable.objects.get()
    HarmWeight.objects.filter(table=table, crime_type="Robbery").update(weight=1.0)
    HarmWeight.objects.filter(table=table, crime_type="Drugs").delete()
    code, out, _ = weights("load-cchi")
    assert code == 0 and "updated" in out
    assert HarmWeightTable.objects.count() == 1
    assert harm_store.table_weights(table) == harm.bundled_cchi2020().weights()
    code, out, _ = weights("load-cchi")
    assert "unchanged" in out
    assert HarmWeight.objects.count() == 14


@pytest.mark.django_db
def test_import_with_errors_writes_nothing_and_exits_1(csv_file):
    path = csv_file("crime_type,weight\nRobbery,10\nMuggings,3\nBurglary,-2\n")
    code, _, err = weights("import", path, "--name", "ONS CSS")
    assert code == 1
    assert f"{path}: line 3: unknown crime type 'Muggings'" in err
    assert f"{path}: line 4: weight '-2' must be 0 or more" in err
    assert "nothing written" in err
    assert not HarmWeightTable.objects.exists()
    assert not HarmWeight.objects.exists()


@pytest.mark.django_db
def test_import_creates_then_replaces_a_table(csv_file):
    code, out, _ = weights("import", csv_file(GOOD_CSV), "--name", "ONS CSS", "--unit",
                           "CSS weight", "--citation", "ONS 2016")
    assert code == 0 and "created with 2 weight(s)" in out
    assert "no weight for: Anti-social behaviour" in out
    table = HarmWeightTable.objects.get(name="ONS CSS")
    assert (table.unit, table.citation, table.is_default) == ("CSS weight", "ONS 2016", False)
    assert harm_store.table_weights("ONS CSS") == {"Robbery": 500.0, "Shoplifting": 2.0}
    code, out, _ = weights("import", csv_file("crime_type,weight\nDrugs,4\n", "v2.csv"),
                           "--name", "ONS CSS")
    assert code == 0
    assert harm_store.table_weights("ONS CSS") == {"Drugs": 4.0}
    assert HarmWeightTable.objects.get(name="ONS CSS").unit == "CSS weight"  # kept


@pytest.mark.django_db
def test_import_dry_run_writes_nothing(csv_file):
    code, out, _ = weights("import", csv_file(GOOD_CSV), "--name", "X", "--dry-run")
    assert code == 0 and "dry run" in out
    assert not HarmWeightTable.objects.exists()


@pytest.mark.django_db
def test_import_of_a_missing_file_exits_2():
    code, _, err = weights("import", "/nonexistent/weights.csv", "--name", "X")
    assert code == 2 and "Cannot read" in err


@pytest.mark.django_db
def test_only_one_table_is_default(csv_file):
    weights("load-cchi", "--default")
    weights("import", csv_file(GOOD_CSV), "--name", "ONS CSS", "--default")
    assert list(HarmWeightTable.objects.filter(is_default=True)
                .values_list("name", flat=True)) == ["ONS CSS"]
    assert harm_store.default_weights() == {"Robbery": 500.0, "Shoplifting": 2.0}
    code, out, _ = weights("set-default", harm.CCHI_2020_TABLE_NAME)
    assert code == 0
    assert list(HarmWeightTable.objects.filter(is_default=True)
                .values_list("name", flat=True)) == [harm.CCHI_2020_TABLE_NAME]
    assert harm_store.default_weights()["Robbery"] == 365.0


@pytest.mark.django_db
def test_set_default_of_an_unknown_table_exits_2():
    weights("load-cchi")
    code, _, err = weights("set-default", "Nope")
    assert code == 2
    assert "no harm weight table called 'Nope'" in err
    assert harm.CCHI_2020_TABLE_NAME in err


@pytest.mark.django_db
def test_list_shows_tables_weights_and_default(csv_file):
    code, out, _ = weights("list")
    assert code == 0 and "No harm weight tables" in out
    weights("load-cchi", "--default")
    weights("import", csv_file(GOOD_CSV), "--name", "ONS CSS")
    code, out, _ = weights("list")
    assert f"{harm.CCHI_2020_TABLE_NAME}  [default]" in out
    assert "ONS CSS\n" in out
    assert "Robbery" in out and "365.00" in out
    code, out, _ = weights("list", "ONS CSS")
    assert harm.CCHI_2020_TABLE_NAME not in out
    assert weights("list", "Nope")[0] == 2
    assert weights("list", "--bogus")[0] == 2


@pytest.mark.django_db
def test_derive_writes_the_bundled_csv(tmp_path):
    target = tmp_path / "derived.csv"
    code, _, err = weights("derive", "--output", str(target))
    assert code == 0
    assert target.read_text(encoding="utf-8") == harm.CCHI_WEIGHTS_CSV.read_text(
        encoding="utf-8")
    assert "left out: CCHI code NN" in err
    assert not HarmWeightTable.objects.exists()


@pytest.mark.django_db
def test_ensure_default_cchi_table_is_idempotent():
    assert harm_store.default_weights() == {}
    table = harm_store.ensure_default_cchi_table()
    assert table.is_default and table.name == harm.CCHI_2020_TABLE_NAME
    loaded = table.created_at
    ids = set(HarmWeight.objects.values_list("pk", flat=True))
    again = harm_store.ensure_default_cchi_table()
    assert again.pk == table.pk
    assert HarmWeightTable.objects.get().created_at == loaded  # nothing rewritten
    assert set(HarmWeight.objects.values_list("pk", flat=True)) == ids
    assert harm_store.default_weights()["Robbery"] == 365.0


@pytest.mark.django_db
def test_ensure_default_cchi_table_leaves_another_default_alone(csv_file):
    weights("import", csv_file(GOOD_CSV), "--name", "ONS CSS", "--default")
    table = harm_store.ensure_default_cchi_table()
    assert not table.is_default
    assert harm_store.default_table().name == "ONS CSS"


@pytest.mark.django_db
def test_harm_total_with_the_default_table():
    harm_store.ensure_default_cchi_table()
    result = harm.harm_total(harm_store.default_weights(),
                             {"Robbery": 2, "Anti-social behaviour": 10, "Fraud": 1})
    assert result.total == 730.0
    assert result.missing == {"Fraud": 1}


def test_bundled_files_have_a_sources_file():
    sources = (Path(harm.DATA_DIR) / "SOURCES.md").read_text(encoding="utf-8")
    for path in (harm.CCHI_WORKBOOK, harm.OFFENCE_MAPPING_CSV, harm.PRC_COUNTS_CSV,
                 harm.CCHI_WEIGHTS_CSV):
        assert path.name in sources
