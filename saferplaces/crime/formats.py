"""The police.uk file formats saferplaces reads, recognised by their header row. No database.

- street: the monthly archive's `YYYY-MM-<force>-street.csv`;
- outcomes: `YYYY-MM-<force>-outcomes.csv`;
- stop_search: `YYYY-MM-<force>-stop-and-search.csv`;
- api_street: street crimes from the data.police.uk API (`crimes-street`), flattened to CSV by
  `saferplaces crime fetch` (and as published by some projects), one row per crime.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass

STREET_COLUMNS = (
    "Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
    "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context",
)
OUTCOME_COLUMNS = (
    "Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
    "LSOA code", "LSOA name", "Outcome type",
)
STOP_SEARCH_COLUMNS = (
    "Type", "Date", "Part of a policing operation", "Policing operation", "Latitude",
    "Longitude", "Gender", "Age range", "Self-defined ethnicity", "Officer-defined ethnicity",
    "Legislation", "Object of search", "Outcome", "Outcome linked to object of search",
    "Removal of more than just outer clothing",
)
API_STREET_COLUMNS = (
    "ward_code", "ward_name", "api_id", "persistent_id", "month", "category", "location_type",
    "latitude", "longitude", "street_id", "street_name", "context", "outcome_category",
    "outcome_date", "location_subtype",
)
# The columns the API format must have; ward_code and ward_name are optional.
API_REQUIRED = tuple(c for c in API_STREET_COLUMNS if c not in ("ward_code", "ward_name"))


@dataclass(frozen=True)
class FileFormat:
    kind: str  # street | outcomes | stop_search (ImportKind values)
    name: str  # human description
    columns: tuple[str, ...]


STREET = FileFormat("street", "police.uk street-level CSV", STREET_COLUMNS)
OUTCOMES = FileFormat("outcomes", "police.uk outcomes CSV", OUTCOME_COLUMNS)
STOP_SEARCH = FileFormat("stop_search", "police.uk stop and search CSV", STOP_SEARCH_COLUMNS)
API_STREET = FileFormat("street", "police.uk API street crimes (flattened)", API_STREET_COLUMNS)
FORMATS = (STREET, OUTCOMES, STOP_SEARCH)



class FormatError(Exception):
    """The header matches no known format."""


def parse_header(first_line: str) -> list[str]:
    return [cell.strip() for cell in next(csv.reader([first_line]))]


def detect_format(header: list[str]) -> FileFormat:
    """The format whose columns the header has (in any order); FormatError otherwise."""
    columns = set(header)
    if len(columns) != len(header):
        raise FormatError("the header repeats a column name")
    for fmt in FORMATS:
        if columns == set(fmt.columns):
            return fmt
    if set(API_REQUIRED) <= columns <= set(API_STREET_COLUMNS):
        return API_STREET
    best = max(FORMATS, key=lambda f: len(columns & set(f.columns)))
    missing = [c for c in best.columns if c not in columns]
    extra = [c for c in header if c not in best.columns]
    detail = []
    if missing:
        detail.append(f"missing {', '.join(missing)}")
    if extra:
        detail.append(f"unexpected {', '.join(extra)}")
    raise FormatError(
        f"the header matches no police.uk format (closest: {best.name}; {'; '.join(detail)})"
    )


# police.uk force identifiers (as in archive file names and the API) → the names used in the
# "Reported by" / "Falls within" columns.
FORCES = {
    "avon-and-somerset": "Avon and Somerset Constabulary",
    "bedfordshire": "Bedfordshire Police",
    "btp": "British Transport Police",
    "cambridgeshire": "Cambridgeshire Constabulary",
    "cheshire": "Cheshire Constabulary",
    "city-of-london": "City of London Police",
    "cleveland": "Cleveland Police",
    "cumbria": "Cumbria Constabulary",
    "derbyshire": "Derbyshire Constabulary",
    "devon-and-cornwall": "Devon & Cornwall Police",
    "dorset": "Dorset Police",
    "durham": "Durham Constabulary",
    "dyfed-powys": "Dyfed-Powys Police",
    "essex": "Essex Police",
    "gloucestershire": "Gloucestershire Constabulary",
    "greater-manchester": "Greater Manchester Police",
    "gwent": "Gwent Police",
    "hampshire": "Hampshire Constabulary",
    "hertfordshire": "Hertfordshire Constabulary",
    "humberside": "Humberside Police",
    "kent": "Kent Police",
    "lancashire": "Lancashire Constabulary",
    "leicestershire": "Leicestershire Police",
    "lincolnshire": "Lincolnshire Police",
    "merseyside": "Merseyside Police",
    "metropolitan": "Metropolitan Police Service",
    "norfolk": "Norfolk Constabulary",
    "north-wales": "North Wales Police",
    "north-yorkshire": "North Yorkshire Police",
    "northamptonshire": "Northamptonshire Police",
    "northern-ireland": "Police Service of Northern Ireland",
    "northumbria": "Northumbria Police",
    "nottinghamshire": "Nottinghamshire Police",
    "south-wales": "South Wales Police",
    "south-yorkshire": "South Yorkshire Police",
    "staffordshire": "Staffordshire Police",
    "suffolk": "Suffolk Constabulary",
    "surrey": "Surrey Police",
    "sussex": "Sussex Police",
    "thames-valley": "Thames Valley Police",
    "warwickshire": "Warwickshire Police",
    "west-mercia": "West Mercia Police",
    "west-midlands": "West Midlands Police",
    "west-yorkshire": "West Yorkshire Police",
    "wiltshire": "Wiltshire Police",
}


def force_from_filename(name: str) -> str | None:
    """'2019-12-durham-stop-and-search.csv' → 'Durham Constabulary' (None if not recognised)."""
    base = name.rsplit("/", 1)[-1].lower()
    for suffix in (".gz", ".csv"):
        base = base.removesuffix(suffix)
    for kind in ("-stop-and-search", "-street", "-outcomes"):
        base = base.removesuffix(kind)
    slug = base[8:] if len(base) > 8 and base[4] == "-" and base[7] == "-" else base
    return FORCES.get(slug)


def force_by_name_or_slug(text: str) -> str | None:
    """Accept 'West Midlands Police' or 'west-midlands'; None if neither is known."""
    if text in FORCES.values():
        return text
    lowered = text.strip().lower()
    for slug, name in FORCES.items():
        if lowered in (slug, name.lower()):
            return name
    return None
