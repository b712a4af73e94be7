"""Grant pages: who may do what, the money rules as form errors, and the return to the
funder adding up to the penny (page, CSV and PDF)."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from saferplaces.grants.forms import AllocationForm, save_guarded
from saferplaces.grants.models import Allocation, Grant, Spend
from saferplaces.grants.permissions import can_edit_grants
from saferplaces.partnership.access import membership_for
from saferplaces.strategy.models import ActionUpdate

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(name, args=["alpha", *args])


@pytest.fixture
def grant(world):
    return Grant.objects.create(partnership=world["a"]["partnership"], title="PCC grant 2020-21",
                                funder="Police and Crime Commissioner", year=2020,
                                amount=Decimal("150000.00"), ring_fence="Community safety")


@pytest.fixture
def spent_grant(world, grant):
    """Three allocations and four spend lines whose sums are worked out by hand below."""
    a = world["a"]
    police = Allocation.objects.create(grant=grant, action=a["police_action"],
                                       amount=Decimal("45000.00"))
    fire = Allocation.objects.create(grant=grant, action=a["fire_action"],
                                     amount=Decimal("12345.67"))
    project = Allocation.objects.create(grant=grant, project_name="Youth outreach",
                                        provider="Base 25", amount=Decimal("30000.01"))
    for allocation, day, amount in [(police, 5, "10000.10"), (police, 9, "2500.45"),
                                    (fire, 7, "12345.67"), (project, 11, "0.99")]:
        Spend.objects.create(allocation=allocation, spent_on=datetime.date(2020, day, 1),
                             amount=Decimal(amount), description=f"Invoice {day}")
    ActionUpdate.objects.create(action=a["police_action"], author=world["users"]["police"],
                                date=datetime.date(2020, 10, 1), status="on_track",
                                narrative="Two knife arches bought.")
    # after the partnership's "today" (16 November 2020): not in the return
    ActionUpdate.objects.create(action=a["police_action"], author=world["users"]["police"],
                                date=datetime.date(2020, 12, 1), status="at_risk",
                                narrative="Written later.")
    return grant


def test_editable_rows_agree_with_the_permission_for_every_role(world, grant):
    for name, user in world["users"].items():
        membership = membership_for(user, world["a"]["partnership"])
        expected = can_edit_grants(membership)
        assert Grant.objects.editable_by(user).filter(pk=grant.pk).exists() == expected, name
    assert can_edit_grants(membership_for(world["users"]["police"], grant.partnership))
    assert not can_edit_grants(membership_for(world["users"]["board"], grant.partnership))


def test_an_officer_creates_a_grant_and_a_board_member_only_reads(world, client):
    client.force_login(world["users"]["police"])
    response = client.post(url("grant_create"), {
        "title": "Home Office grant", "funder": "Home Office", "year": "2020",
        "amount": "1000.50", "ring_fence": "", "conditions": "", "reference": "",
        "illustrative_note": ""})
    grant = Grant.objects.get(title="Home Office grant")
    assert response.status_code == 302
    assert grant.amount == Decimal("1000.50")
    client.force_login(world["users"]["board"])
    assert client.get(url("grant_detail", grant.pk)).status_code == 200
    assert client.get(url("grant_edit", grant.pk)).status_code == 403
    assert client.post(url("allocation_create", grant.pk), {}).status_code == 403


def test_an_allocation_over_what_is_left_is_refused_next_to_the_amount(world, client, grant):
    Allocation.objects.create(grant=grant, project_name="First", amount=Decimal("149000.00"))
    client.force_login(world["users"]["admin"])
    response = client.post(url("allocation_create", grant.pk), {
        "project_name": "Second", "provider": "", "amount": "1000.01", "note": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["amount"] == [
        "Only £1,000.00 of the £150,000.00 grant is left to allocate."]
    assert Allocation.objects.count() == 1


def test_an_allocation_needs_an_action_or_a_project(world, client, grant):
    client.force_login(world["users"]["admin"])
    response = client.post(url("allocation_create", grant.pk), {"amount": "10"})
    assert "action" in response.context["form"].errors


def test_spend_over_the_allocation_is_refused_and_lowering_the_grant_too(world, client,
                                                                        spent_grant):
    client.force_login(world["users"]["admin"])
    fire = Allocation.objects.get(action=world["a"]["fire_action"])
    response = client.post(url("spend_create", fire.pk), {
        "spent_on": "2020-12-01", "amount": "0.01", "description": "More"})
    assert response.context["form"].errors["amount"] == [
        "Only £0.00 of the £12,345.67 allocation is left to spend."]
    response = client.post(url("grant_edit", spent_grant.pk), {
        "title": spent_grant.title, "funder": spent_grant.funder, "year": "2020",
        "amount": "87345.67"})
    assert response.context["form"].errors["amount"] == [
        "Allocations already add up to £87,345.68; lower them before lowering the grant."]


def test_a_database_refusal_the_form_missed_becomes_a_form_error(world, grant):
    form = AllocationForm({"project_name": "Late", "amount": "100000.00"}, grant=grant)
    assert form.is_valid()
    # someone else allocates in the meantime
    Allocation.objects.create(grant=grant, project_name="Quick", amount=Decimal("60000.00"))
    assert save_guarded(form) is None
    assert form.errors["amount"][0].startswith("The allocations would add up to more than")
    assert Allocation.objects.count() == 1


def test_the_return_adds_up_to_the_penny(world, client, spent_grant):
    client.force_login(world["users"]["board"])
    response = client.get(url("grant_return_csv", spent_grant.pk))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    by_what = {row[0]: row for row in rows[1:]}
    # worked by hand: allocated 45,000.00 + 12,345.67 + 30,000.01 = 87,345.68;
    # spent 10,000.10 + 2,500.45 + 12,345.67 + 0.99 = 24,847.21
    assert by_what["PV-01 Action PV-01"][3:6] == ["45000.00", "12500.55", "32499.45"]
    assert by_what["PV-01 Action PV-01"][6:10] == ["On track", "0", "2020-10-01",
                                                  "Two knife arches bought."]
    assert by_what["PV-02 Action PV-02"][3:6] == ["12345.67", "12345.67", "0.00"]
    assert by_what["PV-02 Action PV-02"][9] == "No update yet"
    assert by_what["Youth outreach (Base 25)"][2:7] == [
        "Base 25", "30000.01", "0.99", "29999.02", "Commissioned project"]
    assert by_what["Total allocated"][3:6] == ["87345.68", "24847.21", "62498.47"]
    assert by_what["Not allocated"][3] == "62654.32"
    assert by_what["Grant"][3:6] == ["150000.00", "24847.21", "125152.79"]

    page = client.get(url("grant_return", spent_grant.pk)).content.decode()
    assert "£87,345.68" in page and "£24,847.21" in page and "£62,654.32" in page


def test_the_return_prints_as_a_pdf(world, client, spent_grant):
    client.force_login(world["users"]["board"])
    response = client.get(url("grant_return_pdf", spent_grant.pk))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_pages_show_figures_and_empty_states(world, client, spent_grant):
    client.force_login(world["users"]["board"])
    page = client.get(url("grant_list")).content.decode()
    assert "PCC grant 2020-21" in page and "£62,654.32" in page
    page = client.get(url("grant_detail", spent_grant.pk)).content.decode()
    assert "Youth outreach (Base 25)" in page and "Edit the grant" not in page
    Grant.objects.all().delete()
    assert "No grant has been recorded yet." in client.get(url("grant_list")).content.decode()
