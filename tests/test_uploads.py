"""Hostile uploads: macros under other names, and bodies too large to read.

A workbook's macros, ActiveX controls and embedded objects are found by what the file
declares and what its parts hold, whatever the parts are called; the import and the
ledger's evidence both refuse them. A request larger than its view takes is refused by
the length it declares, before a byte of its body is read, with the limit in Chinese."""

import io
import os
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ledger import evidence
from ledger.models import Entry
from ledger.words import EVIDENCE_MAX_FILES
from plans.documents import open_team_document
from plans.models import Import
from plans.sheets.layout import SheetError
from plans.sheets.reading import read_workbook
from rectify.ooxml import OLE2, active_parts

from .factories import approved, filled_team_plan
from .sheets_samples import rewrite, team_workbook

pytestmark = pytest.mark.django_db

VBA = "application/vnd.ms-office.vbaProject"
PROJECT = OLE2 + os.urandom(1024)  # a VBA project is an OLE2 compound file
PRINTER = "application/vnd.openxmlformats-officedocument.spreadsheetml.printerSettings"


def declared(data, *entries):
    """DATA with ENTRIES (<Override …/>, <Default …/>) added to [Content_Types].xml."""
    return lambda content: content.replace(b"</Types>", "".join(entries).encode() + b"</Types>")


def related(*entries):
    return lambda content: content.replace(
        b"</Relationships>", "".join(entries).encode() + b"</Relationships>"
    )


def workbook(add=None, types=(), rels=()):
    data = team_workbook()
    replace = {}
    if types:
        replace["[Content_Types].xml"] = declared(data, *types)
    if rels:
        replace["xl/_rels/workbook.xml.rels"] = related(*rels)
    return rewrite(data, replace=replace, add=add)


HIDDEN_MACROS = {
    "a VBA project renamed": lambda: workbook(add={"xl/styles2.dat": PROJECT}),
    "a VBA project under an image's name": lambda: workbook(add={"xl/media/image1.png": PROJECT}),
    "declared a VBA project under another name": lambda: workbook(
        add={"xl/theme/theme9.xml": b"<a/>"},
        types=[f'<Override PartName="/xl/theme/theme9.xml" ContentType="{VBA}"/>'],
    ),
    "declared so by its extension": lambda: workbook(
        add={"xl/code.dat": b"<a/>"}, types=[f'<Default Extension="dat" ContentType="{VBA}"/>']
    ),
    "declared with a character reference": lambda: workbook(
        add={"xl/code.xml": b"<a/>"},
        types=['<Override PartName="/xl/code.xml" ContentType="application/vnd.ms-office.vba&#80;roject"/>'],
    ),
    "pointed at as a VBA project": lambda: workbook(
        add={"xl/media/image7.png": b"\x89PNG\r\n\x1a\n"},
        rels=[
            '<Relationship Id="rIdX" Target="media/image7.png" '
            'Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject"/>'
        ],
    ),
    "an ActiveX control": lambda: workbook(
        add={"xl/activeX/activeX1.xml": b"<ax:ocx/>"},
        types=[
            '<Override PartName="/xl/activeX/activeX1.xml" ContentType="application/vnd.ms-office.activeX+xml"/>'
        ],
    ),
    "an Excel 4.0 macro sheet": lambda: workbook(
        add={"xl/worksheets/sheet9.xml": b"<xm:macrosheet/>"},
        types=[
            '<Override PartName="/xl/worksheets/sheet9.xml" '
            'ContentType="application/vnd.ms-excel.macrosheet+xml"/>'
        ],
    ),
    "an embedded object": lambda: workbook(
        add={"xl/embeddings/oleObject1.bin": PROJECT},
        types=[
            '<Override PartName="/xl/embeddings/oleObject1.bin" '
            'ContentType="application/vnd.openxmlformats-officedocument.oleObject"/>'
        ],
    ),
}


@pytest.mark.parametrize("name", list(HIDDEN_MACROS))
def test_a_macro_is_found_whatever_its_part_is_called(name):
    data = HIDDEN_MACROS[name]()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert not any("vba" in part.lower() for part in archive.namelist())
        assert active_parts(archive)
    with pytest.raises(SheetError) as refused:
        read_workbook(data)
    assert "含有宏" in refused.value.message


