"""What in an Office Open XML file (.xlsx, .docx) can run code, found by content, whatever
its parts are called: the spreadsheet import (plans/sheets/safety.py) and the ledger's
evidence (ledger/evidence.py) refuse a file that has any.

active_parts(archive) -> ["xl/styles2.dat", ...]  (an open zipfile.ZipFile; [] if none)

A part is active when
  - [Content_Types].xml declares it so: an Override for the part, or a Default for its
    extension, naming a macro (VBA, an Excel 4.0 macro sheet, a macro-enabled workbook),
    an ActiveX control or an embedded OLE object;
  - a relationship (a .rels part) of such a type points at it;
  - or its bytes are an OLE2 compound file, which is how VBA projects, ActiveX binaries
    and embedded objects are stored, whatever the part is declared as.
"""

import posixpath
import zipfile
import zlib
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Words in the content types and relationship types of active parts, lower-cased:
# vbaProject, vbaProjectSignature, wordVbaData, sheet.macroEnabled.main, macrosheet,
# xlIntlMacrosheet, activeX, activeXControlBinary, oleObject, attachedToolbars,
# keyMapCustomizations. No plain workbook or document part has any of them.
ACTIVE = ("vba", "macro", "activex", "oleobject", "attachedtoolbars", "keymapcustomizations")
# The most of a declaration part read (they list a few dozen parts).
DECLARATIONS_MAX = 1024 * 1024


def active_parts(archive):
    found = set()
    members = [info for info in archive.infolist() if not info.is_dir()]
    names = {info.filename.lower(): info.filename for info in members}
    for info in members:
        lowered = info.filename.lower()
        if lowered == "[content_types].xml":
            found.update(_declared(archive, info, names))
        elif lowered.endswith(".rels"):
            found.update(_related(archive, info, names))
        elif _head(archive, info).startswith(OLE2):
            found.add(info.filename)
    return sorted(found)


def _is_active(kind):
    kind = (kind or "").lower()
    return any(word in kind for word in ACTIVE)


def _root(archive, info):
    """The parsed part, or None when it does not parse (its raw bytes are then searched)."""
    with archive.open(info) as member:
        data = member.read(DECLARATIONS_MAX)
    try:
        return fromstring(data)
    except (ParseError, DefusedXmlException, ValueError):
        return data


def _declared(archive, info, names):
    root = _root(archive, info)
    if isinstance(root, bytes):
        return [info.filename] if _is_active(root.decode("latin-1")) else []
    found = []
    for entry in root:
        tag = entry.tag.rsplit("}", 1)[-1]
        if not _is_active(entry.get("ContentType")):
            continue
        if tag == "Override":
            found.append(names.get(entry.get("PartName", "").lstrip("/").lower(), info.filename))
        elif tag == "Default":
            extension = "." + entry.get("Extension", "").lower()
            found.extend(name for lowered, name in names.items() if lowered.endswith(extension))
            found.append(info.filename)  # declared, even if no part has the extension yet
    return found


def _related(archive, info, names):
    root = _root(archive, info)
    if isinstance(root, bytes):
        return [info.filename] if _is_active(root.decode("latin-1")) else []
    # xl/_rels/workbook.xml.rels speaks of parts relative to xl/.
    base = posixpath.dirname(posixpath.dirname(info.filename))
    found = []
    for entry in root:
        if _is_active(entry.get("Type")) and entry.get("TargetMode") != "External":
            target = entry.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.join(base, target)
            found.append(names.get(posixpath.normpath(path).lower(), info.filename))
    return found


def _head(archive, info):
    if info.flag_bits & 0x1:  # encrypted: the caller refuses it on its own
        return b""
    try:
        with archive.open(info) as member:
            return member.read(len(OLE2))
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, OSError):
        return b""
