"""saferplaces backup: copy the database to a file, safely while the server runs."""

from pathlib import Path
from typing import Any

from saferplaces.core.commands import OK, REFUSED, SingleCommand


class Command(SingleCommand):
    help = (
        "Back up the database to a file while the server runs: SQLite with its online backup "
        "API (the file is itself an SQLite database), PostgreSQL with pg_dump --format=custom. "
        "The file appears only when complete. Everything saferplaces stores, issued board "
        "reports included, is in the database."
    )
    epilog = ("Exit codes: 0 written; 1 the backup could not be made (no database, pg_dump "
              "missing or failed, a file error). See docs/deployment.md for a schedule.")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--output", required=True, metavar="FILE",
                            help="File to write (replaced if it exists).")

    def run(self, options: dict[str, Any], out: Any, err: Any) -> int:
        from saferplaces.core.backup import BackupError, backup

        try:
            out.write(backup(Path(options["output"])))
        except (BackupError, OSError) as exc:
            err.write(_one_line(exc))
            return REFUSED
        return OK


def _one_line(exc: Exception) -> str:
    if isinstance(exc, OSError):
        return f"Cannot write {exc.filename or 'the backup'}: {exc.strerror or exc}"
    return str(exc)