@pytest.mark.parametrize("name", list(HIDDEN_MACROS))
def test_the_ledger_refuses_them_as_evidence(name):
    upload = SimpleUploadedFile("台账.xlsx", HIDDEN_MACROS[name](), content_type="application/octet-stream")
    with pytest.raises(evidence.Refused) as refused:
        evidence.check([upload])
    assert "含有宏" in refused.value.message and "台账.xlsx" in refused.value.message


def test_what_excel_itself_writes_beside_a_workbook_passes():
    """Printer settings are binary parts of plain workbooks; they are no macro."""
    data = workbook(
        add={"xl/printerSettings/printerSettings1.bin": b"\x00\x01" * 200},
        types=[f'<Override PartName="/xl/printerSettings/printerSettings1.bin" ContentType="{PRINTER}"/>'],
    )
    assert read_workbook(data).errors == []
    upload = SimpleUploadedFile("台账.xlsx", data, content_type="application/octet-stream")
    assert evidence.check([upload])[0].content_type == evidence.XLSX


# The size of a request ------------------------------------------------------------------------


class Body(io.RawIOBase):
    """A request body of SIZE bytes, made up as it is read; counts what was read."""

    def __init__(self, size):
        self.size, self.read_bytes = size, 0

    def readable(self):
        return True

    def readinto(self, buffer):
        n = min(len(buffer), self.size - self.read_bytes)
        buffer[:n] = b"x" * n
        self.read_bytes += n
        return n


def post_declaring(client, url, size, **extra):
    body = Body(size)
    response = client.generic(
        "POST",
        url,
        b"",
        content_type="multipart/form-data; boundary=BoUnDaRy",
        CONTENT_LENGTH=str(size),
        **{"wsgi.input": body},
        **extra,
    )
    return response, body


def test_a_50_mb_workbook_is_refused_before_it_is_read(cast, client):
    client.force_login(cast.filer)
    plan = open_team_document(cast.committee, cast.filer)
    items = plan.items.count()
    url = reverse("plans:import", args=[plan.pk])
    response, body = post_declaring(client, url, 50 * 1024 * 1024, HTTP_REFERER=f"http://testserver{url}")
    assert response.status_code == 413
    page = response.content.decode()
    assert "文件超过 5 MB，没有上传" in page
    assert f'href="http://testserver{url}">返回上一页' in page  # back to the upload form
    assert body.read_bytes == 0
    assert not Import.objects.exists() and plan.items.count() == items
    # Sent from elsewhere: no way back there.
    response, _body = post_declaring(client, url, 50 * 1024 * 1024, HTTP_REFERER="http://evil.example/")
    assert response.status_code == 413 and "返回上一页" not in response.content.decode()


def test_evidence_beyond_what_a_report_takes_is_refused_before_it_is_read(cast, leaders, client, settings):
    plan = approved(filled_team_plan(cast), by=cast.filer)
    entry = Entry.objects.filter(document=plan).order_by("position").first()
    client.force_login(cast.filer)
    limit = EVIDENCE_MAX_FILES * settings.LEDGER_EVIDENCE_MAX_BYTES
    response, body = post_declaring(client, reverse("ledger:report", args=[entry.pk]), limit + 1024 * 1024)
    assert response.status_code == 413
    assert re.search(r"文件超过 \d+ MB", response.content.decode())
    assert body.read_bytes == 0
    entry.refresh_from_db()
    assert not entry.reports.exists()


def test_a_file_sent_where_none_is_taken_is_refused_before_it_is_read(cast, client):
    """A view that takes no files takes no more than a form (DATA_UPLOAD_MAX_MEMORY_SIZE)."""
    client.force_login(cast.member)
    plan = filled_team_plan(cast)
    item = plan.items.first()
    text = item.text
    response, body = post_declaring(
        client, reverse("plans:item_save", args=[item.pk]), 50 * 1024 * 1024, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 413
    assert "这次提交的内容太多（超过 2.5 MB）" in response.content.decode()
    assert body.read_bytes == 0
    item.refresh_from_db()
    assert item.text == text
