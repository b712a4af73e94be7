"""saferplaces crime import|summary|fetch|weights: police.uk data and its analysis."""

import importlib
import sys

from django.core.management.base import BaseCommand

SUBCOMMANDS = {
    "import": "saferplaces.crime.commands.import_files",
    "summary": "saferplaces.crime.commands.summary",
    "change": "saferplaces.crime.commands.change",
    "hotspots": "saferplaces.crime.commands.hotspots",
    "fetch": "saferplaces.crime.commands.fetch",
    "weights": "saferplaces.crime.commands.weights",
}


class Command(BaseCommand):
    help = ("police.uk crime data: import files, fetch them, summarise, test change, find "
            "hotspots, and manage harm weights. 'saferplaces crime SUBCOMMAND --help' for each.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True,
                                    metavar="{" + ",".join(SUBCOMMANDS) + "}")
        for name, module_path in SUBCOMMANDS.items():
            module = importlib.import_module(module_path)
            child = sub.add_parser(name, help=module.help, description=module.help,
                                   epilog=getattr(module, "epilog", None))
            module.add_arguments(child)

    def handle(self, *args, subcommand, **options):
        module = importlib.import_module(SUBCOMMANDS[subcommand])
        code = module.run(options, self.stdout, self.stderr)
        if code:
            sys.exit(code)
