from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from saferplaces.governance.models import ActionArising, AgendaItem, Attendance, Body, Meeting


@admin.register(Body)
class BodyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "partnership", "kind", "quorum_number", "quorum_of"]


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["body", "date", "status"]
    list_filter = ["status"]


@admin.register(AgendaItem)
class AgendaItemAdmin(SimpleHistoryAdmin):
    list_display = ["meeting", "number", "title"]


@admin.register(Attendance)
class AttendanceAdmin(SimpleHistoryAdmin):
    list_display = ["meeting", "seat", "status"]


@admin.register(ActionArising)
class ActionArisingAdmin(SimpleHistoryAdmin):
    list_display = ["description", "meeting", "due_date", "status"]
