"""The faces of the printed documents, role by role (rectify/fonts.py), read back from the PDF:
小标宋 for the title, 仿宋 for the body, 黑体 for 一、, 楷体 for （一）, 宋体 for the page
numbers; the licensed faces of the deployment's font directory first, the free ones after."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.urls import reverse
from fontTools.subset import Options, Subsetter
from fontTools.ttLib import TTCollection

from plans.pdf import render_html, render_pdf
from rectify import fonts

from .factories import filled_team_plan
from .pdfread import font_of, same_face

UKAI = Path("/usr/share/fonts/truetype/arphic/ukai.ttc")


def role(code):
    return next(face for face in fonts.faces() if face.role.code == code)


def licensed_lookalike(directory, family, text):
    """A font file named FAMILY (a stand-in for an office's licensed 仿宋_GB2312), made from
    the free Kai face cut down to TEXT's characters, in DIRECTORY."""
    font = TTCollection(str(UKAI)).fonts[0]
    options = Options()
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    subsetter = Subsetter(options)
    subsetter.populate(text=text + "0123456789—： ")
    subsetter.subset(font)
    names = font["name"]
    postscript = re.sub(r"[^A-Za-z0-9_-]", "", family) or "Licensed"
    for record in list(names.names):
        if record.nameID in (1, 4, 16):
            names.setName(family, record.nameID, record.platformID, record.platEncID, record.langID)
        elif record.nameID == 6:
            names.setName(postscript, 6, record.platformID, record.platEncID, record.langID)
    path = directory / f"{postscript}.ttf"
    font.save(str(path))
    return path


def test_the_stylesheet_gives_each_role_its_font_list():
    """official.css names its faces only through the roles' lists, so what check_fonts says
    is what the print uses."""
    css = Path(finders.find("css/official.css")).read_text()
    declared = {
        tuple(name.strip().strip('"') for name in value.split(","))
        for value in re.findall(r"font-family:\s*([^;]+);", css)
    }
    known = {role.families for role in fonts.ROLES}
    assert declared <= known, declared - known
    assert declared == known


def test_each_role_prints_in_the_face_check_fonts_names(cast, artifacts):
    plan = filled_team_plan(cast)
    pdf = render_pdf(plan)
    (artifacts / "pdf-faces.pdf").write_bytes(pdf)
    samples = {
        "title": plan.title,
        "body": "以习近平总书记系列重要讲话精神为指导",
        "hei": "一、整改指导思想和基本原则",
        "kai": "（一）近期目标",
        "page_number": "—1—",
    }
    for code, words in samples.items():
        face = role(code)
        assert face.family, code
        printed = font_of(pdf, words)
        assert same_face(printed, face.family), (code, printed, face.family)
    # 楷体 is a Kai face, no longer the body's: the free one the project installs.
    assert role("kai").family == "AR PL UKai CN"
    assert not same_face(font_of(pdf, "（一）近期目标"), role("body").family)


def test_without_licensed_faces_check_fonts_warns_of_the_fallbacks(capsys, settings):
    settings.FONT_DIR = ""
    call_command("check_fonts")
    out = capsys.readouterr().out
    for label in ("标题（小标宋）", "正文（仿宋）", "一级标题（黑体）", "二级标题（楷体）", "页码（宋体）"):
        assert label in out
    warned = [line for line in out.splitlines() if line.startswith("警告")]
    assert len(warned) == 2
    assert any("正文（仿宋）" in line and "Noto Serif CJK SC" in line for line in warned)
    assert any("标题（小标宋）" in line for line in warned)
    assert "AR PL UKai CN" in out and "2 种用途用了回退字体" in out


def test_the_font_directory_s_licensed_faces_come_first(cast, settings, tmp_path, capsys):
    plan = filled_team_plan(cast)
    text = re.sub(r"<[^>]+>", "", render_html(plan))
    licensed_lookalike(tmp_path, "仿宋_GB2312", text)
    settings.FONT_DIR = str(tmp_path)

    body = role("body")
    assert body.family == "仿宋_GB2312" and body.licensed and not body.fallback
    assert body.file.startswith(str(tmp_path))
    pdf = render_pdf(plan)
    assert same_face(font_of(pdf, "以习近平总书记系列重要讲话精神为指导"), "仿宋_GB2312")
    # The other roles keep their own faces.
    assert same_face(font_of(pdf, "一、整改指导思想和基本原则"), "Noto Sans CJK SC")
    assert same_face(font_of(pdf, "（一）近期目标"), "AR PL UKai CN")

    call_command("check_fonts")
    out = capsys.readouterr().out
    assert f"字体目录：{tmp_path}（1 个字体文件）" in out
    body_line = next(line for line in out.splitlines() if "正文（仿宋）" in line)
    assert "仿宋_GB2312（国标规定字体）" in body_line and not body_line.startswith("警告")


def test_a_font_directory_that_is_not_there_is_said(settings, capsys, tmp_path):
    settings.FONT_DIR = str(tmp_path / "missing")
    call_command("check_fonts")
    assert "不存在" in capsys.readouterr().out
    assert role("body").family == "Noto Serif CJK SC"


@pytest.mark.django_db
def test_the_admin_shows_the_faces(admin_client):
    response = admin_client.get(reverse("admin_fonts"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "正文（仿宋）" in page and "二级标题（楷体）" in page
    assert "AR PL UKai CN" in page
    assert page.count("回退字体") >= 2
    # The admin's index points to it.
    index = admin_client.get(reverse("admin:index")).content.decode()
    assert reverse("admin_fonts") in index


@pytest.mark.django_db
def test_only_staff_see_the_faces(client, cast):
    client.force_login(cast.filer)
    response = client.get(reverse("admin_fonts"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
