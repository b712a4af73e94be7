"""Backing up and restoring the database: `saferplaces backup` and `saferplaces restore`.

SQLite: the online backup API copies a consistent snapshot while the server runs (in WAL mode
readers and writers carry on). A restore copies the backup into a temporary file beside the
database, checks it, then renames it over the database, so the database is at every moment
either the old one or the restored one.

PostgreSQL: `pg_dump --format=custom` and `pg_restore --clean --if-exists --single-transaction`,
given the connection settings through PG* environment variables (the password never appears on
a command line, where other users of the machine could see it).

Everything the platform stores (issued board reports' HTML and PDF included) is in the
database, except documents uploaded to consultations, which are files under MEDIA_ROOT: the
backup does not copy them, and says so when there are any (docs/deployment.md).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
PG_BIN_GLOB = "/usr/lib/postgresql/*/bin"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why, in one line or two."""


def database_settings() -> dict[str, Any]:
    from django.conf import settings

    return settings.DATABASES["default"]


def is_sqlite(db: dict[str, Any]) -> bool:
    return db["ENGINE"] == "django.db.backends.sqlite3"


def is_postgresql(db: dict[str, Any]) -> bool:
    return db["ENGINE"] == "django.db.backends.postgresql"


def our_app_labels() -> set[str]:
    """The labels of saferplaces's own apps: a backup records migrations of at least one."""
    from django.apps import apps

    return {config.label for config in apps.get_app_configs()
            if config.name.startswith("saferplaces.")}


def backup(output: Path) -> str:
    """Write a backup of the configured database to `output`; returns what was written."""
    db = database_settings()
    if is_sqlite(db):
        backup_sqlite(Path(db["NAME"]), output)
    elif is_postgresql(db):
        backup_postgresql(db, output)
    else:
        raise BackupError(f"Backups are supported for SQLite and PostgreSQL, not {db['ENGINE']}.")
    return (f"Backed up the database to {output} ({output.stat().st_size:,} bytes)."
            + _media_reminder())


def _media_reminder() -> str:
    """A reminder that uploaded files are not in the backup, when there are any."""
    from django.conf import settings

    media = Path(settings.MEDIA_ROOT)
    if media.is_dir() and any(path.is_file() for path in media.rglob("*")):
        return (f" Uploaded documents in MEDIA_ROOT ({media}) are not in it: back that "
                "folder up too.")
    return ""


def restore(source: Path) -> str:
    """Replace the configured database with the backup in `source`; returns what was done."""
    db = database_settings()
    kind = backup_kind(source)
    if kind == "other":
        raise BackupError(f"{source} is {_kind_text(kind)}; nothing was changed.")
    if is_sqlite(db):
        if kind != "sqlite":
            raise BackupError(f"{source} is {_kind_text(kind)}; the configured database is "
                              "SQLite, which restores only a saferplaces SQLite backup.")
        restore_sqlite(source, Path(db["NAME"]))
    elif is_postgresql(db):
        if kind != "postgresql":
            raise BackupError(f"{source} is {_kind_text(kind)}; the configured database is "
                              "PostgreSQL, which restores only a saferplaces pg_dump backup.")
        restore_postgresql(db, source)
    else:
        raise BackupError(f"Restores are supported for SQLite and PostgreSQL, not {db['ENGINE']}.")
    return (f"Restored the database from {source}. If the backup is from an older version of "
            "saferplaces, run 'saferplaces migrate' next.")


def backup_kind(path: Path) -> str:
    """'sqlite', 'postgresql' (a pg_dump custom archive) or 'other', by the file's first bytes."""
    try:
        with path.open("rb") as file:
            start = file.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise BackupError(f"Cannot read {path}: {exc.strerror or exc}") from exc
    if start == SQLITE_MAGIC:
        return "sqlite"
    if start.startswith(PG_DUMP_MAGIC):
        return "postgresql"
    return "other"


def _kind_text(kind: str) -> str:
    return {"sqlite": "an SQLite database", "postgresql": "a PostgreSQL (pg_dump) backup",
            "other": "not a saferplaces backup (neither an SQLite database nor a pg_dump "
                     "archive)"}[kind]


@contextmanager
def _temporary_beside(target: Path, suffix: str) -> Iterator[Path]:
    """A temporary file name in `target`'s directory (so a rename onto `target` is atomic);
    the file is removed unless the caller renamed it into place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=suffix, dir=target.parent)
    os.close(handle)
    path = Path(name)
    try:
        yield path
    finally:
        path.unlink(missing_ok=True)


# --------------------------------------------------------------------------------------------
# SQLite


def backup_sqlite(database: Path, output: Path) -> None:
    """Copy `database` to `output` with SQLite's online backup API, as one self-contained file
    (rollback journal, not WAL). Safe while the server reads and writes the database."""
    if not database.exists():
        raise BackupError(f"There is no database at {database} to back up.")
    with _temporary_beside(output, ".partial") as partial:
        source = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30)
        target = sqlite3.connect(partial)
        try:
            source.backup(target)  # one step: a consistent snapshot of the committed data
            target.execute("PRAGMA journal_mode=DELETE")
        except sqlite3.Error as exc:
            raise BackupError(f"Cannot back up {database}: {exc}") from exc
        finally:
            target.close()
            source.close()
        check_sqlite_backup(partial, name=str(database))
        os.replace(partial, output)


def check_sqlite_backup(path: Path, name: str | None = None) -> None:
    """Refuse (BackupError) unless `path` is an intact SQLite database whose migrations table
    records saferplaces's own migrations."""
    name = name or str(path)
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            integrity = connection.execute("PRAGMA quick_check").fetchone()[0]
            has_table = connection.execute(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name='django_migrations'"
            ).fetchone()
            apps = ({row[0] for row in connection.execute("SELECT app FROM django_migrations")}
                    if has_table else set())
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{name} is not a saferplaces backup: {exc}.") from exc
    if integrity != "ok":
        raise BackupError(f"{name} is damaged (SQLite's check says: {integrity}).")
    if not apps & our_app_labels():
        raise BackupError(f"{name} is an SQLite database but not a saferplaces backup: it has "
                          "no record of saferplaces's migrations.")


