"""One sentence a councillor can read, built from the figures, to open each evidence page.

Plain functions on plain values (no ORM, no templates), so each wording is tested on literal
cases. Sentences start with a capital and end with a full stop; a verdict inside a sentence is
lower case. The method behind each figure is explained on the page, not here.
"""

from __future__ import annotations

from saferplaces.core.numbers import format_number
from saferplaces.crime.stats import NO_DATA_TO_COMPARE, ChangeResult

OUTCOMES_RECORDED_IN_MONTH = (
    "Outcomes are those recorded in the months chosen, not the outcomes of crimes from those "
    "months: a crime's outcome is often recorded months after it.")

CHANCE = "a change small enough to be chance"
NOT_CHANCE = "a change too large to be chance"


def change_sentence(subject: str, period: str, comparison: str, result: ChangeResult) -> str:
    """'Crime in the last 12 months was 8% higher than in the 12 months before, a change too
    large to be chance.' ``period`` reads after the subject ('in the last 12 months') and
    ``comparison`` after 'than' ('in the 12 months before')."""
    lower = _lower_first(subject)
    if result.label == NO_DATA_TO_COMPARE:
        return (f"There is no data for {_drop_in(comparison)}, so {lower} {period} cannot be "
                "compared with it.")
    if result.too_small or result.p_value is None:
        return (f"There were too few crimes to tell whether {lower} {period} differed from "
                f"{_drop_in(comparison)} by more than chance.")
    if result.direction == "no change":
        return f"{subject} {period} was the same as {comparison}."
    verdict = NOT_CHANCE if result.significant else CHANCE
    if result.percent_change is None:
        return (f"{subject} {period} numbered {format_number(result.current)} against none "
                f"{comparison}, {verdict}.")
    return f"{subject} {period} was {_how_much(result.percent_change)} than {comparison}, " \
           f"{verdict}."


def _how_much(percent: float) -> str:
    word = "higher" if percent > 0 else "lower"
    whole = round(abs(percent))
    if whole == 0:
        return f"slightly {word}"
    return f"{whole}% {word}"


def ward_sentence(ward: str, ward_rate: float | None, others_rate: float | None,
                  others: str = "the wards around it") -> str:
    """'St Peters has far more crime per resident than the wards around it.' Rates are crimes
    per resident (any common unit); without them there is nothing fair to say."""
    if ward_rate is None or not others_rate:
        return (f"{ward} cannot be compared with {others}: population figures are not loaded "
                "for them.")
    return f"{ward} has {_compared(ward_rate / others_rate)} {others}."


def _compared(ratio: float) -> str:
    if ratio >= 2:
        return "far more crime per resident than"
    if ratio >= 1.2:
        return "more crime per resident than"
    if ratio > 1 / 1.2:
        return "about as much crime per resident as"
    if ratio > 0.5:
        return "less crime per resident than"
    return "far less crime per resident than"


def highest_ward_sentence(ward: str, ward_rate: float | None, area: str,
                          area_rate: float | None, wards: int, what: str = "crime") -> str:
    """'St Peters has the most crime per resident of the 20 wards in Wolverhampton, 3.2 times
    the rate for Wolverhampton as a whole.' ``what`` names a crime type instead of all crime."""
    if ward_rate is None or not area_rate:
        return f"Population figures are not loaded, so the {wards} wards in {area} are listed " \
               "by count only."
    ratio = ward_rate / area_rate
    times = f"{ratio:.1f} times" if ratio >= 1.05 else "about"
    return (f"{ward} has the most {_lower_first(what)} per resident of the {wards} wards in "
            f"{area}, {times} the rate for {area} as a whole.")


def no_location_sentence(count: int) -> str:
    """What area figures leave out: crimes police.uk could place in no area."""
    if count == 0:
        return "Every crime in the period had a location."
    crimes, are = ("crime", "is") if count == 1 else ("crimes", "are")
    return (f"{format_number(count)} {crimes} in the period had no location, so {are} in no "
            "area and not counted here.")


def _lower_first(text: str) -> str:
    """'Crime' → 'crime', but 'ASB' stays 'ASB'."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def _drop_in(comparison: str) -> str:
    return comparison.removeprefix("in ")
