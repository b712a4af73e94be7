"""The evidence panel of each candidate topic, for a workshop's financial year: count, rate per
1,000 residents, harm, change against the previous year with the exact test, wards with Gi*
hot spots for its crime types, and the share of consultation responses raising it.

Every figure comes from the functions the evidence pages and commands use
(`crime.analytics.summarise`, `change`, `hotspots`, `crime.stats.poisson_change`,
`consultation.analysis.share`); this module only adds up a topic's crime types. The
assessment app may reuse `evidence_panels`.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field

from saferplaces.consultation.analysis import share
from saferplaces.consultation.models import Consultation, Response
from saferplaces.core.periods import Period, simulated_months_sentence
from saferplaces.crime import analytics, evidence, stats
from saferplaces.crime.analytics import AnalyticsError, NoHarmWeights

# A Gi* bin of 2 or more is a hot spot at the 95% level (p < 0.05), as the hotspot map shows.
HOT_SPOT_BIN = 2


@dataclass
class EvidencePanel:
    """One candidate topic's figures for the period."""

    crime_types: list[str]
    count: int | None = None
    rate: float | None = None
    harm: float | None = None
    previous_count: int | None = None
    change: stats.ChangeResult | None = None
    hotspot_wards: list[str] = field(default_factory=list)
    responses_raising: int | None = None
    responses: int | None = None
    response_share: float | None = None
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One paragraph for a draft strategy's priority."""
        parts = []
        if self.count is not None:
            rate = "" if self.rate is None else f" ({self.rate:.1f} per 1,000 residents)"
            parts.append(f"{self.count:,} crimes{rate} of {', '.join(self.crime_types)}")
        if self.change is not None:
            parts.append(self.change.sentence)
        if self.harm is not None:
            parts.append(f"harm score {self.harm:,.0f}")
        if self.hotspot_wards:
            parts.append("hot spots in " + ", ".join(self.hotspot_wards))
        if self.response_share is not None:
            parts.append(f"raised by {self.response_share:.0%} of consultation responses "
                         f"({self.responses_raising} of {self.responses})")
        return "; ".join(parts) + "." if parts else "No evidence figures for this topic."


@dataclass
class WorkshopEvidence:
    period: Period
    panels: dict[int, EvidencePanel]  # by candidate id
    notes: list[str] = field(default_factory=list)
    simulated: str = ""


def _first_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def evidence_panels(partnership, period: Period, candidates: list) -> WorkshopEvidence:
    """Every candidate's panel for `period` (candidates: objects with pk, crime_types and
    consultation_themes)."""
    result = WorkshopEvidence(period, {c.pk: EvidencePanel(list(c.crime_types))
                                       for c in candidates})
    try:
        place = evidence.place_for(partnership)
    except evidence.NoEvidence as error:
        result.notes.append(str(error))
    else:
        scope = place.scope(_first_month(period.start), _first_month(period.end))
        _add_crime_figures(result, scope, candidates)
        result.simulated = simulated_months_sentence(
            evidence.simulated_months(place), scope.start, scope.end)
    _add_consultation_shares(result, partnership, period, candidates)
    return result


def _add_crime_figures(result: WorkshopEvidence, scope, candidates: list) -> None:
    rates = {row.label: row for row in analytics.summarise(scope, "crime-type", "rate").rows}
    try:
        harms = {row.label: row.harm
                 for row in analytics.summarise(scope, "crime-type", "harm").rows}
    except NoHarmWeights as error:
        harms = None
        result.notes.append(str(error))
    changes = {row.label: row.against_previous
               for row in analytics.change(scope, "crime-type").rows}
    hot_wards = _hot_spot_wards(scope, {t for c in candidates for t in c.crime_types}, result)
    for candidate in candidates:
        types = list(candidate.crime_types)
        if not types:
            continue
        panel = result.panels[candidate.pk]
        panel.count = sum(rates[t].count for t in types if t in rates)
        known_rates = [rates[t].rate for t in types if t in rates]
        panel.rate = (math.fsum(known_rates) if known_rates and None not in known_rates
                      else None)
        if harms is not None:
            panel.harm = math.fsum(harms.get(t) or 0.0 for t in types)
        current = sum(changes[t].current for t in types if t in changes)
        panel.previous_count = sum(changes[t].previous for t in types if t in changes)
        panel.change = stats.poisson_change(current, panel.previous_count)
        panel.hotspot_wards = sorted({w for t in types for w in hot_wards.get(t, [])})


def _hot_spot_wards(scope, crime_types: set[str], result: WorkshopEvidence
                    ) -> dict[str, list[str]]:
    """Crime type -> names of the wards holding an LSOA that is a Gi* hot spot for it."""
    wards = analytics.ward_lookup(scope.lsoa_codes, on=scope.end)
    found: dict[str, list[str]] = {}
    for crime_type in sorted(crime_types):
        try:
            hot = analytics.hotspots(scope, crime_type)
        except (AnalyticsError, ValueError) as error:
            result.notes.append(f"Hot spots not shown: {error}")
            return found
        found[crime_type] = sorted({wards[row.code].name for row in hot.result.rows
                                    if row.bin >= HOT_SPOT_BIN and row.code in wards})
    return found


def _add_consultation_shares(result: WorkshopEvidence, partnership, period: Period,
                             candidates: list) -> None:
    """Responses to the partnership's consultations open during the period whose answers
    carry one of the topic's themes, as a share of all their responses."""
    consultations = Consultation.objects.for_partnership(partnership).filter(
        opens_on__lte=period.end, closes_on__gte=period.start)
    responses = Response.objects.filter(consultation__in=consultations)
    total = responses.count()
    if not total:
        result.notes.append("No consultation responses in the period.")
        return
    for candidate in candidates:
        if not candidate.consultation_themes:
            continue
        raising = responses.filter(
            answers__themes__name__in=candidate.consultation_themes).distinct().count()
        panel = result.panels[candidate.pk]
        panel.responses_raising, panel.responses = raising, total
        panel.response_share = share(raising, total)

