"""The figures of each section of a strategic assessment, as plain JSON-serialisable data.

No figure is worked out here in a new way. Crime figures are the rows of the evidence
commands (``crime summary``, ``crime change``, ``crime hotspots``, ``crime repeats``,
``crime outcomes``, ``crime stop-search``), built by the same functions the commands call;
community views come from consultation/results.py, delivery from the action plan and
strategy/services.py ``compare_plans``, performance from the board report's scorecard
(performance/report.py). This module only chooses, orders and labels rows.

Every section is a dict: key, title, source (where the figures come from), coverage (how
many months are real or simulated, where that applies), sentence (opening line), tables
(caption, header, rows of plain values), charts (Vega-Lite specs with their figures as a
table) and empty (why there is nothing to show, or "").
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from saferplaces.core import periods
from saferplaces.core.numbers import format_number
from saferplaces.core.words import date_text

REPEAT_ROWS_SHOWN = 15
WARDS_MOST_AFFECTED = 5
SOURCE_POLICE = ("police.uk street-level crime (Open Government Licence v3.0), as imported "
                 "into saferplaces")


@dataclass
class Context:
    """What every section needs: the partnership, its area and force, the period and the
    crime scope built exactly as the evidence commands build theirs."""

    partnership: object
    area: object | None
    force: str | None
    period: periods.Period
    today: datetime.date
    serious_violence_types: list[str]
    workshop: object | None = None

    @property
    def first_month(self) -> datetime.date:
        return self.period.start.replace(day=1)

    @property
    def last_month(self) -> datetime.date:
        return self.period.end.replace(day=1)

    def scope(self):
        """The crime scope of ``crime summary --area CODE --force F --from --to``."""
        from saferplaces.crime.analytics import Scope

        return Scope.build(self.first_month, self.last_month, self.force,
                           self.area.code if self.area else None)

    def command_arguments(self) -> list[str]:
        """The evidence-command arguments that give the same figures (for the source line)."""
        import shlex

        args = ["--from", periods.month_code(self.first_month), "--to",
                periods.month_code(self.last_month)]
        if self.area is not None:
            args = ["--area", self.area.code, *args]
        if self.force:
            args = ["--force", shlex.quote(self.force), *args]
        return args


def section(key: str, title: str, source: str) -> dict:
    return {"key": key, "title": title, "source": source, "coverage": "", "sentence": "",
            "tables": [], "charts": [], "empty": "", "notes": [], "simulated_months": []}


def table(table_id: str, caption: str, header: list[str], rows: list[list]) -> dict:
    return {"id": table_id, "caption": caption, "header": header, "rows": rows}


def _command(ctx: Context, name: str, *extra: str) -> str:
    return " ".join(["saferplaces crime", name, *ctx.command_arguments(), *extra])


# --------------------------------------------------------------------------------------------
# Crime: coverage


def coverage(scope) -> dict:
    """Months in the period with data, and how many of those are simulated (the crime store
    marks simulated imports, see demo/evidence.py)."""
    held = sorted(set(scope.counts().values_list("month", flat=True).distinct()))
    simulated = set(scope.simulated_months())
    months = periods.months_between(scope.start, scope.end)
    simulated_held = [m for m in held if m in simulated]
    real = len(held) - len(simulated_held)
    parts = [f"{len(held)} of the {months} months of the period have crime data"]
    if held:
        parts.append(f"{real} real (police.uk), {len(simulated_held)} simulated "
                     "(demonstration)")
    text = ": ".join(parts) + "."
    return {"months": months, "with_data": len(held), "real": real,
            "simulated": len(simulated_held), "text": text,
            "simulated_months": [periods.month_code(m) for m in simulated_held]}


# --------------------------------------------------------------------------------------------
# Levels and patterns


def crime_figures(ctx: Context) -> dict:
    """The summaries and change results the crime sections share, computed once."""
    from saferplaces.crime import analytics
    from saferplaces.crime.commands import change as change_command
    from saferplaces.crime.commands import summary as summary_command

    if ctx.area is None:
        raise analytics.AnalyticsError("the partnership has no area set.")
    scope = ctx.scope()
    figures = {"scope": scope, "coverage": coverage(scope), "harm_error": ""}
    for by in ("crime-type", "ward"):
        figures[f"{by}-summary"] = analytics.summarise(scope, by, "rate")
        figures[f"{by}-rate"] = summary_command.summary_table(figures[f"{by}-summary"])
        try:
            figures[f"{by}-harm"] = summary_command.summary_table(
                analytics.summarise(scope, by, "harm"))
        except analytics.NoHarmWeights as exc:
            figures[f"{by}-harm"] = None
            figures["harm_error"] = str(exc)
        result = analytics.change(scope, by)
        figures[f"{by}-change"] = change_command.change_table(result)
        figures[f"{by}-change-result"] = result
    figures["month-table"] = summary_command.summary_table(
        analytics.summarise(scope, "month", "count"))
    return figures


def _by_key(command_table: tuple[list[str], list[list]] | None, column: str) -> dict:
    """{first column: value of ``column``} from a command's (columns, rows)."""
    if command_table is None:
        return {}
    columns, rows = command_table
    index = columns.index(column)
    return {row[0]: row[index] for row in rows}


