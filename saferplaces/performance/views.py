"""Performance framework pages: scorecard, exceptions, data quality, indicators, submissions."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from saferplaces.core import charts, clock, params, periods
from saferplaces.core.audit import history_of
from saferplaces.crime import stats
from saferplaces.partnership.access import partnership_view, scoped, url_in
from saferplaces.performance import permissions, review, scorecard, scorecard_export, units
from saferplaces.performance.models import (
    COUNTING_STATUSES,
    Indicator,
    IndicatorValue,
    ValueStatus,
)


def _period(request) -> periods.Period | None:
    """?period= if valid, else (with the reason shown) the latest quarter with values."""
    return (params.or_default(request, None, params.period)
            or scorecard.latest_period(request.partnership))


def _recent_quarters(period: periods.Period | None, n: int = 8) -> list[periods.Period]:
    quarters, current = [], period
    for _ in range(n if period else 0):
        quarters.append(current)
        current = periods.previous_period(current)
    return quarters


def _labels(card: scorecard.Scorecard) -> dict:
    rows = card.rows
    return {
        "illustrative": any(r.indicator.is_illustrative for r in rows),
        "simulated": scorecard.simulated_values_sentence(
            [r.value for r in rows if r.value is not None]),
    }


def _empty(request, title: str):
    return render(request, "performance/empty.html", {"title": title})


@partnership_view
def scorecard_page(request):
    """Every indicator judged for a quarter, grouped by priority.

    Template performance/scorecard.html; context: card, period, quarters, labels.
    """
    period = _period(request)
    if period is None:
        return _empty(request, "Performance scorecard")
    body, labels = _scorecard_body(request, period)
    return render(request, "performance/scorecard.html", {
        "body": body, "period": period, "quarters": _recent_quarters(scorecard.latest_period(
            request.partnership)), **labels})


def _scorecard_body(request, period: periods.Period) -> tuple[str, dict]:
    """The scorecard tables as HTML, rendered once per data version (the page's costly part:
    judging every indicator and rendering every row)."""
    key = scorecard.cache_key("scorecard-html", request.partnership, period)
    found = cache.get(key)
    if found is None:
        card = scorecard.build(request.partnership, period)
        html = render_to_string("performance/_scorecard_body.html",
                                {"card": card, "period": period,
                                 "partnership": request.partnership})
        found = (html, _labels(card))
        cache.set(key, found, timeout=24 * 3600)
    return mark_safe(found[0]), found[1]


@partnership_view
def scorecard_download(request, file_format: str):
    """The scorecard for ?period= (default: the latest quarter) as CSV or XLSX."""
    period = _period(request)
    if period is None:
        return _empty(request, "Performance scorecard")
    card = scorecard.build_cached(request.partnership, period)
    name = f"scorecard-{request.partnership.slug}-{period.code}.{file_format}"
    if file_format == "csv":
        response = HttpResponse(scorecard_export.to_csv(card), content_type="text/csv")
    else:
        response = HttpResponse(scorecard_export.to_xlsx(card), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@partnership_view
def exceptions_page(request):
    """Indicators that are red or significantly worse. Template performance/exceptions.html."""
    period = _period(request)
    if period is None:
        return _empty(request, "Exceptions")
    card = scorecard.build_cached(request.partnership, period)
    return render(request, "performance/exceptions.html",
                  {"card": card, "period": period, **_labels(card)})


def _approvable(values, user) -> set[int]:
    """Ids of the values the user may approve under the four-eyes rule."""
    return {value.pk for value in values if review.may_approve(value, user)}


def _reviews(indicator: Indicator) -> list:
    """The indicator's approvals and returns, newest first, from the values' history."""
    return list(IndicatorValue.history.filter(indicator_id=indicator.pk)
                .exclude(history_change_reason__isnull=True)
                .exclude(history_change_reason="")
                .filter(Q(history_change_reason__startswith="Approved")
                        | Q(history_change_reason__startswith="Returned"))
                .select_related("history_user").order_by("-history_date")[:50])


@partnership_view
def data_quality_page(request):
    """Missing baselines, overdue values and values awaiting approval.

    Template performance/data_quality.html.
    """
    period = _period(request)
    if period is None:
        return _empty(request, "Data quality")
    card = scorecard.build_cached(request.partnership, period)
    waiting = scoped(request, IndicatorValue.objects).filter(
        status=ValueStatus.SUBMITTED).select_related("indicator__partnership", "submitted_by")
    return render(request, "performance/data_quality.html", {
        "card": card, "period": period, "flagged": [r for r in card.rows if r.flags],
        "waiting": waiting, "approvable": _approvable(waiting, request.user),
        "can_review": permissions.can_review_values(request.membership)})


class SubmitValueForm(forms.Form):
    period = forms.CharField(label="Period", max_length=20,
                             help_text="For example 2020-Q3 (Oct–Dec 2020), 2020-09 or 2020/21.")
    value = forms.FloatField(label="Value")
    numerator = forms.FloatField(label="Numerator (count)", required=False,
                                 help_text="The count behind a rate or percentage, if any.")
    denominator = forms.FloatField(label="Denominator", required=False,
                                   help_text="The population or total behind it, if any.")
    commentary = forms.CharField(label="Commentary", widget=forms.Textarea(attrs={"rows": 3}),
                                 help_text="What explains this figure, and what is being done.")

    def __init__(self, *args, indicator: Indicator, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator

    def clean_period(self):
        text = self.cleaned_data["period"]
        try:
            period = periods.parse_period(text)
        except ValueError as exc:
            raise forms.ValidationError(str(exc), code="bad_period") from None
        wanted = periods.FREQUENCY_KINDS[self.indicator.frequency]
        if period.kind != wanted:
            raise forms.ValidationError(
                f"This indicator is {self.indicator.get_frequency_display().lower()}: give a "
                f"{wanted.replace('_', ' ')}.", code="wrong_frequency")
        if period.end >= clock.today(self.indicator.partnership):
            raise forms.ValidationError("That period has not ended yet.", code="future")
        existing = self.indicator.values.filter(period=period.code).first()
        if existing is not None and existing.status == ValueStatus.APPROVED:
            raise forms.ValidationError(
                "A value for this period is already approved; ask an administrator to return "
                "it if it needs correcting.", code="already_approved")
        self.parsed_period = period
        return period.code

    def clean(self):
        cleaned = super().clean()
        numerator, denominator = cleaned.get("numerator"), cleaned.get("denominator")
        if denominator is not None and denominator <= 0:
            self.add_error("denominator", "The denominator must be more than 0.")
        if numerator is not None and numerator < 0:
            self.add_error("numerator", "The numerator cannot be negative.")
        return cleaned


def _indicator(request, code) -> Indicator:
    return get_object_or_404(
        scoped(request, Indicator.objects).select_related("owner", "peer_group")
        .prefetch_related("priorities", "aims", "targets", "values", "peer_values__member"),
        code=code)


def _chart(indicator: Indicator) -> dict:
    targets = {t.period: t.value for t in indicator.targets.all()}
    peers: dict[str, list] = {}
    for pv in indicator.peer_values.all():
        peers.setdefault(pv.period, []).append(pv)
    points = []
    for value in indicator.values.all():
        if value.status not in COUNTING_STATUSES:
            continue
        peer_rate = low = high = None
        if value.period in peers and value.denominator:
            group = peers[value.period]
            peer_rate = sum(p.count for p in group) / sum(p.population for p in group) * 1000
            low, high = stats.funnel_limits(peer_rate, value.denominator)[0.95]
        points.append({"month": periods.month_code(value.period_start), "value": value.value,
                       "target": targets.get(value.period), "peer": peer_rate,
                       "peer_low": low, "peer_high": high,
                       "simulated": value.includes_simulated})
    return charts.indicator_chart(points, f"{indicator.code} {indicator.name}",
                                  indicator.get_unit_display(),
                                  y_format=units.chart_format(indicator.unit))


@partnership_view
def indicator_page(request, code):
    """One indicator: judgement for the latest quarter, chart, values, targets, submission
    form for its owner, approval for administrators. Template performance/indicator.html.
    """
    indicator = _indicator(request, code)
    period = _period(request)
    today = clock.today(request.partnership)
    row = scorecard.judge(indicator, period, scorecard.as_at(period, today)) if period else None
    can_submit = permissions.can_submit_value(request.membership, indicator)
    return render(request, "performance/indicator.html", {
        "indicator": indicator, "row": row, "period": period,
        "spec": _chart(indicator),
        "values": indicator.values.select_related("submitted_by", "reviewed_by").order_by(
            "-period_start"),
        "targets": indicator.targets.order_by("period"),
        "form": SubmitValueForm(indicator=indicator) if can_submit else None,
        "can_submit": can_submit,
        "can_review": permissions.can_review_values(request.membership),
        "approvable": _approvable(indicator.values.all(), request.user),
        "reviews": _reviews(indicator),
        "history": history_of(indicator),
    })


@partnership_view
@require_POST
def submit_value(request, code):
    """A partner officer submits a value; it counts once an administrator approves it."""
    indicator = _indicator(request, code)
    if not permissions.can_submit_value(request.membership, indicator):
        raise PermissionDenied("Only the owner organisation's officers can submit values.")
    form = SubmitValueForm(request.POST, indicator=indicator)
    if not form.is_valid():
        row = None
        return render(request, "performance/indicator.html", {
            "indicator": indicator, "row": row, "period": None, "spec": _chart(indicator),
            "values": indicator.values.order_by("-period_start"),
            "targets": indicator.targets.order_by("period"), "form": form, "can_submit": True,
            "can_review": permissions.can_review_values(request.membership),
            "approvable": _approvable(indicator.values.all(), request.user),
            "reviews": _reviews(indicator), "history": history_of(indicator)}, status=422)
    period = form.parsed_period
    data = form.cleaned_data
    IndicatorValue.objects.update_or_create(
        indicator=indicator, period=period.code,
        defaults={"period_start": period.start, "period_end": period.end,
                  "value": data["value"], "numerator": data["numerator"],
                  "denominator": data["denominator"], "commentary": data["commentary"],
                  "status": ValueStatus.SUBMITTED, "submitted_by": request.user,
                  "reviewed_by": None, "reviewed_at": None, "review_note": "",
                  "self_approved": False})
    messages.success(request, f"Submitted {indicator.code} for {period.label}; it will count "
                              "once an administrator approves it.")
    return redirect(url_in(request, "indicator", indicator.code))


@partnership_view
@require_POST
def review_value(request, pk):
    """An administrator approves a submitted value (not one they submitted, unless the
    partnership allows self-approval), or returns a submitted or approved one with a reason
    (performance.review)."""
    value = get_object_or_404(
        scoped(request, IndicatorValue.objects).select_related("indicator__partnership"),
        pk=pk)
    if not permissions.can_review_values(request.membership):
        raise PermissionDenied("Only administrators approve values.")
    decision = request.POST.get("decision")
    back = request.POST.get("next", "")
    # Only a path on this site: redirect() would take a bare word such as "0" for a view name.
    if not back.startswith("/") or not url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}):
        back = url_in(request, "indicator", value.indicator.code)
    note = request.POST.get("note", "")
    try:
        if decision == review.APPROVE:
            review.approve(value, request.user, note.strip())
        elif decision == review.RETURN:
            review.return_value(value, request.user, note)
        else:
            raise ValidationError("Choose approve or return.", code="unknown_decision")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(back)
    verb = "approved" if decision == review.APPROVE else "returned"
    messages.success(request, f"{value.indicator.code} {value.period} {verb}.")
    return redirect(back)
