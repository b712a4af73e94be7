"""Pages for grants: the list, a grant with its allocations and reporting dates, an
allocation with its spend, the forms, and the return to the funder (page, CSV and PDF).

Every view fetches through `scoped(request, ...)` before it checks the role, so an id from
another partnership is a 404 whatever the role; administrators and officers edit
(grants.permissions), everyone else reads.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from saferplaces.core.audit import history_of
from saferplaces.grants import permissions, returns
from saferplaces.grants.forms import (
    AllocationForm,
    GrantForm,
    ReportingDateForm,
    SpendForm,
    save_guarded,
)
from saferplaces.grants.models import Allocation, Grant, GrantReportingDate, Spend
from saferplaces.grants.summary import grant_summary
from saferplaces.partnership.access import partnership_view, scoped, url_in

GRANTS_PER_PAGE = 20
SPEND_PER_PAGE = 25


def _require_editor(request) -> None:
    if not permissions.can_edit_grants(request.membership):
        raise PermissionDenied("Your role does not allow this.")


def _grant(request, pk) -> Grant:
    return get_object_or_404(scoped(request, Grant.objects), pk=pk)


def _allocation(request, pk) -> Allocation:
    return get_object_or_404(
        scoped(request, Allocation.objects).select_related("grant", "action__plan"), pk=pk)


def _form_page(request, form, *, title, cancel_url, success_url, message, **attributes):
    """A create/edit page whose save may be refused by the money triggers."""
    if request.method == "POST" and form.is_valid():
        obj = save_guarded(form, **attributes)
        if obj is not None:
            messages.success(request, message.format(obj=obj))
            return redirect(success_url(obj))
    return render(request, "core/form.html", {"form": form, "title": title,
                                              "cancel_url": cancel_url})


@partnership_view
def grant_list(request):
    """The partnership's grants with their figures, newest year first.

    Template grants/list.html; context: page (a page of (grant, figures)), can_edit.
    """
    grants = scoped(request, Grant.objects).prefetch_related("allocations__spends")
    page = Paginator(grants, GRANTS_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = [(grant, grant_summary(grant)) for grant in page.object_list]
    return render(request, "grants/list.html", {
        "page": page, "can_edit": permissions.can_edit_grants(request.membership)})


@partnership_view
def grant_detail(request, pk):
    """A grant: its terms, figures, allocations (with spend) and reporting dates.

    Template grants/detail.html; context: grant, figures (grant_summary), reporting_dates,
    can_edit, history.
    """
    grant = _grant(request, pk)
    return render(request, "grants/detail.html", {
        "grant": grant, "figures": grant_summary(grant),
        "reporting_dates": grant.reporting_dates.all(),
        "can_edit": permissions.can_edit_grants(request.membership),
        "history": history_of(grant),
    })


@partnership_view
def grant_edit(request, pk=None):
    """Create or edit a grant (administrators and officers). Template core/form.html."""
    grant = _grant(request, pk) if pk else None
    _require_editor(request)
    form = GrantForm(request.POST or None, instance=grant, partnership=request.partnership)
    return _form_page(
        request, form, title=f"Edit {grant}" if grant else "New grant",
        cancel_url=url_in(request, "grant_detail", pk) if pk else url_in(request, "grant_list"),
        success_url=lambda obj: url_in(request, "grant_detail", obj.pk),
        message="Saved {obj}.")


@partnership_view
def reporting_date_edit(request, pk, date_pk=None):
    """Add or change a date a report to the funder is due. Template core/form.html."""
    grant = _grant(request, pk)
    due = get_object_or_404(GrantReportingDate.objects.filter(grant=grant), pk=date_pk) \
        if date_pk else None
    _require_editor(request)
    form = ReportingDateForm(request.POST or None, instance=due, grant=grant)
    back = url_in(request, "grant_detail", grant.pk)
    return _form_page(request, form, title=f"Reporting date for {grant}", cancel_url=back,
                      success_url=lambda obj: back, message="Saved the reporting date.")


@partnership_view
def allocation_edit(request, pk=None, grant_pk=None):
    """Allocate part of a grant to a plan action or a commissioned project, or change an
    allocation (administrators and officers). Template core/form.html."""
    allocation = _allocation(request, pk) if pk else None
    grant = allocation.grant if allocation else _grant(request, grant_pk)
    _require_editor(request)
    form = AllocationForm(request.POST or None, instance=allocation, grant=grant)
    return _form_page(
        request, form,
        title=f"Edit allocation: {allocation}" if allocation else f"Allocate from {grant}",
        cancel_url=url_in(request, "grant_detail", grant.pk),
        success_url=lambda obj: url_in(request, "allocation_detail", obj.pk),
        message="Saved the allocation to {obj}.")


@partnership_view
def allocation_detail(request, pk):
    """An allocation and the spend recorded against it.

    Template grants/allocation.html; context: allocation, grant, page (of spend), spent,
    remaining, can_edit, history.
    """
    allocation = _allocation(request, pk)
    figures = next(row for row in grant_summary(allocation.grant)["allocations"]
                   if row["id"] == allocation.pk)
    page = Paginator(allocation.spends.all(), SPEND_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "grants/allocation.html", {
        "allocation": allocation, "grant": allocation.grant, "page": page,
        "spent": figures["spent"], "remaining": figures["remaining"],
        "can_edit": permissions.can_edit_grants(request.membership),
        "history": history_of(allocation),
    })


@partnership_view
def spend_edit(request, pk=None, allocation_pk=None):
    """Record spend against an allocation, or correct it. Template core/form.html."""
    spend = get_object_or_404(scoped(request, Spend.objects).select_related("allocation"),
                              pk=pk) if pk else None
    allocation = _allocation(request, spend.allocation_id if spend else allocation_pk)
    _require_editor(request)
    form = SpendForm(request.POST or None, instance=spend, allocation=allocation)
    back = url_in(request, "allocation_detail", allocation.pk)
    extra = {} if spend else {"recorded_by": request.user}
    return _form_page(request, form, title=f"Spend against {allocation}", cancel_url=back,
                      success_url=lambda obj: back, message="Saved the spend.", **extra)


@partnership_view
def grant_return(request, pk, file_format="html"):
    """The end-of-year return to the funder (grants.returns) as a page, CSV or PDF.

    Template grants/return.html; context: the return's content (grant, figures, rows,
    spends, prepared_on, reporting_dates).
    """
    grant = _grant(request, pk)
    content = returns.build_return(grant)
    name = f"grant-{grant.pk}-return-{grant.year}"
    if file_format == "csv":
        response = HttpResponse(returns.return_csv(content), content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    if file_format == "pdf":
        response = HttpResponse(returns.render_pdf(content), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
        return response
    return render(request, "grants/return.html", content)