def _change_by_key(change_table: tuple[list[str], list[list]]) -> dict:
    columns, rows = change_table
    return {row[0]: dict(zip(columns, row, strict=True)) for row in rows}


def _combined_rows(figures: dict, by: str, keys: list[str], labels: dict[str, str]) -> list:
    """One row per key: crimes, rate per 1,000, harm, the same period last year, p and the
    verdict, each value as the evidence command printed it."""
    counts = _by_key(figures[f"{by}-rate"], "count")
    rates = _by_key(figures[f"{by}-rate"], "rate_per_1000")
    harms = _by_key(figures[f"{by}-harm"], "harm")
    change = _change_by_key(figures[f"{by}-change"])
    rows = []
    for key in keys:
        moved = change.get(key, {})
        rows.append([labels.get(key, key), counts.get(key, 0), rates.get(key), harms.get(key),
                     moved.get("last_year"), moved.get("p_last_year"),
                     moved.get("last_year_verdict", "")])
    return rows


COMBINED_HEADER = ["Crimes", "Rate per 1,000", "Harm", "Same period last year",
                   "p (exact test)", "Change"]


def levels_section(ctx: Context, figures: dict) -> dict:
    from saferplaces.core import charts
    from saferplaces.crime import sentences

    summary = _command(ctx, "summary", "--by crime-type|ward|month",
                       "--measure count|rate|harm")
    found = section("levels", "Levels and patterns",
                    f"{SOURCE_POLICE}. Figures are those of '{summary}'"
                    f" and '{_command(ctx, 'change', '--by crime-type|ward')}'; rates per "
                    f"1,000 residents use the population year the command names; harm uses "
                    "the default harm weight table.")
    found["coverage"] = figures["coverage"]["text"]
    found["simulated_months"] = figures["coverage"]["simulated_months"]
    if not figures["coverage"]["with_data"]:
        found["empty"] = f"There is no crime data for {ctx.period.label}."
        return found
    total = figures["crime-type-change-result"].total.against_last_year
    found["sentence"] = sentences.change_sentence(
        "Crime, including anti-social behaviour,", f"in {ctx.period.label}",
        "in the same period a year before", total)
    type_keys = [row.key for row in figures["crime-type-summary"].rows]
    found["tables"].append(table(
        "levels-types", "Crime and anti-social behaviour by type",
        ["Crime type", *COMBINED_HEADER],
        _combined_rows(figures, "crime-type", type_keys, {})))
    ward_keys = [row.key for row in figures["ward-summary"].rows]
    ward_names = {row.key: row.label for row in figures["ward-summary"].rows}
    found["tables"].append(table(
        "levels-wards", "Crime by ward", ["Ward", *COMBINED_HEADER],
        _combined_rows(figures, "ward", ward_keys, ward_names)))
    months = figures["month-table"][1]
    simulated = set(figures["coverage"]["simulated_months"])
    points = [{"month": month, "value": count, "simulated": month in simulated}
              for month, count in months]
    title = f"Recorded crime by month, {ctx.period.label}"
    found["charts"].append({
        "id": "levels-months", "title": title,
        "caption": f"All police.uk street-level crime in {ctx.area.name} by month."
        + (" Simulated months are drawn grey." if simulated else ""),
        "spec": charts.trend_chart(points, title),
        "table": {"header": ["Month", "Crimes"], "rows": [list(row) for row in months]}})
    asb = _by_key(figures["crime-type-rate"], "count").get("Anti-social behaviour")
    if asb is not None:
        found["notes"].append(f"Anti-social behaviour: {format_number(asb)} incidents "
                              "(in the table above).")
    if figures["harm_error"]:
        found["notes"].append(figures["harm_error"])
    found["notes"].extend(figures["crime-type-summary"].notes)
    return found


