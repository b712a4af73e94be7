"""Sub-commands of `saferplaces consultation` (in the shape `saferplaces.core.commands`
describes): erasing expired personal data, exports and reports."""

from __future__ import annotations

from typing import Any

from saferplaces.core.commands import OK


class EraseExpired:
    help = "Erase respondents' personal data kept longer than the retention period."
    description = (
        "Delete the names, email addresses, postcodes and organisations respondents gave, for "
        "every consultation that closed more than its partnership's retention period ago "
        "(consultation settings; 365 days unless changed). Answers and equality monitoring are "
        "kept, now anonymous. Meant to run every day from cron or a systemd timer.")
    epilog = "Exit codes: 0 done (also when there was nothing to erase)."

    @staticmethod
    def add_arguments(parser: Any) -> None:
        parser.add_argument("--dry-run", action="store_true",
                            help="Say what would be erased; erase nothing.")

    @staticmethod
    def run(options: dict[str, Any], out: Any, err: Any) -> int:
        from saferplaces.consultation.services import erase_expired

        dry_run = options["dry_run"]
        erased = erase_expired(dry_run=dry_run)
        verb = "Would erase" if dry_run else "Erased"
        for consultation, count in erased:
            out.write(f"{verb} {count} respondent{'s' if count != 1 else ''}' contact details "
                      f"of {consultation} ({consultation.partnership.slug}).")
        total = sum(count for _, count in erased)
        out.write(f"{verb} contact details of {total} response{'s' if total != 1 else ''}.")
        return OK
