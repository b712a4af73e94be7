"""Action CSV import through the web view: `python bench/action_import.py [--rows 40000]`.

Builds a partnership with a plan (the test factories) in a fresh SQLite database, then, logged
in as its administrator with Django's test client, posts to the plan's import page:

1. a file of N new actions (each with two aims, two partners and a lead officer): all created;
2. the same file again: all unchanged;
3. the file with every title changed: all updated.

For each it prints the wall-clock and CPU time of the request (CPU time is less disturbed by a
busy machine) and its number of queries. Target: well
under 30 s (gunicorn's timeout) for 40,000 rows. Prints figures; asserts nothing but that each
import succeeded.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADER = ("reference,title,description,aims,lead_organisation,partner_organisations,"
          "lead_officer,start_date,due_date,status,progress\n")


def actions_csv(rows: int, title: str = "Action") -> bytes:
    body = "".join(
        f"A-{n:05d},{title} {n},Work item {n},1.1; 1.2,POL,CNCL; FIRE,Pat Lead,2020-04-01,"
        f"2021-03-31,on_track,{n % 101}\n" for n in range(rows))
    return (HEADER + body).encode()


def setup_django(database: Path) -> None:
    # A file over BACKGROUND_IMPORT_ROWS becomes a background job; with JOBS_QUEUED off the
    # job runs inside the request, so the figure is the whole import, not just queueing it.
    os.environ.update(DATABASE_URL=f"sqlite:///{database}", SECRET_KEY="bench",
                      ALLOWED_HOSTS="testserver", DJANGO_SETTINGS_MODULE="saferplaces.settings",
                      JOBS_QUEUED="false")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_plan():
    """A partnership (POL, CNCL, FIRE), a strategy with aims 1.1 and 1.2, the 2020/21 plan,
    an officer called Pat Lead and an administrator."""
    from tests.factories import (
        ActionPlanFactory,
        AimFactory,
        MembershipFactory,
        OrganisationFactory,
        PartnershipFactory,
        PersonFactory,
        PriorityFactory,
        StrategyFactory,
        UserFactory,
    )

    partnership = PartnershipFactory(slug="bench")
    police = OrganisationFactory(partnership=partnership, short_name="POL",
                                 authority_type="police")
    for short_name, kind in (("CNCL", "council"), ("FIRE", "fire")):
        OrganisationFactory(partnership=partnership, short_name=short_name, authority_type=kind)
    strategy = StrategyFactory(partnership=partnership)
    priority = PriorityFactory(strategy=strategy, number=1)
    AimFactory(priority=priority, number=1)
    AimFactory(priority=priority, number=2)
    PersonFactory(partnership=partnership, name="Pat Lead", organisation=police)
    admin = UserFactory(username="bench-admin")
    MembershipFactory(user=admin, partnership=partnership, role="admin")
    return ActionPlanFactory(strategy=strategy, year=2020), admin


def post(client, plan, data: bytes, label: str) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.urls import reverse

    url = reverse("plan_import", args=[plan.strategy.partnership.slug, plan.pk])
    upload = SimpleUploadedFile("plan.csv", data, content_type="text/csv")
    queries = []

    def count(execute, sql, params, many, context):
        # Counted without Django's debug cursor, which would format every parameter.
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        start, cpu = time.perf_counter(), time.process_time()
        response = client.post(url, {"file": upload})
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    if response.status_code != 302:
        sys.exit(f"{label}: the import failed (HTTP {response.status_code})")
    print(f"{label:<38} {seconds:6.2f} s wall  {cpu:6.2f} s CPU  {len(queries):>5} queries  "
          f"({len(data) / 1e6:.1f} MB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=40_000)
    rows = parser.parse_args().rows
    with tempfile.TemporaryDirectory() as folder:
        setup_django(Path(folder) / "bench.sqlite3")
        from django.test import Client

        from saferplaces.strategy.models import Action

        plan, admin = make_plan()
        client = Client()
        client.force_login(admin)
        data = actions_csv(rows)
        post(client, plan, data, f"{rows:,} new actions")
        post(client, plan, data, f"{rows:,} unchanged actions")
        post(client, plan, actions_csv(rows, title="Renamed action"),
             f"{rows:,} actions with new titles")
        print(f"actions stored: {plan.actions.count():,}; history records: "
              f"{Action.history.count():,}; load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
