from django.urls import path

from .views import chase, entries

app_name = "ledger"

# One measure, a document's ledger, my measures, the verifier's queue (views/entries.py).
entry_patterns = [
    path("documents/<int:pk>/ledger/", entries.document_ledger, name="document"),
    path("ledger/entries/<int:pk>/", entries.entry, name="entry"),
    path("ledger/entries/<int:pk>/report/", entries.report, name="report"),
    path("ledger/entries/<int:pk>/close/", entries.close, name="close"),
    path("ledger/entries/<int:pk>/send-back/", entries.send_back, name="send_back"),
    path("ledger/evidence/<uuid:uid>/", entries.evidence, name="evidence"),
    path("ledger/mine/", entries.mine, name="mine"),
    path("ledger/verify/", entries.to_verify, name="verify"),
]

# Overdue and escalated measures (views/chase.py).
chase_patterns = [
    path("ledger/overdue/", chase.overdue_list, name="overdue"),
]

# A region's ledger and its Excel (views/region.py).
region_patterns = []

urlpatterns = [*entry_patterns, *chase_patterns, *region_patterns]
