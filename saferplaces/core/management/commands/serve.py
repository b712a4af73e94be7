"""saferplaces serve: run the web application."""

import os
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Serve saferplaces over HTTP. By default runs gunicorn (production-grade) after "
        "collecting static files; --dev runs Django's auto-reloading development server."
    )

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000, help="Port to listen on (8000).")
        parser.add_argument("--host", default="127.0.0.1",
                            help="Address to listen on (127.0.0.1; use 0.0.0.0 behind a proxy).")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes.")
        parser.add_argument("--dev", action="store_true",
                            help="Use Django's development server with auto-reload.")

    def handle(self, *args, port, host, workers, dev, **options):
        if not 0 < port < 65536:
            self.stderr.write(self.style.ERROR(f"--port {port} is not a valid port number."))
            sys.exit(2)
        if dev:
            call_command("runserver", f"{host}:{port}")
            return
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"saferplaces on http://{host}:{port}/ (static files in "
                          f"{settings.STATIC_ROOT}); Ctrl-C stops it.")
        command = [sys.executable, "-m", "gunicorn", "saferplaces.wsgi:application",
                   "--bind", f"{host}:{port}", "--workers", str(workers),
                   "--access-logfile", "-"]
        try:
            sys.exit(subprocess.call(command, env=os.environ.copy()))
        except KeyboardInterrupt:
            pass