# --------------------------------------------------------------------------------------------
# Places


def places_section(ctx: Context, figures: dict) -> dict:
    from saferplaces.crime import analytics
    from saferplaces.crime.commands import hotspots as hotspot_command
    from saferplaces.crime.commands import profiles

    found = section("places", "Places",
                    f"{SOURCE_POLICE}. Hot spots are those of "
                    f"'{_command(ctx, 'hotspots')}' (Getis-Ord Gi*, queen contiguity of LSOA "
                    f"boundaries); repeat locations of '{_command(ctx, 'repeats', '--min 3')}'; "
                    "ward rates of 'crime summary --by ward --measure rate'.")
    found["coverage"] = figures["coverage"]["text"]
    found["simulated_months"] = figures["coverage"]["simulated_months"]
    if not figures["coverage"]["with_data"]:
        found["empty"] = f"There is no crime data for {ctx.period.label}."
        return found
    scope = figures["scope"]
    wards = figures["ward-rate"][1]
    rated = sorted((row for row in wards if row[-1] is not None),
                   key=lambda row: (-row[-1], row[1]))
    found["tables"].append(table(
        "places-wards", f"The {WARDS_MOST_AFFECTED} wards with the highest crime rate",
        ["Ward", "Crimes", "Residents", "Rate per 1,000"],
        [[row[1], row[2], row[3], row[4]] for row in rated[:WARDS_MOST_AFFECTED]]))
    if rated:
        found["sentence"] = (f"{rated[0][1]} had the highest crime rate, "
                             f"{format_number(rated[0][4], decimals=1)} per 1,000 residents.")
    try:
        hot = analytics.hotspots(scope)
        rows = hotspot_command.hotspot_rows(hot)
        found["tables"].append(table(
            "places-hotspots", "Hot and cold spots (LSOAs significant at 90% or more)",
            ["LSOA", "Name", "Crimes", "z", "p", "Bin", "Note"], rows))
    except (analytics.AnalyticsError, ValueError) as exc:
        found["notes"].append(f"Hot spots are not shown: {exc}")
    repeats, repeat_rows = profiles.repeat_rows(scope, 3)
    found["tables"].append(table(
        "places-repeats",
        f"Repeat locations: the {REPEAT_ROWS_SHOWN} with most crimes "
        f"({format_number(len(repeat_rows))} in all)",
        ["Longitude", "Latitude", "Crime type", "Crimes", "First month", "Last month"],
        sorted(repeat_rows, key=lambda row: -row[3])[:REPEAT_ROWS_SHOWN]))
    found["tables"][-1]["exact"] = [0, 1]  # map points: every decimal police.uk gives
    if repeats.skipped:
        found["notes"].append(f"{format_number(repeats.skipped)} crimes had no map point.")
    chart = ward_map(ctx, figures)
    if chart:
        found["charts"].append(chart)
    return found


