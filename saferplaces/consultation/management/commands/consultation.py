"""saferplaces consultation erase-expired|export|import-profile|report."""

from saferplaces.core.commands import SubcommandsCommand


class Command(SubcommandsCommand):
    help = ("Consultations: erase personal data past its retention period, export responses "
            "as CSV or XLSX, load the area's census profile, write the consultation report.")
    subcommands = {
        "erase-expired": "saferplaces.consultation.commands:EraseExpired",
        "export": "saferplaces.consultation.commands:Export",
        "import-profile": "saferplaces.consultation.commands:ImportProfile",
        "report": "saferplaces.consultation.commands:Report",
    }
