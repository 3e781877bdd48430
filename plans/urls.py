from django.urls import path

from .views import editor, files, imports, register, team

app_name = "plans"

urlpatterns = [
    path("teams/<id:pk>/documents/", team.team_documents, name="team_documents"),
    path("teams/<id:pk>/documents/open/", team.open_team, name="open_team"),
    path("teams/<id:pk>/people/<id:person>/measures/", team.open_measures, name="open_measures"),
    path("teams/<id:pk>/register/", register.register, name="register"),
    path("inputs/<id:pk>/save/", register.input_save, name="input_save"),
    path("inputs/<id:pk>/delete/", register.input_delete, name="input_delete"),
    path("documents/<id:pk>/", editor.document_page, name="document"),
    path("documents/<id:pk>/checklist/", editor.checklist_part, name="checklist"),
    path("documents/<id:pk>/header/", editor.header_save, name="header_save"),
    path("documents/<id:pk>/items/add/", editor.item_add, name="item_add"),
    path("documents/<id:pk>/export.xlsx", files.export, name="export"),
    path("documents/<id:pk>/print.pdf", files.pdf, name="pdf"),
    # Importing a spreadsheet (plans/views/imports.py): upload, then the import's own page.
    path("documents/<id:pk>/import/", imports.import_sheet, name="import"),
    path("documents/<id:pk>/import/template.xlsx", imports.import_template, name="import_template"),
    path("documents/<id:pk>/imports/<id:import_pk>/", imports.import_page, name="import_page"),
    path(
        "documents/<id:pk>/imports/<id:import_pk>/progress/",
        imports.import_progress,
        name="import_progress",
    ),
    path("documents/<id:pk>/imports/<id:import_pk>/confirm/", imports.import_confirm, name="import_confirm"),
    path("items/<id:pk>/", editor.item_part, name="item_part"),
    path("items/<id:pk>/save/", editor.item_save, name="item_save"),
    path("items/<id:pk>/move/", editor.item_move, name="item_move"),
    path("items/<id:pk>/delete/", editor.item_delete, name="item_delete"),
    path("items/<id:pk>/picker/<str:name>/", editor.picker_part, name="item_picker"),
]
