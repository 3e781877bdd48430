from django.urls import path

from .views import bulletins, checks, findings

app_name = "oversight"

urlpatterns = [
    path("oversight/", checks.index, name="index"),
    path("oversight/checks/new/", checks.new, name="new"),
    path("oversight/checks/<id:pk>/", checks.detail, name="check"),
    path("oversight/checks/<id:pk>/pick/", checks.pick, name="pick"),
    path("oversight/checks/<id:pk>/unpick/", checks.unpick, name="unpick"),
    path("oversight/checks/<id:pk>/close/", checks.close, name="close"),
    path("oversight/checks/<id:pk>/export/", checks.export, name="check_export"),
    path("oversight/checks/<id:pk>/findings/", findings.record, name="record"),
    path("oversight/findings/<id:pk>/answer/", findings.answer, name="answer"),
    path("oversight/findings/<id:pk>/decide/", findings.decide, name="decide"),
    path("oversight/bulletins/", bulletins.index, name="bulletins"),
    path("oversight/bulletins/new/", bulletins.edit, name="bulletin_new"),
    path("oversight/bulletins/<id:pk>/", bulletins.detail, name="bulletin"),
    path("oversight/bulletins/<id:pk>/edit/", bulletins.edit, name="bulletin_edit"),
    path("oversight/bulletins/<id:pk>/issue/", bulletins.issue, name="bulletin_issue"),
    path("oversight/bulletins/<id:pk>/pdf/", bulletins.pdf, name="bulletin_pdf"),
]
