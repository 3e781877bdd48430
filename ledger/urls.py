from django.urls import path

app_name = "ledger"

# One measure, a document's ledger, my measures, the verifier's queue (views/entries.py).
entry_patterns = []

# Overdue and escalated measures (views/chase.py).
chase_patterns = []

# A region's ledger and its Excel (views/region.py).
region_patterns = []

urlpatterns = [*entry_patterns, *chase_patterns, *region_patterns]
