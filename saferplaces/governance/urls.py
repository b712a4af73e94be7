"""Pages of the governance app, under /p/<partnership slug>/governance/."""

officer_patterns: list = []
