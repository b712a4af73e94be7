"""Pages of the grants app, under /p/<partnership slug>/grants/."""

from django.urls import path

from saferplaces.grants import views

officer_patterns: list = [
    path("", views.grant_list, name="grant_list"),
    path("new/", views.grant_edit, name="grant_create"),
    path("<int:pk>/", views.grant_detail, name="grant_detail"),
    path("<int:pk>/edit/", views.grant_edit, name="grant_edit"),
    path("<int:pk>/reporting-dates/new/", views.reporting_date_edit,
         name="grant_reporting_date_create"),
    path("<int:pk>/reporting-dates/<int:date_pk>/edit/", views.reporting_date_edit,
         name="grant_reporting_date_edit"),
    path("<int:grant_pk>/allocations/new/", views.allocation_edit, name="allocation_create"),
    path("allocations/<int:pk>/", views.allocation_detail, name="allocation_detail"),
    path("allocations/<int:pk>/edit/", views.allocation_edit, name="allocation_edit"),
    path("allocations/<int:allocation_pk>/spend/new/", views.spend_edit, name="spend_create"),
    path("spend/<int:pk>/edit/", views.spend_edit, name="spend_edit"),
    path("<int:pk>/return/", views.grant_return, name="grant_return"),
    path("<int:pk>/return.csv", views.grant_return, {"file_format": "csv"},
         name="grant_return_csv"),
    path("<int:pk>/return.pdf", views.grant_return, {"file_format": "pdf"},
         name="grant_return_pdf"),
]
