"""The faces the printed documents use, role by role (GB/T 9704-2012 and the notice).

    ROLES                  the five roles a print sets type in: 标题 (小标宋), 正文 (仿宋),
                           黑体, 楷体 and 页码, each with the font-family list that
                           static/css/official.css gives it (a test holds the two together)
    font_files()           the font files of the deployment's font directory (FONT_DIR,
                           env RECTIFY_FONT_DIR): the licensed 仿宋_GB2312 and 方正小标宋 an
                           office owns, which the product may not ship
    font_configuration()   WeasyPrint's font configuration with those files added: what
                           every print is set with (rectify.renderings.write_pdf)
    faces()                [Face] which face serves each role here, as Pango will choose
                           it, and whether that is a fallback
    faces_in_child()       the same, worked out in a child process, so that a web process
                           (the admin's page) never loads WeasyPrint

Without a font directory the prints use the free faces the project installs (Makefile
SYSTEM_PACKAGES): Noto Serif CJK SC for 仿宋, 小标宋 (bold) and the page numbers, Noto
Sans CJK SC for 黑体, and AR PL UKai (fonts-arphic-ukai) for 楷体. `manage.py check_fonts`
and the admin say which face serves each role and warn where a fallback stands in.
"""

import multiprocessing
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy as _

FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")


@dataclass(frozen=True)
class Role:
    code: str
    label: str
    families: tuple  # the CSS font-family list, in order
    standard: tuple  # the faces the standard names (licensed), any of them is right
    free: tuple = ()  # free faces that are a right face of the kind, not a stand-in
    style: str = "Regular"  # the CSS sets the title bold


ROLES = (
    Role(
        "title",
        _("标题（小标宋）"),
        ("方正小标宋简体", "FZXiaoBiaoSong-B05S", "方正小标宋_GBK", "小标宋", "Noto Serif CJK SC", "serif"),
        ("方正小标宋简体", "FZXiaoBiaoSong-B05S", "方正小标宋_GBK", "小标宋"),
        style="Bold",
    ),
    Role(
        "body",
        _("正文（仿宋）"),
        (
            "仿宋_GB2312",
            "FangSong_GB2312",
            "仿宋",
            "FangSong",
            "STFangsong",
            "Noto Serif CJK SC",
            "serif",
        ),
        ("仿宋_GB2312", "FangSong_GB2312", "仿宋", "FangSong", "STFangsong"),
    ),
    Role(
        "hei",
        _("一级标题（黑体）"),
        ("黑体", "SimHei", "Noto Sans CJK SC", "sans-serif"),
        ("黑体", "SimHei"),
        ("Noto Sans CJK SC",),
    ),
    Role(
        "kai",
        _("二级标题（楷体）"),
        (
            "楷体_GB2312",
            "KaiTi_GB2312",
            "楷体",
            "KaiTi",
            "STKaiti",
            "AR PL UKai CN",
            "Noto Serif CJK SC",
            "serif",
        ),
        ("楷体_GB2312", "KaiTi_GB2312", "楷体", "KaiTi", "STKaiti"),
        ("AR PL UKai CN",),
    ),
    Role(
        "page_number",
        _("页码（宋体）"),
        ("宋体", "SimSun", "Noto Serif CJK SC", "serif"),
        ("宋体", "SimSun"),
        ("Noto Serif CJK SC",),
    ),
)


@dataclass(frozen=True)
class Face:
    role: Role
    family: str  # the family fontconfig found, "" if none
    file: str
    fallback: bool  # neither the standard's face nor a free face of its kind

    @property
    def licensed(self):
        return self.family in self.role.standard

    @property
    def verdict(self):
        """What the office should know of this face, in a few words."""
        if not self.family:
            return _("没有找到可用字体")
        if self.licensed:
            return _("国标规定字体")
        if not self.fallback:
            return _("免费字体，同类字形")
        return _("回退字体：未找到%(wanted)s，以%(family)s代替") % {
            "wanted": "、".join(self.role.standard[:2]),
            "family": self.family,
        }


def font_directory():
    """The deployment's font directory (settings.FONT_DIR), or None."""
    directory = getattr(settings, "FONT_DIR", "")
    return Path(directory) if directory else None


def font_files():
    """The font files under the font directory, in a stable order."""
    directory = font_directory()
    if directory is None or not directory.is_dir():
        return []
    return sorted(path for path in directory.rglob("*") if path.suffix.lower() in FONT_SUFFIXES)


def font_configuration():
    """A WeasyPrint FontConfiguration (fontconfig with the system's fonts, as WeasyPrint
    makes for each document) with the font directory's files added to it."""
    from weasyprint.text.ffi import ffi, fontconfig, pangoft2  # here: web processes never print
    from weasyprint.text.fonts import FontConfiguration

    configuration = FontConfiguration()
    added = False
    for path in font_files():
        added |= bool(fontconfig.FcConfigAppFontAddFile(configuration._config, str(path).encode()))
    if added:
        pangoft2.pango_fc_font_map_config_changed(ffi.cast("PangoFcFontMap *", configuration.font_map))
    return configuration


def _match(configuration, families, style):
    """(family, file) fontconfig gives for FAMILIES in Chinese text, as Pango asks it."""
    from weasyprint.text.ffi import ffi, fontconfig

    pattern = ffi.gc(fontconfig.FcPatternCreate(), fontconfig.FcPatternDestroy)
    for family in families:
        fontconfig.FcPatternAddString(pattern, b"family", family.encode())
    fontconfig.FcPatternAddString(pattern, b"lang", b"zh-cn")
    fontconfig.FcPatternAddString(pattern, b"style", style.encode())
    fontconfig.FcConfigSubstitute(configuration._config, pattern, fontconfig.FcMatchPattern)
    fontconfig.FcDefaultSubstitute(pattern)
    result = ffi.new("FcResult *")
    matched = fontconfig.FcFontMatch(configuration._config, pattern, result)
    if matched == ffi.NULL:
        return "", ""
    matched = ffi.gc(matched, fontconfig.FcPatternDestroy)
    found = []
    for key in (b"family", b"file"):
        string = ffi.new("FcChar8 **")
        if fontconfig.FcPatternGetString(matched, key, 0, string) == 0:
            found.append(ffi.string(ffi.cast("char *", string[0])).decode())
        else:
            found.append("")
    return tuple(found)


def faces():
    """[Face] for every role, with the font directory's files."""
    configuration = font_configuration()
    result = []
    for role in ROLES:
        family, file = _match(configuration, role.families, role.style)
        named = family in role.standard or family in role.free
        result.append(Face(role, family, file, fallback=not named))
    return result


def _child(sender):
    try:
        sender.send([(face.role.code, face.family, face.file, face.fallback) for face in faces()])
    finally:
        sender.close()


def faces_in_child(timeout=30):
    """faces(), worked out in a forked child: the web process loads no WeasyPrint."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(sender,), name="rectify-fonts")
    child.start()
    sender.close()
    try:
        rows = receiver.recv() if receiver.poll(timeout) else []
    except EOFError:
        rows = []
    finally:
        receiver.close()
        child.join(5)
        if child.is_alive():
            child.kill()
    roles = {role.code: role for role in ROLES}
    return [Face(roles[code], family, file, fallback) for code, family, file, fallback in rows]
