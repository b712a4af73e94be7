"""Officer pages for consultations under /p/<slug>/consultations/. Every view fetches through
`scoped(request, ...)` before it checks the role, so an id of another partnership is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from saferplaces.consultation import (
    analysis,
    export,
    permissions,
    public_views,
    regulation12,
    report,
    results,
    services,
)
from saferplaces.consultation.forms import (
    ChannelResponseForm,
    ConsultationForm,
    DistributionForm,
    DocumentForm,
    PolicyForm,
    PublicMeetingForm,
    QuestionForm,
    SectionForm,
    ThemeForm,
    YouSaidWeDidForm,
)
from saferplaces.consultation.models import (
    Answer,
    ChannelResponse,
    Consultation,
    ConsultationStatus,
    PublicMeeting,
    QuestionKind,
    Response,
    SurveyQuestion,
    SurveySection,
    policy_for,
)
from saferplaces.consultation.survey import SurveyForm
from saferplaces.consultation.wards import ward_choices
from saferplaces.core import clock
from saferplaces.core.audit import history_of
from saferplaces.partnership.access import partnership_view, scoped, url_in

RESPONSES_SHOWN = 200


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied("Your role does not allow this.")


def _consultation(request, pk) -> Consultation:
    return get_object_or_404(scoped(request, Consultation.objects).select_related("strategy"),
                             pk=pk)


def _back(request, consultation: Consultation) -> str:
    return url_in(request, "consultation_detail", consultation.pk)


def _form_page(request, form, *, title, back, message, save):
    """Shared create/edit handling: `save(form)` stores the form's data."""
    if request.method == "POST" and form.is_valid():
        obj = save(form)
        messages.success(request, message.format(obj=obj))
        return redirect(back)
    return render(request, "core/form.html", {"form": form, "title": title, "cancel_url": back})


@partnership_view
def consultation_list(request):
    """The partnership's consultations. Template consultation/list.html."""
    consultations = scoped(request, Consultation.objects).annotate(
        response_count=Count("responses", distinct=True))
    return render(request, "consultation/list.html", {
        "consultations": consultations,
        "can_manage": permissions.can_manage_consultation(request.membership),
        "policy": policy_for(request.partnership),
    })


@partnership_view
def consultation_edit(request, pk=None):
    """Create or edit a consultation (administrators). Template core/form.html."""
    consultation = _consultation(request, pk) if pk else None
    _require(permissions.can_manage_consultation(request.membership))
    form = ConsultationForm(request.POST or None, instance=consultation,
                            partnership=request.partnership)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        if consultation is None:
            services.draft_version(saved)
        policy = policy_for(request.partnership)
        if saved.shorter_than(policy.minimum_weeks):
            messages.warning(request, f"{saved} is open for {saved.length_weeks:.1f} weeks, "
                             f"less than the partnership's minimum of {policy.minimum_weeks}.")
        messages.success(request, f"Saved {saved}.")
        return redirect(url_in(request, "consultation_detail", saved.pk))
    back = (url_in(request, "consultation_detail", pk) if pk
            else url_in(request, "consultation_list"))
    return render(request, "core/form.html", {
        "form": form, "cancel_url": back,
        "title": f"Edit {consultation}" if consultation else "New consultation"})


@partnership_view
def consultation_policy(request):
    """The partnership's minimum length, retention period and privacy notice
    (administrators). Template core/form.html."""
    _require(permissions.can_manage_consultation(request.membership))
    form = PolicyForm(request.POST or None, instance=policy_for(request.partnership),
                      partnership=request.partnership)
    return _form_page(request, form, title="Consultation settings",
                      back=url_in(request, "consultation_list"),
                      message="Saved the consultation settings.", save=lambda f: f.save())