def ward_map(ctx: Context, figures: dict) -> dict | None:
    """A static map of the wards shaded by crime rate (Vega-Lite geoshape; the PDF and Word
    document draw it from the same spec)."""
    from saferplaces.crime import analytics

    scope = figures["scope"]
    rates = {row[0]: row for row in figures["ward-rate"][1]}
    wards = {w.code: w for w in analytics.ward_lookup(scope.lsoa_codes, on=scope.end).values()
             if w.boundary}
    if not wards:
        return None
    features = []
    for code, ward in sorted(wards.items()):
        row = rates.get(code)
        features.append({"type": "Feature", "geometry": _drawable(ward.boundary),
                         "properties": {"name": ward.name,
                                        "rate": None if row is None else row[4]}})
    title = f"Crimes per 1,000 residents by ward, {ctx.period.label}"
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "title": title, "width": 480, "height": 420,
        "padding": {"left": 8, "right": 64, "top": 8, "bottom": 8},
        "data": {"values": {"type": "FeatureCollection", "features": features},
                 "format": {"type": "json", "property": "features"}},
        "projection": {"type": "mercator"},
        "mark": {"type": "geoshape", "stroke": "#ffffff", "strokeWidth": 0.8},
        "encoding": {
            "color": {"field": "properties.rate", "type": "quantitative",
                      "title": "Per 1,000", "scale": {"scheme": "blues"}},
            "tooltip": [{"field": "properties.name", "type": "nominal", "title": "Ward"},
                        {"field": "properties.rate", "type": "quantitative",
                         "title": "Per 1,000", "format": ",.1f"}]},
        "config": {"view": {"stroke": None}},
    }
    return {"id": "places-map", "title": title,
            "caption": f"Wards of {ctx.area.name} shaded by their crime rate; each ward's "
                       "rate is in the table Crime by ward (Levels and patterns).",
            "spec": spec, "table": None}


def _drawable(geometry: dict) -> dict:
    """The boundary simplified (about 20 m) and wound clockwise, as d3-geo (Vega) draws
    polygons; GeoJSON's anticlockwise rings would fill the rest of the globe."""
    from shapely.geometry import mapping, shape
    from shapely.geometry.polygon import orient

    shapes = shape(geometry).simplify(0.0004, preserve_topology=True)
    parts = getattr(shapes, "geoms", [shapes])
    oriented = [orient(part, sign=-1.0) for part in parts]
    from shapely import set_precision
    from shapely.geometry import MultiPolygon

    drawn = oriented[0] if len(oriented) == 1 else MultiPolygon(oriented)
    return mapping(set_precision(drawn, 0.00001))


# --------------------------------------------------------------------------------------------
# Outcomes and stop and search


def outcomes_section(ctx: Context, figures: dict) -> dict:
    import shlex

    from saferplaces.crime.commands import profiles

    force = shlex.quote(ctx.force or "FORCE")
    found = section("outcomes", "Outcomes and stop and search",
                    f"police.uk outcomes and street files and stop and search records. "
                    f"Outcomes are those of '{_command(ctx, 'outcomes', '--street')}' (the "
                    f"street files' last outcome of each crime in the period) and "
                    f"'{_command(ctx, 'outcomes')}' (outcomes files); stop and search of "
                    f"'saferplaces crime stop-search --force {force} --from "
                    f"{periods.month_code(ctx.first_month)} --to "
                    f"{periods.month_code(ctx.last_month)} --by officer-ethnicity|outcome'.")
    found["coverage"] = figures["coverage"]["text"]
    found["simulated_months"] = figures["coverage"]["simulated_months"]
    scope = figures["scope"]
    street = profiles.area_profile(scope, True)
    if street.total:
        found["tables"].append(table(
            "outcomes-street", "Last outcome of each crime recorded in the period",
            ["Outcome", "Crimes"], [list(row) for row in _outcome_rows(street)]))
        if street.charged_share is not None:
            found["sentence"] = (f"{street.charged_share:.1%} of crimes with an outcome were "
                                 "charged or summonsed.")
    filed = profiles.area_profile(scope, False)
    if filed.total:
        found["tables"].append(table(
            "outcomes-files", "Latest outcome per crime, from the outcomes files of the period",
            ["Outcome", "Outcomes"], [list(row) for row in _outcome_rows(filed)]))
    else:
        found["notes"].append(f"No outcomes files are imported for {ctx.period.label}.")
    if ctx.force:
        for by, caption in (("officer-ethnicity", "Stop and search by officer-defined "
                                                  "ethnicity"),
                            ("outcome", "Stop and search by outcome")):
            breakdown, rows = profiles.stop_search_table(ctx.force, ctx.first_month,
                                                        ctx.last_month, by)
            if breakdown is None:
                found["notes"].append(f"No stop and search data is imported for {ctx.force} "
                                      f"in {ctx.period.label}.")
                break
            found["tables"].append(table(f"stop-search-{by}", caption,
                                         [caption.split(" by ")[1].capitalize(), "Searches"],
                                         rows))
    if not found["tables"]:
        found["empty"] = f"No outcomes or stop and search data for {ctx.period.label}."
    return found


