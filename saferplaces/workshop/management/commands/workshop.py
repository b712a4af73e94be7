"""saferplaces workshop results."""

from saferplaces.core.commands import SubcommandsCommand


class Command(SubcommandsCommand):
    help = "Priority-setting workshops: print a workshop's ranking of candidate topics."
    subcommands = {
        "results": "saferplaces.workshop.commands:Results",
    }
