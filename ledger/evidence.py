"""Evidence files (佐证材料): what a file is, decided by its content, never by its name
or by what the browser says; and their keeping through Django's storage API.

A file is taken when its first bytes say it is a PDF, a PNG, a JPEG or a GIF image, a
Word or Excel file of today (a ZIP whose [Content_Types].xml declares word/ or xl/ parts,
with no macro, ActiveX control or embedded object, found by content: rectify/ooxml.py)
or of before 2007 (an OLE2 compound file named .doc or .xls). Anything else is refused,
whatever it is called: an HTML page renamed .pdf is refused. A file
over settings.LEDGER_EVIDENCE_MAX_BYTES is refused too, before its content is read.

Stored files are named by a fresh uuid (and the type's extension) under the FileField's
upload_to, through the field's storage: a shared object store can hold them in
production, and a user's file name never becomes a path. The name the user gave is kept
in the row and given back on download.
"""

import uuid
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings

from rectify.middleware import megabytes
from rectify.ooxml import active_parts

from . import words

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
GIF = "image/gif"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOC = "application/msword"
XLS = "application/vnd.ms-excel"

EXTENSIONS = {
    PDF: ".pdf",
    PNG: ".png",
    JPEG: ".jpg",
    GIF: ".gif",
    DOCX: ".docx",
    XLSX: ".xlsx",
    DOC: ".doc",
    XLS: ".xls",
}
# What the file picker offers (a hint only: the content decides).
ACCEPT = ",".join([".pdf", ".png", ".jpg", ".jpeg", ".gif", ".docx", ".xlsx", ".doc", ".xls"])

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = b"PK\x03\x04"
HEAD = 16
# The largest [Content_Types].xml read: it lists a few dozen parts.
CONTENT_TYPES_MAX = 256 * 1024


class Refused(Exception):
    def __init__(self, message):
        self.message = message
        super().__init__(message)


@dataclass
class Checked:
    """An uploaded file that may be kept, with what its content says it is."""

    file: object
    name: str
    content_type: str
    size: int


def _zip_type(upload, name):
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > CONTENT_TYPES_MAX:
                return None
            declared = archive.read(info).decode("utf-8", "replace")
            parts = archive.namelist()
            active = active_parts(archive)
    except (KeyError, zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError):
        return None
    if active or any(part.lower().endswith("vbaproject.bin") for part in parts):
        raise Refused(words.FILE_MACROS % {"name": name})
    if 'PartName="/word/' in declared:
        return DOCX
    if 'PartName="/xl/' in declared:
        return XLSX
    return None


def sniff(upload, name):
    """The content type of UPLOAD by its content, or None if it is none we take.
    Refused if it is a kind we take but carries macros."""
    upload.seek(0)
    head = upload.read(HEAD)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if head.startswith(ZIP):
        return _zip_type(upload, name)
    if head.startswith(OLE2):
        # Old Word and Excel share the container; its name says which (a name that says
        # neither is not taken: the container holds many other things).
        return {".doc": DOC, ".xls": XLS}.get(PurePath(name).suffix.lower())
    return None


def check(uploads):
    """The Checked files of UPLOADS (Django's UploadedFiles), or Refused naming the first
    file that may not be kept and why."""
    uploads = [upload for upload in uploads if upload is not None]
    if len(uploads) > words.EVIDENCE_MAX_FILES:
        raise Refused(words.TOO_MANY_FILES % {"limit": words.EVIDENCE_MAX_FILES, "n": len(uploads)})
    limit = settings.LEDGER_EVIDENCE_MAX_BYTES
    checked = []
    for upload in uploads:
        name = PurePath(upload.name or "").name[:200] or "未命名"
        if upload.size > limit:
            raise Refused(
                words.FILE_TOO_BIG % {"name": name, "size": megabytes(upload.size), "limit": megabytes(limit)}
            )
        if upload.size == 0:
            raise Refused(words.FILE_EMPTY % {"name": name})
        content_type = sniff(upload, name)
        if content_type is None:
            raise Refused(words.FILE_NOT_ALLOWED % {"name": name, "kinds": words.EVIDENCE_KINDS})
        checked.append(Checked(upload, name, content_type, upload.size))
    return checked


def stored_name(content_type):
    """A fresh name for a stored file: never the user's."""
    return f"{uuid.uuid4().hex}{EXTENSIONS[content_type]}"
