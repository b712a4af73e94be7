from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from saferplaces.partnership.models import (
    BoardSeat,
    Membership,
    Organisation,
    PartnerBody,
    Partnership,
    Person,
)


@admin.register(Partnership)
class PartnershipAdmin(SimpleHistoryAdmin):
    list_display = ["name", "short_name", "slug"]
    prepopulated_fields = {"slug": ["short_name"]}


@admin.register(PartnerBody)
class PartnerBodyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "members", "partnership"]
    list_filter = ["partnership"]
    search_fields = ["name"]


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "short_name", "statutory_role", "authority_type", "partnership"]
    list_filter = ["partnership", "statutory_role"]
    search_fields = ["name", "short_name"]


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["name", "job_title", "organisation", "partnership"]
    list_filter = ["partnership"]
    search_fields = ["name", "email"]


@admin.register(BoardSeat)
class BoardSeatAdmin(SimpleHistoryAdmin):
    list_display = ["partnership", "seat_type", "office", "organisation", "holder"]
    list_filter = ["partnership", "seat_type"]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "partnership", "role", "organisation"]
    list_filter = ["partnership", "role"]
