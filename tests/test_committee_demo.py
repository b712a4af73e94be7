"""The demo's committee report is the founding report: rendered as Word and PDF it carries
every section heading, the recommendations, the five dates of its route and the two
clearance codes, and its sections 3-8 draw the founding report's words from the strategy and
consultation records. Expected text is typed from ../shared/guide/founding-report.md."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
from django.core.management import call_command

from saferplaces.committee import report as document
from saferplaces.committee.models import CommitteeReport, ReportParagraph

pytestmark = pytest.mark.django_db

HEADINGS = [
    "1.0 Purpose", "2.0 Background", "3.0 Agreeing Priorities",
    "4.0 Overarching Priorities - Reducing Offending",
    "5.0 Overarching Priorities - Preventing Violence",
    "6.0 Overarching Priorities – Harm Reduction",
    "7.0 Overarching Priorities - Building Community Capacity", "8.0 Consultation",
    "9.0 Evaluation of alternative options", "10.0 Reasons for decision",
    "11.0 Financial Implications", "12.0 Legal Implications", "13.0 Equalities implications",
    "14.0 Climate Change and environmental implications",
    "15.0 Health and Wellbeing Implications", "16.0 Covid-19 Implications",
    "17.0 Human resources implications", "18.0 Corporate Landlord implications",
    "19.0 Schedule of Background papers",
]
RECOMMENDATIONS = [
    "Endorse the Safer Wolverhampton Partnership (SWP) Community Safety and Harm Reduction "
    "Strategy (2020-2023).",
    "Collaborate with SWP where possible to strengthen the City response to crime and harm "
    "reduction.",
]
ROUTE = [("Public Health Leadership Team", "5 November 2019"),
         ("Scrutiny Board", "28 January 2020"),
         ("Senior Executive Board", "5 February 2020"),
         ("Safer Wolverhampton Partnership Board", "22 May 2020"),
         ("Full Council", "16 September 2020")]
CODES = ["[JB/29092020/G]", "[SB/24092020/D]"]
# Sections 3-8: the founding report's words that the demo draws from its strategy (priorities
# and aims) and consultation (channels and distribution) records, not from the report's text.
LIVE_EXCERPTS = [
    "Reducing offending", "Preventing violence", "Reducing harm", "Building community capacity",
    "Reduce adult and youth offending",
    "Effective management of high volume/risk offenders",
    "Influence implementation and delivery of the West Midlands Violence Reduction Unit to "
    "ensure that it meets local need",
    "Increase reporting of under-reported crimes",
    "Recognition that reducing harm is everyone's business",
    "Strengthen community cohesion",
    "An online survey",
    "Community Partners and Communities Together (PACT) meetings across all Wards",
    "Wolverhampton Domestic Violence Forum Executive Board", "The Haven Wolverhampton",
    "All Councillor in-boxes and copies made available in members lounge",
    "CWC staff, using City People", "Third Sector Providers",
]
# Sections 3-8 as written in the report's paragraphs.
TEXT_EXCERPTS = [
    "Priorities for 2020-2023 were determined during an independently facilitated workshop "
    "held in June 2019.",
    "The following overarching priorities were agreed:",
    "This joint strategy will allow the Black Country to attract additional resources",
    "whilst the Interpersonal Violence Strategy continues to deliver against the priority to "
    "tackle domestic abuse",
    "This included the development of a modern slavery pathway, hate crime microsite",
    "Consultation for the draft strategy ran for a 12-week period to comply with "
    "Wolverhampton's compact agreement.",
    "The Consultation was also distributed to:",
]


@pytest.fixture
def founding(db) -> CommitteeReport:
    call_command("demo", "--password", "a-long-demo-password", "--skip-evidence")
    return CommitteeReport.objects.get(partnership__slug="swp")


def docx_text(content: bytes) -> tuple[list[str], str]:
    """The Word document's headings, and all its text (paragraphs and table cells)."""
    import docx

    read = docx.Document(io.BytesIO(content))
    headings = [p.text for p in read.paragraphs if p.style.name.startswith("Heading")]
    cells = [cell.text for table in read.tables for row in table.rows for cell in row.cells]
    return headings, "\n".join([p.text for p in read.paragraphs] + cells)


def pdf_text(content: bytes, tmp_path) -> str:
    source = tmp_path / "report.pdf"
    source.write_bytes(content)
    text = subprocess.run(["pdftotext", "-layout", str(source), "-"], check=True,
                          capture_output=True, text=True).stdout
    return re.sub(r"\s+", " ", text)


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_the_founding_report_is_issued_with_its_header_and_route(founding):
    assert founding.is_issued and founding.committee == "Health and Wellbeing Together"
    assert founding.snapshot["meeting"]["text"] == "21 October 2020"
    assert [(s["body"], s["text"]) for s in founding.snapshot["route"]] == ROUTE
    assert dict(founding.snapshot["header"])["Accountable director"] == (
        "John Denley, Director of Public Health")


