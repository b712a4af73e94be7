"""saferplaces crime import|summary|fetch|weights: police.uk data and its analysis."""

import importlib
import sys

from django.core.management.base import BaseCommand

SUBCOMMANDS = {
    "import": "saferplaces.crime.commands.import_files",
    "fetch": "saferplaces.crime.commands.fetch",
    "summary": "saferplaces.crime.commands.summary",
    "change": "saferplaces.crime.commands.change",
    "hotspots": "saferplaces.crime.commands.hotspots",
    "repeats": "saferplaces.crime.commands.profiles:Repeats",
    "outcomes": "saferplaces.crime.commands.profiles:Outcomes",
    "stop-search": "saferplaces.crime.commands.profiles:StopAndSearch",
    "weights": "saferplaces.crime.commands.weights",
}


def _load(path: str):
    """A subcommand: a module, or 'module:Class' for several sharing one module."""
    module_path, _, attr = path.partition(":")
    module = importlib.import_module(module_path)
    return getattr(module, attr) if attr else module


class Command(BaseCommand):
    help = ("police.uk crime data: import files, fetch them, summarise, test change, find "
            "hotspots, and manage harm weights. 'saferplaces crime SUBCOMMAND --help' for each.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True,
                                    metavar="{" + ",".join(SUBCOMMANDS) + "}")
        for name, module_path in SUBCOMMANDS.items():
            module = _load(module_path)
            child = sub.add_parser(name, help=module.help, description=module.help,
                                   epilog=getattr(module, "epilog", None))
            module.add_arguments(child)

    def handle(self, *args, subcommand, **options):
        module = _load(SUBCOMMANDS[subcommand])
        code = module.run(options, self.stdout, self.stderr)
        if code:
            sys.exit(code)
