"""What an all-or-nothing file import did: the one result type of every importer (actions,
indicator values, peer data, harm weights and geography files)."""

from __future__ import annotations

from dataclasses import dataclass, field

from saferplaces.core.csv_records import LineError

#: How many problems a refusal lists (web and command line); the rest are only counted.
ERRORS_SHOWN = 100

#: What an importer says, after the file's name, when another writer held the database past
#: the busy timeout (SQLITE_BUSY_TIMEOUT): nothing of the file was written.
BUSY_MESSAGE = "the database is busy (locked by another writer) — try again"


def database_busy(exc: BaseException) -> bool:
    """True for SQLite's "database is locked": another writer kept the write lock longer than
    the busy timeout. (PostgreSQL waits for row locks instead of failing.)"""
    from django.db import OperationalError

    return isinstance(exc, OperationalError) and "database is locked" in str(exc)


@dataclass
class ImportResult:
    """Rows created, updated and unchanged (by label), or why the file was refused.

    Any entry in ``errors`` means nothing was written. ``noun`` names a row in the summary;
    ``counts`` holds other tallies an importer keeps (areas created, links removed...);
    ``description``, when an importer sets it, is the summary of a successful import.
    """

    file: str = ""
    noun: str = "row"
    dry_run: bool = False
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    description: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def errors_shown(self) -> list[LineError]:
        """The first ``ERRORS_SHOWN`` problems, in line order: what pages and commands list."""
        return self.errors[:ERRORS_SHOWN]

    @property
    def errors_not_shown(self) -> str:
        """After the listed problems, how many more there are: "and 1,234 more; 1,334
        errors in all", or "" when all are listed."""
        hidden = len(self.errors) - ERRORS_SHOWN
        if hidden <= 0:
            return ""
        return f"and {hidden:,} more; {len(self.errors):,} errors in all"

    def refuse(self, errors: list[LineError]) -> ImportResult:
        """Record why the file is refused, in line order (whole-file problems first)."""
        self.errors = sorted(errors, key=lambda error: error.line)
        return self

    def summary(self) -> str:
        """One line, starting with the file's name when it is known."""
        prefix = f"{self.file}: " if self.file else ""
        if self.errors:
            count = len(self.errors)
            return f"{prefix}refused, {count} problem{'' if count == 1 else 's'}; nothing written."
        if self.description:
            return prefix + self.description
        verb = "would be" if self.dry_run else "were"
        return (f"{prefix}{len(self.created)} {self.noun}(s) {verb} created, "
                f"{len(self.updated)} updated, {len(self.unchanged)} unchanged.")
