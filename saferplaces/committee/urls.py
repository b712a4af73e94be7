"""Pages of the committee app, under /p/<partnership slug>/committee-reports/."""

from django.urls import path

from saferplaces.committee import views

officer_patterns: list = [
    path("", views.committee_report_list, name="committee_report_list"),
    path("new/", views.committee_report_create, name="committee_report_create"),
    path("<int:pk>/", views.committee_report_detail, name="committee_report_detail"),
    path("<int:pk>/header/", views.committee_report_edit, name="committee_report_edit"),
    path("<int:pk>/issue/", views.committee_report_issue, name="committee_report_issue"),
    path("<int:pk>/report.<str:format>", views.committee_report_download,
         name="committee_report_download"),
    path("<int:pk>/recommendations/new/", views.committee_recommendation_edit,
         name="committee_recommendation_create"),
    path("<int:pk>/recommendations/<int:item_pk>/", views.committee_recommendation_edit,
         name="committee_recommendation_edit"),
    path("<int:pk>/sections/new/", views.committee_section_edit,
         name="committee_section_create"),
    path("<int:pk>/sections/<int:section_pk>/", views.committee_section_edit,
         name="committee_section_edit"),
    path("<int:pk>/sections/<int:section_pk>/paragraphs/new/", views.committee_paragraph_edit,
         name="committee_paragraph_create"),
    path("<int:pk>/sections/<int:section_pk>/paragraphs/<int:paragraph_pk>/",
         views.committee_paragraph_edit, name="committee_paragraph_edit"),
    path("<int:pk>/route/", views.committee_route, name="committee_route"),
    path("<int:pk>/route/<int:step_pk>/decision/", views.committee_step_decision,
         name="committee_step_decision"),
    path("<int:pk>/route/<int:step_pk>/remove/", views.committee_step_remove,
         name="committee_step_remove"),
    path("<int:pk>/route/<int:step_pk>/conditions/new/", views.committee_condition_create,
         name="committee_condition_create"),
    path("<int:pk>/conditions/<int:condition_pk>/", views.committee_condition_resolve,
         name="committee_condition_resolve"),
    path("bodies/<int:body_pk>/", views.committee_body_edit, name="committee_body_edit"),
]