@partnership_view
def consultation_detail(request, pk):
    """A consultation: status and its changes, documents, the current survey, the
    distribution log, meetings and forums, and response counts.

    Template consultation/detail.html.
    """
    consultation = _consultation(request, pk)
    policy = policy_for(request.partnership)
    version = consultation.current_version()
    sections = (version.sections.prefetch_related("questions__options") if version else [])
    return render(request, "consultation/detail.html", {
        "consultation": consultation,
        "policy": policy,
        "too_short": consultation.shorter_than(policy.minimum_weeks),
        "version": version,
        "sections": sections,
        "next_statuses": [ConsultationStatus(s) for s in consultation.next_statuses()],
        "documents": consultation.documents.all(),
        "distributions": consultation.distributions.all(),
        "meetings": consultation.channel_responses.all(),
        "response_counts": consultation.responses.values("channel").annotate(
            n=Count("pk")).order_by("channel"),
        "response_total": consultation.responses.count(),
        "today": clock.today(request.partnership),
        "can_manage": permissions.can_manage_consultation(request.membership),
        "can_record": permissions.can_record_engagement(request.membership),
        "history": history_of(consultation),
    })


@partnership_view
@require_POST
def consultation_status(request, pk):
    """Move the consultation to the posted status (administrators)."""
    consultation = _consultation(request, pk)
    _require(permissions.can_manage_consultation(request.membership))
    try:
        services.change_status(consultation, request.POST.get("status", ""), request.user)
    except (ValidationError, ValueError) as problem:
        messages.error(request, " ".join(getattr(problem, "messages", [str(problem)])))
    else:
        messages.success(request, f"{consultation} is now {consultation.get_status_display()}.")
    return redirect(_back(request, consultation))


@partnership_view
def document_create(request, pk):
    """Add a document: a link, or an uploaded PDF, .docx or .odt file served on the public
    page (administrators). Template core/form.html."""
    consultation = _consultation(request, pk)
    _require(permissions.can_manage_consultation(request.membership))
    form = DocumentForm(request.POST or None, request.FILES or None)

    def save(f):
        f.instance.consultation = consultation
        return f.save()
    return _form_page(request, form, title=f"Add a document to {consultation}",
                      back=_back(request, consultation), message="Added {obj}.", save=save)


@partnership_view
def document_file(request, pk, document_pk):
    """A document of the consultation, for its officers (drafts too); the public reach
    uploaded files through public_views.public_document."""
    consultation = _consultation(request, pk)
    return public_views.serve_document(
        get_object_or_404(consultation.documents.all(), pk=document_pk))


# --------------------------------------------------------------------------------------------
# Survey builder. A change to a locked version (the consultation has opened, or the version
# has been answered) is made to a new copy of it: services.editable_section/_question.


@partnership_view
def section_edit(request, pk, section_pk=None):
    """Add or edit a survey section (administrators). Template core/form.html."""
    consultation = _consultation(request, pk)
    section = _section(consultation, section_pk) if section_pk else None
    _require(permissions.can_manage_consultation(request.membership))
    form = SectionForm(request.POST or None, instance=section)

    def save(f):
        if section is None:
            version = services.draft_version(consultation)
            f.instance.version = version
            f.instance.number = version.sections.count() + 1
            return f.save()
        target = services.editable_section(section)
        for name in ("title", "introduction"):
            setattr(target, name, f.cleaned_data[name])
        target.save()
        return target
    return _form_page(request, form, title="Edit section" if section else "New section",
                      back=_back(request, consultation), message="Saved section {obj}.",
                      save=save)


def _current_version_id(consultation) -> int | None:
    version = consultation.current_version()
    return version.pk if version else None


def _section(consultation, section_pk) -> SurveySection:
    """A section of the consultation's current survey version (older versions are kept as
    they were answered, never edited)."""
    return get_object_or_404(SurveySection.objects.filter(
        version_id=_current_version_id(consultation)).select_related("version"), pk=section_pk)


def _question(consultation, question_pk) -> SurveyQuestion:
    return get_object_or_404(SurveyQuestion.objects.filter(
        section__version_id=_current_version_id(consultation)).select_related(
        "section__version"), pk=question_pk)


