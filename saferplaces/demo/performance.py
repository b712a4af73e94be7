"""The demo's performance framework: eleven Wolverhampton indicators across the four
priorities, some computed from the evidence base, some partner-submitted. Submitted values and
peer data are illustrative (generated with a fixed seed) and flagged as such wherever shown.
Targets are illustrative policy choices: a stated reduction on the baseline period."""

from __future__ import annotations

import numpy as np

from saferplaces.core import periods
from saferplaces.demo.sync import sync as _sync
from saferplaces.performance import units
from saferplaces.performance.compute import recompute
from saferplaces.performance.models import (
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    PeerGroup,
    PeerGroupMember,
    PeerValue,
    ValueStatus,
)
from saferplaces.strategy.models import Priority

SEED = 20201021  # the date of the founding report
QUARTERS = [f"{year}-Q{q}" for year in (2018, 2019) for q in (1, 2, 3, 4)] + [
    "2020-Q1", "2020-Q2", "2020-Q3"]
REPORT_PERIOD = "2020-Q3"  # October to December 2020: Q3 of 2020/21

# Peers: other CSPs of similar size and make-up (illustrative choice of group).
# Codes from the ONS LAD22-CSP22 lookup in demo/data.
PEERS = [("E22000340", "Walsall"), ("E22000338", "Sandwell"), ("E22000337", "Dudley"),
         ("E22000099", "Bolton"), ("E22000104", "Salford"), ("E22000336", "Coventry")]

# code, name, definition, kind, polarity, unit, frequency, owner, priorities, source,
# crime types, measure, target change on baseline (fraction), peer group?
INDICATORS = [
    ("PV1", "Violence and sexual offences per 1,000 residents",
     "police.uk 'Violence and sexual offences' in Wolverhampton's LSOAs in the quarter, per "
     "1,000 residents (Census 2011).", "performance", "lower", "rate", "quarterly", "WMP",
     ["Preventing violence"], "computed", ["Violence and sexual offences"], "rate", -0.05,
     True),
    ("PV2", "Possession of weapons offences", "police.uk 'Possession of weapons' in the "
     "quarter (largely found by proactive policing, so monitored, not targeted).",
     "contextual", "lower", "count", "quarterly", "WMP", ["Preventing violence"], "computed",
     ["Possession of weapons"], "count", None, False),
    ("PV3", "Robbery offences", "police.uk 'Robbery' in the quarter.", "performance", "lower",
     "count", "quarterly", "WMP", ["Preventing violence", "Reducing harm"], "computed",
     ["Robbery"], "count", -0.05, False),
    ("RH1", "Crime harm (Cambridge Crime Harm Index days)", "Harm-weighted total of all "
     "police.uk crime in the quarter, using the default CCHI 2020 weights.", "performance",
     "lower", "harm", "quarterly", "CWC", ["Reducing harm"], "computed", [], "harm", -0.03,
     False),
    # No repeat-locations indicator: the simulated months resample the June 2018 points, so
    # their repeat locations stay flat whatever the volume (docs/demo.md).
    ("CC1", "Anti-social behaviour incidents", "police.uk 'Anti-social behaviour' incidents in "
     "the quarter.", "performance", "lower", "count", "quarterly", "CWC",
     ["Building community capacity"], "computed", ["Anti-social behaviour"], "count", -0.05,
     False),
    ("RO1", "Proven reoffending rate (adults)", "Percentage of adult offenders in the cohort "
     "who reoffend within 12 months (MoJ proven reoffending, local cohort).", "performance",
     "lower", "percent", "quarterly", "NPS", ["Reducing offending"], "submitted", [], "", -0.03,
     False),
    ("RO2", "First-time entrants to the youth justice system",
     "Young people aged 10-17 receiving their first caution or conviction in the quarter.",
     "performance", "lower", "count", "quarterly", "CWC", ["Reducing offending"], "submitted",
     [], "", -0.10, False),
    ("RH3", "Domestic abuse incidents recorded", "Domestic abuse incidents and crimes recorded "
     "by the police in Wolverhampton in the quarter (more reporting is the aim).", "contextual",
     "higher", "count", "quarterly", "WMP", ["Reducing harm"], "submitted", [], "", None,
     False),
    ("RH4", "Hate crime reports", "Hate crimes and incidents reported to the police and third "
     "party reporting centres in the quarter (aim: increase reporting).", "performance",
     "higher", "count", "quarterly", "WMP", ["Reducing harm", "Building community capacity"],
     "submitted", [], "", 0.10, False),
    ("CC2", "Residents who feel safe after dark", "Percentage of survey respondents who feel "
     "fairly or very safe outside in their area after dark (quarterly resident survey).",
     "performance", "higher", "percent", "quarterly", "CWC", ["Building community capacity"],
     "submitted", [], "", 0.02, False),
    ("RO3", "IOM cohort offenders in employment or training", "Percentage of the Integrated "
     "Offender Management cohort in employment, education or training.", "performance",
     "higher", "percent", "quarterly", "CRC", ["Reducing offending"], "submitted", [], "",
     0.05, False),
]

# Illustrative levels for the submitted indicators: (starting level, quarterly drift, noise).
SUBMITTED_LEVELS = {"RO1": (29.0, -0.15, 0.8), "RO2": (38.0, -0.8, 4.0),
                    "RH3": (1450.0, 20.0, 60.0), "RH4": (105.0, 2.0, 10.0),
                    "CC2": (58.0, 0.3, 1.5), "RO3": (31.0, 0.4, 1.5)}
