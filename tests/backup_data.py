"""Data for the backup test, run in a separate process against a real database file or
PostgreSQL database (DATABASE_URL): `python -m tests.backup_data build|snapshot`.

build: migrate, then one partnership built with the factories (the world of conftest plus an
indicator with values, targets and an action update) and its 2020-Q3 board report issued.
snapshot: print, as JSON, the row count of every table of every installed model (automatic
many-to-many tables and history tables included) and the stored bytes of the issued report.
"""

import datetime
import hashlib
import json
import os
import sys

PERIOD = "2020-Q3"


def build() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from saferplaces.performance import report
    from tests.conftest import make_action, make_partnership, make_user
    from tests.factories import (
        ActionUpdateFactory,
        IndicatorFactory,
        IndicatorTargetFactory,
        IndicatorValueFactory,
    )

    world = make_partnership("north", "North")
    admin = make_user("north-admin", world["partnership"], "admin")
    action = make_action(world["plan"], "PV-01", world["police"], partners=[world["council"]],
                         aims=world["aims"])
    ActionUpdateFactory(action=action, date=datetime.date(2020, 11, 1), author=admin,
                        status="on_track", narrative="Patrols started.")
    indicator = IndicatorFactory(partnership=world["partnership"], code="VC1",
                                 name="Violent crimes", owner=world["police"],
                                 priorities=[world["priority"]])
    for code, number in [("2020-Q1", 95), ("2020-Q2", 98), (PERIOD, 130)]:
        IndicatorValueFactory(indicator=indicator, period=code, value=number)
        IndicatorTargetFactory(indicator=indicator, period=code, value=100)
    report.issue(report.draft_record(world["partnership"], PERIOD), admin,
                 today=datetime.date(2021, 1, 20))


def snapshot() -> dict:
    from django.apps import apps

    from saferplaces.performance.models import BoardReport

    counts = {model._meta.db_table: model._base_manager.count()
              for model in apps.get_models(include_auto_created=True)}
    issued = BoardReport.objects.get(period=PERIOD, status="issued")
    return {"counts": counts,
            "pdf_sha256": hashlib.sha256(bytes(issued.pdf)).hexdigest(),
            "html_sha256": hashlib.sha256(issued.html.encode()).hexdigest(),
            "pdf_bytes": len(bytes(issued.pdf))}


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saferplaces.test_settings")
    import django

    django.setup()
    if sys.argv[1] == "build":
        build()
    else:
        print(json.dumps(snapshot()))
