"""Pages of the equality app, under /p/<partnership slug>/equality/."""

from django.urls import path

from saferplaces.equality import views

officer_patterns: list = [
    path("", views.analysis_list, name="equality_list"),
    path("new/", views.analysis_edit, name="equality_create"),
    path("<int:pk>/", views.analysis_detail, name="equality_detail"),
    path("<int:pk>/edit/", views.analysis_edit, name="equality_edit"),
    path("<int:pk>/characteristics/<slug:characteristic>/", views.impact_edit,
         name="equality_impact_edit"),
    path("<int:pk>/sign-off/", views.sign_off, name="equality_sign_off"),
]
