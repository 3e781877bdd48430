"""Documents printed as official documents (GB/T 9704-2012), read back from the PDF.

The PDFs are read with pypdf (page size, fonts, text) and poppler's pdftotext (where
words sit on the page). Every PDF rendered here is also left in test-artifacts/ to be
looked at.
"""

import datetime as dt
import io
import re
import subprocess

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader
from weasyprint import HTML

from plans import editing
from plans.documents import open_team_document
from plans.pdf import chinese_numeral, pdf_filename, render_html, render_pdf
from plans.words import Category, DocumentKind, Focus, Origin, Priority
from rectify.fetcher import BASE_URL, FetchRefused, StaticFetcher

from .factories import PROBLEM_TEXT, filled_individual, filled_team_plan

A4 = (595.28, 841.89)
OFFICIAL_CSS = BASE_URL + "static/css/official.css"


# Reading PDFs back ---------------------------------------------------------------


def pages_text(pdf):
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def squash(text):
    """Text without white space: table cells and long lines wrap wherever the page ends."""
    return re.sub(r"\s+", "", text)


def text_of(pdf):
    return squash("".join(pages_text(pdf)))


def page_words(pdf, tmp_path):
    """[(page width, [(xMin, yMin, xMax, word)])] per page, from pdftotext -bbox."""
    path = tmp_path / "read.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], check=True, capture_output=True, text=True)
    pages = []
    for page in re.split(r"<page ", out.stdout)[1:]:
        width = float(re.match(r'width="([\d.]+)"', page).group(1))
        words = [
            (float(x0), float(y0), float(x1), word)
            for x0, y0, x1, word in re.findall(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', page
            )
        ]
        pages.append((width, words))
    return pages


