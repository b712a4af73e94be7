"""Sub-commands of `saferplaces consultation` (in the shape `saferplaces.core.commands`
describes): erasing expired personal data, exports and reports."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from saferplaces.core.commands import (
    OK,
    REFUSED,
    UsageError,
    handles_usage_errors,
    read_input,
    report_import,
    write_output,
)


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


def _consultation(pk: int):
    from saferplaces.consultation.models import Consultation

    found = Consultation.objects.select_related("partnership").filter(pk=pk).first()
    if found is None:
        raise UsageError(f"No consultation {pk}.")
    return found


class Export:
    help = "Write a consultation's survey responses as CSV or XLSX."
    description = (
        "One row per survey response (reference, channel, survey version, when), one column "
        "per question, then the equality monitoring answers; or (--table breakdowns) each "
        "choice and Likert question's answers by channel, ward and each equality "
        "characteristic, groups of fewer than 5 respondents left out. XLSX holds both "
        "tables as two sheets. Contact details are never exported.")
    epilog = "Exit codes: 0 written; 1 the file cannot be written; 2 unknown consultation."

    @staticmethod
    def add_arguments(parser: Any) -> None:
        _file_arguments(parser, ["csv", "xlsx"])
        parser.add_argument("--table", choices=["responses", "breakdowns"],
                            default="responses",
                            help="Which table a CSV holds (default: responses).")

    @staticmethod
    @handles_usage_errors
    def run(options: dict[str, Any], out: Any, err: Any) -> int:
        from saferplaces.consultation import export

        consultation = _consultation(options["consultation"])
        data = (export.to_xlsx(consultation) if options["format"] == "xlsx"
                else export.to_csv(consultation, options["table"]).encode())
        return _write(options["output"], data, out, err)


def _file_arguments(parser: Any, formats: list[str]) -> None:
    """The arguments of a command writing one consultation to a file."""
    parser.add_argument("--consultation", required=True, type=int, metavar="ID",
                        help="The consultation's number (in its page's address).")
    parser.add_argument("--format", required=True, choices=formats)
    parser.add_argument("--output", required=True, metavar="FILE", help="File to write.")


def _write(path: str, data: bytes, out: Any, err: Any) -> int:
    if not write_output(path, data, err):
        return REFUSED
    out.write(f"Wrote {path}.")
    return OK


class ImportProfile:
    help = "Load the area's census profile (residents by age, sex, ethnic group) from CSV."
    description = (
        "Load the partnership's residents by age band, sex and ethnic group, against which "
        "the consultation reach table compares respondents. Each dimension in the file "
        "replaces that dimension's profile. All or nothing: one bad row and nothing is "
        "written (exit code 1), every bad row reported as 'FILE: line N: reason'.")
    epilog = (
        "CSV columns: dimension (age, sex or ethnicity), category, population, and optionally "
        "source. Categories, by code or label: age 0-15, 16-24, 25-34, 35-44, 45-54, 55-64, "
        "65-74, 75+; sex female, male; ethnicity asian, black, mixed, white, other (the "
        "Census 2021 high-level groups). Exit code 2: unknown partnership or unreadable file.")

    @staticmethod
    def add_arguments(parser: Any) -> None:
        parser.add_argument("file", help="CSV file to read.")
        parser.add_argument("--partnership", required=True, metavar="SLUG",
                            help="The partnership whose area the profile describes.")
        parser.add_argument("--dry-run", action="store_true",
                            help="Validate only; write nothing.")

    @staticmethod
    @handles_usage_errors
    def run(options: dict[str, Any], out: Any, err: Any) -> int:
        from saferplaces.consultation.services import import_profile
        from saferplaces.partnership.models import Partnership

        partnership = Partnership.objects.filter(slug=options["partnership"]).first()
        if partnership is None:
            raise UsageError(f"No partnership {options['partnership']!r}.")
        path = options["file"]
        result = import_profile(partnership, read_input(path), Path(path).name,
                                dry_run=options["dry_run"])
        return report_import(result, out, err)


class Report:
    help = "Write a consultation's report as HTML or PDF."
    description = (
        "The consultation report: what was consulted on, channels and distribution, results "
        "per question, who we heard from against the area's profile, themes, and 'you said, "
        "we did'. HTML is one self-contained file; PDF is printed with WeasyPrint (PDF/UA-1), "
        "as board reports are. Results are broken down by channel, ward and one equality "
        "characteristic (--group), small groups left out.")
    epilog = "Exit codes: 0 written; 1 the file cannot be written; 2 unknown consultation."

    @staticmethod
    def add_arguments(parser: Any) -> None:
        from saferplaces.consultation.models import EQUALITY_QUESTIONS

        _file_arguments(parser, ["html", "pdf"])
        parser.add_argument("--group", choices=list(EQUALITY_QUESTIONS), default="age_band",
                            help="The equality characteristic results are broken down by "
                            "(default: age_band).")

    @staticmethod
    @handles_usage_errors
    def run(options: dict[str, Any], out: Any, err: Any) -> int:
        from saferplaces.consultation import report

        consultation = _consultation(options["consultation"])
        group = options["group"]
        data = (report.render_pdf(consultation, group) if options["format"] == "pdf"
                else report.render_html(consultation, group).encode())
        return _write(options["output"], data, out, err)
