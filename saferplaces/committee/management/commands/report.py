"""saferplaces report board|committee: the board performance report for a quarter (PDF or
HTML), and committee reports (HTML, PDF or Word). The command lives in the committee app, the
top of the layers, so it can dispatch to both; `board` is the performance app's, unchanged."""

from saferplaces.core.commands import SubcommandsCommand


class Command(SubcommandsCommand):
    help = ("Reports: 'report board' writes the board performance report (PDF or HTML); "
            "'report committee' lists committee reports or writes one (HTML, PDF or Word).")
    subcommands = {"board": "saferplaces.performance.commands:Board",
                   "committee": "saferplaces.committee.commands:Committee"}
