"""saferplaces restore: replace the database with a backup made by `saferplaces backup`."""

from pathlib import Path
from typing import Any

from saferplaces.core.commands import OK, REFUSED, USAGE_ERROR, SingleCommand


class Command(SingleCommand):
    help = (
        "Replace the database with a backup made by 'saferplaces backup'. The file is checked "
        "first (an SQLite database or pg_dump archive with saferplaces's migrations); a file "
        "that is not a saferplaces backup is refused and nothing changes. SQLite: the backup "
        "is copied beside the database and renamed over it in one step; stop the server first. "
        "PostgreSQL: pg_restore --clean --if-exists in one transaction."
    )
    epilog = ("Exit codes: 0 restored; 1 refused (not a saferplaces backup, the database in "
              "use, pg_restore missing or failed: nothing changed); 2 the file cannot be read.")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", metavar="FILE", help="Backup file to restore.")

    def run(self, options: dict[str, Any], out: Any, err: Any) -> int:
        from saferplaces.core.backup import BackupError, restore

        source = Path(options["file"])
        if not source.is_file():
            err.write(f"Cannot read {source}: no such file.")
            return USAGE_ERROR
        try:
            out.write(restore(source))
        except BackupError as exc:
            err.write(str(exc))
            return REFUSED
        except OSError as exc:
            err.write(f"Cannot restore from {source}: {exc.strerror or exc}")
            return REFUSED
        return OK