def fonts_of(pdf):
    """{font name: embedded?} over every page."""
    fonts = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        resources = page["/Resources"].get_object()
        for font in resources.get("/Font", {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            described = descendants[0].get_object() if descendants else font
            descriptor = described.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor else {}
            fonts[str(font["/BaseFont"])] = any(
                key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
            )
    return fonts


def without_words(html):
    """HTML without the spans that keep a narrow column's words whole (plans.typeset)."""
    return re.sub(r'<span class="word">([^<]*)</span>', r"\1", html)


def keep(artifacts, name, pdf):
    (artifacts / f"pdf-{name}.pdf").write_bytes(pdf)
    return pdf


def grassroots_list(cast, entries=3):
    document = open_team_document(cast.kaiyuan_committee, cast.filer)
    for n in range(entries):
        editing.add_item(
            cast.filer,
            document,
            "entries",
            {
                "text": f"小区停车位不足，群众反映强烈（第{n + 1}条）",
                "measures": "2014年11月底前新增停车位80个，公示分配方案",
                "owner_text": "刘娟",
                "deadline": dt.date(2014, 11, 30),
            },
        )
    editing.save_header(cast.filer, document, document.revision, {"dated": dt.date(2014, 9, 30)})
    return document


def simplified_plan(cast):
    document = open_team_document(cast.xingsha_committee, cast.filer)
    requirements = document.items.get(section="requirements")
    editing.save_item(
        cast.filer, requirements, requirements.revision, {"text": "坚持立说立行、立行立改，年底前见到实效。"}
    )
    problem = editing.add_item(
        cast.filer, document, "problems", {"text": "街道便民服务大厅窗口设置不合理，群众排队时间长"}
    )
    editing.add_item(
        cast.filer,
        document,
        "measures",
        {
            "text": "2014年10月底前增设综合受理窗口3个",
            "owner_text": "周芳",
            "deadline_text": "2014年10月底前",
        },
        links={"addresses": [problem]},
    )
    return document


# The page ------------------------------------------------------------------------


def test_team_plan_is_a4_with_fonts_embedded_and_text_extractable(cast, artifacts):
    plan = filled_team_plan(cast)
    pdf = keep(artifacts, "team-plan", render_pdf(plan))
    reader = PdfReader(io.BytesIO(pdf))
    for page in reader.pages:
        assert float(page.mediabox.width) == pytest.approx(A4[0], abs=0.5)
        assert float(page.mediabox.height) == pytest.approx(A4[1], abs=0.5)
    fonts = fonts_of(pdf)
    assert fonts and all(fonts.values()), fonts
    assert any("CJK" in name for name in fonts)
    raw = "\n".join(pages_text(pdf))
    assert "— 1 —" in raw and "— 2 —" in raw
    text = squash(raw)
    assert plan.title in text
    assert PROBLEM_TEXT[Category.FOUR_WINDS] in text
    assert "一、整改指导思想和基本原则" in text
    assert "六、加强对整改工作的组织领导" in text
    assert "党委书记主持制定" in text and "县委常委会第42次会议" in text
    assert "2014年8月25日" in text


def test_body_keeps_22_lines_of_28_characters(cast, tmp_path):
    """The grid of GB/T 9704: a page of plain text holds 22 lines of 28 characters."""
    html = (
        '<!DOCTYPE html><html lang="zh-CN"><head><link rel="stylesheet" href="/static/css/official.css">'
        '</head><body><p style="text-indent: 0">' + "国" * 28 * 40 + "</p></body></html>"
    )
    pdf = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFetcher()).write_pdf()
    _width, words = page_words(pdf, tmp_path)[0]
    lines = [word for _x0, _y0, _x1, word in words if "国" in word]
    assert len(lines) == 22
    assert {len(line) for line in lines} == {28}
    left = min(x0 for x0, _y0, _x1, word in words if "国" in word)
    assert left == pytest.approx(28 / 25.4 * 72, abs=0.5)  # 订口 28mm
    top = min(y0 for _x0, y0, _x1, word in words if "国" in word)
    assert 37 / 25.4 * 72 <= top <= 39 / 25.4 * 72  # 天头 37mm


def test_a_long_plan_repeats_the_table_header_and_numbers_pages_at_the_outer_edge(cast, artifacts, tmp_path):
    plan = filled_team_plan(cast, problems=60)
    pdf = keep(artifacts, "team-plan-60", render_pdf(plan))
    texts = [squash(text) for text in pages_text(pdf)]
    assert len(texts) >= 6
    with_header = [
        n for n, text in enumerate(texts, start=1) if "整改任务和措施" in text and "问题类别" in text
    ]
    assert len(with_header) >= 3
    assert "（第60条）" in "".join(texts)
    pages = page_words(pdf, tmp_path)
    assert len(pages) == len(texts)
    for number, (width, words) in enumerate(pages, start=1):
        at_bottom = [(x0, x1) for x0, y0, x1, word in words if word == str(number) and y0 > 0.85 * A4[1]]
        assert len(at_bottom) == 1, (number, at_bottom)
        x0, x1 = at_bottom[0]
        if number % 2:
            assert x0 > width / 2, f"page {number}: odd page number should be at the right"
        else:
            assert x1 < width / 2, f"page {number}: even page number should be at the left"
        dashes = [x for x, y0, _x1, word in words if word == "—" and y0 > 0.85 * A4[1]]
        assert len(dashes) == 2 and dashes[0] < x0 < dashes[1]


def test_the_attachments_follow_on_new_pages(cast):
    plan = filled_team_plan(cast)
    texts = [squash(text) for text in pages_text(render_pdf(plan))]
    first = next(n for n, text in enumerate(texts) if text.startswith("附件1"))
    second = next(n for n, text in enumerate(texts) if text.startswith("附件2"))
    assert 0 < first < second
    assert "中共长沙县委常委班子专项整治工作方案" in texts[first]
    assert "整治“裸官”问题" in "".join(texts[first:second])
    assert "中共长沙县委常委班子制度建设计划" in texts[second]
    assert "制定《县委常委会重大事项决策程序规定》" in texts[second]
    # 附件说明 in the plan itself, before the attachments.
    body = "".join(texts[:first])
    assert "附件：1．中共长沙县委常委班子专项整治工作方案" in body
    assert "2．中共长沙县委常委班子制度建设计划" in body


def test_team_table_lists_each_problem_with_its_measures(cast):
    plan = filled_team_plan(cast)
    html = render_html(plan)
    table = html[html.index('class="list team-list"') : html.index("</table>")]
    table = without_words(table)
    for header in ("序号", "问题类别", "问题清单", "整改任务和措施", "责任人", "整改时限"):
        assert f"<th>{header}</th>" in table
    assert table.count('class="category"') == 5
    assert "夏海波" in table and "欧阳明辉" in table and "2014年12月底前" in table
    # The measure that addresses no problem is listed under 第六方面 after the table.
    after = html[html.index("</table>") :]
    assert "（六）推进专项整治和建章立制的措施和要求" in after
    assert "按附件1、附件2推进专项整治和制度建设" in after
    assert "长期坚持" in after


def test_the_cost_of_printing_does_not_grow_with_the_plan(cast, django_assert_num_queries):
    small = filled_team_plan(cast)
    with CaptureQueriesContext(connection) as few:
        render_html(small)
    for n in range(55):
        problem = editing.add_item(
            cast.filer, small, "problems", {"category": Category.LAST_MILE, "text": f"问题{n}"}
        )
        editing.add_item(
            cast.filer,
            small,
            "measures",
            {"category": Category.LAST_MILE, "text": f"措施{n}", "owner": cast.member_person},
            links={"addresses": [problem]},
        )
    with django_assert_num_queries(len(few.captured_queries)):
        html = render_html(small)
    assert "问题54" in html


# Each kind -----------------------------------------------------------------------


def test_individual_measures(cast, artifacts):
    document = filled_individual(cast)
    pdf = keep(artifacts, "individual", render_pdf(document))
    text = text_of(pdf)
    assert document.title in text
    assert "姓名：欧阳明辉" in text and "职务：县委常委、组织部部长" in text
    assert "一、问题清单" in text and "二、整改措施" in text
    assert "（一）加强理论武装、严守政治纪律方面的整改措施" in text
    assert "（为官不为）" in text
    assert "整改时限：2014年12月底前" in text
    assert "领导干部个人整改清单" in text
    for header in ("“四风”方面", "具体整改措施", "备注"):
        assert header in text
    html = render_html(document)
    assert html.count('<td class="note">为官不为</td>') == 1


def test_grassroots_list(cast, artifacts):
    document = grassroots_list(cast)
    pdf = keep(artifacts, "grassroots-list", render_pdf(document))
    text = text_of(pdf)
    assert "中共开元路社区委员会整改清单" in text
    for header in ("序号", "问题", "整改措施", "责任人", "整改时限"):
        assert header in text
    assert "小区停车位不足，群众反映强烈（第3条）" in text
    assert "2014年11月30日" in text
    assert "2014年9月30日" in text


def test_simplified_plan(cast, artifacts):
    document = simplified_plan(cast)
    pdf = keep(artifacts, "simplified-plan", render_pdf(document))
    text = text_of(pdf)
    assert document.title in text
    assert "一、整改的总体要求和目标" in text and "坚持立说立行" in text
    assert "二、存在的主要问题" in text and "1．街道便民服务大厅窗口设置不合理" in text
    assert "三、整改措施" in text and "增设综合受理窗口3个" in text
    assert "针对问题：第1条" in text and "责任人：周芳" in text and "整改时限：2014年10月底前" in text


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (
            DocumentKind.SPECIAL_RECTIFICATION,
            ("整治项目", "整治“裸官”问题", "县纪委", "中央新增、我省尚未纳入的7个项目"),
        ),
        (
            DocumentKind.INSTITUTION_PLAN,
            ("制度建设任务", "制定《县委常委会重大事项决策程序规定》", "市、县机关"),
        ),
    ],
)
def test_attachments_print_alone(cast, kind, expected):
    plan = filled_team_plan(cast)
    attachment = plan.attachments.get(kind=kind)
    text = text_of(render_pdf(attachment))
    assert attachment.title in text
    assert "附件" not in text.split(attachment.title)[0]
    for words in expected:
        assert words in text


