"""Evidence an equality analysis can draw on from what the partnership already holds.

- Consultation reach: who answered the attached consultation, by age, sex, ethnic group and
  ward, against the area's residents (`consultation.results.reach_tables`, the one reach
  calculation); a characteristic's page shows the table that bears on it.
- Crime data: police.uk records where and what, never who. It publishes no victim (or
  suspect) characteristics, so it cannot show how crime falls on any protected
  characteristic; the page says so plainly, with what the partnership holds, and points to
  the partner data that can (hate crime and domestic abuse figures, victim services).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from saferplaces.core.numbers import format_number
from saferplaces.equality.models import Characteristic, EqualityAnalysis

#: The consultation reach table (by its dimension) that bears on each characteristic.
REACH_FOR = {Characteristic.AGE: "Age", Characteristic.SEX: "Sex",
             Characteristic.RACE: "Ethnic group"}

NO_VICTIM_DATA = ("Police.uk publishes no victim or suspect characteristics (age, sex, "
                  "ethnicity, disability or any other), so it cannot show how crime falls on "
                  "a protected characteristic: use partners' data for that, such as hate "
                  "crime and domestic abuse figures from the police and victim services.")


@dataclass
class CrimeEvidence:
    available: bool
    sentence: str
    mix: list[dict] = field(default_factory=list)  # [{"label": crime type, "value": count}]


def crime_sentence(total: int | None, first: datetime.date | None,
                   last: datetime.date | None) -> str:
    """What police.uk data the partnership holds, then what it cannot tell. Plain function."""
    if total is None or last is None:
        return f"No police.uk crime data is held for this partnership's area. {NO_VICTIM_DATA}"
    span = (f"{last:%B %Y}" if first == last else f"{first:%B %Y} to {last:%B %Y}")
    return (f"Police.uk records {format_number(total)} crimes and anti-social behaviour "
            f"incidents in the partnership's area from {span} (the last 12 months held). "
            f"{NO_VICTIM_DATA}")


def crime_evidence(partnership) -> CrimeEvidence:
    """The partnership's last 12 months of police.uk data, if it has any, and the sentence."""
    from saferplaces.crime import evidence

    try:
        place = evidence.place_for(partnership)
    except evidence.NoEvidence:
        return CrimeEvidence(False, crime_sentence(None, None, None))
    year = place.last_months(12)
    mix = evidence.crime_mix(year)
    total = sum(row["value"] for row in mix)
    return CrimeEvidence(True, crime_sentence(total, year.start, year.end), mix)


def consultation_reach(analysis: EqualityAnalysis) -> list:
    """The attached consultation's reach tables (empty without a consultation)."""
    if analysis.consultation is None:
        return []
    from saferplaces.consultation.results import reach_tables

    return reach_tables(analysis.consultation)


def reach_for(characteristic: str, tables: list) -> list:
    """The reach tables that bear on one characteristic (age, sex and race have one)."""
    dimension = REACH_FOR.get(characteristic)
    return [table for table in tables if table.dimension == dimension]