def restore_sqlite(source: Path, database: Path) -> None:
    """Replace `database` by the backup `source`: copy it beside the database, check the copy,
    then rename it over the database in one step."""
    check_sqlite_backup(source)
    with _temporary_beside(database, ".restoring") as copy:
        shutil.copyfile(source, copy)
        check_sqlite_backup(copy, name=str(source))
        _leave_wal_mode(database)
        os.replace(copy, database)
    for leftover in ("-wal", "-shm"):  # they belonged to the replaced file
        Path(f"{database}{leftover}").unlink(missing_ok=True)


def _leave_wal_mode(database: Path) -> None:
    """Fold the write-ahead log into the database file and stop using one, so no stale log
    is applied to the restored file. SQLite refuses while another process has the database
    open: then we refuse too, changing nothing."""
    if not database.exists():
        return
    connection = sqlite3.connect(database, timeout=5)
    try:
        mode = connection.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
    except sqlite3.OperationalError as exc:
        mode = str(exc)
    finally:
        connection.close()
    if mode.lower() != "delete":
        raise BackupError(f"{database} is in use by another process (the server or a command); "
                          "stop it and restore again. Nothing was changed.")


# --------------------------------------------------------------------------------------------
# PostgreSQL


def pg_tool(name: str) -> str:
    """The path of pg_dump or pg_restore: on PATH, else the newest in /usr/lib/postgresql."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/").glob(PG_BIN_GLOB.lstrip("/") + f"/{name}"),
                        key=lambda p: _version_key(p.parent.parent.name))
    if candidates:
        return str(candidates[-1])
    raise BackupError(f"{name} is not installed: install PostgreSQL's client tools (Debian and "
                      "Ubuntu: apt-get install postgresql-client) and try again.")


def _version_key(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(".") if part.isdigit())


def pg_environment(db: dict[str, Any]) -> dict[str, str]:
    """The environment for pg_dump and pg_restore: the connection settings as PG* variables."""
    env = dict(os.environ)
    values = {"PGHOST": db.get("HOST"), "PGPORT": db.get("PORT"), "PGUSER": db.get("USER"),
              "PGPASSWORD": db.get("PASSWORD"), "PGDATABASE": db.get("NAME"),
              "PGSSLMODE": (db.get("OPTIONS") or {}).get("sslmode")}
    env.update({key: str(value) for key, value in values.items() if value})
    return env


def _run_pg(args: list[str], db: dict[str, Any], what: str) -> str:
    try:
        done = subprocess.run(args, env=pg_environment(db), capture_output=True, text=True)
    except OSError as exc:
        raise BackupError(f"Cannot run {args[0]}: {exc.strerror or exc}") from exc
    if done.returncode != 0:
        detail = done.stderr.strip().splitlines()
        raise BackupError(f"{what} failed: " + (detail[-1] if detail else
                                                f"exit code {done.returncode}"))
    return done.stdout


def backup_postgresql(db: dict[str, Any], output: Path) -> None:
    """pg_dump the database in the custom format to a temporary file, then rename it."""
    dump = pg_tool("pg_dump")
    with _temporary_beside(output, ".partial") as partial:
        _run_pg([dump, "--format=custom", "--no-owner", f"--file={partial}"], db, "pg_dump")
        check_pg_backup(partial, db, name=str(db.get("NAME")))
        os.replace(partial, output)


def check_pg_backup(path: Path, db: dict[str, Any], name: str | None = None) -> None:
    """Refuse (BackupError) unless `path` is a pg_dump archive holding a migrations table
    that records saferplaces's own migrations."""
    rows = _run_pg([pg_tool("pg_restore"), "--data-only", "--table=django_migrations",
                    "--file=-", str(path)], db, f"Reading {name or path}")
    apps = {line.split("\t")[1] for line in rows.splitlines() if line.count("\t") >= 3}
    if not apps & our_app_labels():
        raise BackupError(f"{name or path} is a pg_dump archive but not a saferplaces backup: "
                          "it has no record of saferplaces's migrations.")


def restore_postgresql(db: dict[str, Any], source: Path) -> None:
    """pg_restore the backup over the database in one transaction: all of it or nothing."""
    check_pg_backup(source, db)
    _run_pg([pg_tool("pg_restore"), "--clean", "--if-exists", "--single-transaction",
             "--no-owner", "--exit-on-error", f"--dbname={db.get('NAME')}", str(source)],
            db, "pg_restore")
