"""What performance does when other apps announce new data (connected in apps.py)."""

from __future__ import annotations

from saferplaces.crime.signals import ImportedBatch


def recompute_after_crime_import(sender, batches: list[ImportedBatch], **kwargs) -> str | None:
    """Computed indicators follow the crime data. The compute module (and the statistics
    libraries it loads) is imported only when there is something to recompute."""
    from saferplaces.performance.models import Indicator, Source

    if not Indicator.objects.filter(source=Source.COMPUTED).exists():
        return None
    from saferplaces.performance.compute import recompute_all

    problems: list[str] = []
    changed = recompute_all(problems=problems)
    lines = [f"{changed} indicator value(s) recomputed from the new data."] if changed else []
    lines += [f"Indicator not recomputed: {problem}" for problem in problems]
    return "\n".join(lines) or None
