"""saferplaces indicators import-values|import-peers|recompute|list: the performance
framework's values and peer data."""

from saferplaces.core.commands import SubcommandsCommand


class Command(SubcommandsCommand):
    help = ("Indicator values: import them from CSV, import peer groups' figures, recompute "
            "the computed ones from the evidence base, or list a partnership's indicators.")
    subcommands = {
        "import-values": "saferplaces.performance.commands:ImportValues",
        "import-peers": "saferplaces.performance.commands:ImportPeers",
        "recompute": "saferplaces.performance.commands:Recompute",
        "list": "saferplaces.performance.commands:List",
    }
