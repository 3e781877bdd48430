"""What an uploaded file must pass before openpyxl parses any of it.

An .xlsx is a zip of XML parts. Refused, each with its own message: an empty or
oversized file, anything that is not a zip (.xls, .csv, WPS files saved as text), a
zip that is not a workbook, macros, ActiveX controls and embedded objects (found by
their content and declarations whatever their parts are called: rectify/ooxml.py),
encrypted members, archives that unpack to more than MAX_UNCOMPRESSED (zip bombs), and
any part that declares a DOCTYPE or ENTITY (entity expansion, external entities).
defusedxml, which openpyxl uses when it is installed, refuses these too; this check
runs first, on every part, whatever parser reads it later.

While each worksheet part streams past, its merged ranges are collected: the reader
runs openpyxl in read-only mode, which does not report them.
"""

import io
import re
import zipfile
import zlib

from django.utils.translation import gettext as _

from rectify.ooxml import active_parts

from .layout import MAX_BYTES, MAX_MEGABYTES, SheetError

MAX_UNCOMPRESSED = 60 * 1024 * 1024
MAX_MEMBERS = 2000
CHUNK = 1024 * 1024
OVERLAP = 256

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and workbooks encrypted with a password
MARKERS = tuple(
    marker.encode(encoding)
    for marker in ("<!doctype", "<!entity")
    for encoding in ("ascii", "utf-16-le", "utf-16-be")
)
MERGE = re.compile(
    rb'<(?:[A-Za-z_][\w.-]*:)?mergeCell\b[^>]*?\bref="([A-Za-z]{1,3}[0-9]{1,7}(?::[A-Za-z]{1,3}[0-9]{1,7})?)"'
)
MEDIA = (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".emf", ".wmf", ".tif", ".tiff", ".wdp")


def not_a_workbook():
    return SheetError(
        _(
            "文件不是 Excel 工作簿（.xlsx）。如果是 .xls、.csv 或 WPS 格式，请在 Excel 或 WPS 中另存为 .xlsx 后再上传。"
        )
    )


def corrupt():
    return SheetError(
        _("无法读取这个工作簿，文件可能已损坏。请在 Excel 或 WPS 中重新保存为 .xlsx 后再上传。")
    )


def entities(part=None):
    if part is None:
        return SheetError(_("文件中含有 DOCTYPE 或 ENTITY 声明，可能是恶意构造的文件，拒绝读取。"))
    return SheetError(
        _("文件“%(part)s”中含有 DOCTYPE 或 ENTITY 声明，可能是恶意构造的文件，拒绝读取。") % {"part": part}
    )


def too_large():
    return SheetError(_("文件超过 %(limit)s MB，请删去多余的内容后再上传。") % {"limit": MAX_MEGABYTES})


def macros():
    return SheetError(
        _(
            "工作簿含有宏（VBA）、ActiveX 控件或嵌入的对象，为安全起见不予读取。"
            "请另存为不含宏的 .xlsx（Excel 工作簿）后再上传。"
        )
    )


def check_archive(data):
    """Refuse DATA unless it is a plain .xlsx; return {worksheet part: [merged ranges]}."""
    if not data:
        raise SheetError(_("文件是空的。"))
    if len(data) > MAX_BYTES:
        raise too_large()
    if data.startswith(OLE2):
        raise SheetError(
            _("这是旧版 Excel（.xls）或设置了打开密码的工作簿。请取消密码，另存为 .xlsx 后再上传。")
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise not_a_workbook() from None
    with archive:
        names = {info.filename.lower() for info in members}
        if "[content_types].xml" not in names or not any(name.startswith("xl/") for name in names):
            raise not_a_workbook()
        if len(members) > MAX_MEMBERS or sum(info.file_size for info in members) > MAX_UNCOMPRESSED:
            raise SheetError(_("文件解压后过大，不像是一张整改清单，拒绝读取。"))
        if any(name.endswith(".bin") and "vba" in name for name in names):
            raise macros()
        merges = {}
        for info in members:
            if info.flag_bits & 0x1:
                raise SheetError(_("工作簿设置了密码，请取消密码后再上传。"))
            if info.is_dir() or info.filename.lower().endswith(MEDIA):
                continue
            found = _scan(archive, info)
            if info.filename.startswith("xl/worksheets/"):
                merges[info.filename] = sorted(found)
        if active_parts(archive):
            raise macros()
    return merges


def _scan(archive, info):
    """Stream one member: refuse DTDs; return the merged ranges it declares."""
    found = set()
    tail = b""
    try:
        with archive.open(info) as member:
            while chunk := member.read(CHUNK):
                window = tail + chunk
                lowered = window.lower()
                if any(marker in lowered for marker in MARKERS):
                    raise entities(info.filename)
                found.update(ref.decode().upper() for ref in MERGE.findall(window))
                tail = window[-OVERLAP:]
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, OSError):
        raise SheetError(_("文件已损坏，无法解压。请在 Excel 或 WPS 中重新保存后再上传。")) from None
    return found
