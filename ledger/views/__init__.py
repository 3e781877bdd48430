"""The ledger's pages: entries (one measure, its reports and the verifier's decision; a
document's ledger; my measures), chase (what is overdue and escalated), region (a region's
ledger and its Excel)."""
