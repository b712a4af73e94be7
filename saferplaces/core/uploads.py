"""The size limit of every web upload (the UPLOAD_MAX_MB setting).

``SizeLimitHandler`` runs first among Django's upload handlers: past the limit it keeps no
more of a file and hands the form an empty file marked ``too_large``, so a huge upload is
neither held in memory nor written to disk. ``check_size`` is the form's check, which puts a
clear message next to the field (never a bare 400 or 413 page). ``check_document`` accepts a
PDF, Word (.docx) or OpenDocument text (.odt) file whose content is what its name says.
"""

from __future__ import annotations

import zipfile

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


# extension -> the content type it is served with
DOCUMENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
}


def document_kind(name: str, head: bytes, archive_names: list[str] | None) -> str | None:
    """The document's extension when its content matches it, else None: a PDF starts with
    "%PDF-"; a .docx is a zip holding word/document.xml; an .odt a zip whose first member,
    "mimetype", says OpenDocument text."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension == "pdf":
        return "pdf" if head.startswith(b"%PDF-") else None
    if extension == "docx" and archive_names is not None:
        return "docx" if "word/document.xml" in archive_names else None
    if extension == "odt" and archive_names is not None:
        return "odt" if head[30:38] == b"mimetype" and (
            b"application/vnd.oasis.opendocument.text" in head[38:200]) else None
    return None


def check_document(upload: UploadedFile) -> UploadedFile:
    """The upload, or ValidationError when it is over the size limit or not a PDF, .docx or
    .odt file whose content matches its name (what the browser says the type is is not
    trusted)."""
    check_size(upload)
    upload.seek(0)
    head = upload.read(200)
    upload.seek(0)
    names = None
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = archive.namelist()
        except zipfile.BadZipFile:
            names = None
        upload.seek(0)
    if document_kind(upload.name or "", head, names) is None:
        raise ValidationError(
            "Upload a PDF (.pdf), Word (.docx) or OpenDocument text (.odt) file; this file's "
            "name or content is not one of those.", code="not_a_document")
    return upload
