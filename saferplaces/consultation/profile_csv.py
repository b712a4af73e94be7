"""Reading a census profile CSV (residents of the area by age band, sex and ethnic group)
for the consultation reach table. Pure: no database access.

Columns (any order, any case): dimension (age, sex or ethnicity), category (the code or the
label of one of the equality monitoring categories, e.g. "25-34" or "25 to 34", "female",
"asian"), population (a whole number), and optionally source.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from saferplaces.consultation.models import PREFER_NOT, PROFILE_CATEGORIES
from saferplaces.core.csv_records import LineError, parse_whole, read_records

COLUMNS = ["dimension", "category", "population", "source"]
REQUIRED = ["dimension", "category", "population"]


@dataclass(frozen=True)
class ProfileRow:
    line: int
    dimension: str
    category: str
    population: int
    source: str


@dataclass
class ParsedProfile:
    rows: list[ProfileRow] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)


def _categories(dimension: str) -> dict[str, str]:
    """Every accepted spelling (code or label, lower case) -> the category code."""
    _, choices = PROFILE_CATEGORIES[dimension]
    found = {}
    for value, label in choices.choices:
        if value != PREFER_NOT[0]:
            found[value.lower()] = value
            found[str(label).lower()] = value
    return found


def parse_profile(data: bytes, file: str = "") -> ParsedProfile:
    """Every row checked; raises csv_records.CsvFileError for an unreadable file."""
    table = read_records(data, COLUMNS, REQUIRED, file)
    parsed = ParsedProfile(errors=list(table.errors))
    seen: dict[tuple[str, str], int] = {}
    for record in table.records:
        cells = record.cells
        dimension = cells["dimension"].strip().lower()
        if dimension not in PROFILE_CATEGORIES:
            parsed.errors.append(LineError(file, record.line, "dimension",
                                           f"dimension '{cells['dimension']}' is not one of "
                                           f"{', '.join(PROFILE_CATEGORIES)}"))
            continue
        accepted = _categories(dimension)
        category = accepted.get(cells["category"].strip().lower())
        if category is None:
            parsed.errors.append(LineError(
                file, record.line, "category",
                f"category '{cells['category']}' is not a {dimension} category: "
                f"{', '.join(sorted(set(accepted.values())))}"))
            continue
        try:
            population = parse_whole(cells["population"], "population")
        except ValueError as problem:
            parsed.errors.append(LineError(file, record.line, "population", str(problem)))
            continue
        if (dimension, category) in seen:
            parsed.errors.append(LineError(
                file, record.line, "category",
                f"{dimension} {category} is given twice (also line "
                f"{seen[(dimension, category)]})"))
            continue
        seen[(dimension, category)] = record.line
        parsed.rows.append(ProfileRow(record.line, dimension, category, population,
                                      cells.get("source", "").strip()[:200]))
    return parsed
