"""The console script sets Django up with the collector paused, then resumes collection."""

import os
import subprocess
import sys

PROBE = """
import gc
from saferplaces.cli import setup_django
setup_django()
from django.apps import apps
print(apps.ready, gc.isenabled(), gc.get_freeze_count() > 1000)
"""


def test_setup_leaves_apps_ready_and_the_collector_running_with_setup_frozen():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "saferplaces.settings",
           "SECRET_KEY": "test", "DATABASE_URL": "sqlite:///:memory:"}
    done = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True,
                          text=True, check=True)
    assert done.stdout.split() == ["True", "True", "True"]
