"""Pages of the assessment app, under /p/<partnership slug>/assessment/."""

officer_patterns: list = []
