"""The `crime` command sets up only the apps it needs (cli.COMMAND_APPS), to start fast. These
tests prove that set is closed, so the command behaves as it would with every app installed:

- the command's code, followed import by import, reaches no module of an app outside it;
- its models relate only to each other (Django can resolve every relation);
- no model outside it points at the rows the command writes (a delete's cascade, protection
  or nulling would go unseen by a process that does not know that model);
- no receiver outside it listens to a signal from its models or its own signals;
- a real `saferplaces crime import` process runs with just those apps and still recomputes
  the computed indicators that follow the crime data.
"""

from __future__ import annotations

import ast
import csv
import gzip
import shutil
import sqlite3
import subprocess
import sys
import weakref
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db.models import signals as model_signals
from django.dispatch import Signal

from saferplaces.cli import COMMAND_APPS
from tests.conftest import process_env
from tests.test_layers import PACKAGE, module_name

ROOT = PACKAGE.parent
CRIME_APPS = COMMAND_APPS["crime"]
# The apps whose rows the crime command writes or deletes: imports, their records and counts,
# harm weights (crime); computed indicator values (performance).
WRITTEN = {"saferplaces.crime", "saferplaces.performance"}
STREET = ROOT / "tests" / "data" / "policeuk" / "2017-07-west-yorkshire-street.csv.gz"


def test_every_app_of_the_set_is_installed_and_order_is_kept():
    assert set(CRIME_APPS) <= set(settings.INSTALLED_APPS)


# ---------------------------------------------------------------------------------------------
# Imports


def project_modules() -> dict[str, Path]:
    return {module_name(path): path for path in PACKAGE.rglob("*.py")}


