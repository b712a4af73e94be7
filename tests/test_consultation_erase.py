"""`saferplaces consultation erase-expired`: contact details go once the retention period
after close has passed; answers and equality monitoring stay."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command

from saferplaces.consultation import services
from saferplaces.consultation.models import (
    Answer,
    ConsultationPolicy,
    EqualityMonitoring,
    QuestionKind,
    Response,
    ResponseContact,
)
from tests.consultation_data import CLOSES, make_consultation, option, question

pytestmark = pytest.mark.django_db


def respond(consultation, name: str) -> Response:
    single = question(consultation, QuestionKind.SINGLE)
    return services.save_response(
        consultation, consultation.current_version(),
        [services.ChosenAnswer(single, option(consultation, QuestionKind.SINGLE, "Yes"))],
        channel="online", consent=True, contact={"name": name, "email": "", "postcode": "",
                                                 "organisation": ""},
        equality={"sex": "male"})


@pytest.fixture
def two_consultations(world):
    """Alpha's closed on 31 Jan 2020 with 30 days' retention; beta's the same day with the
    default 365."""
    alpha = make_consultation(world["a"]["partnership"], status="closed")
    ConsultationPolicy.objects.create(partnership=world["a"]["partnership"], retention_days=30)
    beta = make_consultation(world["b"]["partnership"], status="closed")
    for consultation in (alpha, beta):
        respond(consultation, "A Resident")
        respond(consultation, "B Resident")
    return alpha, beta


def test_contact_details_past_retention_are_erased(two_consultations):
    alpha, beta = two_consultations
    # 1 March 2020 is 30 days after 31 January (2020 is a leap year): not yet past
    assert services.erase_expired(datetime.date(2020, 3, 1)) == []
    erased = services.erase_expired(datetime.date(2020, 3, 2))
    assert erased == [(alpha, 2)]
    assert ResponseContact.objects.filter(response__consultation=alpha).count() == 0
    assert ResponseContact.objects.filter(response__consultation=beta).count() == 2
    # the answers and equality monitoring stay, now anonymous
    assert Response.objects.filter(consultation=alpha).count() == 2
    assert Answer.objects.filter(response__consultation=alpha).count() == 2
    assert EqualityMonitoring.objects.filter(response__consultation=alpha).count() == 2
    assert services.erase_expired(CLOSES + datetime.timedelta(days=366)) == [(beta, 2)]


def test_the_command_erases_at_each_partnerships_date(two_consultations, world, capsys):
    alpha, beta = two_consultations
    # the partnerships are shown as at 16 November 2020: past alpha's 30 days, not beta's 365
    call_command("consultation", "erase-expired", "--dry-run")
    assert "Would erase contact details of 2 responses." in capsys.readouterr().out
    assert ResponseContact.objects.count() == 4
    call_command("consultation", "erase-expired")
    out = capsys.readouterr().out
    assert "Erased 2 respondents' contact details of Draft strategy 2020-2023 (alpha)." in out
    assert sorted(ResponseContact.objects.values_list("response__consultation", flat=True)) == [
        beta.pk, beta.pk]
