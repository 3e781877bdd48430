from django.urls import path

from .views import editor, files, imports, register, team

app_name = "plans"

urlpatterns = [
    path("teams/<int:pk>/documents/", team.team_documents, name="team_documents"),
    path("teams/<int:pk>/documents/open/", team.open_team, name="open_team"),
    path("teams/<int:pk>/people/<int:person>/measures/", team.open_measures, name="open_measures"),
    path("teams/<int:pk>/register/", register.register, name="register"),
    path("inputs/<int:pk>/save/", register.input_save, name="input_save"),
    path("inputs/<int:pk>/delete/", register.input_delete, name="input_delete"),
    path("documents/<int:pk>/", editor.document_page, name="document"),
    path("documents/<int:pk>/checklist/", editor.checklist_part, name="checklist"),
    path("documents/<int:pk>/header/", editor.header_save, name="header_save"),
    path("documents/<int:pk>/items/add/", editor.item_add, name="item_add"),
    path("documents/<int:pk>/export.xlsx", files.export, name="export"),
    path("documents/<int:pk>/print.pdf", files.pdf, name="pdf"),
    # Importing a spreadsheet (plans/views/imports.py): upload, then the import's own page.
    path("documents/<int:pk>/import/", imports.import_sheet, name="import"),
    path("documents/<int:pk>/import/template.xlsx", imports.import_template, name="import_template"),
    path("documents/<int:pk>/imports/<int:import_pk>/", imports.import_page, name="import_page"),
    path(
        "documents/<int:pk>/imports/<int:import_pk>/progress/",
        imports.import_progress,
        name="import_progress",
    ),
    path(
        "documents/<int:pk>/imports/<int:import_pk>/confirm/", imports.import_confirm, name="import_confirm"
    ),
    path("items/<int:pk>/", editor.item_part, name="item_part"),
    path("items/<int:pk>/save/", editor.item_save, name="item_save"),
    path("items/<int:pk>/move/", editor.item_move, name="item_move"),
    path("items/<int:pk>/delete/", editor.item_delete, name="item_delete"),
    path("items/<int:pk>/picker/<str:name>/", editor.picker_part, name="item_picker"),
]
