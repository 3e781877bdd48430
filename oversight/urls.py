from django.urls import path

from .views import bulletins, checks, findings

app_name = "oversight"

urlpatterns = [
    path("oversight/", checks.index, name="index"),
    path("oversight/checks/new/", checks.new, name="new"),
    path("oversight/checks/<int:pk>/", checks.detail, name="check"),
    path("oversight/checks/<int:pk>/pick/", checks.pick, name="pick"),
    path("oversight/checks/<int:pk>/unpick/", checks.unpick, name="unpick"),
    path("oversight/checks/<int:pk>/close/", checks.close, name="close"),
    path("oversight/checks/<int:pk>/export/", checks.export, name="check_export"),
    path("oversight/checks/<int:pk>/findings/", findings.record, name="record"),
    path("oversight/findings/<int:pk>/answer/", findings.answer, name="answer"),
    path("oversight/findings/<int:pk>/decide/", findings.decide, name="decide"),
    path("oversight/bulletins/", bulletins.index, name="bulletins"),
    path("oversight/bulletins/new/", bulletins.edit, name="bulletin_new"),
    path("oversight/bulletins/<int:pk>/", bulletins.detail, name="bulletin"),
    path("oversight/bulletins/<int:pk>/edit/", bulletins.edit, name="bulletin_edit"),
    path("oversight/bulletins/<int:pk>/issue/", bulletins.issue, name="bulletin_issue"),
    path("oversight/bulletins/<int:pk>/pdf/", bulletins.pdf, name="bulletin_pdf"),
]