def imports_of(path: Path, module: str, known: dict[str, Path]) -> set[str]:
    """Every module `path` imports anywhere in it (functions too), with `from a import b`
    counted as importing a.b when that is a module."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(parts + ([base] if base else []))
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names
                         if f"{base}.{alias.name}" in known)
    return found


def app_of(module: str) -> str | None:
    """The installed app a module belongs to (the longest matching app package), if any."""
    names = [app for app in settings.INSTALLED_APPS
             if module == app or module.startswith(app + ".")]
    return max(names, key=len) if names else None


def reached_from(starts: list[str]) -> dict[str, str]:
    """Every module reachable from `starts` through imports, with the module that first
    imported it (project modules are followed; others are recorded, not followed)."""
    known = project_modules()
    reached = {start: "(start)" for start in starts}
    queue = list(starts)
    while queue:
        module = queue.pop()
        for target in imports_of(known[module], module, known):
            if target not in reached:
                reached[target] = module
                if target in known:
                    queue.append(target)
    return reached


def command_entry_modules() -> list[str]:
    """The crime command itself, its subcommands, and the apps.py and models.py of every app
    in its set (their ready() and signal receivers run in the command's process)."""
    known = project_modules()
    starts = [m for m in known if m.startswith(("saferplaces.crime.commands",
                                                "saferplaces.crime.management"))]
    for app in CRIME_APPS:
        starts += [m for m in (f"{app}.apps", f"{app}.models") if m in known]
    return starts


def test_the_crime_command_imports_no_module_of_an_app_outside_its_set():
    outside = []
    for module, importer in reached_from(command_entry_modules()).items():
        app = app_of(module)
        if app is not None and app not in CRIME_APPS:
            outside.append(f"{importer} imports {module} ({app} is not in the set)")
    assert outside == []


def test_the_import_walk_finds_an_import_inside_a_function():
    """The walk above would pass vacuously if it missed imports: it must see one written
    inside a function, through `from package import module`."""
    reached = reached_from(["saferplaces.performance.receivers"])
    assert "saferplaces.performance.compute" in reached  # imported inside the receiver
    assert "saferplaces.crime.analytics" in reached or "saferplaces.crime.harm" in reached


# ---------------------------------------------------------------------------------------------
# Relations


def in_set(model) -> bool:
    return model._meta.app_config.name in CRIME_APPS


def relations(model):
    return [field for field in model._meta.get_fields(include_hidden=True)
            if field.is_relation and field.concrete and field.related_model is not None]


def test_the_sets_models_relate_only_to_each_other():
    outside = [f"{model._meta.label}.{field.name} -> {field.related_model._meta.label}"
               for model in apps.get_models(include_auto_created=True) if in_set(model)
               for field in relations(model) if not in_set(field.related_model)]
    assert outside == []


def test_no_model_outside_the_set_points_at_rows_the_command_writes():
    pointing = [f"{model._meta.label}.{field.name} -> {field.related_model._meta.label}"
                for model in apps.get_models(include_auto_created=True) if not in_set(model)
                for field in relations(model)
                if field.related_model._meta.app_config.name in WRITTEN]
    assert pointing == []


def test_the_set_includes_the_models_outside_apps_point_at():
    """The check above looks at the right thing: models outside the set do point at models
    in it (the strategy, partnerships, logins), just not at the ones the command writes."""
    assert any(in_set(field.related_model)
               for model in apps.get_models(include_auto_created=True) if not in_set(model)
               for field in relations(model))


# ---------------------------------------------------------------------------------------------
# Signal receivers


def model_signals_and_own_signals() -> tuple[list[Signal], list[Signal]]:
    """Django's model signals (sent by every model), and the signals the set's apps define."""
    from saferplaces.crime import signals as crime_signals

    models = [value for value in vars(model_signals).values() if isinstance(value, Signal)]
    own = [value for value in vars(crime_signals).values() if isinstance(value, Signal)]
    return models, own


def receivers(signal: Signal):
    """(receiver function, sender id) for each receiver connected to `signal`."""
    for (_receiver_key, sender_key), receiver, *_ in signal.receivers:
        if isinstance(receiver, weakref.ReferenceType):
            receiver = receiver()
        if receiver is not None:
            yield receiver, sender_key


def test_no_receiver_outside_the_set_listens_to_its_models_or_signals():
    from django.dispatch.dispatcher import NONE_ID

    set_senders = {id(model) for model in apps.get_models(include_auto_created=True)
                   if in_set(model)} | {NONE_ID}
    by_models, own = model_signals_and_own_signals()
    listening = []
    for signal in by_models + own:
        for receiver, sender_key in receivers(signal):
            app = app_of(getattr(receiver, "__module__", "") or "")
            if app is None or app in CRIME_APPS:
                continue
            if signal in own or sender_key in set_senders:
                listening.append(f"{receiver.__module__}.{receiver.__qualname__}")
    assert listening == []


def test_the_receiver_walk_sees_the_receivers_that_exist():
    """performance listens to crime imports; the walk above must see that receiver."""
    from saferplaces.crime.signals import crime_imported

    names = [receiver.__qualname__ for receiver, _ in receivers(crime_imported)]
    assert "recompute_after_crime_import" in names


# ---------------------------------------------------------------------------------------------
# A real process

PROBE = """
import sys
from saferplaces import cli
code = cli.main(["crime", "import", sys.argv[1]])
from django.apps import apps
print("installed:", ",".join(sorted(app.name for app in apps.get_app_configs())))
sys.exit(code)
"""

WORLD = """
import django
django.setup()
from saferplaces.areas.models import Area, AreaLink
from tests.factories import IndicatorFactory, PartnershipFactory
lad = Area.objects.create(level="lad", code="E08000036", name="Wakefield", vintage="2021")
lsoa = Area.objects.create(level="lsoa", code="E01011736", name="Wakefield 001A", vintage="2011")
AreaLink.objects.create(child=lsoa, parent=lad, vintage="test")
partnership = PartnershipFactory(area=lad, police_force="West Yorkshire Police")
IndicatorFactory(partnership=partnership, code="ASB", source="computed", measure="count",
                 frequency="monthly", crime_types=["Anti-social behaviour"])
"""


def test_a_crime_import_process_runs_with_just_its_apps_and_recomputes_indicators(
        tmp_path, migrated_sqlite):
    database = tmp_path / "db.sqlite3"
    shutil.copy(migrated_sqlite, database)
    subprocess.run([sys.executable, "-c", WORLD], env=process_env(database), cwd=ROOT,
                   check=True)
    done = subprocess.run([sys.executable, "-c", PROBE, str(STREET)], cwd=ROOT,
                          env=process_env(database), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    installed = done.stdout.split("installed: ", 1)[1].split()[0].split(",")
    assert sorted(installed) == sorted(CRIME_APPS)
    assert "indicator value(s) recomputed from the new data" in done.stdout

    with gzip.open(STREET, "rt", encoding="utf-8") as handle:
        expected = sum(1 for row in csv.DictReader(handle)
                       if row["LSOA code"] == "E01011736"
                       and row["Crime type"] == "Anti-social behaviour")
    with sqlite3.connect(database) as db:
        values = db.execute("SELECT value, status FROM performance_indicatorvalue "
                            "WHERE period = '2017-07'").fetchall()
        history = db.execute("SELECT COUNT(*) FROM performance_historicalindicatorvalue "
                             "WHERE period = '2017-07'").fetchone()[0]
    assert values == [(expected, "computed")] and expected > 0
    assert history == 1  # the audit trail records the value, as with every app installed


def test_a_command_run_inside_a_set_up_process_leaves_its_apps_alone():
    """main() called where Django is already set up (the tests, a shell) must not shrink the
    settings' app list under the running process."""
    from saferplaces import cli

    before = list(settings.INSTALLED_APPS)
    assert cli.main(["crime", "hotspots", "--from", "2020-01"]) == 2  # a usage error
    assert list(settings.INSTALLED_APPS) == before
