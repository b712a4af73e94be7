"""saferplaces actions export|import: action plans as CSV."""

from saferplaces.core.commands import SubcommandsCommand


class Command(SubcommandsCommand):
    help = "Export an action plan to CSV, or import actions from CSV into a plan."
    subcommands = {
        "export": "saferplaces.strategy.commands:Export",
        "import": "saferplaces.strategy.commands:Import",
    }
