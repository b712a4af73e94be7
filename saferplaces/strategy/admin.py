from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from saferplaces.strategy.models import (
    Action,
    ActionPlan,
    ActionUpdate,
    Aim,
    LinkedStrategy,
    Priority,
    Strategy,
)


@admin.register(Strategy)
class StrategyAdmin(SimpleHistoryAdmin):
    list_display = ["title", "partnership", "start_date", "end_date", "status"]
    list_filter = ["partnership", "status"]


@admin.register(Priority)
class PriorityAdmin(SimpleHistoryAdmin):
    list_display = ["title", "strategy", "number"]


@admin.register(Aim)
class AimAdmin(SimpleHistoryAdmin):
    list_display = ["text", "priority", "number"]


@admin.register(LinkedStrategy)
class LinkedStrategyAdmin(SimpleHistoryAdmin):
    list_display = ["title", "owner", "partnership"]


@admin.register(ActionPlan)
class ActionPlanAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "strategy", "status", "is_illustrative"]


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "title", "plan", "lead_organisation", "status", "due_date"]
    list_filter = ["plan", "status", "lead_organisation"]
    search_fields = ["reference", "title"]


@admin.register(ActionUpdate)
class ActionUpdateAdmin(SimpleHistoryAdmin):
    list_display = ["action", "date", "status", "author"]