def test_every_kind_renders(cast):
    plan = filled_team_plan(cast)
    documents = [
        plan,
        *plan.attachments.all(),
        filled_individual(cast),
        simplified_plan(cast),
        grassroots_list(cast),
    ]
    assert {document.kind for document in documents} == set(DocumentKind.values)
    for document in documents:
        pdf = render_pdf(document)
        assert pdf.startswith(b"%PDF-")
        assert document.title in squash(pages_text(pdf)[0])


def test_an_empty_document_still_prints(cast):
    plan = open_team_document(cast.committee, cast.filer)
    text = text_of(render_pdf(plan))
    assert "（未填写）" in text and "（尚未列出问题）" in text


# User text is text ---------------------------------------------------------------

HOSTILE = (
    '<img src="file:///etc/passwd">',
    "<style>@import url(http://example.com/x.css);</style>",
    'background: url(http://example.com/bg.png) <link rel="stylesheet" href="http://example.com/y.css">',
)


def test_user_text_cannot_make_the_renderer_fetch_anything(cast, monkeypatch, tmp_path):
    plan = filled_team_plan(cast)
    for n, text in enumerate(HOSTILE):
        editing.add_item(cast.filer, plan, "problems", {"category": Category.FOUR_WINDS, "text": text})
        editing.add_item(
            cast.filer,
            plan,
            "measures",
            {"category": Category.SPECIAL_AND_INSTITUTIONS, "text": text, "unit": text},
        )
        block = plan.items.get(section="leadership")
        editing.save_item(cast.filer, block, block.revision, {"text": f"第{n}段\n{text}"})
    editing.save_header(
        cast.filer,
        plan,
        plan.revision,
        {"unit_name": '<img src="file:///etc/passwd">', "meeting_name": HOSTILE[1]},
    )
    plan.refresh_from_db()

    html = render_html(plan)
    assert "<img" not in html and "<style>@import" not in html and 'href="http' not in html
    assert "&lt;img src=&quot;file:///etc/passwd&quot;&gt;" in html

    asked = []
    original = StaticFetcher.fetch

    def spy(self, url, headers=None):
        asked.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(StaticFetcher, "fetch", spy)
    pdf = render_pdf(plan)
    assert asked == [OFFICIAL_CSS]
    text = text_of(pdf)
    assert "file:///etc/passwd" in text
    assert "url(http://example.com/bg.png)" in text
    assert "root:x:0:0" not in text


