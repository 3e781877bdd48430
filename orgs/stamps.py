"""What a process may keep between requests: values computed from rows of the database,
kept for as long as the database's token of those rows (orgs.models.Stamp) is the one
read before computing them. Database triggers replace the token whenever one of its rows
is written, by any path, so every server of a deployment sees a change at once, and what
it kept under the old token is never read again (see rectify/settings.py, CACHES:
nothing is kept in one process that the database does not vouch for).

    KEPT = Kept(size=4096)
    reach = KEPT.get(user.pk, token(GRANTS), lambda: read_reach(user))

The token is read first: what is computed after it is at least as new as the token, and
a change committed in between only makes the kept value newer than its key. Reading the
token is one query by primary key; without its row (a flushed test database), nothing is
kept.
"""

import threading
from collections import OrderedDict

from django.db import DEFAULT_DB_ALIAS, connections

# Who holds what: the grants, memberships, bodies, positions, accounts and the tree's
# shape a user's reach and an authority's holders are read from (migration 0005_stamp
# lists the tables and columns).
GRANTS = "grants"


def token(name, using=DEFAULT_DB_ALIAS):
    """The current token NAME of database USING, as a key part, or None (nothing may be kept)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute("SELECT token FROM orgs_stamp WHERE name = %s", [name])
        row = cursor.fetchone()
    return None if row is None else (using, connection.settings_dict["NAME"], row[0])


_every = []


class Kept:
    """At most SIZE values, each under a key and the token it was computed after; the
    least recently read is dropped first. Shared by a process's threads."""

    def __init__(self, size):
        self.size = size
        self.values = OrderedDict()
        self.lock = threading.Lock()
        _every.append(self)

    def get(self, key, stamp, compute):
        """The value kept for KEY under STAMP, or COMPUTE()'s, kept (STAMP None: never kept)."""
        if stamp is None:
            return compute()
        full = (stamp, key)
        with self.lock:
            if full in self.values:
                self.values.move_to_end(full)
                return self.values[full]
        value = compute()
        with self.lock:
            self.values[full] = value
            while len(self.values) > self.size:
                self.values.popitem(last=False)
        return value

    def clear(self):
        with self.lock:
            self.values.clear()


def forget_all():
    """Drop what every Kept of this process holds, as a new process would start (the
    tests do, so that what a test counts does not depend on the tests before it)."""
    for kept in _every:
        kept.clear()
