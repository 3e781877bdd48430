"""The details of GB/T 9704-2012 the prints keep, measured on the PDF: where the page
number's dashes sit, how the 署名 and 成文日期 stand, what a table's continuation pages
carry, and that every full line of the text reaches the right edge of the text area."""

import datetime as dt
import io
import subprocess
from itertools import accumulate

import pytest
from PIL import Image

from plans import editing, typeset
from plans.models import Document
from plans.pdf import render_pdf
from plans.structure import TEAM_ASPECTS
from plans.words import TABLE_CATEGORY, Category
from rectify.dates import chinese_date
from rectify.renderings import write_pdf

from .factories import filled_individual, filled_team_plan
from .pdfread import lines
from .test_pdf import grassroots_list, page_words, pages_text, simplified_plan, squash

MM = 72 / 25.4
PAGE_WIDTH, PAGE_HEIGHT = 595.28, 841.89
LEFT = 28 * MM  # 订口
RIGHT = PAGE_WIDTH - 26 * MM  # the text area's right edge
FOOT = PAGE_HEIGHT - 35 * MM  # the text area's foot
PITCH = 15.79  # one character of the body (official.css)


def dash_below_text_area(pdf, page, tmp_path, dpi=300):
    """How far (mm) below the text area's foot the page number's dashes are drawn on PAGE
    (1-based): the middle of the long horizontal strokes found in the page's image."""
    path = tmp_path / "page.pdf"
    path.write_bytes(pdf)
    scale = dpi / 72
    top = int(FOOT * scale)
    image = subprocess.run(
        [
            "pdftoppm",
            "-r",
            str(dpi),
            "-gray",
            "-png",
            "-f",
            str(page),
            "-l",
            str(page),
            "-y",
            str(top),
            "-H",
            str(int(20 * MM * scale)),
            "-W",
            str(int(PAGE_WIDTH * scale)),
            str(path),
        ],
        check=True,
        capture_output=True,
    ).stdout
    picture = Image.open(io.BytesIO(image)).convert("L")
    width, height = picture.size
    pixels = picture.load()
    rows = []
    for y in range(height):
        run = longest = 0
        for x in range(width):
            run = run + 1 if pixels[x, y] < 128 else 0
            longest = max(longest, run)
        if longest > 7 * scale:  # half a 14pt em: the dash, not a numeral
            rows.append(y)
    assert rows, f"no dash under the text area of page {page}"
    return ((rows[0] + rows[-1]) / 2) / scale / MM


def test_the_page_number_s_dashes_are_7mm_below_the_text_area(cast, tmp_path):
    pdf = render_pdf(filled_team_plan(cast))
    for page in (1, 2):  # a right-hand page and a left-hand one
        assert dash_below_text_area(pdf, page, tmp_path) == pytest.approx(7, abs=0.3)


def signature_lines(pdf, tmp_path, names, date):
    """The lines of the 署名 (NAMES) and the date, on the page that ends with them."""
    for _width, _height, found in lines(pdf, tmp_path):
        by_text = {line.text: line for line in found}
        if date in by_text and all(name in by_text for name in names):
            return [by_text[name] for name in names], by_text[date]
    raise AssertionError(f"no page carries {names!r} over {date!r}")


def assert_first_character_moves_right_two(names, date):
    """GB/T 9704 7.3.5.1: the 署名 two characters in from the right; the date's first
    character two right of the 署名's; a date too long for that two in from the right,
    and the 署名 moved left as far."""
    start = min(line.x0 for line in names)
    end = max(line.x1 for line in (*names, date))
    assert end == pytest.approx(RIGHT - 2 * PITCH, abs=1), (end, RIGHT - 2 * PITCH)
    assert date.x0 - start == pytest.approx(2 * PITCH, abs=0.6)


@pytest.mark.parametrize("kind", ["team plan", "individual", "simplified plan", "grassroots list"])
def test_the_date_stands_under_the_signature_two_characters_right(cast, tmp_path, kind):
    document = {
        "team plan": filled_team_plan,
        "individual": filled_individual,
        "simplified plan": simplified_plan,
        "grassroots list": grassroots_list,
    }[kind](cast)
    if not document.dated:  # an individual plan is dated when its person signs it
        Document.objects.filter(pk=document.pk).update(dated=dt.date(2014, 9, 5))
    document.refresh_from_db()
    signature = document.person.name if document.person_id else document.unit_name
    names, date = signature_lines(render_pdf(document), tmp_path, [signature], chinese_date(document.dated))
    assert_first_character_moves_right_two(names, date)


