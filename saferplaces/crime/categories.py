"""police.uk's crime categories: the one list every crime import checks crime types against.

Source: the data.police.uk API's `crime-categories` method,
https://data.police.uk/docs/method/crime-categories/ (e.g.
https://data.police.uk/api/crime-categories?date=2024-01), which gives each category's `url`
(the slug the API's street crimes carry) and `name` (the label of the archive's street CSVs).

Two names were used before May 2013, when police.uk split and renamed categories: "Violent
crime" (renamed "Violence and sexual offences") and "Public disorder and weapons" (split into
"Public order" and "Possession of weapons"). Files of those months carry them, so they are
accepted too. No database.
"""

from __future__ import annotations

SOURCE_URL = "https://data.police.uk/docs/method/crime-categories/"

# API slug → the label of the street-level CSV files, as published today.
CATEGORIES: dict[str, str] = {
    "anti-social-behaviour": "Anti-social behaviour",
    "bicycle-theft": "Bicycle theft",
    "burglary": "Burglary",
    "criminal-damage-arson": "Criminal damage and arson",
    "drugs": "Drugs",
    "other-theft": "Other theft",
    "possession-of-weapons": "Possession of weapons",
    "public-order": "Public order",
    "robbery": "Robbery",
    "shoplifting": "Shoplifting",
    "theft-from-the-person": "Theft from the person",
    "vehicle-crime": "Vehicle crime",
    "violent-crime": "Violence and sexual offences",
    "other-crime": "Other crime",
}

# Labels (and their API slugs) used only before May 2013.
HISTORICAL_LABELS: tuple[str, ...] = ("Violent crime", "Public disorder and weapons")
HISTORICAL_SLUGS: dict[str, str] = {"public-disorder-weapons": "Public disorder and weapons"}

#: The crime types published today, sorted: what pages offer to filter by.
CURRENT_TYPES: tuple[str, ...] = tuple(sorted(CATEGORIES.values()))
#: Every crime type a street-level file may carry.
KNOWN_TYPES: tuple[str, ...] = CURRENT_TYPES + HISTORICAL_LABELS
#: Every category slug an API street-crimes file may carry, with its label.
KNOWN_SLUGS: dict[str, str] = {**CATEGORIES, **HISTORICAL_SLUGS}

ASB = "Anti-social behaviour"
