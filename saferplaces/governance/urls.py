"""Pages of the governance app, under /p/<partnership slug>/meetings/."""

from django.urls import path

from saferplaces.governance import views

officer_patterns = [
    path("", views.meeting_list, name="meeting_list"),
    path("new/", views.meeting_edit, name="meeting_create"),
    path("<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("<int:pk>/agenda/", views.agenda_edit, name="meeting_agenda"),
    path("<int:pk>/agenda/<int:item_pk>/papers/new/", views.paper_create,
         name="meeting_paper_create"),
    path("<int:pk>/attendance/", views.attendance_edit, name="meeting_attendance"),
    path("<int:pk>/minutes/", views.minutes_edit, name="meeting_minutes"),
    path("<int:meeting_pk>/actions/new/", views.arising_edit, name="arising_create"),
    path("papers/<int:pk>/", views.paper_download, name="meeting_paper"),
    path("actions/", views.arising_list, name="arising_list"),
    path("actions/<int:pk>/edit/", views.arising_edit, name="arising_edit"),
    path("attendance/", views.attendance_by_member, name="attendance_by_member"),
    path("bodies/new/", views.body_edit, name="body_create"),
    path("bodies/<int:pk>/edit/", views.body_edit, name="body_edit"),
]