def test_narrow_columns_break_lines_between_words_only(cast, tmp_path):
    pdf = render_pdf(filled_team_plan(cast))
    pages = page_words(pdf, tmp_path)
    _width, words_on_page = next(page for page in pages if any(word[3] == "序号" for word in page[1]))
    found = [word for _x0, _y0, _x1, word in words_on_page]
    assert {"序号", "问题", "类别", "整改", "时限", "轻重", "缓急"} <= set(found)
    assert not {"序", "号", "问题类", "整改时", "限"} & set(found)
    # The categories, in the notice's wording (as the Excel names them), break between words.
    column = [
        word
        for x0, _y0, _x1, word in words_on_page
        if LEFT + 11 * MM < x0 < LEFT + 28 * MM and word != "类别"
    ]
    for category in (Category.POLITICAL_DISCIPLINE, Category.EIGHT_RULES, Category.MASS_INTERESTS):
        label = str(TABLE_CATEGORY[category])
        start = "".join(column).index(label)
        pieces, length = [], 0
        for piece in column[[len("".join(column[:n])) for n in range(len(column))].index(start) :]:
            pieces.append(piece)
            length += len(piece)
            if length >= len(label):
                break
        assert "".join(pieces) == label
        boundaries = set(accumulate(len(word) for word in typeset.words(label)))
        assert set(accumulate(len(piece) for piece in pieces)) <= boundaries, pieces


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("整改时限", ["整改", "时限"]),
        ("序号", ["序号"]),
        ("2014年12月底前", ["2014年", "12月", "底前"]),
        ("“四风”方面存在的突出问题", ["“", "四风", "”", "方面", "存在", "的", "突出", "问题"]),
    ],
)
def test_the_words_of_a_narrow_column(text, expected):
    assert typeset.words(text) == expected


# Lines fill the text area ---------------------------------------------------------------


def full_lines(pdf, tmp_path):
    """The body's lines that are not their paragraph's last: those the next line continues
    from the left edge of the text area (a paragraph's first line is indented two characters)."""
    found = []
    for _width, _height, page in lines(pdf, tmp_path):
        for line, following in zip(page, page[1:], strict=False):
            if abs(following.x0 - LEFT) < 1 and abs(following.y0 - line.y0 - 28.95) < 1.5:
                found.append(line)
    return found


@pytest.mark.parametrize("kind", ["team plan", "individual", "simplified plan"])
def test_every_full_line_ends_at_the_right_edge_of_the_text_area(cast, tmp_path, kind):
    document = {
        "team plan": filled_team_plan,
        "individual": filled_individual,
        "simplified plan": simplified_plan,
    }[kind](cast)
    full = full_lines(render_pdf(document), tmp_path)
    assert full, "the document has no paragraph of more than one line"
    for line in full:
        assert line.x1 == pytest.approx(RIGHT, abs=0.5 * MM), (line.text, (RIGHT - line.x1) / MM)


def test_the_slack_is_shared_between_characters_not_given_to_latin_spaces(tmp_path):
    """A line of Chinese with half-width digits and a Latin phrase: it reaches the right edge,
    its Latin space stays a space, and the paragraph's last line keeps its natural length."""
    text = "2014年10月底前，群众反映强烈的突出问题得到有效解决，ABC abc 整改。" * 3
    html = (
        '<!DOCTYPE html><html lang="zh-CN"><head><link rel="stylesheet" href="/static/css/official.css">'
        f"</head><body><p>{text}</p></body></html>"
    )
    pdf = write_pdf(html)
    [(_width, _height, found)] = lines(pdf, tmp_path)
    found = [line for line in found if line.y0 < FOOT]  # not the page number
    assert len(found) == 4
    for line in found[:-1]:
        assert line.x1 == pytest.approx(RIGHT, abs=0.5 * MM), (line.text, (RIGHT - line.x1) / MM)
    assert found[-1].x1 < RIGHT - 5 * MM
    for _width, words_on_page in page_words(pdf, tmp_path):
        latin = [(x0, x1, word) for x0, _y0, x1, word in words_on_page if word.startswith(("ABC", "abc"))]
        for (_x0, end, word), (start, _x1, after) in zip(latin, latin[1:], strict=False):
            if word.startswith("ABC") and after.startswith("abc") and start > end:
                assert start - end < 0.5 * 16, (word, after, start - end)  # a space, not a gap


