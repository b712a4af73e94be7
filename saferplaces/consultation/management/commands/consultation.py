"""saferplaces consultation erase-expired|export|report."""

from saferplaces.core.commands import SubcommandsCommand


class Command(SubcommandsCommand):
    help = ("Consultations: erase personal data past its retention period, export responses "
            "as CSV or XLSX, write the consultation report.")
    subcommands = {
        "erase-expired": "saferplaces.consultation.commands:EraseExpired",
    }
