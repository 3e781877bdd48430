from django.urls import path

from .views import chase

app_name = "ledger"

# One measure, a document's ledger, my measures, the verifier's queue (views/entries.py).
entry_patterns = []

# Overdue and escalated measures (views/chase.py).
chase_patterns = [
    path("ledger/overdue/", chase.overdue_list, name="overdue"),
]

# A region's ledger and its Excel (views/region.py).
region_patterns = []

urlpatterns = [*entry_patterns, *chase_patterns, *region_patterns]
