"""The public list of a city (公开: what section 七 publishes) for make bench.

MERGE: the publication engineer fills measure() in at the merge, as bench/ledger.py
measures the county ledger: measure(client, timed, floor_ms) -> {name: figures} of the
page of one city's public list, or None while there is no such page. The bench writes
what it returns under "scale" → "public" and leaves it out when it is None.
"""


def measure(client, timed, floor_ms):
    return None
