"""The scorecard: every indicator judged for one period, grouped by priority. Plain data used by
the scorecard page, the exceptions view, data-quality flags and the board report."""

from __future__ import annotations

import datetime
import functools
import hashlib
from dataclasses import dataclass, field

from saferplaces.core import clock, periods
from saferplaces.performance import rules, units
from saferplaces.performance.models import (
    COUNTING_STATUSES,
    Indicator,
    IndicatorKind,
    IndicatorValue,
    Unit,
    ValueStatus,
)


@dataclass
class IndicatorRow:
    """One indicator judged for one period."""

    indicator: Indicator
    period: periods.Period
    value: IndicatorValue | None
    target: float | None
    rag: rules.RagResult
    travel: rules.TravelResult
    significance: rules.SignificanceResult | None
    peer: rules.PeerResult | None
    peer_note: str
    previous: IndicatorValue | None
    last_year: IndicatorValue | None
    flags: list[rules.Flag] = field(default_factory=list)

    @property
    def is_exception(self) -> bool:
        """Red, or significantly worse than the previous period or last year."""
        worse = self.significance is not None and self.significance.judgement == "worsening"
        return self.rag.status == "red" or worse

    @property
    def value_number(self) -> float | None:
        return self.value.value if self.value else None


@dataclass
class PriorityGroup:
    title: str
    rows: list[IndicatorRow]


@dataclass
class Scorecard:
    partnership: object
    period: periods.Period
    groups: list[PriorityGroup]

    @property
    def rows(self) -> list[IndicatorRow]:
        seen, rows = set(), []
        for group in self.groups:
            for row in group.rows:
                if row.indicator.pk not in seen:
                    seen.add(row.indicator.pk)
                    rows.append(row)
        return rows

    @property
    def exceptions(self) -> list[IndicatorRow]:
        return [row for row in self.rows if row.is_exception]

    @property
    def no_rag_count(self) -> int:
        """Indicators without a RAG status (contextual, or no value or target)."""
        return self.rag_counts[None]

    @property
    def rag_counts(self) -> dict[str, int]:
        counts = {"green": 0, "amber": 0, "red": 0, None: 0}
        for row in self.rows:
            counts[row.rag.status] += 1
        return counts


def indicator_period(indicator: Indicator, report_period: periods.Period) -> periods.Period:
    """The indicator's own period ending with the report period: its latest month for monthly
    indicators, the quarter for quarterly ones, the financial year for annual ones."""
    if indicator.frequency == "monthly":
        return periods.period_containing("month", report_period.end)
    if indicator.frequency == "annual":
        return periods.period_containing("financial_year", report_period.start)
    return report_period


def _value(indicator: Indicator, code: str, values: dict) -> IndicatorValue | None:
    value = values.get(code)
    return value if value is not None and value.status in COUNTING_STATUSES else None


def judge(indicator: Indicator, report_period: periods.Period, today: datetime.date | None = None,
          values: dict | None = None) -> IndicatorRow:
    """Judge one indicator for the report period: RAG, travel, significance, peers, flags."""
    period = indicator_period(indicator, report_period)
    if values is None:
        values = {v.period: v for v in indicator.values.all()}
    current = _value(indicator, period.code, values)
    previous = _value(indicator, periods.previous_period(period).code, values)
    last_year = _value(indicator, periods.same_period_last_year(period).code, values)
    target = next((t.value for t in indicator.targets.all() if t.period == period.code), None)
    number = current.value if current else None
    rag = rules.rag(number, target, indicator.polarity, tolerance=indicator.tolerance,
                    tolerance_type=indicator.tolerance_type, trend_aware=indicator.trend_aware,
                    same_period_last_year=last_year.value if last_year else None,
                    kind=indicator.kind, decimals=units.decimals(indicator.unit))
    travel = rules.travel(number, previous.value if previous else None,
                          last_year.value if last_year else None, indicator.polarity)
    significance = None
    if current is not None and (indicator.unit == Unit.COUNT or current.numerator is not None):
        significance = rules.count_significance(
            _whole(current), _whole(last_year), indicator.polarity)
    peer, peer_note = _peer(indicator, period, current)
    row = IndicatorRow(indicator, period, current, target, rag, travel, significance, peer,
                       peer_note, previous, last_year)
    row.flags = _flags(indicator, values, today or clock.today(indicator.partnership))
    return row


def _whole(value: IndicatorValue | None) -> int | None:
    """The count behind a value, for the Poisson test (None when there is no count)."""
    if value is None:
        return None
    number = value.numerator if value.numerator is not None else value.value
    return int(number) if float(number).is_integer() else None


def _peer(indicator: Indicator, period: periods.Period,
          current: IndicatorValue | None) -> tuple[rules.PeerResult | None, str]:
    if indicator.peer_group_id is None:
        return None, ""
    peers = [v for v in indicator.peer_values.all() if v.period == period.code]
    if not peers:
        return None, "No peer data for this period."
    if current is None or current.numerator is None or not current.denominator:
        return None, "Peer comparison needs this area's count and population."
    try:
        result = rules.peer_position(int(current.numerator), current.denominator,
                                     [p.count for p in peers], [p.population for p in peers],
                                     polarity=indicator.polarity)
    except ValueError as exc:
        return None, str(exc)
    return result, ""


def _flags(indicator: Indicator, values: dict, today: datetime.date) -> list[rules.Flag]:
    counted = [v for v in values.values() if v.status in COUNTING_STATUSES]
    latest = max((v.period_end for v in counted), default=None)
    waiting = sum(1 for v in values.values() if v.status == ValueStatus.SUBMITTED)
    return rules.data_quality_flags(
        has_baseline=indicator.baseline_value is not None, latest_period_end=latest,
        frequency=indicator.frequency, today=today, unapproved_count=waiting)