# Long tables ------------------------------------------------------------------------------


def test_a_long_table_s_continuation_pages_repeat_the_header_and_say_whose_rows_they_are(cast, tmp_path):
    pdf = render_pdf(filled_team_plan(cast, problems=60))
    pages = [squash(text) for text in pages_text(pdf)]
    tables = [n for n, text in enumerate(pages) if "问题类别" in text and "整改任务和措施" in text]
    assert len(tables) >= 4
    labels = [str(TABLE_CATEGORY[category]) for category in TEAM_ASPECTS[:5]]
    for n in tables[1:]:
        # The first rows of the page continue a category begun on an earlier page.
        continued = [label for label in labels if f"{label}（续）" in pages[n]]
        assert len(continued) == 1, (n + 1, pages[n][:80])
        [label] = continued
        # begun on an earlier page (a category begun at a page's foot prints there what fits)
        assert label[:4] in "".join(pages[:n]).replace(f"{label}（续）", ""), label
    # and the merged 序号 comes with it, in its column, at the middle of the rows it spans
    words_by_page = page_words(pdf, tmp_path)
    for n in tables[1:]:
        _width, words_on_page = words_by_page[n]
        numbers = [
            word
            for x0, y0, _x1, word in words_on_page
            if LEFT < x0 < LEFT + 11 * MM and y0 < FOOT and word.isdigit()  # not the page number
        ]
        assert numbers and set(numbers) <= {"1", "2", "3", "4", "5"}, (n + 1, numbers)


def test_a_row_taller_than_a_page_keeps_the_header_on_every_page(cast):
    document = grassroots_list(cast, entries=2)
    entry = document.items.filter(section="entries").first()
    measures = "\n".join([f"第{n}步：新增停车位80个，公示分配方案，逐户落实到位" for n in range(1, 81)])
    editing.save_item(cast.filer, entry, entry.revision, {"measures": measures})
    pages = [squash(text) for text in pages_text(render_pdf(document))]
    assert len(pages) >= 4
    # The table starts under the title, not on a page of its own, and every page of it has
    # its header.
    assert "中共开元路社区委员会整改清单" in pages[0] and "第1步" in pages[0]
    for n, text in enumerate(pages, start=1):
        assert "序号" in text and "整改措施" in text and "整改时限" in text, n
    assert "第80步" in "".join(pages)


def full_width_rules(pdf, page, tmp_path, dpi=100):
    """The heights (pt) of the horizontal rules drawn across the whole text area on PAGE."""
    path = tmp_path / "rules.pdf"
    path.write_bytes(pdf)
    image = subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-gray", "-png", "-f", str(page), "-l", str(page), str(path)],
        check=True,
        capture_output=True,
    ).stdout
    picture = Image.open(io.BytesIO(image)).convert("L")
    scale = dpi / 72
    pixels = picture.load()
    left, right = int((LEFT + 2) * scale), int((RIGHT - 2) * scale)
    return [
        y / scale for y in range(picture.size[1]) if all(pixels[x, y] < 160 for x in range(left, right, 2))
    ]


def test_each_page_of_a_long_table_is_ruled_off_at_its_foot(cast, tmp_path):
    pdf = render_pdf(filled_team_plan(cast, problems=60))
    pages = page_words(pdf, tmp_path)
    starts = [n for n, (_w, words_on_page) in enumerate(pages, 1) if words_on_page[0][3] == "序号"]
    assert len(starts) >= 4
    for page in [n - 1 for n in starts]:  # the table goes on to the next page, under its header
        _width, words_on_page = pages[page - 1]
        lowest = max(y0 for _x0, y0, _x1, _word in words_on_page if y0 < FOOT)
        assert any(y > lowest for y in full_width_rules(pdf, page, tmp_path)), page
