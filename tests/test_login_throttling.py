"""Issue 9.1: repeated failed logins lock a user name out for a while (django-axes)."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

LOCKED_TEXT = b"Too many failed logins"


def _post(client, username, password, url=None, client_ip="203.0.113.7"):
    return client.post(url or reverse("login"), {"username": username, "password": password},
                       REMOTE_ADDR=client_ip)


def _fail_five_times(client, username, url=None, client_ip="203.0.113.7"):
    for _ in range(4):
        response = _post(client, username, "wrong", url, client_ip)
        assert response.status_code == 200 and LOCKED_TEXT not in response.content
    response = _post(client, username, "wrong", url, client_ip)
    assert response.status_code == 429 and LOCKED_TEXT in response.content  # the 5th locks


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def officer(db):
    return UserFactory(username="police-a")


def test_the_documented_defaults_are_five_failures_in_fifteen_minutes():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME == datetime.timedelta(minutes=15)
    assert settings.AXES_LOCKOUT_PARAMETERS == ["username", "ip_address"]


def test_four_failures_then_the_right_password_logs_in(client, officer):
    for _ in range(4):
        _post(client, "police-a", "wrong")
    response = _post(client, "police-a", PASSWORD)
    assert response.status_code == 302 and _logged_in(client)


def test_five_failures_then_the_right_password_is_refused(client, officer):
    _fail_five_times(client, "police-a")
    response = _post(client, "police-a", PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many failed logins" in page
    assert "locked after 5 failed attempts" in page and "Try again in 15 minutes" in page
    assert "Traceback" not in page
    assert not _logged_in(client)
    assert client.get(reverse("home")).status_code == 200  # still the public front door


def test_a_different_user_name_from_another_client_is_not_locked(client, officer):
    UserFactory(username="council-a")
    _fail_five_times(client, "police-a")
    response = _post(client, "council-a", PASSWORD, client_ip="198.51.100.9")
    assert response.status_code == 302 and _logged_in(client)


def test_the_user_name_is_locked_from_every_client(client, officer):
    _fail_five_times(client, "police-a")
    assert _post(client, "police-a", PASSWORD, client_ip="198.51.100.9").status_code == 429


def test_a_client_guessing_many_user_names_is_locked(client, officer):
    UserFactory(username="council-a")
    for name in ("nobody-1", "nobody-2", "nobody-3", "nobody-4", "nobody-5"):
        _post(client, name, "wrong")
    assert _post(client, "council-a", PASSWORD).status_code == 429


@override_settings(AXES_LOCKOUT_PARAMETERS=["username"])
def test_counting_by_user_name_only_leaves_other_names_from_that_client(client, officer):
    UserFactory(username="council-a")
    _fail_five_times(client, "police-a")
    response = _post(client, "council-a", PASSWORD)
    assert response.status_code == 302 and _logged_in(client)


@override_settings(SAFERPLACES_PROXY_COUNT=1)
def test_behind_a_proxy_the_client_is_the_address_the_proxy_saw(client, officer):
    UserFactory(username="council-a")
    for name in ("nobody-1", "nobody-2", "nobody-3", "nobody-4", "nobody-5"):
        client.post(reverse("login"), {"username": name, "password": "wrong"},
                    REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.7")
    # Another client behind the same proxy is not locked; the guessing one is, whatever it
    # claims in the part of the header it wrote itself.
    other = client.post(reverse("login"), {"username": "council-a", "password": PASSWORD},
                        REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.9")
    assert other.status_code == 302
    client.logout()
    same = client.post(reverse("login"), {"username": "council-a", "password": PASSWORD},
                       REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.1.1.1, 203.0.113.7")
    assert same.status_code == 429


def test_admin_login_is_locked_too(client, db):
    UserFactory(username="root", is_staff=True, is_superuser=True)
    admin_login = reverse("admin:login")
    _fail_five_times(client, "root", admin_login)
    response = _post(client, "root", PASSWORD, admin_login)
    assert response.status_code == 429 and LOCKED_TEXT in response.content
    assert not _logged_in(client)


def test_the_lockout_ends_after_fifteen_minutes(client, officer):
    _fail_five_times(client, "police-a")
    assert _post(client, "police-a", PASSWORD).status_code == 429
    AccessAttempt.objects.update(
        attempt_time=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=16))
    response = _post(client, "police-a", PASSWORD)
    assert response.status_code == 302 and _logged_in(client)


def test_the_unlock_command_lets_the_user_in(client, officer):
    _fail_five_times(client, "police-a")
    assert _post(client, "police-a", PASSWORD).status_code == 429
    call_command("axes_reset_username", "police-a")
    response = _post(client, "police-a", PASSWORD)
    assert response.status_code == 302 and _logged_in(client)


def test_an_administrator_unlocks_in_the_admin(client, officer):
    _fail_five_times(client, "police-a")
    attempt = AccessAttempt.objects.get(username="police-a")
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    listing = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert b"police-a" in listing.content
    delete = reverse("admin:axes_accessattempt_delete", args=[attempt.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    client.logout()
    response = _post(client, "police-a", PASSWORD)
    assert response.status_code == 302 and _logged_in(client)