COMMENTARY = {
    "RO1": "Cohort reoffending continues to fall slowly; Covid-19 court backlogs delay proven "
           "outcomes, so recent quarters may be revised.",
    "RO2": "Diversion through the YOT triage scheme continues to reduce first-time entrants.",
    "RH3": "Reporting rose during lockdown, as expected; the partnership's communications "
           "campaign encouraged help-seeking.",
    "RH4": "Third-party reporting centres reopened in the autumn after lockdown closures.",
    "CC2": "Online survey during lockdown; the sample is smaller than usual.",
    "RO3": "Employment support moved online; placements fell during lockdown.",
}


def _priorities(strategy, titles):
    return list(Priority.objects.filter(strategy=strategy, title__in=titles))


def _peer_group(partnership) -> PeerGroup:
    group = _sync(PeerGroup, {"description": "Community safety partnerships of similar size, "
                              "density and deprivation to Wolverhampton (illustrative choice "
                              "and illustrative figures).", "is_illustrative": True},
                  partnership=partnership, name="Similar CSPs")
    for code, name in PEERS:
        _sync(PeerGroupMember, {"name": name}, group=group, code=code)
    return group


def load_framework(partnership, strategy) -> dict[str, int]:
    """Indicators, targets, illustrative submitted values and peer data; computed values from
    the evidence base. Idempotent."""
    orgs = {o.short_name: o for o in partnership.organisations.all()}
    group = _peer_group(partnership)
    rng = np.random.default_rng(SEED)
    made = {"indicators": 0, "values": 0}
    for (code, name, definition, kind, polarity, unit, frequency, owner, priority_titles,
         source, crime_types, measure, change, peers) in INDICATORS:
        indicator = _sync(Indicator, {
            "name": name, "definition": definition, "kind": kind, "polarity": polarity,
            "unit": unit, "frequency": frequency, "owner": orgs[owner], "source": source,
            "crime_types": crime_types, "measure": measure,
            "peer_group": group if peers else None,
            "is_illustrative": source == "submitted",
            "trend_aware": code in ("PV1", "RH1"),
        }, partnership=partnership, code=code)
        wanted = {p.pk for p in _priorities(strategy, priority_titles)}
        if set(indicator.priorities.values_list("pk", flat=True)) != wanted:
            indicator.priorities.set(wanted)
        made["indicators"] += 1
        if source == "submitted":
            made["values"] += _submitted_values(indicator, rng)
        else:
            made["values"] += recompute(indicator)
        _baseline_and_targets(indicator, change)
        if peers:
            _peer_values(indicator, group, rng)
    return made


def _submitted_values(indicator, rng) -> int:
    start, drift, noise = SUBMITTED_LEVELS[indicator.code]
    created = 0
    for i, code in enumerate(QUARTERS):
        value = round(start + drift * i + float(rng.normal(0, noise)), 1)
        if indicator.unit == "count":
            value = float(round(value))
        period = periods.parse_period(code)
        if IndicatorValue.objects.filter(indicator=indicator, period=code).exists():
            continue
        # The latest quarter of one indicator waits for approval, to show the workflow.
        waiting = code == REPORT_PERIOD and indicator.code == "RO3"
        IndicatorValue.objects.create(
            indicator=indicator, period=code, period_start=period.start, period_end=period.end,
            value=value, numerator=value if indicator.unit == "count" else None,
            status=ValueStatus.SUBMITTED if waiting else ValueStatus.APPROVED,
            commentary=COMMENTARY[indicator.code] if code == REPORT_PERIOD else "")
        created += 1
    return created


def _baseline_and_targets(indicator, change) -> None:
    baseline = IndicatorValue.objects.filter(indicator=indicator, period="2019-Q3").first()
    if baseline is None:
        return
    if indicator.baseline_period != "2019-Q3" or indicator.baseline_value != baseline.value:
        indicator.baseline_period, indicator.baseline_value = "2019-Q3", baseline.value
        indicator.save()
    if change is None:
        return
    for code in ("2020-Q1", "2020-Q2", "2020-Q3"):
        _sync(IndicatorTarget, {"value": units.rounded(baseline.value * (1 + change),
                                                       indicator.unit),
                                "horizon": "short"}, indicator=indicator, period=code)
    _sync(IndicatorTarget, {"value": units.rounded(baseline.value * (1 + 2 * change),
                                                   indicator.unit),
                            "horizon": "long"}, indicator=indicator, period="2022-Q3")


def _peer_values(indicator, group, rng) -> None:
    """Illustrative peer counts: each peer's own level around Wolverhampton's rate."""
    values = {v.period: v for v in indicator.values.all()}
    for member in group.members.all():
        level = float(rng.uniform(0.75, 1.25))
        population = int(rng.integers(250_000, 320_000))
        for code, value in values.items():
            if value.denominator is None or value.numerator is None:
                continue
            rate = value.numerator / value.denominator
            count = int(rng.poisson(rate * population * level))
            _sync(PeerValue, {"count": count, "population": population},
                  indicator=indicator, member=member, period=code)


def issue_demo_report(partnership, user) -> int:
    """Issue the Q3 2020/21 board report once (an issued report is frozen and never redone)."""
    from saferplaces.performance import report

    if report.issued_report(partnership, REPORT_PERIOD) is not None:
        return 0
    report.issue(report.draft(partnership, REPORT_PERIOD), user)
    return 1
