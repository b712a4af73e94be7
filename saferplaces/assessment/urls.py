"""Pages of the assessment app, under /p/<partnership slug>/assessments/."""

from django.urls import path

from saferplaces.assessment import views

officer_patterns: list = [
    path("", views.assessment_list, name="assessment_list"),
    path("new/", views.assessment_create, name="assessment_create"),
    path("<int:pk>/", views.assessment_detail, name="assessment_detail"),
    path("<int:pk>/settings/", views.assessment_settings, name="assessment_settings"),
    path("<int:pk>/sections/<slug:key>/", views.assessment_section_edit,
         name="assessment_section_edit"),
    path("<int:pk>/publish/", views.assessment_publish, name="assessment_publish"),
    path("<int:pk>/new-version/", views.assessment_new_version,
         name="assessment_new_version"),
    path("<int:pk>/download/<slug:fmt>/", views.assessment_download,
         name="assessment_download"),
]
