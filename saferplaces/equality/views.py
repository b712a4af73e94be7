"""Pages for equality analyses: the list, an analysis with its nine characteristics and
summary, the analysis form, one characteristic's form (with the evidence the partnership
holds beside it) and the sign-off.

Every view fetches through `scoped(request, ...)` before it checks the role, so an id from
another partnership is a 404 whatever the role; administrators and officers edit
(equality.permissions), everyone else reads.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from saferplaces.core import clock
from saferplaces.core.audit import history_of
from saferplaces.equality import evidence, permissions, services
from saferplaces.equality.forms import AnalysisForm, ImpactForm, SignOffForm
from saferplaces.equality.models import Characteristic, EqualityAnalysis, EqualityImpact
from saferplaces.equality.summary import equality_summary
from saferplaces.partnership.access import partnership_view, scoped, url_in

ANALYSES_PER_PAGE = 20
SIGN_OFF_WITHDRAWN = ("This analysis had been signed off; the change withdrew the sign-off "
                      "and started version {version}, which needs signing off again.")


def _require_editor(request) -> None:
    if not permissions.can_edit_analysis(request.membership):
        raise PermissionDenied("Your role does not allow this.")


def _analysis(request, pk) -> EqualityAnalysis:
    return get_object_or_404(
        scoped(request, EqualityAnalysis.objects).select_related("strategy", "plan__strategy",
                                                                  "consultation"), pk=pk)


@partnership_view
def analysis_list(request):
    """The partnership's equality analyses, newest first.

    Template equality/list.html; context: page, can_edit.
    """
    analyses = scoped(request, EqualityAnalysis.objects).select_related(
        "strategy", "plan__strategy", "consultation")
    page = Paginator(analyses, ANALYSES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "equality/list.html", {
        "page": page, "can_edit": permissions.can_edit_analysis(request.membership)})


@partnership_view
def analysis_detail(request, pk):
    """An analysis: what it covers, its sign-off, the nine characteristics and the summary
    paragraph committee reports use.

    Template equality/detail.html; context: analysis, summary (equality_summary), sign_off
    (a SignOffForm for editors of an unsigned analysis), can_edit, history.
    """
    analysis = _analysis(request, pk)
    can_edit = permissions.can_edit_analysis(request.membership)
    sign_off_form = None
    if can_edit and not analysis.is_signed_off:
        sign_off_form = SignOffForm(initial={"signed_off_on": clock.today(request.partnership)})
    return render(request, "equality/detail.html", {
        "analysis": analysis, "summary": equality_summary(analysis),
        "sign_off": sign_off_form, "can_edit": can_edit, "history": history_of(analysis),
    })


@partnership_view
def analysis_edit(request, pk=None):
    """Create or edit an analysis (administrators and officers). Template core/form.html,
    with a warning when the analysis is signed off."""
    analysis = _analysis(request, pk) if pk else None
    _require_editor(request)
    form = AnalysisForm(request.POST or None, instance=analysis, partnership=request.partnership)
    if request.method == "POST" and form.is_valid():
        saved, withdrawn = services.save_analysis(form, request.user)
        messages.success(request, f"Saved {saved}.")
        if withdrawn:
            messages.warning(request, SIGN_OFF_WITHDRAWN.format(version=saved.version))
        return redirect(url_in(request, "equality_detail", saved.pk))
    return render(request, "equality/analysis_form.html", {
        "form": form, "analysis": analysis,
        "title": f"Edit {analysis}" if analysis else "New equality analysis",
        "cancel_url": url_in(request, "equality_detail", pk) if pk else url_in(
            request, "equality_list"),
    })


@partnership_view
def impact_edit(request, pk, characteristic):
    """One protected characteristic of an analysis: impact, evidence and mitigation, with
    the evidence the partnership holds (the consultation's reach for this characteristic,
    and what police.uk data can and cannot say).

    Template equality/impact_form.html; context: analysis, impact, form, reach, crime.
    """
    analysis = _analysis(request, pk)
    if characteristic not in Characteristic.values:
        raise Http404("No such protected characteristic.")
    impact = (analysis.impacts.filter(characteristic=characteristic).first()
              or EqualityImpact(analysis=analysis, characteristic=characteristic))
    can_edit = permissions.can_edit_analysis(request.membership)
    if request.method == "POST":
        _require_editor(request)
    form = ImpactForm(request.POST or None, instance=impact) if can_edit else None
    if form is not None and request.method == "POST" and form.is_valid():
        _, withdrawn = services.save_impact(form, request.user)
        messages.success(request, f"Saved {impact.get_characteristic_display().lower()}.")
        if withdrawn:
            analysis.refresh_from_db()
            messages.warning(request, SIGN_OFF_WITHDRAWN.format(version=analysis.version))
        return redirect(url_in(request, "equality_detail", analysis.pk))
    return render(request, "equality/impact_form.html", {
        "analysis": analysis, "impact": impact, "form": form, "can_edit": can_edit,
        "reach": evidence.consultation_evidence(analysis, characteristic),
        "crime": evidence.crime_evidence(request.partnership),
        "history": history_of(impact) if impact.pk else [],
    })


@partnership_view
@require_POST
def sign_off(request, pk):
    """Record the sign-off of the analysis's current version (POST only)."""
    analysis = _analysis(request, pk)
    _require_editor(request)
    form = SignOffForm(request.POST)
    if not form.is_valid():
        return render(request, "equality/detail.html", {
            "analysis": analysis, "summary": equality_summary(analysis), "sign_off": form,
            "can_edit": True, "history": history_of(analysis)}, status=422)
    services.sign_off(analysis, form.cleaned_data["signed_off_by"],
                      form.cleaned_data["signed_off_on"], request.user)
    messages.success(request, f"Version {analysis.version} signed off.")
    return redirect(url_in(request, "equality_detail", analysis.pk))
