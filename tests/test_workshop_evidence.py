"""A candidate's evidence panel: its crime types' figures for the workshop's year, with the
exact test against the previous year, and the share of consultation responses raising it."""

import datetime

import pytest
from django.utils import timezone

from saferplaces.areas.models import Area, AreaLevel, AreaLink, Population
from saferplaces.consultation.models import Answer, Response, Theme
from saferplaces.core.periods import parse_period
from saferplaces.crime.models import CrimeCount, CrimeImport
from saferplaces.workshop.evidence import evidence_panels
from saferplaces.workshop.models import CandidateTopic
from tests.consultation_data import make_consultation, question
from tests.factories import PartnershipFactory
from tests.workshop_data import make_workshop

pytestmark = pytest.mark.django_db


def give_crime(partnership) -> None:
    """One ward of one LSOA (2,000 residents); burglary 10 and robbery 3 in May 2019,
    burglary 4 in May 2018."""
    district = Area.objects.create(level=AreaLevel.LAD, code="E08000031", name="District",
                                   vintage="2023")
    ward = Area.objects.create(level=AreaLevel.WARD, code="E05000001", name="Ward",
                               vintage="2023")
    lsoa = Area.objects.create(level=AreaLevel.LSOA, code="E01000001", name="LSOA",
                               vintage="2021")
    AreaLink.objects.create(child=ward, parent=district, vintage="test")
    AreaLink.objects.create(child=lsoa, parent=ward, vintage="test")
    Population.objects.create(area=lsoa, year=2019, value=2000, source="test")
    partnership.area = district
    partnership.save()
    for month, crime_type, count in [(datetime.date(2019, 5, 1), "Burglary", 10),
                                     (datetime.date(2019, 5, 1), "Robbery", 3),
                                     (datetime.date(2018, 5, 1), "Burglary", 4)]:
        batch, _ = CrimeImport.objects.get_or_create(
            force="Test Police", month=month, kind="street", source_file=f"{month}.csv")
        CrimeCount.objects.create(batch=batch, month=month, lsoa_code=lsoa.code,
                                  crime_type=crime_type, count=count)


def respond(consultation, texts_by_theme: dict[str, list[str]], untagged: int) -> None:
    version = consultation.current_version()
    free_text = question(consultation, "text")
    themes = {name: Theme.objects.create(consultation=consultation, name=name)
              for name in texts_by_theme}
    for name, texts in texts_by_theme.items():
        for text in texts:
            response = Response.objects.create(consultation=consultation, version=version,
                                               submitted_at=timezone.now())
            themes[name].answers.add(Answer.objects.create(response=response,
                                                           question=free_text, text=text))
    for _ in range(untagged):
        Response.objects.create(consultation=consultation, version=version,
                                submitted_at=timezone.now())


def test_a_panel_adds_up_its_crime_types_and_tests_the_change():
    partnership = PartnershipFactory()
    give_crime(partnership)
    workshop = make_workshop(partnership)
    both = CandidateTopic.objects.create(workshop=workshop, name="Acquisitive",
                                         crime_types=["Burglary", "Robbery"])
    found = evidence_panels(partnership, parse_period("2019/20"), [both])
    panel = found.panels[both.pk]
    assert (panel.count, panel.previous_count) == (13, 4)
    assert panel.rate == pytest.approx(13 / 2000 * 1000)
    # Exact conditional test: 13 of 17 under p0 = 1/2, two-sided binomial p = 0.049.
    assert (panel.change.current, panel.change.previous) == (13, 4)
    assert panel.change.p_value == pytest.approx(0.04904, abs=1e-5)
    assert panel.change.significant
    assert panel.harm is None  # no harm weight table loaded: said in a note
    assert any("harm" in note for note in found.notes)
    assert any(note.startswith("Hot spots not shown") for note in found.notes)


def test_a_panel_gives_the_share_of_responses_raising_its_themes():
    partnership = PartnershipFactory()
    consultation = make_consultation(partnership, status="open")
    respond(consultation, {"Youth provision": ["More for teenagers", "A youth club"],
                           "Visible policing": ["PCSOs in the park"]}, untagged=5)
    workshop = make_workshop(partnership)
    youth = CandidateTopic.objects.create(workshop=workshop, name="Youth",
                                          consultation_themes=["Youth provision"])
    nothing = CandidateTopic.objects.create(workshop=workshop, name="None")
    found = evidence_panels(partnership, parse_period("2019/20"), [youth, nothing])
    panel = found.panels[youth.pk]
    assert (panel.responses_raising, panel.responses) == (2, 8)
    assert panel.response_share == 0.25
    assert found.panels[nothing.pk].response_share is None
    assert "No street-level crime data" in found.notes[0] or "no area" in found.notes[0]
    # The consultation closed in January 2020, outside 2020/21: no responses counted then.
    later = evidence_panels(partnership, parse_period("2020/21"), [youth])
    assert later.panels[youth.pk].response_share is None
