"""Equality analyses: the nine characteristics, the database rules and the summary text."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from saferplaces.equality.models import Characteristic, EqualityAnalysis, EqualityImpact
from saferplaces.equality.summary import equality_summary, summary_text

pytestmark = pytest.mark.django_db


def test_the_nine_protected_characteristics_of_the_act():
    assert [label for _, label in Characteristic.choices] == [
        "Age", "Disability", "Gender reassignment", "Marriage and civil partnership",
        "Pregnancy and maternity", "Race", "Religion or belief", "Sex", "Sexual orientation"]


def test_summary_text_names_each_impact_in_plain_english():
    text = summary_text(
        "Community safety strategy 2020-2023", "The strategy targets those most at risk",
        [("Age", "positive", ""), ("Disability", "neutral", ""), ("Race", "positive", ""),
         ("Sex", "negative", "Women-only services are commissioned."),
         ("Religion or belief", "unknown", ""), ("Sexual orientation", "unknown", "")],
        "Lynsey Kelly, Head of Communities", datetime.date(2020, 9, 1))
    assert text == (
        "An equality analysis, “Community safety strategy 2020-2023”, has been undertaken and "
        "was signed off by Lynsey Kelly, Head of Communities on 1 September 2020. "
        "The strategy targets those most at risk. "
        "A positive impact is expected for age and race. "
        "No differential impact is expected for disability. "
        "A negative impact was identified for sex; mitigation: Women-only services are "
        "commissioned. "
        "The impact for religion or belief and sexual orientation is not yet known.")


def test_summary_text_of_an_unsigned_analysis_with_no_negative_impact():
    text = summary_text("Plan 2021/22", "", [("Age", "neutral", "")])
    assert text == ("An equality analysis, “Plan 2021/22”, has been undertaken; it has not yet "
                    "been signed off. No differential impact is expected for age. "
                    "No negative impact was identified.")


def test_equality_summary_reads_every_characteristic(world):
    analysis = EqualityAnalysis.objects.create(partnership=world["a"]["partnership"],
                                               title="Strategy EqIA")
    EqualityImpact.objects.create(analysis=analysis, characteristic="race", impact="positive",
                                  evidence="Consultation targeted diverse communities.")
    summary = equality_summary(analysis)
    assert [row["label"] for row in summary["impacts"]][:3] == [
        "Age", "Disability", "Gender reassignment"]
    assert summary["counts"] == {"positive": 1, "neutral": 0, "negative": 0, "unknown": 8}
    assert summary["signed_off"] is False
    assert "A positive impact is expected for race." in summary["text"]


def test_a_negative_impact_without_mitigation_is_refused_by_the_database(world):
    analysis = EqualityAnalysis.objects.create(partnership=world["a"]["partnership"],
                                               title="EqIA")
    with pytest.raises(IntegrityError), transaction.atomic():
        EqualityImpact.objects.create(analysis=analysis, characteristic="age",
                                      impact="negative")


def test_a_sign_off_needs_both_who_and_when(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        EqualityAnalysis.objects.create(partnership=world["a"]["partnership"], title="EqIA",
                                        signed_off_on=datetime.date(2020, 9, 1))
