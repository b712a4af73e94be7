"""Public consultation pages, no login, under /consult/<partnership slug>/.

Only consultations past draft are shown. The survey takes responses only while open; the
results (and "you said, we did") only once the results policy allows, never before close.
Spam defences need no third-party service: a honeypot field, a minimum fill time from a
signed timestamp, and a per-client limit counted in the database (`rate_limit`).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from saferplaces.consultation import analysis, rate_limit, results, services
from saferplaces.consultation.models import (
    Channel,
    Consultation,
    ConsultationDocument,
    ConsultationStatus,
    policy_for,
)
from saferplaces.consultation.survey import SurveyForm
from saferplaces.consultation.wards import ward_choices
from saferplaces.core.uploads import DOCUMENT_TYPES
from saferplaces.partnership.models import Partnership

SESSION_KEY = "consultation_references"


def _partnership(slug: str) -> Partnership:
    return get_object_or_404(Partnership, slug=slug)


def _public_consultation(partnership: Partnership, pk: int) -> Consultation:
    return get_object_or_404(
        Consultation.objects.for_partnership(partnership).exclude(
            status=ConsultationStatus.DRAFT), pk=pk)


@login_not_required
def public_list(request: HttpRequest, partnership: str) -> HttpResponse:
    """The partnership's consultations that are open or were held.
    Template consultation/public_list.html."""
    found = _partnership(partnership)
    consultations = Consultation.objects.for_partnership(found).exclude(
        status=ConsultationStatus.DRAFT)
    return render(request, "consultation/public_list.html",
                  {"public_partnership": found, "consultations": consultations})


@login_not_required
def public_survey(request: HttpRequest, partnership: str, pk: int) -> HttpResponse:
    """The survey of an open consultation (GET shows it, POST stores a response); a
    closed one shows that it has closed and links to its results when public.

    Template consultation/survey.html (consultation/closed.html when not open); 429 with
    consultation/limited.html past the per-client limit.
    """
    found = _partnership(partnership)
    consultation = _public_consultation(found, pk)
    context = {"public_partnership": found, "consultation": consultation,
               "policy": policy_for(found), "documents": consultation.documents.all()}
    if not consultation.accepts_responses:
        return render(request, "consultation/closed.html", context)
    version = consultation.current_version()
    form = SurveyForm(request.POST or None, version=version,
                      wards=ward_choices(found, consultation.opens_on),
                      min_fill_seconds=settings.CONSULTATION_MIN_FILL_SECONDS)
    if request.method == "POST":
        if rate_limit.over_limit(request, settings.CONSULTATION_RATE_LIMIT):
            return render(request, "consultation/limited.html", context, status=429)
        if form.is_spam:
            return render(request, "consultation/limited.html", context, status=400)
        if form.is_valid():
            with transaction.atomic():  # one write: on SQLite, one turn of the write lock
                response = services.save_response(
                    consultation, version, form.answers(), channel=Channel.ONLINE,
                    consent=form.cleaned_data["consent"], contact=form.contact(),
                    equality=form.equality())
                rate_limit.count_response(request)
            request.session[SESSION_KEY] = [*request.session.get(SESSION_KEY, [])[-9:],
                                            response.reference]
            return redirect(reverse("consultation_public_thanks",
                                    args=[found.slug, consultation.pk]))
    return render(request, "consultation/survey.html", context | {
        "form": form, "cache_key": _fields_cache_key(form, version)},
        status=422 if form.errors else 200)


def _fields_cache_key(form: SurveyForm, version) -> str:
    """The cache key of the rendered questions of an unanswered form, or "" (no caching).

    The widgets take most of a survey page's time; an empty form of a locked version (which
    never changes) renders the same for everyone, so it is rendered once per process."""
    if form.is_bound or not version.locked:
        return ""
    return f"{version.pk}-{len(form.ward_names)}"


@login_not_required
def public_thanks(request: HttpRequest, partnership: str, pk: int) -> HttpResponse:
    """The confirmation with the respondent's reference number (from their session).
    Template consultation/thanks.html."""
    found = _partnership(partnership)
    consultation = _public_consultation(found, pk)
    references = request.session.get(SESSION_KEY, [])
    reference = next((r for r in reversed(references)
                      if consultation.responses.filter(reference=r).exists()), None)
    if reference is None:
        raise Http404("No response of yours to this consultation.")
    return render(request, "consultation/thanks.html", {
        "public_partnership": found, "consultation": consultation, "reference": reference})


@login_not_required
def public_results(request: HttpRequest, partnership: str, pk: int) -> HttpResponse:
    """The results, once the consultation's results policy allows (never before close).
    Template consultation/results.html (public=True)."""
    found = _partnership(partnership)
    consultation = _public_consultation(found, pk)
    if not consultation.results_public:
        raise Http404("The results are not published yet.")
    group = results.group_choice(request)
    return render(request, "consultation/results.html", {
        "public_partnership": found, "consultation": consultation,
        "questions": results.add_charts(results.question_results(consultation, (group,))),
        "reach": results.reach_tables(consultation),
        "meetings": consultation.channel_responses.all(), "public": True,
        "group": group, "group_choices": results.GROUP_LABELS.items(),
        "small_group": analysis.SMALL_GROUP_BELOW})


@login_not_required
def public_you_said(request: HttpRequest, partnership: str, pk: int) -> HttpResponse:
    """"You said, we did", once the results are public. Template consultation/you_said.html."""
    found = _partnership(partnership)
    consultation = _public_consultation(found, pk)
    if not consultation.results_public:
        raise Http404("The results are not published yet.")
    items = results.you_said_we_did(consultation)
    return render(request, "consultation/you_said.html", {
        "public_partnership": found, "consultation": consultation, "items": items,
        "public": True})


@login_not_required
def public_document(request: HttpRequest, partnership: str, pk: int,
                    document_pk: int) -> HttpResponse:
    """An uploaded document of a consultation past draft (a linked one redirects)."""
    found = _partnership(partnership)
    consultation = _public_consultation(found, pk)
    return serve_document(get_object_or_404(consultation.documents.all(), pk=document_pk))


def serve_document(document: ConsultationDocument) -> HttpResponse:
    """The document's file, typed by its (checked) extension: a PDF shown in the browser,
    a .docx or .odt downloaded; a document that is a link redirects to it."""
    if not document.file:
        return redirect(document.url)
    name = document.file.name.rsplit("/", 1)[-1]
    extension = name.rsplit(".", 1)[-1].lower()
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404("The document's file is missing.") from None
    return FileResponse(handle, content_type=DOCUMENT_TYPES.get(extension,
                                                                "application/octet-stream"),
                        as_attachment=extension != "pdf", filename=name)
