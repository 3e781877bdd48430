"""Reading printed PDFs back, run by run and line by line.

runs(pdf)            -> [[(text, font)]] per page: each piece of text pypdf reads, with
                        the name of the embedded font that sets it ("Noto-Serif-CJK-SC")
font_of(pdf, words)  -> the font of the first run that holds WORDS
lines(pdf, tmp_path) -> [(page width, page height, [Line])] from poppler's
                        pdftotext -bbox-layout: where each line of text sits, in points
same_face(font, family) -> True when the PDF's FONT is the face fontconfig calls FAMILY
"""

import io
import re
import subprocess
from dataclasses import dataclass

from pypdf import PdfReader


def runs(pdf):
    pages = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        found = []

        def visit(text, _cm, _tm, font, _size, found=found):
            if text.strip() and font is not None:
                name = str(font.get("/BaseFont", "")).lstrip("/")
                found.append((text, name.split("+", 1)[-1]))

        page.extract_text(visitor_text=visit)
        pages.append(found)
    return pages


def squash(text):
    return re.sub(r"\s+", "", text)


def font_of(pdf, words, page=None):
    pages = runs(pdf)
    if page is not None:
        pages = [pages[page]]
    for found in pages:
        for text, font in found:
            if words in squash(text):
                return font
    raise AssertionError(f"{words!r} is not in the PDF")


def _key(name):
    return re.sub(r"[^0-9a-z\u4e00-\u9fff]", "", name.lower())


def same_face(font, family):
    """Whether the embedded FONT ("Noto-Serif-CJK-SC-Bold") is of FAMILY ("Noto Serif CJK SC")."""
    return _key(font).startswith(_key(family))


@dataclass
class Line:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str  # the line's words joined without spaces


def lines(pdf, tmp_path):
    path = tmp_path / "lines.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(
        ["pdftotext", "-bbox-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    pages = []
    for page in re.split(r"<page ", out)[1:]:
        width, height = (float(v) for v in re.match(r'width="([\d.]+)" height="([\d.]+)"', page).groups())
        found = []
        for attrs, body in re.findall(r"<line ([^>]*)>(.*?)</line>", page, flags=re.S):
            box = dict(re.findall(r'(\w+)="([\d.]+)"', attrs))
            text = "".join(re.findall(r"<word [^>]*>([^<]*)</word>", body))
            found.append(
                Line(float(box["xMin"]), float(box["yMin"]), float(box["xMax"]), float(box["yMax"]), text)
            )
        pages.append((width, height, found))
    return pages