def simulated_values_sentence(values: list[IndicatorValue]) -> str:
    """How many of the values shown rest on simulated demonstration months: "all 8 values
    shown include simulated months", "3 of the 11 values shown include simulated months";
    "" when none does."""
    count = sum(1 for value in values if value.includes_simulated)
    if count == 0:
        return ""
    if len(values) == 1:
        return "the 1 value shown includes simulated months"
    if count == len(values):
        return f"all {count} values shown include simulated months"
    verb = "includes" if count == 1 else "include"
    return f"{count} of the {len(values)} values shown {verb} simulated months"


REPORT_DUE_DAYS = 45


def as_at(period: periods.Period, today: datetime.date | None = None) -> datetime.date:
    """The date data-quality flags are judged at: today, or for a past period the date its
    board report was due (45 days after it ended), so an old quarter's scorecard shows what
    was missing then rather than everything since."""
    today = today or clock.today()
    return min(today, period.end + datetime.timedelta(days=REPORT_DUE_DAYS))


def build(partnership, period: periods.Period, today: datetime.date | None = None) -> Scorecard:
    """The scorecard for a partnership and period, grouped by the priorities evidenced.
    Data-quality flags are judged as at `as_at(period, today)`."""
    today = as_at(period, today or clock.today(partnership))
    indicators = list(
        Indicator.objects.filter(partnership=partnership)
        .select_related("owner", "peer_group").prefetch_related(
            "priorities", "targets", "values", "peer_values__member"))
    rows = {i.pk: judge(i, period, today, {v.period: v for v in i.values.all()})
            for i in indicators}
    groups: dict[tuple[int, str], list[IndicatorRow]] = {}
    for indicator in indicators:
        keys = [(p.number, p.title) for p in indicator.priorities.all()]
        for key in keys or [(999, "Other indicators")]:
            groups.setdefault(key, []).append(rows[indicator.pk])
    return Scorecard(partnership, period,
                     [PriorityGroup(key[1], groups[key]) for key in sorted(groups)])


def data_version(partnership) -> str:
    """Changes whenever anything the scorecard shows changes: the partnership and its
    organisations, strategies, priorities and aims; its indicators (with their links to
    priorities and aims), targets and values; its peer groups, their members and peer values.

    Models with an audit trail are followed through their history tables (each save and
    delete adds a row); peer members and peer values, which have none, are read whole."""
    from django.db.models import Count, Max

    from saferplaces.partnership.models import Organisation, Partnership
    from saferplaces.performance.models import (
        IndicatorTarget,
        PeerGroup,
        PeerGroupMember,
        PeerValue,
    )
    from saferplaces.strategy.models import Aim, Priority, Strategy

    pk = partnership.pk
    histories = [
        (Partnership, {"id": pk}),
        (Organisation, {"partnership_id": pk}),
        (Strategy, {"partnership_id": pk}),
        (Priority, {"strategy__partnership_id": pk}),
        (Aim, {"priority__strategy__partnership_id": pk}),
        (Indicator, {"partnership_id": pk}),
        (IndicatorTarget, {"indicator__partnership_id": pk}),
        (IndicatorValue, {"indicator__partnership_id": pk}),
        (PeerGroup, {"partnership_id": pk}),
    ]
    parts: list = [tuple(_history_of(model).objects.filter(**where).aggregate(
        n=Count("history_id"), last=Max("history_date")).values())
        for model, where in histories]
    parts.append(list(PeerGroupMember.objects.filter(group__partnership_id=pk)
                      .order_by("pk").values_list("pk", "group_id", "code", "name")))
    parts.append(list(PeerValue.objects.filter(indicator__partnership_id=pk)
                      .order_by("pk").values_list("pk", "indicator_id", "member_id", "period",
                                                  "count", "population")))
    return repr(parts)


@functools.cache
def _history_of(model):
    """The audit-trail model of ``model`` (``model.history`` builds a new manager each time,
    which cost more than the query)."""
    return model.history.model


def cache_key(prefix: str, partnership, period: periods.Period) -> str:
    """A key that changes when anything the partnership's scorecard shows changes (see
    ``data_version``) and with the date its data-quality flags are judged at."""
    version = hashlib.sha256(data_version(partnership).encode()).hexdigest()
    judged = as_at(period, clock.today(partnership))
    return f"{prefix}:{partnership.pk}:{period.code}:{judged}:{version}"


def build_cached(partnership, period: periods.Period) -> Scorecard:
    """`build`, remembered until the data behind it changes (or a day passes, since data
    quality flags depend on the date)."""
    from django.core.cache import cache

    key = cache_key("scorecard", partnership, period)
    card = cache.get(key)
    if card is None:
        card = build(partnership, period)
        cache.set(key, card, timeout=24 * 3600)
    return card


def latest_period(partnership) -> periods.Period | None:
    """The latest financial quarter, ended by the partnership's clock, for which any
    indicator has a counting value."""
    latest = (IndicatorValue.objects.filter(indicator__partnership=partnership,
                                            status__in=COUNTING_STATUSES,
                                            period_end__lt=clock.today(partnership))
              .order_by("-period_end").values_list("period_end", flat=True).first())
    if latest is None:
        return None
    return periods.latest_complete("financial_quarter", latest)


def contextual(indicator: Indicator) -> bool:
    return indicator.kind == IndicatorKind.CONTEXTUAL