def _outcome_rows(profile) -> list[tuple[str, int]]:
    from saferplaces.crime import stats

    return stats.outcome_rows(profile)


# --------------------------------------------------------------------------------------------
# Serious violence


def serious_violence_section(ctx: Context, figures: dict) -> dict:
    from saferplaces.crime import analytics
    from saferplaces.crime.commands import hotspots as hotspot_command

    chosen = sorted(ctx.serious_violence_types)
    found = section("serious_violence", "Serious violence",
                    f"{SOURCE_POLICE}. The local definition of serious violence is the crime "
                    f"types chosen for this assessment: {', '.join(chosen) or 'none chosen'}. "
                    "Rows are those of the crime-type tables above (crime summary and crime "
                    "change); hot spots of 'crime hotspots --crime-type TYPE'. This section "
                    "can serve the Serious Violence Duty's strategic needs assessment.")
    found["coverage"] = figures["coverage"]["text"]
    found["simulated_months"] = figures["coverage"]["simulated_months"]
    if not chosen:
        found["empty"] = "No crime types are chosen for the local definition of serious " \
                         "violence; choose them on the assessment's settings."
        return found
    if not figures["coverage"]["with_data"]:
        found["empty"] = f"There is no crime data for {ctx.period.label}."
        return found
    found["tables"].append(table(
        "serious-violence-types", "Serious violence by crime type",
        ["Crime type", *COMBINED_HEADER], _combined_rows(figures, "crime-type", chosen, {})))
    hot_rows = []
    for crime_type in chosen:
        try:
            hot = analytics.hotspots(figures["scope"], crime_type)
        except (analytics.AnalyticsError, ValueError) as exc:
            found["notes"].append(f"Hot spots are not shown: {exc}")
            break
        rows = [row for row in hotspot_command.hotspot_rows(hot) if row[5] > 0]
        hot_rows.append([crime_type, len(rows), ", ".join(row[1] or row[0] for row in rows[:5])])
    if hot_rows:
        found["tables"].append(table(
            "serious-violence-hotspots", "Hot spots of each serious violence type",
            ["Crime type", "Hot spot LSOAs", "Hottest (up to 5)"], hot_rows))
    return found


# --------------------------------------------------------------------------------------------
# Community views


def community_section(ctx: Context) -> dict:
    from saferplaces.consultation import results
    from saferplaces.consultation.models import Consultation

    found = section("community", "Community views",
                    "The partnership's consultations open during the period: responses, "
                    "the themes officers coded in free-text answers, and reach against the "
                    "area's population (as in each consultation's results and report).")
    consultations = (Consultation.objects.filter(partnership=ctx.partnership,
                                                 opens_on__lte=ctx.period.end,
                                                 closes_on__gte=ctx.period.start)
                     .order_by("opens_on"))
    for consultation in consultations:
        responses = consultation.responses.count()
        themes = results.theme_summaries(consultation)
        found["tables"].append(table(
            f"community-themes-{consultation.pk}",
            f"{consultation.title} ({consultation.opens_on:%d %b %Y} to "
            f"{consultation.closes_on:%d %b %Y}): {format_number(responses)} responses; "
            "themes raised",
            ["Theme", "Answers", "Example"],
            [[t.theme, t.count, t.quotes[0] if t.quotes else ""]
             for t in sorted(themes, key=lambda t: (-t.count, t.theme))]))
        under = []
        for reach in results.reach_tables(consultation):
            low = [row.category for row in reach.reach.rows if row.under_represented]
            under.append([reach.dimension, reach.reach.stated, reach.reach.not_stated,
                          ", ".join(low) or "none"])
        found["tables"].append(table(
            f"community-reach-{consultation.pk}", f"{consultation.title}: reach",
            ["Compared by", "Stated", "Not stated", "Under-represented"], under))
    if not found["tables"]:
        found["empty"] = f"No consultation was open during {ctx.period.label}."
    return found


# --------------------------------------------------------------------------------------------
# Delivery of the previous plan


