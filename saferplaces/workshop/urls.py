"""Pages of the workshop app, under /p/<partnership slug>/workshops/."""

from django.urls import path

from saferplaces.workshop import views

officer_patterns: list = [
    path("", views.workshop_list, name="workshop_list"),
    path("new/", views.workshop_edit, name="workshop_create"),
    path("<int:pk>/", views.workshop_detail, name="workshop_detail"),
    path("<int:pk>/edit/", views.workshop_edit, name="workshop_edit"),
    path("<int:pk>/criteria/new/", views.criterion_edit, name="workshop_criterion_create"),
    path("<int:pk>/criteria/<int:criterion_pk>/edit/", views.criterion_edit,
         name="workshop_criterion_edit"),
    path("<int:pk>/candidates/new/", views.candidate_edit, name="workshop_candidate_create"),
    path("<int:pk>/candidates/<int:candidate_pk>/edit/", views.candidate_edit,
         name="workshop_candidate_edit"),
    path("<int:pk>/scorers/new/", views.scorer_edit, name="workshop_scorer_create"),
    path("<int:pk>/scorers/<int:scorer_pk>/edit/", views.scorer_edit,
         name="workshop_scorer_edit"),
    path("<int:pk>/scorers/<int:scorer_pk>/scores/", views.score_sheet,
         name="workshop_score_sheet"),
    path("<int:pk>/results/", views.workshop_results_page, name="workshop_results"),
    path("<int:pk>/priorities/", views.choose_priorities, name="workshop_choose"),
    path("<int:pk>/evidence/", views.workshop_evidence, name="workshop_evidence"),
]
