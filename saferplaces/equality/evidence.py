"""Evidence an equality analysis can draw on from what the partnership already holds.

- Consultation reach: who answered the attached consultation, against the area's residents
  for age, sex and ethnic group (`consultation.results.reach_tables`, the one reach
  calculation), and the respondents' own answers to the other monitoring questions
  (`monitoring_table`); a characteristic's page shows the table that bears on it.
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

#: The consultation's equality monitoring question for the other characteristics.
MONITORING_FIELD = {Characteristic.DISABILITY: "disability",
                    Characteristic.GENDER_REASSIGNMENT: "gender_reassignment",
                    Characteristic.MARRIAGE: "partnered",
                    Characteristic.PREGNANCY: "pregnancy",
                    Characteristic.RELIGION: "religion",
                    Characteristic.SEXUAL_ORIENTATION: "sexual_orientation"}

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


def consultation_evidence(analysis: EqualityAnalysis, characteristic: str) -> list:
    """What the attached consultation's equality monitoring says about one characteristic:
    the reach table against the area's residents for age, sex and race, the respondents'
    answers for the others (empty without a consultation)."""
    if analysis.consultation is None:
        return []
    from saferplaces.consultation.results import monitoring_table, reach_tables

    dimension = REACH_FOR.get(characteristic)
    if dimension:
        return [t for t in reach_tables(analysis.consultation) if t.dimension == dimension]
    return [monitoring_table(analysis.consultation, MONITORING_FIELD[characteristic])]