# The fetcher ---------------------------------------------------------------------


def test_fetcher_serves_our_stylesheet():
    fetcher = StaticFetcher()
    response = fetcher.fetch(OFFICIAL_CSS)
    assert response.content_type == "text/css"
    assert response.read() == open(finders.find("css/official.css"), "rb").read()
    assert fetcher.fetched == [OFFICIAL_CSS]


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://example.com/x.css",
        "https://example.com/static/css/official.css",
        "data:text/css,body{color:red}",
        BASE_URL + "static/../../etc/passwd",
        BASE_URL + "static/css/../../../etc/passwd",
        BASE_URL + "static/%2e%2e/%2e%2e/etc/passwd",
        BASE_URL + "static/..%2F..%2Fetc/passwd",
        BASE_URL + "static//etc/passwd",
        BASE_URL + "static/css\\..\\..\\settings.py",
        BASE_URL + "etc/passwd",
        BASE_URL + "static/css/missing.css",
        "ftp://example.com/x",
        "/static/css/official.css",
    ],
)
def test_fetcher_refuses_everything_else(url):
    fetcher = StaticFetcher()
    with pytest.raises(FetchRefused):
        fetcher.fetch(url)
    assert fetcher.refused == [url]
    assert fetcher.fetched == []


def test_weasyprint_goes_through_the_fetcher(settings):
    """WeasyPrint 70 hands every load to the fetcher, which refuses what is not ours."""
    fetcher = StaticFetcher()
    html = (
        '<link rel="stylesheet" href="/static/css/official.css">'
        '<link rel="stylesheet" href="file:///etc/passwd"><img src="http://example.com/a.png">'
        '<p style="background: url(https://example.com/b.png)">正文</p>'
    )
    HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).write_pdf()
    assert fetcher.fetched == [OFFICIAL_CSS]
    assert set(fetcher.refused) == {
        "file:///etc/passwd",
        "http://example.com/a.png",
        "https://example.com/b.png",
    }


def test_fetcher_reads_collected_static_files(settings, tmp_path):
    """In production the hashed names exist only under STATIC_ROOT."""
    settings.STATIC_ROOT = tmp_path / "collected"
    (tmp_path / "collected" / "css").mkdir(parents=True)
    (tmp_path / "collected" / "css" / "official.0123abcd.css").write_text("p {}")
    (tmp_path / "secret.txt").write_text("secret")
    fetcher = StaticFetcher()
    assert fetcher.fetch(BASE_URL + "static/css/official.0123abcd.css").read() == b"p {}"
    with pytest.raises(FetchRefused):
        fetcher.fetch(BASE_URL + "static/../secret.txt")


# Small things --------------------------------------------------------------------


def test_pdf_filename(cast):
    plan = open_team_document(cast.committee, cast.filer)
    assert pdf_filename(plan) == "中共长沙县委常委班子整改方案.pdf"
    plan.title = '../a/b:"整改"?方案'
    assert pdf_filename(plan) == "ab整改方案.pdf"


