from django.urls import path

from .views import chase, entries, region

app_name = "ledger"

# One measure, a document's ledger, my measures, the verifier's queue (views/entries.py).
entry_patterns = [
    path("documents/<id:pk>/ledger/", entries.document_ledger, name="document"),
    path("ledger/entries/<id:pk>/", entries.entry, name="entry"),
    path("ledger/entries/<id:pk>/report/", entries.report, name="report"),
    path("ledger/entries/<id:pk>/close/", entries.close, name="close"),
    path("ledger/entries/<id:pk>/send-back/", entries.send_back, name="send_back"),
    path("ledger/evidence/<uuid:uid>/", entries.evidence, name="evidence"),
    path("ledger/mine/", entries.mine, name="mine"),
    path("ledger/verify/", entries.to_verify, name="verify"),
]

# Overdue and escalated measures (views/chase.py).
chase_patterns = [
    path("ledger/overdue/", chase.overdue_list, name="overdue"),
]

# A region's ledger and its Excel (views/region.py); one document's ledger as Excel, for
# the document's ledger page to link to.
region_patterns = [
    path("ledger/region/<str:code>/", region.region_ledger, name="region"),
    path("ledger/region/<str:code>/ledger.xlsx", region.region_export, name="region_export"),
    path("ledger/region/<str:code>/exports/", region.region_exports, name="region_exports"),
    path("ledger/region/<str:code>/exports/new/", region.region_export_queue, name="region_export_queue"),
    path("ledger/exports/<id:pk>.xlsx", region.export_download, name="export_download"),
    path("ledger/document/<id:pk>/ledger.xlsx", region.document_export, name="document_export"),
]

urlpatterns = [*entry_patterns, *chase_patterns, *region_patterns]
