"""saferplaces report board: the board performance report for a quarter, as PDF or HTML."""

from saferplaces.core.commands import SubcommandsCommand


class Command(SubcommandsCommand):
    help = "Reports: 'report board' writes the board performance report (PDF or HTML)."
    subcommands = {"board": "saferplaces.performance.commands:Board"}