def test_the_word_document_carries_the_founding_report(founding):
    headings, text = docx_text(document.output(founding, "docx").content)
    assert [h for h in headings if h[0].isdigit()] == HEADINGS
    text = flat(text)
    for expected in RECOMMENDATIONS + CODES + LIVE_EXCERPTS + TEXT_EXCERPTS:
        assert expected in text, expected
    for body, day in ROUTE:
        assert f"{body}: {day}" in text
    assert "Lynsey Kelly, Head of Communities" in text and "Tel 01902 5550042" in text
    assert "This report is PUBLIC" in text and "[NOT PROTECTIVELY MARKED]" in text


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler's pdftotext")
def test_the_pdf_carries_the_founding_report(founding, tmp_path):
    text = pdf_text(document.output(founding, "pdf").content, tmp_path)
    for expected in HEADINGS + RECOMMENDATIONS + CODES + LIVE_EXCERPTS + TEXT_EXCERPTS:
        assert flat(expected) in text, expected
    for body, day in ROUTE:
        assert f"{body}: {day}" in text
    assert "4.3 The Community Safety and Harm Reduction Strategy outlines what SWP" in text


def test_sections_3_to_8_draw_on_the_records(founding):
    live = ReportParagraph.objects.filter(section__report=founding).exclude(live_content="")
    assert sorted(live.values_list("live_content", "live_option")) == [
        ("consultation_channels", ""), ("consultation_distribution", ""),
        ("equality_summary", ""), ("grant_figures", ""),
        ("priority_aims", "1"), ("priority_aims", "2"), ("priority_aims", "3"),
        ("priority_aims", "4"), ("strategy_priorities", "")]
    # The aims' words are nowhere in the report's own paragraphs: they come from the strategy.
    assert not ReportParagraph.objects.filter(section__report=founding,
                                              text__contains="Reduce adult").exists()
    sections = {s["number"]: s for s in founding.snapshot["sections"]}
    priorities = sections["3"]["paragraphs"][2]
    assert priorities == {"number": "3.3", "blocks": [
        {"text": "The following overarching priorities were agreed:"},
        {"bullets": ["Reducing offending", "Preventing violence", "Reducing harm",
                     "Building community capacity"]}]}
    distributed = sections["8"]["paragraphs"][3]
    assert distributed["number"] == ""  # unnumbered, as in the founding report


def test_the_command_writes_the_frozen_report(founding, tmp_path):
    target = tmp_path / "founding.docx"
    call_command("report", "committee", "--id", str(founding.pk), "--format", "docx",
                 "--output", str(target))
    founding.refresh_from_db()
    assert target.read_bytes() == bytes(founding.docx)  # made on first use, then stored
    assert document.output(founding, "docx").content == target.read_bytes()


def test_the_grant_and_equality_paragraphs_draw_on_their_records(founding):
    """11.2 (the PCC grant) and 13.5 (the equality analysis) are filled from the demo's
    grant and equality analysis, which the report names; their figures and words are in no
    paragraph of the report's own."""
    from decimal import Decimal

    from saferplaces.core.numbers import format_money
    from saferplaces.demo import equality as demo_equality
    from saferplaces.demo import grants as demo_grants
    from saferplaces.equality.summary import equality_summary
    from saferplaces.grants.models import Grant

    assert founding.grant.title == demo_grants.TITLE
    assert founding.equality_analysis.title == demo_equality.TITLE
    own = ReportParagraph.objects.filter(section__report=founding)
    assert not own.filter(text__contains="150,000").exists()
    assert not own.filter(text__contains="data-informed approach").exists()
    sections = {s["number"]: s for s in founding.snapshot["sections"]}
    grant_paragraph = sections["11"]["paragraphs"][1]
    assert grant_paragraph["number"] == "11.2"
    lead, figures = grant_paragraph["blocks"][:2]
    assert lead["text"].startswith("Wolverhampton's grant allocation from the Police and "
                                   "Crime Commissioner (PCC) for 2020-2021")
    assert (f"{format_money(founding.grant.amount)} (ring-fence: The PCC allocation has been "
            "ringfenced for Community Safety use by Safer Wolverhampton Partnership (SWP) "
            "in line with conditions of grant)") in figures["text"]
    assert format_money(Decimal("150000")) in figures["text"]  # the founding report's figure
    equality = sections["13"]["paragraphs"][4]
    assert equality["number"] == "13.5"
    assert equality["blocks"] == [{"text": equality_summary(founding.equality_analysis)["text"]}]
    assert ("The strategy recognises this and uses a data-informed approach to target "
            "interventions and support to those most at risk") in equality["blocks"][0]["text"]
    # A draft drawn now reads the grant record as it is: the amount is the record's.
    Grant.objects.filter(pk=founding.grant_id).update(amount=Decimal("175000.00"))
    fresh = CommitteeReport.objects.get(pk=founding.pk)
    redrawn = {s["number"]: s for s in document.build_snapshot(fresh)["sections"]}
    assert "£175,000.00" in redrawn["11"]["paragraphs"][1]["blocks"][1]["text"]
