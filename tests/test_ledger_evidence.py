"""Evidence files: what a file is, read from its content (real small files built here);
the limit of 10 MB, through the report's own address as a browser would send it; the
storage API and the generated names; and the download, as an attachment only."""

import io
import zipfile
from urllib.parse import quote

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from ledger import evidence, transitions
from ledger.models import Entry, Evidence, Report
from ledger.words import EntryState

from .factories import approved, filled_team_plan

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def png():
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, "PNG")
    return out.getvalue()


def jpeg():
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(out, "JPEG")
    return out.getvalue()


def xlsx():
    book = openpyxl.Workbook()
    book.active["A1"] = "整改台账"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def office_zip(part, extra=()):
    """A ZIP with a [Content_Types].xml declaring PART (and EXTRA files), as Word writes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            f'<?xml version="1.0"?><Types><Override PartName="{part}" ContentType="x"/></Types>',
        )
        archive.writestr(part.lstrip("/"), "<document/>")
        for name in extra:
            archive.writestr(name, b"\x00")
    return out.getvalue()


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def entry(cast, leaders, media):
    plan = approved(filled_team_plan(cast), by=cast.filer)
    return Entry.objects.filter(document=plan).order_by("position").first()


@pytest.mark.parametrize(
    ("name", "build", "expected"),
    [
        ("会议纪要.pdf", lambda: PDF, evidence.PDF),
        ("现场照片.png", png, evidence.PNG),
        ("现场照片.jpg", jpeg, evidence.JPEG),
        ("整改台账.xlsx", xlsx, evidence.XLSX),
        ("整改报告.docx", lambda: office_zip("/word/document.xml"), evidence.DOCX),
        ("旧表格.xls", lambda: evidence.OLE2 + b"\x00" * 504, evidence.XLS),
    ],
)
def test_files_are_known_by_their_content(name, build, expected):
    assert evidence.sniff(io.BytesIO(build()), name) == expected
    # The name does not decide: the same content under another name is the same kind.
    if not expected.endswith("excel"):
        assert evidence.sniff(io.BytesIO(build()), "附件.bin") == expected


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("整改报告.pdf", b"<!doctype html><html><script>alert(1)</script></html>"),
        ("照片.png", b"GIF8 not quite"),
        ("压缩包.docx", office_zip("/other/thing.xml")),
        ("说明.doc", b"\xd0\xcf\x11\xe0 not a compound file"),
        ("容器.msg", evidence.OLE2 + b"\x00" * 504),
    ],
)
def test_anything_else_is_refused_whatever_it_is_called(name, content):
    with pytest.raises(evidence.Refused) as refused:
        evidence.check([upload(name, content)])
    assert name in refused.value.message


def test_a_workbook_with_macros_is_refused():
    content = office_zip("/xl/workbook.xml", extra=["xl/vbaProject.bin"])
    with pytest.raises(evidence.Refused) as refused:
        evidence.check([upload("带宏.xlsm", content)])
    assert "宏" in refused.value.message


def test_an_oversize_file_is_refused_by_name(settings):
    settings.LEDGER_EVIDENCE_MAX_BYTES = 1000
    with pytest.raises(evidence.Refused) as refused:
        evidence.check([upload("扫描件.pdf", PDF + b"0" * 1000)])
    assert "扫描件.pdf" in refused.value.message and "上限" in refused.value.message


def test_kept_through_the_storage_under_a_generated_name(cast, entry, media):
    report = transitions.report(
        cast.filer, entry.pk, entry.revision, "附会议纪要。", [upload("../../会议纪要.pdf", PDF)]
    )
    kept = report.evidence.get()
    assert (kept.name, kept.content_type, kept.size) == ("会议纪要.pdf", evidence.PDF, len(PDF))
    assert kept.file.name.startswith("evidence/") and kept.file.name.endswith(".pdf")
    assert "会议纪要" not in kept.file.name and ".." not in kept.file.name
    assert kept.file.storage.exists(kept.file.name)
    with kept.file.open("rb") as stored:
        assert stored.read() == PDF


def test_one_bad_file_refuses_the_whole_report(cast, entry, media):
    with pytest.raises(transitions.TransitionError) as refused:
        transitions.report(
            cast.filer,
            entry.pk,
            entry.revision,
            "两个附件。",
            [upload("好的.pdf", PDF), upload("坏的.pdf", b"<html></html>")],
            done=True,
        )
    assert "坏的.pdf" in refused.value.message
    assert not Report.objects.exists() and not Evidence.objects.exists()
    assert Entry.objects.get(pk=entry.pk).state == EntryState.OPEN
    assert not [path for path in media.rglob("*") if path.is_file()]


def post_report(client, entry, name, size, text="附扫描件。"):
    content = PDF + b"0" * (size - len(PDF))
    return client.post(
        reverse("ledger:report", args=[entry.pk]),
        {"revision": entry.revision, "text": text, "done": "on", "files": upload(name, content)},
    )


def test_a_9_mb_pdf_goes_through_the_report_address(client, cast, entry):
    client.force_login(cast.filer)
    response = post_report(client, entry, "九兆.pdf", 9 * 1024 * 1024)
    assert response.status_code == 302
    kept = Evidence.objects.get()
    assert kept.size == 9 * 1024 * 1024
    assert Entry.objects.get(pk=entry.pk).state == EntryState.DONE


def test_an_11_mb_pdf_is_refused_in_chinese_and_the_text_stays(client, cast, entry):
    client.force_login(cast.filer)
    response = post_report(client, entry, "十一兆.pdf", 11 * 1024 * 1024, text="这段文字不能丢。")
    assert response.status_code == 400
    page = response.content.decode()
    assert "“十一兆.pdf”有 11.0 MB，超过了每个文件 10.0 MB 的上限" in page
    assert "这段文字不能丢。</textarea>" in page
    assert 'id="report-done" checked' in page
    assert not Evidence.objects.exists() and not Report.objects.exists()


def test_the_download_is_an_attachment_with_its_name(client, cast, entry):
    report = transitions.report(cast.filer, entry.pk, entry.revision, "附件。", [upload("整改报告.pdf", PDF)])
    kept = report.evidence.get()
    client.force_login(cast.group)
    response = client.get(reverse("ledger:evidence", args=[kept.uid]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert f"filename*=utf-8''{quote('整改报告.pdf')}" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    client.force_login(cast.outsider)
    assert client.get(reverse("ledger:evidence", args=[kept.uid])).status_code == 404