@partnership_view
def question_edit(request, pk, section_pk, question_pk=None):
    """Add or edit a question and its options (administrators). Template core/form.html."""
    consultation = _consultation(request, pk)
    section = _section(consultation, section_pk)
    question = _question(consultation, question_pk) if question_pk else None
    _require(permissions.can_manage_consultation(request.membership))
    form = QuestionForm(request.POST or None, instance=question)

    def save(f):
        if question is None:
            return f.save_with_options(services.editable_section(section))
        target = services.editable_question(question)
        for name in QuestionForm.Meta.fields:
            setattr(target, name, f.cleaned_data[name])
        f.instance = target
        return f.save_with_options(target.section)
    return _form_page(request, form, title="Edit question" if question else "New question",
                      back=_back(request, consultation), message="Saved question: {obj}",
                      save=save)


@partnership_view
@require_POST
def question_move(request, pk, question_pk):
    """Move a question up or down within its section (administrators)."""
    consultation = _consultation(request, pk)
    question = _question(consultation, question_pk)
    _require(permissions.can_manage_consultation(request.membership))
    question = services.editable_question(question)
    services.move_question(question, up=request.POST.get("direction") == "up")
    return redirect(_back(request, consultation))


# --------------------------------------------------------------------------------------------
# Engagement: distribution log, meetings and forums, paper responses


@partnership_view
def distribution_create(request, pk):
    """Record who the consultation was sent to (administrators and officers).
    Template core/form.html."""
    consultation = _consultation(request, pk)
    _require(permissions.can_record_engagement(request.membership))
    form = DistributionForm(request.POST or None)

    def save(f):
        f.instance.consultation = consultation
        return f.save()
    return _form_page(request, form, title=f"Record a distribution of {consultation}",
                      back=_back(request, consultation), message="Recorded {obj}.", save=save)


@partnership_view
def meeting_edit(request, pk, meeting_pk=None):
    """Record a meeting or forum as a channel response (administrators and officers).
    Template core/form.html."""
    consultation = _consultation(request, pk)
    meeting = (get_object_or_404(ChannelResponse.objects.filter(consultation=consultation),
                                 pk=meeting_pk) if meeting_pk else None)
    _require(permissions.can_record_engagement(request.membership))
    wards = [name for _, name in ward_choices(request.partnership,
                                              clock.today(request.partnership))]
    form = ChannelResponseForm(request.POST or None, instance=meeting, wards=wards)

    def save(f):
        f.instance.consultation = consultation
        saved = f.save()
        services.sync_points(saved)
        return saved
    return _form_page(request, form, title="Edit meeting" if meeting else "Record a meeting",
                      back=_back(request, consultation), message="Saved {obj}.", save=save)


@partnership_view
def response_list(request, pk):
    """The responses received (references, channel, when; contact details only for
    administrators). Template consultation/responses.html."""
    consultation = _consultation(request, pk)
    responses = (scoped(request, Response.objects).filter(consultation=consultation)
                 .select_related("version", "contact").order_by("-submitted_at"))
    return render(request, "consultation/responses.html", {
        "consultation": consultation,
        "responses": responses[:RESPONSES_SHOWN],
        "total": responses.count(),
        "shown": RESPONSES_SHOWN,
        "show_personal": permissions.can_see_personal_data(request.membership),
        "can_record": permissions.can_record_engagement(request.membership),
    })


@partnership_view
def paper_response(request, pk):
    """Type in a paper (or emailed) survey through the survey form, marked with its
    channel (administrators and officers). Template consultation/survey.html."""
    consultation = _consultation(request, pk)
    _require(permissions.can_record_engagement(request.membership))
    version = consultation.current_version()
    if version is None or consultation.status == ConsultationStatus.DRAFT:
        messages.error(request, "Responses can be entered once the consultation has opened.")
        return redirect(_back(request, consultation))
    form = SurveyForm(request.POST or None, version=version, paper=True,
                      wards=ward_choices(request.partnership, consultation.opens_on))
    if request.method == "POST" and form.is_valid():
        response = services.save_response(
            consultation, version, form.answers(), channel=form.cleaned_data["channel"],
            consent=form.cleaned_data["consent"], contact=form.contact(),
            equality=form.equality(), entered_by=request.user)
        messages.success(request, f"Entered response {response.reference}.")
        return redirect(url_in(request, "consultation_responses", consultation.pk))
    return render(request, "consultation/survey.html", {
        "consultation": consultation, "form": form, "paper": True,
        "policy": policy_for(request.partnership),
        "cancel_url": _back(request, consultation)})


