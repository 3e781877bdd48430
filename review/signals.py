"""What review announces to the apps above it, which it may not import.

`approved(sender=Review, document=…, actor=…)` is sent inside the transaction that
approves a document (its last review step decided), so what a receiver writes commits or
rolls back with the approval.
"""

from django.dispatch import Signal

approved = Signal()
