"""saferplaces backup and restore (issue 9, point 11): back up, delete the database, restore,
and every table has the same number of rows and the issued board report the same bytes. On
SQLite always; on PostgreSQL when DATABASE_URL names one (`/tmp/pgtest.sh`, `.ci/run`), in a
scratch database beside the test database."""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from saferplaces.core import backup
from tests.commands import run_command

ROOT = Path(__file__).resolve().parent.parent
DATABASE_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRESQL = DATABASE_URL.startswith(("postgres://", "postgresql://"))
PERIOD = "2020-Q3"


def environment(database_url: str) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "test-backup",
            "DJANGO_SETTINGS_MODULE": "saferplaces.test_settings"}


def run(args: list[str], database_url: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=environment(database_url),
                          capture_output=True, text=True, timeout=300)


def saferplaces(database_url: str, *args: str) -> subprocess.CompletedProcess:
    return run(["-m", "saferplaces.cli", *args], database_url)


def snapshot(database_url: str) -> dict:
    done = run(["-m", "tests.backup_data", "snapshot"], database_url)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def build(database_url: str) -> None:
    done = run(["-m", "tests.backup_data", "build"], database_url)
    assert done.returncode == 0, done.stderr


class SqliteDatabase:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.url = f"sqlite:///{path}"

    def delete(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)

    def drop(self) -> None:
        self.delete()


class PostgresDatabase:
    """A scratch database on the server of DATABASE_URL, dropped at the end."""

    def __init__(self) -> None:
        import dj_database_url

        self.settings = dj_database_url.parse(DATABASE_URL)
        self.name = f"backup_test_{uuid.uuid4().hex[:10]}"
        self.url = DATABASE_URL.rsplit("/", 1)[0] + f"/{self.name}"
        self._execute(f'CREATE DATABASE "{self.name}"')

    def _execute(self, sql: str) -> None:
        import psycopg

        s = self.settings
        with psycopg.connect(host=s["HOST"], port=s["PORT"] or None, user=s["USER"],
                             password=s["PASSWORD"] or None, dbname=s["NAME"],
                             autocommit=True) as connection:
            connection.execute(sql)

    def delete(self) -> None:
        """Drop the database and create it again, empty."""
        self._execute(f'DROP DATABASE "{self.name}" WITH (FORCE)')
        self._execute(f'CREATE DATABASE "{self.name}"')

    def drop(self) -> None:
        self._execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def built_sqlite(tmp_path_factory) -> Path:
    """A migrated SQLite database with the data and issued report, built once; copy it."""
    path = tmp_path_factory.mktemp("built") / "built.sqlite3"
    build(f"sqlite:///{path}")
    with sqlite3.connect(path) as connection:  # one file, no write-ahead log beside it
        connection.execute("PRAGMA journal_mode=DELETE")
    return path


@pytest.fixture
def database(tmp_path, request):
    if ON_POSTGRESQL:
        db = PostgresDatabase()
        build(db.url)
    else:
        db = SqliteDatabase(tmp_path / "saferplaces.sqlite3")
        shutil.copyfile(request.getfixturevalue("built_sqlite"), db.path)
    yield db
    db.drop()


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_backup_delete_restore_gives_back_every_row_and_the_issued_report(database, tmp_path):
    before = snapshot(database.url)
    assert before["counts"]["performance_boardreport"] == 1 and before["pdf_bytes"] > 1000
    assert before["counts"]["strategy_action_aims"] == 2  # an automatic many-to-many table
    issued_pdf = tmp_path / "issued.pdf"
    done = saferplaces(database.url, "report", "board", "--period", PERIOD,
                       "--output", str(issued_pdf))
    assert done.returncode == 0, done.stderr

    backup_file = tmp_path / "backups" / "saferplaces.backup"
    done = saferplaces(database.url, "backup", "--output", str(backup_file))
    assert done.returncode == 0, done.stderr
    assert f"Backed up the database to {backup_file}" in done.stdout
    assert list(backup_file.parent.iterdir()) == [backup_file]  # no partial file left

    database.delete()
    done = saferplaces(database.url, "restore", str(backup_file))
    assert done.returncode == 0, done.stderr
    assert "Restored the database" in done.stdout

    after = snapshot(database.url)
    assert after["counts"] == before["counts"]
    assert (after["pdf_sha256"], after["html_sha256"]) == (before["pdf_sha256"],
                                                           before["html_sha256"])
    restored_pdf = tmp_path / "restored.pdf"
    done = saferplaces(database.url, "report", "board", "--period", PERIOD,
                       "--output", str(restored_pdf))
    assert done.returncode == 0, done.stderr
    assert "frozen" in done.stdout
    assert restored_pdf.read_bytes() == issued_pdf.read_bytes()


