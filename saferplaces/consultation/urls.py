"""Consultation routes: officer pages (under /p/<slug>/consultations/) and public pages
(under /consult/<slug>/)."""

from django.urls import path

from saferplaces.consultation import public_views, views

officer_patterns = [
    path("", views.consultation_list, name="consultation_list"),
    path("new/", views.consultation_edit, name="consultation_create"),
    path("settings/", views.consultation_policy, name="consultation_policy"),
    path("public-meetings/", views.public_meetings, name="public_meetings"),
    path("public-meetings/new/", views.public_meeting_edit, name="public_meeting_create"),
    path("public-meetings/<int:pk>/edit/", views.public_meeting_edit,
         name="public_meeting_edit"),
    path("<int:pk>/", views.consultation_detail, name="consultation_detail"),
    path("<int:pk>/edit/", views.consultation_edit, name="consultation_edit"),
    path("<int:pk>/status/", views.consultation_status, name="consultation_status"),
    path("<int:pk>/documents/new/", views.document_create, name="consultation_document_create"),
    path("<int:pk>/sections/new/", views.section_edit, name="consultation_section_create"),
    path("<int:pk>/sections/<int:section_pk>/edit/", views.section_edit,
         name="consultation_section_edit"),
    path("<int:pk>/sections/<int:section_pk>/questions/new/", views.question_edit,
         name="consultation_question_create"),
    path("<int:pk>/sections/<int:section_pk>/questions/<int:question_pk>/edit/",
         views.question_edit, name="consultation_question_edit"),
    path("<int:pk>/questions/<int:question_pk>/move/", views.question_move,
         name="consultation_question_move"),
    path("<int:pk>/distribution/new/", views.distribution_create,
         name="consultation_distribution_create"),
    path("<int:pk>/meetings/new/", views.meeting_edit, name="consultation_meeting_create"),
    path("<int:pk>/meetings/<int:meeting_pk>/edit/", views.meeting_edit,
         name="consultation_meeting_edit"),
    path("<int:pk>/responses/", views.response_list, name="consultation_responses"),
    path("<int:pk>/responses/new/", views.paper_response, name="consultation_paper_response"),
    path("<int:pk>/results/", views.consultation_results, name="consultation_results"),
    path("<int:pk>/responses.csv", views.consultation_export, {"file_format": "csv"},
         name="consultation_export_csv"),
    path("<int:pk>/responses.xlsx", views.consultation_export, {"file_format": "xlsx"},
         name="consultation_export_xlsx"),
    path("<int:pk>/report.html", views.consultation_report, {"file_format": "html"},
         name="consultation_report_html"),
    path("<int:pk>/report.pdf", views.consultation_report, {"file_format": "pdf"},
         name="consultation_report_pdf"),
    path("<int:pk>/themes/", views.theme_list, name="consultation_themes"),
    path("<int:pk>/themes/tagging/", views.theme_tagging, name="consultation_tagging"),
    path("<int:pk>/you-said-we-did/", views.you_said_list, name="consultation_you_said"),
    path("<int:pk>/you-said-we-did/new/", views.you_said_edit,
         name="consultation_you_said_create"),
    path("<int:pk>/you-said-we-did/<int:item_pk>/edit/", views.you_said_edit,
         name="consultation_you_said_edit"),
]

public_patterns = [
    path("", public_views.public_list, name="consultation_public_list"),
    path("<int:pk>/", public_views.public_survey, name="consultation_public_survey"),
    path("<int:pk>/thanks/", public_views.public_thanks, name="consultation_public_thanks"),
    path("<int:pk>/results/", public_views.public_results, name="consultation_public_results"),
    path("<int:pk>/you-said-we-did/", public_views.public_you_said,
         name="consultation_public_you_said"),
]
