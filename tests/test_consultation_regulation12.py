"""The regulation 12 record: the annual public meeting duty, year by year."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from saferplaces.consultation.models import PublicMeeting
from saferplaces.consultation.regulation12 import MeetingFacts, duty_by_year

AUTHORITIES = ["Council", "Police", "Fire"]


def meeting(day, notice=True, summary=True, attended=("Council", "Police", "Fire"),
            title="Annual meeting") -> MeetingFacts:
    return MeetingFacts(day, title, notice, summary, frozenset(attended))


def test_a_year_is_met_by_one_complete_meeting():
    duties = duty_by_year(
        [meeting(datetime.date(2019, 6, 1), attended=("Council",), title="June"),
         meeting(datetime.date(2020, 2, 1), title="February"),
         meeting(datetime.date(2020, 7, 1), summary=False, attended=("Council", "Police"),
                 title="July")],
        AUTHORITIES, datetime.date(2019, 6, 1), datetime.date(2021, 5, 1))
    assert [(d.year.code, d.met) for d in duties] == [
        ("2021/22", False), ("2020/21", False), ("2019/20", True)]
    assert duties[0].missing == ["No public meeting held"]
    assert duties[1].missing == ["July: no summary published",
                                 "July: no senior representative of Fire"]
    assert duties[2].missing == []


@pytest.mark.django_db
def test_the_page_shows_each_year(client, world):
    a = world["a"]
    held = PublicMeeting.objects.create(partnership=a["partnership"], title="Annual meeting",
                                        held_on=datetime.date(2020, 6, 1),
                                        notice_published_on=datetime.date(2020, 5, 1))
    held.senior_attendance.set([a["council"], a["police"]])
    client.force_login(world["users"]["board"])
    body = client.get(reverse("public_meetings", args=["alpha"])).content.decode()
    # alpha is shown as at 16 November 2020: one year, 2020/21
    assert "2020/21" in body and "Not met" in body
    assert "Annual meeting: no summary published" in body
    assert "no senior representative of Alpha Fire" in body
    assert client.get(reverse("public_meeting_create", args=["alpha"])).status_code == 403
    client.force_login(world["users"]["admin"])
    got = client.post(reverse("public_meeting_edit", args=["alpha", held.pk]), {
        "title": "Annual meeting", "held_on": "2020-06-01", "notice_published_on": "2020-07-01",
        "senior_attendance": [a["council"].pk]})
    assert "A notice is published before the meeting" in got.content.decode()
