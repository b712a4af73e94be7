"""Pages of the equality app, under /p/<partnership slug>/equality/."""

officer_patterns: list = []