# --------------------------------------------------------------------------------------------
# Results and exports


@partnership_view
def consultation_results(request, pk):
    """Per-question results, breakdowns by channel, ward and the equality characteristic
    chosen with ?group= (small groups left out), and the reach tables.

    Template consultation/results.html; context: consultation, questions [QuestionResult],
    reach [ReachTable], meetings, group, group_choices, small_group.
    """
    consultation = _consultation(request, pk)
    group = results.group_choice(request)
    return render(request, "consultation/results.html", {
        "consultation": consultation,
        "questions": results.add_charts(results.question_results(consultation, (group,))),
        "reach": results.reach_tables(consultation),
        "meetings": consultation.channel_responses.all(),
        "public": False,
        "group": group, "group_choices": results.GROUP_LABELS.items(),
        "small_group": analysis.SMALL_GROUP_BELOW,
    })





@partnership_view
def consultation_export(request, pk, file_format, table="responses"):
    """The responses, or the breakdowns of the results (small groups left out), as CSV; both
    as the two sheets of one XLSX. No contact details."""
    consultation = _consultation(request, pk)
    name = f"consultation-{consultation.pk}-{table}.{file_format}"
    if file_format == "xlsx":
        response = HttpResponse(
            export.to_xlsx(consultation),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    else:
        response = HttpResponse(export.to_csv(consultation, table), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --------------------------------------------------------------------------------------------
# Coding free text, and "you said, we did"

ANSWERS_PER_PAGE = 50


@partnership_view
def theme_list(request, pk):
    """The theme codebook with counts and example quotes; administrators add themes.
    Template consultation/themes.html."""
    consultation = _consultation(request, pk)
    can_manage = permissions.can_manage_consultation(request.membership)
    form = ThemeForm(request.POST or None, consultation=consultation)
    if request.method == "POST":
        _require(can_manage)
        if form.is_valid():
            form.save()
            messages.success(request, f"Added the theme {form.instance}.")
            return redirect(url_in(request, "consultation_themes", consultation.pk))
    return render(request, "consultation/themes.html", {
        "consultation": consultation, "form": form, "can_manage": can_manage,
        "summaries": results.theme_summaries(consultation)})


@partnership_view
def theme_tagging(request, pk):
    """Tag free-text answers with themes, a page of answers at a time (administrators).
    Template consultation/tagging.html."""
    consultation = _consultation(request, pk)
    _require(permissions.can_manage_consultation(request.membership))
    themes = list(consultation.themes.all())
    answers = (Answer.objects.filter(response__consultation=consultation,
                                     question__kind=QuestionKind.TEXT)
               .select_related("question", "response").order_by("response__submitted_at", "pk"))
    page = Paginator(answers, ANSWERS_PER_PAGE).get_page(request.GET.get("page"))
    if request.method == "POST":
        chosen = {answer.pk: request.POST.getlist(f"answer-{answer.pk}") for answer in page}
        services.tag_answers(consultation, chosen)
        messages.success(request, "Saved the themes of these answers.")
        return redirect(f"{url_in(request, 'consultation_tagging', consultation.pk)}"
                        f"?page={page.number}")
    tagged = services.tags_of([a.pk for a in page])
    rows = [(answer, [(theme, theme.pk in tagged.get(answer.pk, set())) for theme in themes])
            for answer in page]
    return render(request, "consultation/tagging.html", {
        "consultation": consultation, "page": page, "rows": rows, "themes": themes})


@partnership_view
def point_tagging(request, pk):
    """Tag the points raised at meetings and forums with themes, a page of points at a time
    (administrators). Template consultation/point_tagging.html."""
    consultation = _consultation(request, pk)
    _require(permissions.can_manage_consultation(request.membership))
    themes = list(consultation.themes.all())
    page = Paginator(results.meeting_points(consultation),
                     ANSWERS_PER_PAGE).get_page(request.GET.get("page"))
    if request.method == "POST":
        chosen = {point.pk: request.POST.getlist(f"point-{point.pk}") for point in page}
        services.tag_points(consultation, chosen)
        messages.success(request, "Saved the themes of these points.")
        return redirect(f"{url_in(request, 'consultation_point_tagging', consultation.pk)}"
                        f"?page={page.number}")
    tagged = services.point_tags_of([p.pk for p in page])
    rows = [(point, [(theme, theme.pk in tagged.get(point.pk, set())) for theme in themes])
            for point in page]
    return render(request, "consultation/point_tagging.html", {
        "consultation": consultation, "page": page, "rows": rows, "themes": themes})


@partnership_view
def you_said_list(request, pk):
    """"You said, we did": each point and what changed. Template consultation/you_said.html."""
    consultation = _consultation(request, pk)
    return render(request, "consultation/you_said.html", {
        "consultation": consultation, "public": False,
        "items": results.you_said_we_did(consultation),
        "can_manage": permissions.can_manage_consultation(request.membership)})


@partnership_view
def you_said_edit(request, pk, item_pk=None):
    """Add or edit a "you said, we did" entry (administrators). Template core/form.html."""
    consultation = _consultation(request, pk)
    item = (get_object_or_404(consultation.you_said_we_did.all(), pk=item_pk)
            if item_pk else None)
    _require(permissions.can_manage_consultation(request.membership))
    form = YouSaidWeDidForm(request.POST or None, instance=item, consultation=consultation)
    return _form_page(request, form, title="You said, we did",
                      back=url_in(request, "consultation_you_said", consultation.pk),
                      message="Saved.", save=lambda f: f.save())


@partnership_view
def consultation_report(request, pk, file_format):
    """The consultation report as HTML or PDF (consultation.report), its results broken
    down by the equality characteristic of ?group=."""
    consultation = _consultation(request, pk)
    group = results.group_choice(request)
    if file_format == "pdf":
        response = HttpResponse(report.render_pdf(consultation, group),
                                content_type="application/pdf")
        response["Content-Disposition"] = (
            f'inline; filename="consultation-{consultation.pk}-report.pdf"')
        return response
    return HttpResponse(report.render_html(consultation, group))


# --------------------------------------------------------------------------------------------
# Regulation 12: the annual public meeting


@partnership_view
def public_meetings(request):
    """The regulation 12 record: each financial year, whether the public meeting duty was
    met and what is missing, and the meetings. Template consultation/public_meetings.html."""
    meetings = list(scoped(request, PublicMeeting.objects).prefetch_related(
        "senior_attendance"))
    authorities = list(request.partnership.organisations.filter(
        statutory_role="responsible").values_list("name", flat=True))
    today = clock.today(request.partnership)
    facts = [regulation12.MeetingFacts(
        m.held_on, m.title, m.notice_published_on is not None,
        m.summary_published_on is not None,
        frozenset(o.name for o in m.senior_attendance.all())) for m in meetings]
    first = min([m.held_on for m in meetings] + [today])
    return render(request, "consultation/public_meetings.html", {
        "duties": regulation12.duty_by_year(facts, authorities, first, today),
        "meetings": meetings, "authorities": authorities,
        "can_manage": permissions.can_manage_consultation(request.membership)})


@partnership_view
def public_meeting_edit(request, pk=None):
    """Record or edit a public meeting (administrators). Template core/form.html."""
    meeting = get_object_or_404(scoped(request, PublicMeeting.objects), pk=pk) if pk else None
    _require(permissions.can_manage_consultation(request.membership))
    form = PublicMeetingForm(request.POST or None, instance=meeting,
                             partnership=request.partnership)
    return _form_page(request, form, title="Public meeting (regulation 12)",
                      back=url_in(request, "public_meetings"), message="Saved {obj}.",
                      save=lambda f: f.save())