@pytest.mark.parametrize(
    ("n", "numeral"), [(1, "一"), (6, "六"), (10, "十"), (11, "十一"), (20, "二十"), (42, "四十二")]
)
def test_chinese_numerals(n, numeral):
    assert chinese_numeral(n) == numeral


def test_focus_and_origin_labels_print_short(cast):
    plan = filled_team_plan(cast)
    institutions = plan.attachments.get(kind=DocumentKind.INSTITUTION_PLAN)
    editing.add_item(
        cast.filer,
        institutions,
        "tasks",
        {
            "origin": Origin.CENTRAL,
            "focus": Focus.WINDOW,
            "text": "建立窗口服务限时办结制度",
            "unit": "县政务中心",
        },
    )
    html = render_html(institutions)
    assert "一、承接中央制度建设要求" in html and "二、结合实际健全完善" in html
    assert "<td>窗口单位、服务行业</td>" in html


def test_attachments_keep_the_notices_numbers(cast):
    """附件1 is always the 专项整治工作方案 and 附件2 the 制度建设计划."""
    plan = filled_team_plan(cast)
    plan.attachments.get(kind=DocumentKind.SPECIAL_RECTIFICATION).delete()
    text = text_of(render_pdf(plan))
    assert "附件：2．中共长沙县委常委班子制度建设计划" in text
    assert "附件2中共长沙县委常委班子制度建设计划" in text
    assert "附件1" not in text.replace("按附件1", "")


# 分轻重缓急 -----------------------------------------------------------------------


def _column_under(words, header):
    """The words of a page that sit in the column headed by the word HEADER, top down."""
    [(left, _top, right, _word)] = [word for word in words if word[3] == header][:1]
    return [
        word for x0, _y, x1, word in sorted(words, key=lambda w: w[1]) if x0 >= left - 1 and x1 <= right + 1
    ]


def test_the_tables_print_each_problem_s_priority_after_the_notice_s_columns(cast, artifacts, tmp_path):
    plan = filled_team_plan(cast)
    urgent = plan.items.get(section="problems", category=Category.POLITICAL_DISCIPLINE)
    important = plan.items.get(section="problems", category=Category.EIGHT_RULES)
    editing.save_item(cast.filer, urgent, urgent.revision, {"priority": Priority.URGENT})
    editing.save_item(cast.filer, important, important.revision, {"priority": Priority.IMPORTANT})
    pdf = keep(artifacts, "team-plan-priority", render_pdf(plan))
    [words] = [words for _width, words in page_words(pdf, tmp_path) if any(w[3] == "轻重" for w in words)][:1]
    # The last column, after 整改时限 (its header wrapped in two lines, 整改/时限), one value per problem.
    deadline = next(x1 for _x0, _y, x1, word in words if word == "时限")
    assert min(x0 for x0, _y, _x1, word in words if word == "轻重") > deadline
    assert _column_under(words, "轻重")[:6] == ["轻重", "缓急", "急", "重", "一般", "一般"]


def test_lists_in_paragraphs_print_the_priority_and_the_simplified_plan_its_units(cast, artifacts):
    document = simplified_plan(cast)
    problem = document.items.get(section="problems")
    editing.save_item(cast.filer, problem, problem.revision, {"priority": Priority.URGENT})
    measure = document.items.get(section="measures")
    editing.save_item(cast.filer, measure, measure.revision, {"unit": "街道党政综合办公室"})
    text = text_of(keep(artifacts, "simplified-plan-priority", render_pdf(document)))
    assert "1．街道便民服务大厅窗口设置不合理，群众排队时间长（轻重缓急：急）" in text
    assert "责任人：周芳；责任单位：街道党政综合办公室" in text

    community = grassroots_list(cast, entries=1)
    entry = community.items.get(section="entries")
    editing.save_item(cast.filer, entry, entry.revision, {"priority": Priority.IMPORTANT})
    html = without_words(render_html(community))
    assert "<th>轻重缓急</th>" in html and '<td class="priority">重</td>' in html

    individual = filled_individual(cast)
    html = without_words(render_html(individual))
    table = html[html.index('class="list individual-list"') :]
    assert "<th>轻重缓急</th>" in table and table.count('<td class="priority" rowspan="1">一般</td>') == 3
    assert "（轻重缓急：一般）" in html[: html.index('class="list individual-list"')]
