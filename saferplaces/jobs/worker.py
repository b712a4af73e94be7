"""The worker process: django-tasks-db's worker loop, plus a watch thread that keeps this
worker's running jobs marked alive and fails the jobs of workers that died."""

from __future__ import annotations

import logging
import signal
import threading

from django.db import OperationalError, connection

from saferplaces.jobs import runner

logger = logging.getLogger(__name__)
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)


class Watch(threading.Thread):
    """Every `interval` seconds: a heartbeat for this process's running jobs, then a sweep for
    stale ones. A locked database (SQLite while an import writes) just skips a beat."""

    def __init__(self, interval: float, worker: str) -> None:
        super().__init__(name="saferplaces-jobs-watch", daemon=True)
        self.interval = interval
        self.worker = worker
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self.interval):
            try:
                runner.beat(self.worker)
                for job in runner.fail_stale_jobs():
                    logger.warning("Job %s marked failed: %s", job.pk, job.worker)
            except OperationalError as exc:
                logger.info("Job heartbeat skipped: %s", exc)
            finally:
                connection.close()


def run_worker(*, interval: float = 1.0, batch: bool = False, heartbeat: float = 10.0) -> None:
    """Run queued jobs until stopped (SIGTERM/SIGINT finish the current job first), or with
    `batch` until the queue is empty."""
    from django_tasks_db.management.commands.db_worker import Worker

    name = runner.worker_name()
    for job in runner.fail_stale_jobs():
        logger.warning("Job %s (%s) marked failed: its worker is gone.", job.pk, job.title)
    watch = Watch(heartbeat, name)
    watch.start()
    worker = Worker(queue_names=["default"], interval=interval, batch=batch,
                    backend_name="default", startup_delay=False, max_tasks=None,
                    worker_id=name[-64:], excluded_queue_names=[])
    handlers = {number: signal.getsignal(number) for number in STOP_SIGNALS}
    worker.configure_signals()
    try:
        worker.run()
    finally:
        watch.stopped.set()
        for number, handler in handlers.items():
            signal.signal(number, handler)
