"""WSGI entry point (gunicorn saferplaces.wsgi)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saferplaces.settings")
gc.disable()  # as cli.setup_django: nothing to collect while the app and libraries load
application = get_wsgi_application()


def _import_page_libraries() -> None:
    """Commands import the chart and statistics libraries only when they use them, to start
    fast; a web server imports them once at start instead (before gunicorn forks its workers,
    with `--preload`), so the first visitor to an evidence page in each worker does not wait
    about 1.5 s for them."""
    import altair  # noqa: F401
    import numpy  # noqa: F401
    import scipy.stats  # noqa: F401
    import shapely  # noqa: F401
    import vl_convert  # noqa: F401


_import_page_libraries()
# What loading made lives as long as the server: keep it out of every later collection (and,
# with --preload, out of the pages a collection in a forked worker would copy).
gc.freeze()
gc.enable()
