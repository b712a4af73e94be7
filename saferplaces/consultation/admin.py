from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from saferplaces.consultation.models import (
    ChannelResponse,
    Consultation,
    ConsultationDocument,
    ConsultationPolicy,
    Distribution,
    QuestionOption,
    Response,
    SurveyQuestion,
    SurveySection,
    SurveyVersion,
)


@admin.register(Consultation)
class ConsultationAdmin(SimpleHistoryAdmin):
    list_display = ["title", "partnership", "opens_on", "closes_on", "status"]
    list_filter = ["partnership", "status"]


@admin.register(ConsultationPolicy)
class ConsultationPolicyAdmin(SimpleHistoryAdmin):
    list_display = ["partnership", "minimum_weeks", "retention_days"]


@admin.register(ChannelResponse)
class ChannelResponseAdmin(SimpleHistoryAdmin):
    list_display = ["name", "consultation", "channel", "held_on"]


@admin.register(Distribution)
class DistributionAdmin(SimpleHistoryAdmin):
    list_display = ["recipient", "consultation", "method", "sent_on"]


class OptionInline(admin.TabularInline):
    model = QuestionOption
    extra = 0


@admin.register(SurveyQuestion)
class SurveyQuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "section", "kind", "required"]
    inlines = [OptionInline]


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    """Read-mostly: answers are changed through the survey, never here."""

    list_display = ["reference", "consultation", "channel", "submitted_at"]
    list_filter = ["channel"]


admin.site.register([ConsultationDocument, SurveyVersion, SurveySection])
