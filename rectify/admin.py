"""The admin's page of the print faces: which face serves each role of the printed
documents here, and where a fallback stands in (the same as `manage.py check_fonts`)."""

from django.contrib import admin
from django.shortcuts import render
from django.utils.translation import gettext as _

from . import fonts

admin.site.index_template = "admin/rectify_index.html"


def fonts_page(request):
    faces = fonts.faces_in_child()  # the web process loads no WeasyPrint
    directory = fonts.font_directory()
    return render(
        request,
        "admin/rectify_fonts.html",
        {
            **admin.site.each_context(request),
            "title": _("打印字体"),
            "faces": faces,
            "directory": directory,
            "directory_missing": directory is not None and not directory.is_dir(),
            "file_count": len(fonts.font_files()),
            "fallbacks": sum(face.fallback for face in faces),
        },
    )
