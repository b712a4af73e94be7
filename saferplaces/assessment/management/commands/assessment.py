"""saferplaces assessment report: the strategic assessment as HTML, PDF or Word."""

from saferplaces.core.commands import SubcommandsCommand


class Command(SubcommandsCommand):
    help = ("Strategic assessment: 'assessment report' writes a partnership's assessment for a "
            "year as HTML, PDF or Word.")
    subcommands = {"report": "saferplaces.assessment.commands:Report"}
