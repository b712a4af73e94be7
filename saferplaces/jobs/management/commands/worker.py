"""saferplaces worker: run background jobs."""

from typing import Any

from saferplaces.core.commands import OK, USAGE_ERROR, SingleCommand


class Command(SingleCommand):
    help = ("Run background jobs (crime imports and fetches started from the web, board report "
            "PDFs, reminders, large CSV imports) as they are queued. 'saferplaces serve' starts "
            "one; run more on PostgreSQL.")
    epilog = ("SIGTERM or Ctrl-C lets the current job finish, then stops; a second one stops at "
              "once (the job's transaction is rolled back and the job is marked failed). "
              "Exit codes: 0 stopped; 2 jobs are set to run immediately (no queue to work). "
              "See docs/jobs.md.")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--interval", type=float, default=1.0, metavar="SECONDS",
                            help="How long to wait before looking again when the queue is "
                                 "empty (default 1).")
        parser.add_argument("--batch", action="store_true",
                            help="Run the jobs queued now, then stop.")

    def run(self, options: dict[str, Any], out: Any, err: Any) -> int:
        import logging

        from django.conf import settings

        from saferplaces.jobs.worker import run_worker

        if not settings.JOBS_QUEUED:
            err.write("JOBS_QUEUED is off: jobs run inside the web request, so there is no "
                      "queue for a worker.")
            return USAGE_ERROR
        if options["interval"] < 0:
            err.write("--interval cannot be negative.")
            return USAGE_ERROR
        logging.getLogger("django_tasks_db").setLevel(logging.INFO)
        out.write("Worker started; waiting for jobs.")
        run_worker(interval=options["interval"], batch=options["batch"],
                   heartbeat=settings.JOBS_HEARTBEAT)
        return OK
