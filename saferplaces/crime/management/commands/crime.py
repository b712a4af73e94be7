"""saferplaces crime import|fetch|summary|...: police.uk data and its analysis."""

from saferplaces.core.commands import SubcommandsCommand


class Command(SubcommandsCommand):
    help = ("police.uk crime data: import files, fetch them, summarise, test change, find "
            "hotspots, and manage harm weights. 'saferplaces crime SUBCOMMAND --help' for each.")
    subcommands = {
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
