"""police.uk API answers (JSON) flattened into the CSV layouts the importer reads, and the
files they are written to."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from saferplaces.crime import formats


def _text(value: Any) -> str:
    """JSON value → CSV cell: None → '', booleans → True/False (as police.uk's CSVs write)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "True" if value else "False"
    return str(value)


def flatten_crime(crime: dict, area_code: str = "", area_name: str = "") -> dict[str, str]:
    """One API crime (crimes-street or crimes-no-location) as a row in API_STREET_COLUMNS.

    Crimes with no location (location null) get empty latitude, longitude and street; a
    crime with no outcome yet (outcome_status null) gets empty outcome columns.
    """
    location = crime.get("location") or {}
    street = location.get("street") or {}
    outcome = crime.get("outcome_status") or {}
    row = {
        "ward_code": area_code,
        "ward_name": area_name,
        "api_id": crime.get("id"),
        "persistent_id": crime.get("persistent_id"),
        "month": crime.get("month"),
        "category": crime.get("category"),
        "location_type": crime.get("location_type"),
        "latitude": location.get("latitude"),
        "longitude": location.get("longitude"),
        "street_id": street.get("id"),
        "street_name": street.get("name"),
        "context": crime.get("context"),
        "outcome_category": outcome.get("category"),
        "outcome_date": outcome.get("date"),
        "location_subtype": crime.get("location_subtype"),
    }
    return {column: _text(row[column]) for column in formats.API_STREET_COLUMNS}


def stop_outcome(stop: dict) -> str:
    """The outcome's name: `outcome` when it is a non-empty string, else the name in
    `outcome_object`; '' when neither says (older answers give `outcome: false`)."""
    outcome = stop.get("outcome")
    if isinstance(outcome, str) and outcome.strip():
        return outcome
    named = stop.get("outcome_object") or {}
    name = named.get("name") if isinstance(named, dict) else None
    return name if isinstance(name, str) else ""


def flatten_stop(stop: dict) -> dict[str, str]:
    """One API stop and search (stops-force) as a row in police.uk's stop-and-search CSV
    layout (formats.STOP_SEARCH_COLUMNS)."""
    location = stop.get("location") or {}
    row = {
        "Type": stop.get("type"),
        "Date": stop.get("datetime"),
        "Part of a policing operation": stop.get("operation"),
        "Policing operation": stop.get("operation_name"),
        "Latitude": location.get("latitude"),
        "Longitude": location.get("longitude"),
        "Gender": stop.get("gender"),
        "Age range": stop.get("age_range"),
        "Self-defined ethnicity": stop.get("self_defined_ethnicity"),
        "Officer-defined ethnicity": stop.get("officer_defined_ethnicity"),
        "Legislation": stop.get("legislation"),
        "Object of search": stop.get("object_of_search"),
        "Outcome": stop_outcome(stop),
        "Outcome linked to object of search": stop.get("outcome_linked_to_object_of_search"),
        "Removal of more than just outer clothing":
            stop.get("removal_of_more_than_outer_clothing"),
    }
    return {column: _text(row[column]) for column in formats.STOP_SEARCH_COLUMNS}


def write_csv(path: Path, columns: Sequence[str], rows: Iterable[dict[str, str]]) -> int:
    """Write rows under a header (via path.part, renamed when complete); returns the rows."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    count = 0
    with partial.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns))
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
            count += 1
    partial.replace(path)
    return count


def api_street_file(dest: Path, slug: str, month: str) -> Path:
    return dest / "api" / slug / f"{month}-{slug}-api-street.csv"


def api_stops_file(dest: Path, slug: str, month: str) -> Path:
    # Named as police.uk names it, so that the importer finds the force in the name.
    return dest / "api" / slug / f"{month}-{slug}-stop-and-search.csv"
