"""Simulated months for the demonstration, made by resampling one real month.

Only one real street-level month of Wolverhampton crime (June 2018, from the police.uk API) is
available to the project, so the demo adds simulated months to show trends. They are generated
reproducibly (a fixed seed) and are stored as imports flagged `is_simulated`, which every page,
command and report that shows them labels.

Volume model, for crime type t in month m (all numbers illustrative, not estimates):

    expected(t, m) = real_june_2018_count(t) × season(m) / season(June) × 1.03 ** years(m)
                     × covid(t, m)

- season(m) = 1 + 0.08 × cos(2π (m − 7) / 12): crime peaks in July and dips in January;
- 1.03 ** years: a 3% a year drift, years counted from June 2018 (negative before it);
- covid(t, m): from April to June 2020, acquisitive crime (burglary, shoplifting, theft from the
  person, other theft, bicycle theft, vehicle crime) × 0.6 and anti-social behaviour × 1.6,
  echoing the first lockdown; 1 otherwise.

The simulated count is a Poisson draw with that mean; each simulated crime is a copy of a real
June 2018 crime of the same type drawn at random (location, LSOA and outcome included), with a
made-up Crime ID starting "SIM-".
"""

from __future__ import annotations

import datetime
import hashlib
import math

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from saferplaces.core.periods import month_code

SEED = 20200401
AMPLITUDE = 0.08
DRIFT = 1.03
ACQUISITIVE = {"Burglary", "Shoplifting", "Theft from the person", "Other theft",
               "Bicycle theft", "Vehicle crime"}
COVID_MONTHS = {datetime.date(2020, 4, 1), datetime.date(2020, 5, 1), datetime.date(2020, 6, 1)}
BASE_MONTH = datetime.date(2018, 6, 1)


def season(month: datetime.date) -> float:
    return 1 + AMPLITUDE * math.cos(2 * math.pi * (month.month - 7) / 12)


def expected_count(base: int, crime_type: str, month: datetime.date) -> float:
    years = (month.year - BASE_MONTH.year) + (month.month - BASE_MONTH.month) / 12
    covid = 1.0
    if month in COVID_MONTHS:
        covid = 0.6 if crime_type in ACQUISITIVE else 1.6 if crime_type == "Anti-social behaviour" \
            else 1.0
    return base * season(month) / season(BASE_MONTH) * DRIFT ** years * covid


def simulate_months(real: pa.Table, months: list[datetime.date], seed: int = SEED) -> pa.Table:
    """Simulated street-level rows for `months`, resampled from `real` (a table in the
    importer's normalised street layout, one real month). Same seed, same rows."""
    rng = np.random.default_rng(seed)
    types = sorted(set(real["crime_type"].to_pylist()))
    pieces = []
    for month in months:
        for crime_type in types:
            pool = real.filter(pc.equal(real["crime_type"], crime_type))
            n = int(rng.poisson(expected_count(pool.num_rows, crime_type, month)))
            if n == 0:
                continue
            picks = pool.take(pa.array(rng.integers(0, pool.num_rows, size=n)))
            pieces.append(_restamp(picks, month, crime_type))
    return pa.concat_tables(pieces) if pieces else real.slice(0, 0)


def _restamp(rows: pa.Table, month: datetime.date, crime_type: str) -> pa.Table:
    label = month_code(month)
    ids = [None if crime_type == "Anti-social behaviour" else
           "SIM-" + hashlib.sha256(f"{label}-{crime_type}-{i}".encode()).hexdigest()[:40]
           for i in range(rows.num_rows)]
    rows = rows.set_column(rows.schema.get_field_index("month"), "month",
                           pa.array([label] * rows.num_rows, pa.string()))
    return rows.set_column(rows.schema.get_field_index("crime_id"), "crime_id",
                           pa.array(ids, pa.string()))