def plan_reviewed(partnership, period: periods.Period):
    """The adopted action plan whose year overlaps the period most recently (the plan the
    assessment reviews), or None."""
    from saferplaces.strategy.models import ActionPlan, PlanStatus

    return (ActionPlan.objects.for_partnership(partnership)
            .exclude(status=PlanStatus.DRAFT)
            .filter(start_date__lte=period.end, end_date__gte=period.start)
            .select_related("strategy").order_by("-year").first())


def delivery_outcome(status: str, due: datetime.date, plan_end: datetime.date,
                     carried: bool) -> str:
    """How one action of a reviewed plan ended its year: completed, cancelled, carried
    forward (open and taken into the next plan), late (open and due by the plan's end) or
    open (not yet due)."""
    if status == "complete":
        return "completed"
    if status == "cancelled":
        return "cancelled"
    if carried:
        return "carried forward"
    if due <= plan_end:
        return "late"
    return "open"


DELIVERY_COLUMNS = ["completed", "late", "carried forward", "open", "cancelled"]


def delivery_counts(actions: list[dict], group: str) -> list[list]:
    """Rows of [group value, completed, late, carried forward, open, cancelled, total] from
    actions given as dicts with ``outcome`` and the group's values (a list: an action
    serving two priorities counts under both)."""
    counts: dict[str, dict[str, int]] = {}
    for action in actions:
        for value in action[group] or ["(none)"]:
            row = counts.setdefault(value, dict.fromkeys(DELIVERY_COLUMNS, 0))
            row[action["outcome"]] += 1
    return [[value, *(row[c] for c in DELIVERY_COLUMNS), sum(row.values())]
            for value, row in sorted(counts.items())]


def delivery_section(ctx: Context) -> dict:
    from saferplaces.strategy import services

    found = section("delivery", "Delivery of the previous plan",
                    "The action plan whose year overlaps the period: each action's status "
                    "as recorded, and the actions carried into the next year's plan "
                    "(strategy roll forward).")
    plan = plan_reviewed(ctx.partnership, ctx.period)
    if plan is None:
        found["empty"] = (f"No adopted action plan covers {ctx.period.label}, so there is no "
                          "delivery to review.")
        return found
    carried_ids: set[int] = set()
    next_plan = getattr(plan, "next", None)  # the plan rolled forward from it, if any
    if next_plan is not None:
        comparison = services.compare_plans(plan, next_plan)
        carried_ids = {previous.pk for previous, _new, _changes in comparison.carried
                       if previous.status not in ("complete", "cancelled")}
    actions = []
    for action in (plan.actions.select_related("lead_organisation")
                   .prefetch_related("aims__priority").order_by("reference")):
        priorities = sorted({f"{aim.priority.number}. {aim.priority.title}"
                             for aim in action.aims.all()})
        actions.append({
            "reference": action.reference, "title": action.title,
            "organisation": [action.lead_organisation.short_name],
            "priority": priorities,
            "due": action.due_date.isoformat(),
            "outcome": delivery_outcome(action.status, action.due_date, plan.end_date,
                                        action.pk in carried_ids)})
    header = ["Completed", "Late", "Carried forward", "Open", "Cancelled", "Total"]
    found["tables"].append(table("delivery-priority", f"{plan} by priority",
                                 ["Priority", *header], delivery_counts(actions, "priority")))
    found["tables"].append(table("delivery-organisation", f"{plan} by lead organisation",
                                 ["Lead organisation", *header],
                                 delivery_counts(actions, "organisation")))
    late = [[a["reference"], a["title"], a["organisation"][0], a["due"], a["outcome"]]
            for a in actions if a["outcome"] in ("late", "carried forward")]
    found["tables"].append(table("delivery-late", "Actions late or carried forward",
                                 ["Reference", "Action", "Lead", "Due", "Outcome"], late))
    done = sum(1 for a in actions if a["outcome"] == "completed")
    found["sentence"] = (f"{format_number(done)} of the {format_number(len(actions))} actions "
                         f"of the {plan.strategy.title} {plan.year_label} plan were completed.")
    if plan.is_illustrative:
        found["notes"].append("The actions of this plan are illustrative.")
    return found


# --------------------------------------------------------------------------------------------
# Performance


