"""Issue 9.4: four eyes on indicator values. Nobody approves their own value unless the
partnership allows it (and then it is marked); an administrator can return an approved value
with a reason."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from saferplaces.core import periods
from saferplaces.partnership.models import Partnership
from saferplaces.performance import report, review, scorecard
from saferplaces.performance.models import IndicatorValue
from tests.conftest import make_user
from tests.factories import IndicatorFactory, IndicatorValueFactory

pytestmark = pytest.mark.django_db

QUARTER = "2020-Q3"


@pytest.fixture
def setup(world):
    a = world["a"]
    # Judged at the real date, so 2020 quarters have ended and can be submitted.
    Partnership.objects.filter(pk=a["partnership"].pk).update(shown_as_at=None)
    a["partnership"].refresh_from_db()
    indicator = IndicatorFactory(
        partnership=a["partnership"], code="RO1", name="Proven reoffending rate",
        polarity="lower", unit="percent", frequency="quarterly", owner=a["police"],
        source="submitted")
    second_admin = make_user("admin-2", a["partnership"], "admin")
    return {"indicator": indicator, "partnership": a["partnership"],
            "admin": world["users"]["admin"], "admin2": second_admin,
            "police": world["users"]["police"]}


def _submitted(setup, by, value=27.5):
    return IndicatorValueFactory(indicator=setup["indicator"], period=QUARTER, value=value,
                                 status="submitted", submitted_by=by)


def _url(name, *args):
    return reverse(name, args=["alpha", *args])


def _reasons(value):
    return [h.history_change_reason for h in value.history.order_by("history_date")]


# The rule, as a plain function


def test_the_rule_refuses_only_an_own_approval_when_self_approval_is_off():
    assert review.refusal("approve", "submitted", 7, 7, False)[0] == "own_value"
    assert review.refusal("approve", "submitted", 7, 7, True) is None
    assert review.refusal("approve", "submitted", 7, 8, False) is None
    assert review.refusal("approve", "approved", 7, 8, False)[0] == "not_submitted"
    assert review.refusal("return", "approved", 7, 7, False) is None
    assert review.refusal("return", "rejected", 7, 8, False)[0] == "not_returnable"


# The service


def test_nobody_approves_their_own_value(setup):
    value = _submitted(setup, setup["admin"])
    with pytest.raises(ValidationError) as refused:
        review.approve(value, setup["admin"])
    assert refused.value.code == "own_value"
    value.refresh_from_db()
    assert value.status == "submitted" and value.reviewed_by is None


def test_another_administrator_approves_unmarked(setup):
    value = _submitted(setup, setup["admin"])
    review.approve(value, setup["admin2"])
    value.refresh_from_db()
    assert value.status == "approved" and value.reviewed_by == setup["admin2"]
    assert value.self_approved is False
    assert _reasons(value)[-1] == "Approved"


def test_a_one_officer_partnership_may_self_approve_and_it_is_marked(setup):
    setup["partnership"].allow_self_approval = True
    setup["partnership"].save()
    value = _submitted(setup, setup["admin"])
    value.indicator.partnership.refresh_from_db()
    review.approve(value, setup["admin"])
    value.refresh_from_db()
    assert value.status == "approved" and value.self_approved is True
    assert _reasons(value)[-1] == "Approved by its submitter (self-approval allowed)"


def test_an_unmarked_approval_by_the_submitter_is_invalid(setup):
    value = IndicatorValueFactory.build(
        indicator=setup["indicator"], period=QUARTER, status="approved",
        submitted_by=setup["admin"], reviewed_by=setup["admin"], self_approved=False)
    with pytest.raises(ValidationError) as invalid:
        value.clean()
    assert invalid.value.error_dict["reviewed_by"][0].code == "self_approval_unmarked"
    value.self_approved = True
    value.clean()


def test_an_approved_value_is_returned_with_its_reason_kept(setup):
    value = _submitted(setup, setup["police"])
    review.approve(value, setup["admin"])
    with pytest.raises(ValidationError) as no_reason:
        review.return_value(value, setup["admin"], "  ")
    assert no_reason.value.code == "note_required"
    review.return_value(value, setup["admin2"], "Cohort was the wrong year.")
    value.refresh_from_db()
    assert value.status == "rejected" and not value.counts
    assert value.review_note == "Cohort was the wrong year."
    assert _reasons(value)[-2:] == ["Approved",
                                    "Returned after approval: Cohort was the wrong year."]
    card = scorecard.build(setup["partnership"], periods.parse_period(QUARTER))
    assert next(r for r in card.rows if r.indicator.code == "RO1").value is None


# Through the pages


def test_the_review_page_refuses_an_own_approval(login, setup):
    client = login(setup["admin"])
    response = client.post(_url("indicator_submit", "RO1"),
                           {"period": QUARTER, "value": "27.5", "commentary": "Refreshed."})
    assert response.status_code == 302
    value = IndicatorValue.objects.get(indicator=setup["indicator"])
    page = client.get(_url("indicator", "RO1")).content.decode()
    assert "You submitted it: another administrator approves." in page
    assert 'value="approve"' not in page
    response = client.post(_url("value_review", value.pk), {"decision": "approve"}, follow=True)
    assert "another administrator must approve it" in response.content.decode()
    value.refresh_from_db()
    assert value.status == "submitted"
    other = login(setup["admin2"])
    assert 'value="approve"' in other.get(_url("indicator", "RO1")).content.decode()
    other.post(_url("value_review", value.pk), {"decision": "approve"})
    value.refresh_from_db()
    assert value.status == "approved" and value.reviewed_by == setup["admin2"]


def test_an_administrator_returns_an_approved_value_on_its_page(login, setup):
    value = _submitted(setup, setup["police"])
    review.approve(value, setup["admin2"])
    client = login(setup["admin"])
    page = client.get(_url("indicator", "RO1")).content.decode()
    assert "Reason (needed to return)" in page
    client.post(_url("value_review", value.pk), {"decision": "return", "note": ""})
    value.refresh_from_db()
    assert value.status == "approved"
    client.post(_url("value_review", value.pk),
                {"decision": "return", "note": "Wrong cohort year."})
    value.refresh_from_db()
    assert value.status == "rejected"
    page = login(setup["police"]).get(_url("indicator", "RO1")).content.decode()
    assert "Returned after approval: Wrong cohort year." in page
    # The submitter can now correct it: the form no longer says it is already approved.
    response = login(setup["police"]).post(
        _url("indicator_submit", "RO1"),
        {"period": QUARTER, "value": "26.0", "commentary": "Right cohort."})
    assert response.status_code == 302
    value.refresh_from_db()
    assert value.status == "submitted" and value.value == 26.0


def test_the_partnership_setting_is_on_the_settings_form(login, setup):
    partnership = setup["partnership"]
    client = login(setup["admin"])
    assert "officers may approve their own values" in client.get(
        _url("partnership_settings")).content.decode().lower()
    response = client.post(_url("partnership_settings"), {
        "name": partnership.name, "short_name": partnership.short_name,
        "area_description": partnership.area_description,
        "update_interval_days": partnership.update_interval_days,
        "allow_self_approval": "on"})
    assert response.status_code == 302
    partnership.refresh_from_db()
    assert partnership.allow_self_approval is True


def test_self_approved_values_are_marked_on_the_scorecard_and_in_the_board_report(
        login, setup):
    setup["partnership"].allow_self_approval = True
    setup["partnership"].save()
    value = _submitted(setup, setup["admin"])
    value.indicator.partnership.refresh_from_db()
    review.approve(value, setup["admin"])
    client = login(setup["admin"])
    scorecard_page = client.get(_url("scorecard"), {"period": QUARTER}).content.decode()
    assert "self-approved" in scorecard_page
    indicator_page = client.get(_url("indicator", "RO1")).content.decode()
    assert "approved by its submitter" in indicator_page
    snapshot = report.build_snapshot(setup["partnership"], periods.parse_period(QUARTER))
    row = next(r for group in snapshot["scorecard"] for r in group["rows"]
               if r["code"] == "RO1")
    assert row["self_approved"] is True
    assert any(n.startswith("Self-approved values: RO1 ") for n in snapshot["labels"]["notices"])