@pytest.mark.skipif(ON_POSTGRESQL, reason="SQLite's online backup")
def test_sqlite_backup_runs_beside_an_open_write_and_copies_only_committed_rows(database,
                                                                               tmp_path):
    writer = sqlite3.connect(database.path, timeout=1, isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL")
    committed = writer.execute("SELECT count(*) FROM django_migrations").fetchone()[0]
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO django_migrations (app, name, applied) "
                   "VALUES ('core', 'uncommitted', '2026-01-01')")
    try:
        backup_file = tmp_path / "during-a-write.sqlite3"
        done = saferplaces(database.url, "backup", "--output", str(backup_file))
        assert done.returncode == 0, done.stderr
    finally:
        writer.execute("COMMIT")
        writer.close()
    with sqlite3.connect(backup_file) as copy:
        assert copy.execute("SELECT count(*) FROM django_migrations").fetchone()[0] == committed
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"


@pytest.mark.skipif(ON_POSTGRESQL, reason="SQLite file handling")
def test_restore_refuses_what_is_not_a_saferplaces_backup_and_changes_nothing(database,
                                                                             tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("not a backup\n")
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE django_migrations (app, name, applied)")
        connection.execute("INSERT INTO django_migrations VALUES ('blog', '0001', '')")
    original = file_digest(database.path)
    for path, message in [(text, "is not a saferplaces backup (neither an SQLite database "
                                 "nor a pg_dump archive); nothing was changed."),
                          (other, "is an SQLite database but not a saferplaces backup: it has "
                                  "no record of saferplaces's migrations.")]:
        done = saferplaces(database.url, "restore", str(path))
        assert (done.returncode, done.stderr.strip()) == (1, f"{path} {message}")
    done = saferplaces(database.url, "restore", str(tmp_path / "missing.sqlite3"))
    assert done.returncode == 2 and "no such file" in done.stderr
    assert file_digest(database.path) == original
    assert sorted(p.name for p in database.path.parent.iterdir()) == [
        "notes.txt", "other.sqlite3", "saferplaces.sqlite3"]  # no temporary file left


@pytest.mark.skipif(ON_POSTGRESQL, reason="SQLite file handling")
def test_restore_refuses_while_another_process_has_the_database_open(database, tmp_path):
    backup_file = tmp_path / "copy.sqlite3"
    assert saferplaces(database.url, "backup", "--output", str(backup_file)).returncode == 0
    server = sqlite3.connect(database.path)
    server.execute("PRAGMA journal_mode=WAL")
    server.execute("SELECT count(*) FROM django_migrations").fetchone()
    try:
        done = saferplaces(database.url, "restore", str(backup_file))
    finally:
        server.close()
    assert done.returncode == 1
    assert "is in use by another process" in done.stderr and "Nothing was changed" in done.stderr


def test_restore_of_a_file_that_cannot_be_read_is_a_usage_error(tmp_path):
    code, _, err = run_command("restore", tmp_path / "nowhere.backup")
    assert code == 2 and "no such file" in err


def test_postgresql_password_goes_in_the_environment_never_on_the_command_line(monkeypatch,
                                                                              tmp_path):
    calls = []

    def fake_run(args, env, **kwargs):
        calls.append((args, env))
        Path(args[-1].removeprefix("--file=")).write_bytes(b"PGDMP")
        return subprocess.CompletedProcess(args, 0, stdout="", stderr="")

    monkeypatch.setattr(backup, "pg_tool", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(backup, "check_pg_backup", lambda *args, **kwargs: None)
    monkeypatch.setattr(backup.subprocess, "run", fake_run)
    db = {"ENGINE": "django.db.backends.postgresql", "NAME": "csp", "USER": "app",
          "PASSWORD": "s3cret-pass", "HOST": "db.example", "PORT": 5433}
    backup.backup_postgresql(db, tmp_path / "out.dump")
    [(args, env)] = calls
    assert args[:2] == ["/usr/bin/pg_dump", "--format=custom"]
    assert not any("s3cret-pass" in arg for arg in args)
    assert {key: env[key] for key in ("PGPASSWORD", "PGUSER", "PGHOST", "PGPORT",
                                      "PGDATABASE")} == {
        "PGPASSWORD": "s3cret-pass", "PGUSER": "app", "PGHOST": "db.example", "PGPORT": "5433",
        "PGDATABASE": "csp"}
    assert (tmp_path / "out.dump").read_bytes() == b"PGDMP"


def test_missing_postgresql_tools_are_a_clear_error(monkeypatch):
    monkeypatch.setattr(backup.shutil, "which", lambda name: None)
    monkeypatch.setattr(backup, "PG_BIN_GLOB", "/nowhere/postgresql/*/bin")
    with pytest.raises(backup.BackupError, match="pg_dump is not installed: install "
                                                 "PostgreSQL's client tools"):
        backup.pg_tool("pg_dump")
