"""Results from the database: tallies per option, reach against a loaded census profile and
the wards' residents, the CSV export and the public results' timing."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from saferplaces.areas.models import Area, AreaLevel, AreaLink, Population
from saferplaces.consultation import export, results, services
from saferplaces.consultation.models import CensusProfile, QuestionKind, SurveyQuestion
from tests.consultation_data import make_consultation, option, question

pytestmark = pytest.mark.django_db

PROFILE = b"""dimension,category,population,source
sex,Female,600,Test census
sex,male,400,Test census
age,25-34,250,Test census
age,35 to 44,750,Test census
"""


def give_wards(partnership) -> list[Area]:
    district = Area.objects.create(level=AreaLevel.LAD, code="E08000901", name="District",
                                   vintage="2023")
    wards = [Area.objects.create(level=AreaLevel.WARD, code=f"E0500090{n}", name=name,
                                 vintage="2023") for n, name in ((1, "Park"), (2, "Heath"))]
    for ward in wards:
        AreaLink.objects.create(child=ward, parent=district, vintage="test")
    # Park has its own figure; Heath's is the sum of its two LSOAs' (60 + 40)
    Population.objects.create(area=wards[0], year=2021, value=300, source="Census 2021 TS001")
    for n, residents in ((1, 60), (2, 40)):
        lsoa = Area.objects.create(level=AreaLevel.LSOA, code=f"E0100090{n}",
                                   name=f"LSOA {n}", vintage="2011")
        AreaLink.objects.create(child=lsoa, parent=wards[1], vintage="test")
        Population.objects.create(area=lsoa, year=2011, value=residents, source="Census 2011")
    partnership.area = district
    partnership.save()
    return wards


def respond(consultation, multiple=(), sex="", age="", ward="", channel="online", text=""):
    answers = [services.ChosenAnswer(question(consultation, QuestionKind.MULTIPLE),
                                     option(consultation, QuestionKind.MULTIPLE, label))
               for label in multiple]
    if ward:
        answers.append(services.ChosenAnswer(question(consultation, QuestionKind.WARD),
                                             text=ward))
    if text:
        answers.append(services.ChosenAnswer(question(consultation, QuestionKind.TEXT),
                                             text=text))
    return services.save_response(consultation, consultation.current_version(), answers,
                                  channel=channel, consent=True,
                                  equality={"sex": sex, "age_band": age})


@pytest.fixture
def answered(world):
    """Five respondents (worked values in the tests below)."""
    partnership = world["a"]["partnership"]
    park, heath = give_wards(partnership)
    consultation = make_consultation(partnership, status="open")
    respond(consultation, ["Violence", "Victims"], sex="female", age="25-34", ward=park.code)
    respond(consultation, ["Violence"], sex="female", ward=park.code, channel="paper")
    respond(consultation, ["Violence", "Reoffending", "Victims"], sex="female",
            ward=heath.code)
    respond(consultation, [], sex="male", ward="outside", text="=HYPERLINK(\"x\")")
    respond(consultation, ["Communities"], sex="prefer_not")
    return consultation


def test_multiple_choice_tallies_equal_per_option_counts(answered):
    found = next(q for q in results.question_results(answered) if q.kind == "multiple")
    assert found.answered == 4
    assert [(o.label, o.count) for o in found.tally.options] == [
        ("Violence", 3), ("Reoffending", 1), ("Victims", 2), ("Communities", 1)]
    assert [o.count for o in found.by_channel["Paper survey"].options] == [1, 0, 0, 0]


def test_reach_against_a_loaded_census_profile_and_ward_residents(answered):
    result = services.import_profile(answered.partnership, PROFILE, "profile.csv")
    assert result.ok and len(result.created) == 4
    tables = {t.dimension: t for t in results.reach_tables(answered)}
    sex = tables["Sex"].reach
    # respondents: 3 female, 1 male (1 preferred not to say); residents 600 / 400
    assert [(r.category, r.respondents, r.respondent_share, r.population_share)
            for r in sex.rows] == [("Female", 3, 0.75, 0.6), ("Male", 1, 0.25, 0.4)]
    assert [r.under_represented for r in sex.rows] == [False, True]
    assert sex.not_stated == 1
    age = tables["Age"].reach
    assert [(r.category, r.respondents) for r in age.rows] == [("25 to 34", 1),
                                                               ("35 to 44", 0)]
    assert age.not_stated == 4
    assert tables["Ethnic group"].reach.has_profile is False
    ward = tables["Ward"].reach
    # Park 2 of 3 stated (residents 300 of 400), Heath 1 of 3 (100 of 400)
    assert [(r.category, r.respondents, r.population) for r in ward.rows] == [
        ("Park", 2, 300), ("Heath", 1, 100)]
    assert ward.rows[0].representation == pytest.approx((2 / 3) / 0.75)
    assert ward.not_stated == 2
    assert tables["Ward"].source == ("Census 2011, summed over each ward's LSOAs; "
                                     "Census 2021 TS001")


def test_a_bad_profile_is_refused_with_its_lines(world):
    bad = b"dimension,category,population\nsex,female,10\nheight,tall,3\nsex,other,x\n"
    result = services.import_profile(world["a"]["partnership"], bad, "bad.csv")
    assert [str(e) for e in result.errors] == [
        "bad.csv: line 3: dimension 'height' is not one of age, sex, ethnicity",
        "bad.csv: line 4: category 'other' is not a sex category: female, male"]
    assert CensusProfile.objects.count() == 0


def test_export_has_one_row_per_response_and_no_contact_details(answered):
    rows = list(csv.reader(io.StringIO(export.to_csv(answered))))
    header, body = rows[0], rows[1:]
    assert len(body) == 5
    multiple = header.index("Question about multiple")
    assert body[0][multiple] == "Violence; Victims"
    assert "name" not in header and "email" not in header
    assert header[-9:][1] == "sex" and body[0][-8] == "female"


def test_export_command_writes_csv_and_xlsx(answered, tmp_path):
    target = tmp_path / "out.xlsx"
    call_command("consultation", "export", "--consultation", str(answered.pk), "--format",
                 "xlsx", "--output", str(target))
    from openpyxl import load_workbook

    sheet = load_workbook(target).active
    assert sheet.max_row == 6
    text_column = [c.value for c in sheet[1]].index("Question about text") + 1
    formula = sheet.cell(row=5, column=text_column)
    assert (formula.value, formula.data_type) == ('=HYPERLINK("x")', "s")


def test_results_are_not_public_before_close(client, answered):
    url = reverse("consultation_public_results", args=["alpha", answered.pk])
    assert client.get(url).status_code == 404
    services.change_status(answered, "closed")
    assert client.get(url).status_code == 404  # default policy: once published
    services.change_status(answered, "analysed")
    services.change_status(answered, "published")
    page = client.get(url)
    assert page.status_code == 200
    assert "Question about multiple" in page.content.decode()
    assert "HYPERLINK" not in page.content.decode()  # free text stays internal


def test_officers_see_the_results_page(client, world, answered):
    client.force_login(world["users"]["board"])
    page = client.get(reverse("consultation_results", args=["alpha", answered.pk]))
    assert page.status_code == 200
    assert "No census profile loaded for sex" in page.content.decode()
    assert SurveyQuestion.objects.count() == 7
