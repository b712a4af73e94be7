"""What an all-or-nothing file import did, shared by the importers of actions and values."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ImportResult:
    """Rows created, updated and unchanged (by label), or the bad rows; `noun` names a row."""

    noun: str = "row"
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if self.errors:
            return f"{len(self.errors)} bad row(s); nothing was written."
        verb = "would be" if self.dry_run else "were"
        return (f"{len(self.created)} {self.noun}(s) {verb} created, {len(self.updated)} "
                f"updated, {len(self.unchanged)} unchanged.")
