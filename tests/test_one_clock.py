"""One clock on the dashboard and in reminders: nothing dated after the partnership's
"shown as at" date is shown as already done, and an administrator is never asked to approve
their own submissions (four eyes)."""

import datetime

import pytest
from django.urls import reverse

from saferplaces.performance import reminders
from tests.conftest import WORLD_DATE, make_partnership, make_user
from tests.factories import ActionUpdateFactory, IndicatorFactory, IndicatorValueFactory

pytestmark = pytest.mark.django_db


def test_recently_updated_leaves_out_updates_after_the_shown_as_at_date(client):
    alpha = make_partnership("alpha", "Alpha")
    admin = make_user("admin-a", alpha["partnership"], "admin")
    action = alpha["plan"].actions.create(
        reference="PV-01", title="Street lighting", lead_organisation=alpha["police"],
        due_date=datetime.date(2021, 3, 31))
    ActionUpdateFactory(action=action, author=admin, date=WORLD_DATE,
                        narrative="Lights ordered.")
    ActionUpdateFactory(action=action, author=admin,
                        date=WORLD_DATE + datetime.timedelta(days=1), narrative="Installed.")
    client.force_login(admin)
    page = client.get(reverse("dashboard", args=["alpha"])).content.decode()
    recent = page.split("<h2>Recently updated</h2>")[1]
    assert f"{WORLD_DATE.day} {WORLD_DATE:%b %Y}" in recent
    assert "17 Nov 2020" not in recent


@pytest.fixture
def two_admins(db):
    alpha = make_partnership("alpha", "Alpha")
    first = make_user("admin-1", alpha["partnership"], "admin")
    second = make_user("admin-2", alpha["partnership"], "admin")
    indicator = IndicatorFactory(partnership=alpha["partnership"], code="IP1",
                                 owner=alpha["police"])
    IndicatorValueFactory(indicator=indicator, period="2020-Q1", status="submitted",
                          submitted_by=first)
    IndicatorValueFactory(indicator=indicator, period="2020-Q2", status="submitted",
                          submitted_by=second)
    IndicatorValueFactory(indicator=indicator, period="2019-Q4", status="submitted")
    return alpha


def _approvals(username):
    digests = {d.username: d for d in reminders.build_digests(WORLD_DATE)}
    return [item.count for item in digests[username].approvals]


def test_an_administrator_is_not_asked_to_approve_their_own_submissions(two_admins):
    # three values wait; each administrator submitted one of them
    assert _approvals("admin-1") == [2]
    assert _approvals("admin-2") == [2]


def test_with_self_approval_allowed_their_own_submissions_count(two_admins):
    two_admins["partnership"].allow_self_approval = True
    two_admins["partnership"].save()
    assert _approvals("admin-1") == [3]
