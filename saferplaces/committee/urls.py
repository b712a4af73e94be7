"""Pages of the committee app, under /p/<partnership slug>/committee/."""

officer_patterns: list = []
