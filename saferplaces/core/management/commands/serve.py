"""saferplaces serve: run the web application."""

import os
import subprocess
import sys
from typing import Any

from saferplaces.core.commands import OK, USAGE_ERROR, SingleCommand


class Command(SingleCommand):
    help = (
        "Serve saferplaces over HTTP. By default runs gunicorn (production-grade) after "
        "collecting static files; --dev runs Django's auto-reloading development server. "
        "Either way a background job worker ('saferplaces worker') runs alongside and stops "
        "with it."
    )
    epilog = ("Exit codes: gunicorn's own when it stops; 1 the system checks found errors; "
              "2 an invalid --port or --workers.")
    requires_system_checks = "__all__"  # check everything once before serving

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--port", type=int, default=8000, help="Port to listen on (8000).")
        parser.add_argument("--host", default="127.0.0.1",
                            help="Address to listen on (127.0.0.1; use 0.0.0.0 behind a proxy).")
        parser.add_argument("--workers", type=int, default=default_workers(),
                            help="gunicorn worker processes, each serving one request at a "
                                 "time (default: twice the cores this process may use, plus "
                                 "one, as gunicorn advises).")
        parser.add_argument("--dev", action="store_true",
                            help="Use Django's development server with auto-reload.")
        parser.add_argument("--job-workers", type=int, default=1, metavar="N",
                            help="Background job workers to start (1; 0 for none, when they "
                                 "run elsewhere; keep 1 on SQLite). Not started when "
                                 "JOBS_QUEUED is off.")

    def run(self, options: dict[str, Any], out: Any, err: Any) -> int:
        from django.conf import settings
        from django.core.management import call_command

        host, port = options["host"], options["port"]
        if not 0 < port < 65536:
            err.write(f"--port {port} is not a valid port number.")
            return USAGE_ERROR
        if options["workers"] < 1:
            err.write("--workers must be at least 1.")
            return USAGE_ERROR
        if options["job_workers"] < 0:
            err.write("--job-workers cannot be negative.")
            return USAGE_ERROR
        workers = start_job_workers(options["job_workers"] if settings.JOBS_QUEUED else 0, out)
        try:
            if options["dev"]:
                call_command("runserver", f"{host}:{port}")
                return OK
            call_command("collectstatic", interactive=False, verbosity=0)
            out.write(f"saferplaces on http://{host}:{port}/ (static files in "
                      f"{settings.STATIC_ROOT}); Ctrl-C stops it.")
            command = [sys.executable, "-m", "gunicorn", "saferplaces.wsgi:application",
                       "--bind", f"{host}:{port}", "--workers", str(options["workers"]),
                       "--preload", "--access-logfile", "-"]
            try:
                return subprocess.call(command, env=os.environ.copy())
            except KeyboardInterrupt:
                return OK
        finally:
            stop_job_workers(workers)


def default_workers() -> int:
    """gunicorn's advice, (2 x cores) + 1: a worker waiting for the database or the client
    does not leave a core idle, and the cores are never far oversubscribed."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return 2 * cores + 1


def start_job_workers(count: int, out: Any) -> list[subprocess.Popen]:
    """Start `saferplaces worker` processes beside the web server."""
    if count:
        out.write(f"Starting {count} background job worker(s).")
    return [subprocess.Popen([sys.executable, "-m", "saferplaces.cli", "worker"],
                             env=os.environ.copy()) for _ in range(count)]


def stop_job_workers(workers: list[subprocess.Popen], grace: float = 30.0) -> None:
    """Ask each worker to stop after its current job (SIGTERM); kill it after `grace`
    seconds (its job's transaction is then rolled back and the job marked failed)."""
    for worker in workers:
        if worker.poll() is None:
            worker.terminate()
    for worker in workers:
        try:
            worker.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()

