"""Pages of the workshop app, under /p/<partnership slug>/workshop/."""

officer_patterns: list = []
