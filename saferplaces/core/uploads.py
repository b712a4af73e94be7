"""The size limit of every web upload (the UPLOAD_MAX_MB setting).

``SizeLimitHandler`` runs first among Django's upload handlers: past the limit it keeps no
more of a file and hands the form an empty file marked ``too_large``, so a huge upload is
neither held in memory nor written to disk. ``check_size`` is the form's check, which puts a
clear message next to the field (never a bare 400 or 413 page).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.core.files.uploadhandler import FileUploadHandler


def limit_bytes() -> int:
    return settings.UPLOAD_MAX_BYTES


def _megabytes(size: int) -> str:
    """1,468,891 bytes -> "1.4 MB"; 10,485,760 -> "10 MB"."""
    return f"{size / (1024 * 1024):,.1f}".removesuffix(".0") + " MB"


class SizeLimitHandler(FileUploadHandler):
    """Counts each file's bytes and stops keeping them once the limit is passed."""

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received = start + len(raw_data)
        return None if self.received > limit_bytes() else raw_data

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if file_size <= limit_bytes():
            return None  # the next handler (memory or temporary file) has all of it
        marker = SimpleUploadedFile(self.file_name or "upload", b"", self.content_type)
        marker.size = file_size
        marker.too_large = True
        return marker


def check_size(upload: UploadedFile) -> UploadedFile:
    """The upload, or ValidationError saying it is over the limit (for a form's clean_*)."""
    if getattr(upload, "too_large", False) or upload.size > limit_bytes():
        raise ValidationError(
            f"This file is {_megabytes(upload.size)}, over the {_megabytes(limit_bytes())} "
            "upload limit. Split it into smaller files, or ask your administrator to raise "
            "the UPLOAD_MAX_MB setting.", code="too_large")
    return upload
