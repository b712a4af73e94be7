"""URL map. Internal pages live under /p/<partnership slug>/."""

from django.contrib import admin
from django.urls import include, path

from saferplaces.assessment import urls as assessment_urls
from saferplaces.committee import urls as committee_urls
from saferplaces.consultation import urls as consultation_urls
from saferplaces.core import views as core_views
from saferplaces.crime import job_views as crime_job_views
from saferplaces.crime import views as crime_views
from saferplaces.equality import urls as equality_urls
from saferplaces.governance import urls as governance_urls
from saferplaces.grants import urls as grants_urls
from saferplaces.jobs import views as job_views
from saferplaces.partnership import public_views
from saferplaces.partnership import views as partnership_views
from saferplaces.performance import job_views as performance_job_views
from saferplaces.performance import report_views
from saferplaces.performance import views as performance_views
from saferplaces.strategy import views as strategy_views
from saferplaces.workshop import urls as workshop_urls

partnership_patterns = [
    path("", strategy_views.dashboard, name="dashboard"),
    path("strategies/", strategy_views.strategy_list, name="strategy_list"),
    path("strategies/new/", strategy_views.strategy_edit, name="strategy_create"),
    path("strategies/<int:pk>/", strategy_views.strategy_detail, name="strategy_detail"),
    path("strategies/<int:pk>/edit/", strategy_views.strategy_edit, name="strategy_edit"),
    path("strategies/<int:strategy_pk>/priorities/new/", strategy_views.priority_edit,
         name="priority_create"),
    path("strategies/<int:strategy_pk>/priorities/<int:pk>/edit/", strategy_views.priority_edit,
         name="priority_edit"),
    path("priorities/<int:priority_pk>/aims/new/", strategy_views.aim_edit, name="aim_create"),
    path("priorities/<int:priority_pk>/aims/<int:pk>/edit/", strategy_views.aim_edit,
         name="aim_edit"),
    path("strategies/<int:strategy_pk>/plans/new/", strategy_views.plan_edit,
         name="plan_create"),
    path("strategies/<int:strategy_pk>/plans/<int:pk>/edit/", strategy_views.plan_edit,
         name="plan_edit"),
    path("plans/<int:pk>/", strategy_views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/export.csv", strategy_views.plan_export, name="plan_export"),
    path("plans/<int:pk>/import/", strategy_views.plan_import, name="plan_import"),
    path("plans/<int:pk>/roll-forward/", strategy_views.plan_roll_forward,
         name="plan_roll_forward"),
    path("plans/<int:pk>/compare/<int:other_pk>/", strategy_views.plan_compare,
         name="plan_compare"),
    path("plans/<int:plan_pk>/actions/new/", strategy_views.action_edit, name="action_create"),
    path("actions/<int:pk>/", strategy_views.action_detail, name="action_detail"),
    path("actions/<int:pk>/edit/", strategy_views.action_edit, name="action_edit"),
    path("actions/<int:pk>/updates/", strategy_views.action_post_update,
         name="action_post_update"),
    path("organisations/", partnership_views.organisation_list, name="organisation_list"),
    path("organisations/<int:pk>/", strategy_views.organisation_detail,
         name="organisation_detail"),
    path("organisations/new/", partnership_views.organisation_edit, name="organisation_create"),
    path("organisations/<int:pk>/edit/", partnership_views.organisation_edit,
         name="organisation_edit"),
    path("board/", partnership_views.board, name="board"),
    path("board/seats/new/", partnership_views.board_seat_edit, name="board_seat_create"),
    path("board/seats/<int:pk>/edit/", partnership_views.board_seat_edit,
         name="board_seat_edit"),
    path("board/partner-bodies/new/", partnership_views.partner_body_edit,
         name="partner_body_create"),
    path("board/partner-bodies/<int:pk>/edit/", partnership_views.partner_body_edit,
         name="partner_body_edit"),
    path("people/", partnership_views.people, name="people"),
    path("people/new/", partnership_views.person_edit, name="person_create"),
    path("people/<int:pk>/edit/", partnership_views.person_edit, name="person_edit"),
    path("linked-strategies/", strategy_views.linked_strategies, name="linked_strategies"),
    path("linked-strategies/new/", strategy_views.linked_strategy_edit,
         name="linked_strategy_create"),
    path("linked-strategies/<int:pk>/edit/", strategy_views.linked_strategy_edit,
         name="linked_strategy_edit"),
    path("settings/", partnership_views.partnership_settings, name="partnership_settings"),
    path("members/", partnership_views.members, name="members"),
    path("members/new/", partnership_views.member_add, name="member_create"),
    path("members/<int:pk>/edit/", partnership_views.member_edit, name="member_edit"),
    path("members/<int:pk>/remove/", partnership_views.member_remove, name="member_remove"),
    path("evidence/", crime_views.evidence_home, name="evidence_home"),
    path("evidence/data/", crime_job_views.crime_data, name="crime_data"),
    path("evidence/map/", crime_views.ward_map, name="ward_map"),
    path("evidence/wards/", crime_views.ward_list, name="ward_list"),
    path("evidence/wards/<str:code>/", crime_views.ward_profile, name="ward_profile"),
    path("evidence/types/<slug:slug>/", crime_views.crime_type_page, name="crime_type"),
    path("evidence/api/summary.json", crime_views.api_summary, name="api_summary"),
    path("evidence/api/change.json", crime_views.api_change, name="api_change"),
    path("evidence/api/hotspots.json", crime_views.api_hotspots, name="api_hotspots"),
    path("evidence/api/repeat-locations.json", crime_views.api_repeats, name="api_repeats"),
    path("evidence/api/outcomes.json", crime_views.api_outcomes, name="api_outcomes"),
    path("evidence/api/stop-search.json", crime_views.api_stop_search,
         name="api_stop_search"),
    path("evidence/api/wards.geojson", crime_views.api_ward_geojson, name="api_ward_geojson"),
    path("performance/", performance_views.scorecard_page, name="scorecard"),
    path("performance/scorecard.csv", performance_views.scorecard_download,
         {"file_format": "csv"}, name="scorecard_csv"),
    path("performance/scorecard.xlsx", performance_views.scorecard_download,
         {"file_format": "xlsx"}, name="scorecard_xlsx"),
    path("performance/exceptions/", performance_views.exceptions_page, name="exceptions"),
    path("performance/data-quality/", performance_views.data_quality_page,
         name="data_quality"),
    path("performance/indicators/<str:code>/", performance_views.indicator_page,
         name="indicator"),
    path("performance/indicators/<str:code>/submit/", performance_views.submit_value,
         name="indicator_submit"),
    path("performance/values/<int:pk>/review/", performance_views.review_value,
         name="value_review"),
    path("performance/reports/", report_views.report_list, name="report_list"),
    path("performance/reports/new/", report_views.report_create, name="report_create"),
    path("performance/reports/<int:pk>/", report_views.report_detail, name="report_detail"),
    path("performance/reports/<int:pk>/report.pdf", report_views.report_pdf,
         name="report_pdf"),
    path("performance/reports/<int:pk>/issue/", report_views.report_issue,
         name="report_issue"),
    path("performance/reminders/send/", performance_job_views.send_reminders,
         name="reminders_send"),
    path("jobs/", job_views.job_list, name="job_list"),
    path("jobs/<int:pk>/", job_views.job_detail, name="job_detail"),
    path("consultations/", include(consultation_urls.officer_patterns)),
    path("assessments/", include(assessment_urls.officer_patterns)),
    path("workshops/", include(workshop_urls.officer_patterns)),
    path("grants/", include(grants_urls.officer_patterns)),
    path("equality/", include(equality_urls.officer_patterns)),
    path("meetings/", include(governance_urls.officer_patterns)),
    path("committee-reports/", include(committee_urls.officer_patterns)),
]

urlpatterns = [
    path("", public_views.front_door, name="home"),
    path("health/", core_views.health, name="health"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("p/<slug:partnership>/", include(partnership_patterns)),
    path("consult/<slug:partnership>/", include(consultation_urls.public_patterns)),
]

handler403 = "saferplaces.core.errors.forbidden"
handler404 = "saferplaces.core.errors.not_found"
handler500 = "saferplaces.core.errors.server_error"
