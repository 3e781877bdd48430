from django.urls import path

from .views import manage, public

app_name = "publication"

urlpatterns = [
    path("documents/<int:pk>/publish/", manage.publish, name="publish"),
    path("publications/<int:pk>/withdraw/", manage.withdraw, name="withdraw"),
    path("public/", public.index, name="public"),
    path("public/<int:pk>/", public.document, name="public_document"),
    path("public/<int:pk>/pdf/", public.document_pdf, name="public_pdf"),
    path("public/<int:pk>/notice/", public.notice_pdf, name="public_notice"),
]
