"""Pages of the grants app, under /p/<partnership slug>/grants/."""

officer_patterns: list = []
