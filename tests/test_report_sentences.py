"""Each board report section opens with one plain-English sentence built from its figures
(performance/report_sentences.py), in the HTML and in the PDF."""

import re
import subprocess

import pytest

from saferplaces.performance import report, report_sentences
from tests import test_board_report
from tests.test_board_report import PERIOD, TODAY

north = test_board_report.north  # the board report's partnership fixture


@pytest.mark.parametrize(("counts", "sentence"), [
    ({"green": 5, "amber": 3, "red": 2, "none": 4},
     "Of 14 indicators, 5 are on target (green), 3 are close to target (amber) and 2 are off "
     "target (red); 4 have no target or no value to judge by."),
    ({"green": 1, "amber": 0, "red": 1, "none": 0},
     "Of 2 indicators, 1 is on target (green) and 1 is off target (red)."),
    ({"green": 0, "amber": 1, "red": 0, "none": 1},
     "Of 2 indicators, 1 is close to target (amber); 1 has no target or no value to judge by."),
    ({"green": 0, "amber": 0, "red": 0, "none": 3},
     "None of the 3 indicators can be rated: none has both a value and a target for the "
     "period."),
])
def test_scorecard_sentence(counts, sentence):
    assert report_sentences.scorecard_sentence(counts) == sentence


def test_exceptions_sentence():
    rows = [{"code": "VC1", "name": "Violent crimes"}, {"code": "RO1", "name": "Reoffending"},
            {"code": "DA2", "name": "Repeat domestic abuse"}]
    assert report_sentences.exceptions_sentence(rows) == (
        "3 indicators need the board's attention, being red or significantly worse than a "
        "year before: VC1 Violent crimes, RO1 Reoffending and DA2 Repeat domestic abuse.")
    assert report_sentences.exceptions_sentence(rows[:1]) == (
        "1 indicator needs the board's attention, being red or significantly worse than a "
        "year before: VC1 Violent crimes.")
    assert report_sentences.exceptions_sentence([]) == (
        "No indicator needs the board's attention this period: none is red or significantly "
        "worse than a year before.")


def test_actions_sentence():
    progress = {"plan": {"label": "Action plan 2020/21"}, "total": 1204,
                "totals": {"complete": 1, "on_track": 1203}, "overdue": [{}, {}],
                "completed": [{}], "as_at": "15 February 2021"}
    assert report_sentences.actions_sentence(progress) == (
        "Of the 1,204 actions in Action plan 2020/21, 1 is complete and 2 were overdue at "
        "15 February 2021; 1 was completed in the period.")
    assert report_sentences.actions_sentence({**progress, "plan": None}) is None


def _rows(*judgements):
    return [{"code": f"I{n}", "name": f"Indicator {n}", "short_term_judgement": j}
            for n, j in enumerate(judgements, start=1)]


def test_trends_sentence():
    assert report_sentences.trends_sentence(
        _rows("improving", "improving", "worsening", "", ""), "quarter") == (
        "Of the 5 performance indicators charted, 2 improved on the previous quarter, 1 got "
        "worse and 2 did not change or had no earlier value to compare.")
    assert report_sentences.trends_sentence(_rows("worsening", "worsening"), "month") == (
        "Of the 2 performance indicators charted, 2 got worse.")
    assert report_sentences.trends_sentence(_rows("improving"), "quarter") == (
        "I1 Indicator 1, the only performance indicator charted, improved on the previous "
        "quarter.")
    assert report_sentences.trends_sentence([], "quarter") == (
        "No performance indicator has values to chart yet.")


def test_evidence_sentence():
    mix = [{"label": "Burglary", "value": 1200}, {"label": "Violence and sexual offences",
                                                   "value": 3410},
           {"label": "Other theft", "value": 3202}]
    assert report_sentences.evidence_sentence("Wolverhampton", "Oct–Dec 2020", mix) == (
        "In Oct–Dec 2020, 7,812 crimes were recorded in Wolverhampton; the most common type "
        "was violence and sexual offences (3,410, 44% of them).")
    assert report_sentences.evidence_sentence("Wolverhampton", "Oct–Dec 2020", []) is None
    with_asb = [*mix, {"label": "Anti-social behaviour", "value": 1133}]
    assert report_sentences.evidence_sentence("Wolverhampton", "Oct–Dec 2020", with_asb) == (
        "In Oct–Dec 2020, 8,945 crimes and anti-social behaviour incidents were recorded in "
        "Wolverhampton; the most common type was violence and sexual offences (3,410, 38% of "
        "them).")


NORTH_SENTENCES = [
    "Of 2 indicators, 1 is off target (red); 1 has no target or no value to judge by.",
    "1 indicator needs the board's attention, being red or significantly worse than a year "
    "before: VC1 Violent crimes.",
    "VC1 Violent crimes, the only performance indicator charted, got worse than the previous "
    "quarter.",
]


@pytest.mark.django_db
def test_each_section_opens_with_its_sentence_in_the_html_and_the_pdf(north):
    """North's figures (tests/test_board_report.py): VC1 red at 130 against 100 and up from 98;
    CX1 contextual with no target; 3 actions, PV-03 complete on 15 November 2020, PV-02 due
    30 November 2020 and so overdue at the report's date."""
    snapshot = report.build_snapshot(north["partnership"], PERIOD, today=TODAY)
    plan = snapshot["actions"]["plan"]["label"]
    actions = (f"Of the 3 actions in {plan}, 1 is complete and 1 was overdue at 20 January "
               "2021; 1 was completed in the period.")
    html = report.render_html(snapshot)
    for section, sentence in zip(("scorecard", "exceptions", "actions", "trends"),
                                 [NORTH_SENTENCES[0], NORTH_SENTENCES[1], actions,
                                  NORTH_SENTENCES[2]], strict=True):
        opening = re.search(rf'<section[^>]*id="{section}">\s*<h2>[^<]*</h2>\s*'
                            r'<p class="lead">([^<]*)</p>', html)
        assert opening, section
        assert opening.group(1).replace("&#x27;", "'") == sentence
    assert snapshot["sentences"]["evidence"] is None  # North has no area, so no evidence
    text = subprocess.run(["pdftotext", "-", "-"], input=report.render_pdf(html),
                          capture_output=True, check=True).stdout.decode()
    text = " ".join(text.split()).replace("’", "'")
    for sentence in [*NORTH_SENTENCES, actions]:
        assert sentence in text
