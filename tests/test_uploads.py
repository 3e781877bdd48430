"""Hostile uploads: macros under other names.

A workbook's macros, ActiveX controls and embedded objects are found by what the file
declares and what its parts hold, whatever the parts are called; the import and the
ledger's evidence both refuse them."""

import io
import os
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ledger import evidence
from plans.sheets.layout import SheetError
from plans.sheets.reading import read_workbook
from rectify.ooxml import OLE2, active_parts

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
