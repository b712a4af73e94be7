from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from saferplaces.workshop.models import CandidateTopic, Criterion, Score, Scorer, Workshop


@admin.register(Workshop)
class WorkshopAdmin(SimpleHistoryAdmin):
    list_display = ["title", "partnership", "year", "date", "status"]
    list_filter = ["partnership", "status"]


@admin.register(Criterion)
class CriterionAdmin(SimpleHistoryAdmin):
    list_display = ["name", "workshop", "weight", "scale_min", "scale_max", "order"]


@admin.register(CandidateTopic)
class CandidateTopicAdmin(SimpleHistoryAdmin):
    list_display = ["name", "workshop", "chosen"]


@admin.register(Scorer)
class ScorerAdmin(SimpleHistoryAdmin):
    list_display = ["name", "workshop", "represents", "user"]


@admin.register(Score)
class ScoreAdmin(SimpleHistoryAdmin):
    list_display = ["scorer", "candidate", "criterion", "value", "source", "entered_at"]
    list_filter = ["source"]
