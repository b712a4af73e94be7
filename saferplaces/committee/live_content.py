"""Live content: small named providers that fill a report paragraph from the partnership's
records (the strategy's priorities and aims, the consultation's channels, distribution and
"you said, we did", the scorecard...).

A provider takes the report and an option (text, e.g. a priority's number) and returns
*blocks*: plain dicts, ``{"text": "..."}`` or ``{"bullets": ["...", ...]}``, the same shape a
paragraph's own text becomes (``committee.report.blocks_of``). A draft renders them afresh each
time; issuing stores them in the snapshot, so an issued report never changes.
A provider that cannot find what it needs raises ``LiveContentError`` with a plain message.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


class LiveContentError(ValueError):
    """The record a provider needs is missing; the message says what to do."""


@dataclass(frozen=True)
class Provider:
    key: str
    label: str
    render: Callable[[Any, str], list[dict]]
    option_help: str = ""


REGISTRY: dict[str, Provider] = {}


def provider(key: str, label: str, option_help: str = "") -> Callable:
    """Register the decorated function as the provider called ``key``."""

    def register(function: Callable[[Any, str], list[dict]]) -> Callable:
        REGISTRY[key] = Provider(key, label, function, option_help)
        return function

    return register


def choices() -> list[tuple[str, str]]:
    """(key, label) of every provider, for a form's choice field."""
    return [("", "None")] + [(p.key, p.label) for p in REGISTRY.values()]


def render(report, key: str, option: str = "") -> list[dict]:
    """The blocks provider ``key`` gives for ``report``; LiveContentError if it cannot."""
    found = REGISTRY.get(key)
    if found is None:
        raise LiveContentError(f"There is no live content called {key!r}.")
    return found.render(report, option)


def _strategy(report):
    if report.strategy_id is None:
        raise LiveContentError("Choose the report's strategy (Edit header) to draw on it.")
    return report.strategy


def _consultation(report):
    if report.consultation_id is None:
        raise LiveContentError("Choose the report's consultation (Edit header) to draw on it.")
    return report.consultation


@provider("strategy_priorities", "The strategy's priorities")
def strategy_priorities(report, option: str) -> list[dict]:
    titles = list(_strategy(report).priorities.order_by("number")
                  .values_list("title", flat=True))
    if not titles:
        raise LiveContentError(f"{report.strategy} has no priorities yet.")
    return [{"bullets": titles}]


@provider("priority_aims", "The aims of one priority", option_help="The priority's number.")
def priority_aims(report, option: str) -> list[dict]:
    strategy = _strategy(report)
    if not option.strip().isdigit():
        raise LiveContentError("Give the priority's number as the option, e.g. 1.")
    priority = strategy.priorities.filter(number=int(option)).first()
    if priority is None:
        raise LiveContentError(f"{strategy} has no priority {option}.")
    aims = list(priority.aims.order_by("number").values_list("text", flat=True))
    if not aims:
        raise LiveContentError(f"Priority {option}, {priority.title}, has no aims yet.")
    return [{"bullets": aims}]


@provider("consultation_channels", "Where consultation responses came from")
def consultation_channels(report, option: str) -> list[dict]:
    consultation = _consultation(report)
    names = ["An online survey"] if consultation.responses.filter(channel="online").exists() \
        else []
    names += list(consultation.channel_responses.order_by("held_on", "pk")
                  .values_list("name", flat=True))
    if not names:
        raise LiveContentError(f"{consultation} has no responses or meetings recorded.")
    return [{"bullets": names}]


@provider("consultation_distribution", "Who the consultation was distributed to")
def consultation_distribution(report, option: str) -> list[dict]:
    consultation = _consultation(report)
    recipients = list(consultation.distributions.order_by("pk")
                      .values_list("recipient", flat=True))
    if not recipients:
        raise LiveContentError(f"{consultation} has no distribution recorded.")
    return [{"bullets": recipients}]


@provider("you_said_we_did", "You said, we did")
def you_said_we_did(report, option: str) -> list[dict]:
    consultation = _consultation(report)
    items = [f"You said: {item.you_said} We did: {item.we_did}"
             for item in consultation.you_said_we_did.order_by("number")]
    if not items:
        raise LiveContentError(f"{consultation} has no 'you said, we did' yet.")
    return [{"bullets": items}]


@provider("scorecard", "The latest scorecard", option_help="A quarter such as 2020-Q3, or "
          "blank for the latest.")
def scorecard_summary(report, option: str) -> list[dict]:
    from saferplaces.core import clock, periods
    from saferplaces.performance import report_sentences, scorecard, units

    partnership = report.partnership
    try:
        period = periods.parse_period(option) if option.strip() \
            else scorecard.latest_period(partnership)
    except ValueError as exc:
        raise LiveContentError(str(exc)) from exc
    if period is None:
        raise LiveContentError("The partnership has no indicator values yet.")
    card = scorecard.build(partnership, period, clock.today(partnership))
    if not card.rows:
        raise LiveContentError("The partnership has no performance indicators yet.")
    counts = {(status or "none"): n for status, n in card.rag_counts.items()}
    lines = [f"{row.indicator.name}: {units.format_value(row.value_number, row.indicator.unit)}"
             f" ({row.rag.label})" for row in card.rows]
    return [{"text": f"{period.label}: {report_sentences.scorecard_sentence(counts)}"},
            {"bullets": lines}]


@provider("grant_figures", "The grant's figures")
def grant_figures(report, option: str) -> list[dict]:
    from saferplaces.core.numbers import format_money as money
    from saferplaces.grants.summary import grant_summary

    if report.grant_id is None:
        raise LiveContentError("Choose the report's grant (Edit header) to draw on it.")
    figures = grant_summary(report.grant)
    ring_fence = f" (ring-fence: {figures['ring_fence'].rstrip('.')})" if figures["ring_fence"] \
        else ""
    text = (f"{figures['title']} from {figures['funder']} for {figures['year_label']}: "
            f"{money(figures['amount'])}{ring_fence}. Allocated "
            f"{money(figures['allocated'])}, spent {money(figures['spent'])}, not yet "
            f"allocated {money(figures['balance'])}.")
    rows = [f"{row['what']}: {money(row['amount'])} allocated, {money(row['spent'])} spent"
            for row in figures["allocations"]]
    return [{"text": text}] + ([{"bullets": rows}] if rows else [])


@provider("equality_summary", "The equality analysis summary")
def equality_summary(report, option: str) -> list[dict]:
    from saferplaces.equality.summary import equality_summary as summarise

    if report.equality_analysis_id is None:
        raise LiveContentError("Choose the report's equality analysis (Edit header) to draw "
                               "on it.")
    return [{"text": summarise(report.equality_analysis)["text"]}]
