from django.urls import path

from .views import manage, public

app_name = "publication"

urlpatterns = [
    path("documents/<id:pk>/publish/", manage.publish, name="publish"),
    path("publications/<id:pk>/withdraw/", manage.withdraw, name="withdraw"),
    path("public/", public.index, name="public"),
    path("public/<id:pk>/", public.document, name="public_document"),
    path("public/<id:pk>/pdf/", public.document_pdf, name="public_pdf"),
    path("public/<id:pk>/notice/", public.notice_pdf, name="public_notice"),
]
