"""A refused request (403) is logged as one line, not as a traceback."""

import logging

from django.urls import reverse


def refused_records(caplog):
    return [r for r in caplog.records if r.name == "django.request"]


def test_a_refused_request_is_one_log_line(world, login, caplog):
    client = login(world["users"]["board"])
    url = reverse("partnership_settings", args=["alpha"])
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get(url)
    assert response.status_code == 403
    records = refused_records(caplog)
    assert len(records) == 1
    record = records[0]
    assert record.exc_info is None and record.exc_text is None
    assert record.getMessage() == (
        f"Refused GET {url} user=board-a "
        "reason=Only partnership administrators can change this.")
    assert "Traceback" not in caplog.text
    assert len(caplog.text.strip().splitlines()) == 1


def test_a_refused_post_names_the_method(world, login, caplog):
    client = login(world["users"]["police"])
    url = reverse("partnership_settings", args=["alpha"])
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.post(url, {"name": "Taken over"}).status_code == 403
    [record] = refused_records(caplog)
    assert record.getMessage().startswith(f"Refused POST {url} user=police-a reason=")


def test_other_failures_keep_their_log(world, login, caplog):
    # A 404 is not a refusal: Django's own message stays.
    client = login(world["users"]["board"])
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get("/p/alpha/actions/999999/").status_code == 404
    assert [r.getMessage() for r in refused_records(caplog)] == [
        "Not Found: /p/alpha/actions/999999/"]
