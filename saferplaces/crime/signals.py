"""Signals the crime app sends, so that higher apps can follow its data without crime importing
them (performance recomputes its computed indicators after an import)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.dispatch import Signal


@dataclass(frozen=True)
class ImportedBatch:
    """One (force, month, kind) that an import replaced."""

    force: str
    month: datetime.date
    kind: str


# Sent by `crime import` (and `crime fetch`) once the files it imported are committed, with
# `batches`: a list of ImportedBatch. A receiver may return a line of text for the command's
# output (or None).
crime_imported = Signal()
