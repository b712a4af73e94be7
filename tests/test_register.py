"""Administrators keep the register (organisations, people, board, members); others cannot."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.http import HttpRequest
from django.urls import reverse

from saferplaces.partnership.models import BoardSeat, Membership, Organisation
from tests.commands import run_command, usage_error

pytestmark = pytest.mark.django_db


def url(name, *args, slug="alpha"):
    return reverse(name, args=[slug, *args])


def test_admin_adds_organisation_with_field_errors_first(login, world):
    client = login(world["users"]["admin"])
    response = client.post(url("organisation_create"), {
        "name": "Alpha Police", "short_name": "NEW", "statutory_role": "responsible"})
    errors = response.context["form"].errors
    assert "authority_type" in errors  # a responsible authority must say which kind
    assert errors["name"] == ["Organisation with this Partnership and Name already exists."]
    response = client.post(url("organisation_create"), {
        "name": "Alpha Probation", "short_name": "PROB", "statutory_role": "responsible",
        "authority_type": "probation"})
    assert response.status_code == 302
    assert Organisation.objects.get(short_name="PROB").partnership == world["a"]["partnership"]


def test_board_seat_choices_stay_in_partnership(login, world):
    client = login(world["users"]["admin"])
    form = client.get(url("board_seat_create")).context["form"]
    names = {str(o) for o in form.fields["organisation"].queryset}
    assert names == {"Alpha Council", "Alpha Police", "Alpha Fire"}
    response = client.post(url("board_seat_create"), {
        "seat_type": "statutory", "office": "member", "organisation": world["b"]["police"].pk})
    assert "organisation" in response.context["form"].errors
    response = client.post(url("board_seat_create"), {"seat_type": "statutory",
                                                      "office": "member"})
    assert response.context["form"].errors["organisation"] == [
        "A statutory seat represents an organisation."]
    response = client.post(url("board_seat_create"), {
        "seat_type": "statutory", "office": "chair", "organisation": world["a"]["police"].pk,
        "holder": world["a"]["person"].pk})
    assert response.status_code == 302
    assert BoardSeat.objects.get().holder == world["a"]["person"]


def test_admin_adds_member_who_can_log_in(login, world, client):
    admin_client = login(world["users"]["admin"])
    response = admin_client.post(url("member_create"), {
        "username": "new-officer", "first_name": "Nia", "last_name": "Jones",
        "email": "nia@example.org", "role": "officer", "password": "short"})
    form = response.context["form"]
    assert form.errors["organisation"] == ["An organisation officer needs an organisation."]
    assert "password" in form.errors
    response = admin_client.post(url("member_create"), {
        "username": "new-officer", "first_name": "Nia", "last_name": "Jones",
        "email": "nia@example.org", "role": "officer", "organisation": world["a"]["fire"].pk,
        "password": "a-reasonable-passphrase"})
    assert response.status_code == 302
    membership = Membership.objects.get(user__username="new-officer")
    assert membership.role == "officer" and membership.organisation == world["a"]["fire"]
    admin_client.logout()
    assert client.login(request=HttpRequest(), username="new-officer",
                        password="a-reasonable-passphrase")


def test_admin_changes_role_and_removes_member_but_not_self(login, world):
    admin = world["users"]["admin"]
    client = login(admin)
    police = Membership.objects.get(user=world["users"]["police"])
    response = client.post(url("member_edit", police.pk), {"role": "viewer"})
    assert response.status_code == 302
    police.refresh_from_db()
    assert police.role == "viewer"
    assert police.history.first().history_user == admin
    own = Membership.objects.get(user=admin)
    client.post(url("member_remove", own.pk))
    assert Membership.objects.filter(pk=own.pk).exists()
    client.post(url("member_remove", police.pk))
    assert not Membership.objects.filter(pk=police.pk).exists()
    assert client.get(url("dashboard")).status_code == 200


def test_non_admins_cannot_reach_register_changes(login, world):
    police_membership = Membership.objects.get(user=world["users"]["police"])
    for role in ("police", "board"):
        client = login(world["users"][role])
        for target in [url("organisation_create"), url("person_create"),
                       url("board_seat_create"), url("linked_strategy_create"),
                       url("partnership_settings"), url("members"), url("member_create"),
                       url("member_edit", police_membership.pk)]:
            assert client.get(target).status_code == 403, (role, target)
        assert client.post(url("member_remove", police_membership.pk)).status_code == 403
    assert Membership.objects.filter(pk=police_membership.pk).exists()


def test_admin_of_other_partnership_cannot_edit_records_here(login, world):
    client = login(world["users"]["admin_b"])
    assert client.get(url("organisation_edit", world["a"]["police"].pk)).status_code == 404
    assert client.get(url("organisation_edit", world["a"]["police"].pk,
                          slug="beta")).status_code == 404


def test_people_and_linked_strategy_pages(login, world):
    client = login(world["users"]["admin"])
    response = client.post(url("linked_strategy_create"), {
        "title": "Serious Violence Strategy", "owner": "Alpha partners"})
    assert response.status_code == 302
    page = client.get(url("linked_strategies")).content.decode()
    assert "Serious Violence Strategy" in page
    assert "Pat Lead" in client.get(url("people")).content.decode()


def test_partnership_settings_change_stale_threshold(login, world):
    client = login(world["users"]["admin"])
    response = client.post(url("partnership_settings"), {
        "name": "Alpha", "short_name": "ALPHA", "update_interval_days": "30"})
    assert response.status_code == 302
    world["a"]["partnership"].refresh_from_db()
    assert world["a"]["partnership"].update_interval_days == 30


def test_createadmin_command(world):
    call_command("createadmin", "--username", "chief", "--password", "a-long-passphrase-1",
                 "--partnership", "alpha")
    membership = Membership.objects.get(user__username="chief")
    assert membership.role == "admin" and not membership.user.is_superuser
    call_command("createadmin", "--username", "root", "--password", "a-long-passphrase-2")
    assert get_user_model().objects.get(username="root").is_superuser
    exists = run_command("createadmin", "--username", "root", "--password", "a-long-passphrase-2")
    assert exists.code == 1 and "already exists" in exists.err
    assert "No partnership 'gamma'" in usage_error(
        "createadmin", "--username", "x", "--password", "a-long-passphrase-3",
        "--partnership", "gamma")
    weak = run_command("createadmin", "--username", "y", "--password", "123")
    assert weak.code == 1 and "Password refused" in weak.err
    assert "required: --username" in usage_error("createadmin", "--password", "x")
    assert not get_user_model().objects.filter(username__in=["x", "y"]).exists()


def test_password_change_and_reset(client, world):
    user = world["users"]["police"]
    assert client.login(request=HttpRequest(), username="police-a",
                        password="correct-horse-battery-staple")
    response = client.post(reverse("password_change"), {
        "old_password": "correct-horse-battery-staple",
        "new_password1": "another-long-passphrase", "new_password2": "another-long-passphrase"})
    assert response.status_code == 302
    client.post(reverse("logout"))
    response = client.post(reverse("password_reset"), {"email": user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/reset/" in line)
    path = link[link.index("/accounts/reset/"):].strip()
    page = client.get(path, follow=True)
    assert b"Set a new password" in page.content
    response = client.post(page.request["PATH_INFO"], {
        "new_password1": "third-long-passphrase", "new_password2": "third-long-passphrase"})
    assert response.status_code == 302
    assert client.login(request=HttpRequest(), username="police-a",
                        password="third-long-passphrase")


def test_login_logout_pages(client, world):
    response = client.post(reverse("login"), {"username": "police-a", "password": "wrong"})
    assert response.status_code == 200
    assert b"Please enter a correct username and password" in response.content
    response = client.post(reverse("login"), {"username": "police-a",
                                              "password": "correct-horse-battery-staple"})
    assert response.status_code == 302
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(url("dashboard")).status_code == 302
