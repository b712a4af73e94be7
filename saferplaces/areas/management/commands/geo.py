"""saferplaces geo SUBCOMMAND: boundaries, lookups, population and deprivation."""

from saferplaces.core.commands import SubcommandsCommand


class Command(SubcommandsCommand):
    help = ("Geography: import boundaries (GeoJSON), lookups between levels (CSV), derive a "
            "best-fit lookup by centroid, and import population and deprivation (CSV). "
            "'saferplaces geo SUBCOMMAND --help' describes each one's columns.")
    subcommands = {
        "import-boundaries": "saferplaces.areas.commands:ImportBoundaries",
        "import-lookup": "saferplaces.areas.commands:ImportLookup",
        "derive-lookup": "saferplaces.areas.commands:DeriveLookup",
        "import-population": "saferplaces.areas.commands:ImportPopulation",
        "import-imd": "saferplaces.areas.commands:ImportImd",
        "import-iod2019": "saferplaces.areas.commands:ImportIod2019",
    }
