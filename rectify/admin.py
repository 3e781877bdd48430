"""The admin's page of the print faces: which face serves each role of the printed
documents here, and where a fallback stands in (the same as `manage.py check_fonts`);
and the admin of what is only looked at here (LookOnly)."""

from django.contrib import admin
from django.shortcuts import render
from django.utils.translation import gettext as _

from . import fonts

admin.site.index_template = "admin/rectify_index.html"


class LookOnly(admin.ModelAdmin):
    """Every field shown, none editable; nothing added or deleted: for what changes only
    through the pages (a document, oversight's records) or never (the audit)."""

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields] + [
            field.name for field in self.model._meta.many_to_many
        ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