def performance_section(ctx: Context) -> dict:
    from saferplaces.performance import report, report_sentences, scorecard

    quarter = periods.period_containing("financial_quarter", ctx.period.end)
    found = section("performance", "Performance",
                    f"The performance framework's scorecard for {quarter.label}, the quarter "
                    "the period ends with, and its exceptions, as the board report for that "
                    f"quarter shows them ('saferplaces report board --period {quarter.code}').")
    card = scorecard.build(ctx.partnership, quarter, ctx.today)
    lines = report.scorecard_lines(card)
    if not lines:
        found["empty"] = f"{ctx.partnership.name} has no performance indicators yet."
        return found
    found["tables"].append(table(
        "performance-scorecard", f"Scorecard, {quarter.label}",
        ["Code", "Indicator", "Period", "Value", "Target", "RAG", "Against last year"],
        [[row["code"], row["name"], row["period_label"], row["value_text"],
          row["target_text"], row["rag_label"], row["long_term"]] for row in lines]))
    found["tables"].append(table(
        "performance-exceptions", "Exceptions",
        ["Code", "Indicator", "Value", "Why"],
        [[row["code"], row["name"], row["value_text"], row["exception_reason"]]
         for row in lines if row["is_exception"]]))
    found["sentence"] = report_sentences.scorecard_sentence(
        {(status or "none"): n for status, n in card.rag_counts.items()})
    illustrative = sorted(row["code"] for row in lines if row["illustrative"])
    if illustrative:
        found["notes"].append(f"Illustrative values: {', '.join(illustrative)} use "
                              "demonstration figures, not real performance data.")
    simulated = sorted(row["code"] for row in lines if row["simulated"])
    if simulated:
        found["notes"].append(f"Values including simulated crime data: {', '.join(simulated)}.")
    return found


# --------------------------------------------------------------------------------------------
# Recommended priorities


def priorities_section(ctx: Context) -> dict:
    found = section("priorities", "Recommended priorities",
                    "The ranking of the priority-setting workshop linked to this assessment "
                    "(saferplaces.workshop.results workshop_results, as the workshop's results "
                    "page and 'saferplaces workshop results' show it): each topic's weighted "
                    "score by mean and by median across scorers, and the spread.")
    if ctx.workshop is None:
        found["empty"] = ("No workshop recorded: no priority-setting workshop is linked to "
                          "this assessment (choose one on the assessment's settings).")
        return found
    from saferplaces.workshop.results import workshop_results

    workshop = ctx.workshop
    rows = workshop_results(workshop)
    found["source"] += f" Workshop: {workshop.title}, held {date_text(workshop.date)}."
    found["tables"].append(table(
        "priorities-ranking", f"{workshop.title}: ranking",
        ["Rank", "Topic", "Weighted mean", "Weighted median", "Lowest", "Highest",
         "Standard deviation", "Scorers", "Chosen"],
        [[r.rank, r.candidate.name, _rounded(r.mean), _rounded(r.median),
          _rounded(r.minimum), _rounded(r.maximum), _rounded(r.std_dev), r.scorers,
          "chosen" if r.chosen else ""] for r in rows]))
    chosen = [r.candidate.name for r in rows if r.chosen]
    if chosen:
        noun = "priority" if len(chosen) == 1 else "priorities"
        found["sentence"] = f"The workshop chose {len(chosen)} {noun}: {', '.join(chosen)}."
    if workshop.is_illustrative:
        found["notes"].append("The workshop's scorers and scores are illustrative.")
    return found


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


# --------------------------------------------------------------------------------------------


def build_sections(ctx: Context) -> list[dict]:
    """Every section in document order."""
    from saferplaces.crime import analytics

    sections: list[dict] = []
    try:
        figures = crime_figures(ctx)
    except analytics.AnalyticsError as exc:
        figures = None
        reason = f"Crime sections cannot be built: {exc}"
    if figures is not None:
        sections += [levels_section(ctx, figures), places_section(ctx, figures),
                     outcomes_section(ctx, figures), serious_violence_section(ctx, figures)]
    else:
        for key, title in (("levels", "Levels and patterns"), ("places", "Places"),
                           ("outcomes", "Outcomes and stop and search"),
                           ("serious_violence", "Serious violence")):
            empty = section(key, title, SOURCE_POLICE)
            empty["empty"] = reason
            sections.append(empty)
    sections += [community_section(ctx), delivery_section(ctx), performance_section(ctx),
                 priorities_section(ctx)]
    return sections
