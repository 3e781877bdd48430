"""Ids and revisions as a request names them, read as the views expect them, never a 500.

number("42") -> 42; number("abc"), number("9" * 30), number(None) -> None
revision(request)          -> the posted revision, or -1 (which no row has: Stale)
revision(request, "after") -> the same for another field
<id:pk> in a URL pattern   -> the same reading of the path: what is not an id is a 404

An id has at most 18 digits, so it always fits the database's 64-bit integer: a longer
one (99999999999999999999999) would overflow it (SQLite's driver raises OverflowError)
and answer 500 instead of "not found".
"""

ID_DIGITS = 18


def number(value):
    """A row id from a form or a query, or None for anything that is not one (which then
    finds nothing: a 404, or a refusal that says so)."""
    value = str(value or "").strip()
    if value.isdigit() and value.isascii() and len(value) <= ID_DIGITS:
        return int(value)
    return None


def revision(request, name="revision"):
    """The revision the page showed (REQUEST.POST[NAME]), or -1 when it sent none that
    reads: the transition then finds the row moved on and says so."""
    found = number(request.POST.get(name))
    return -1 if found is None else found


class IdConverter:
    """Django's <int:…> with the length of an id: a path with a longer number matches no
    pattern, and the resolver answers 404 (the page that says it does not exist) before
    any view or query sees it. Registered as "id" in RectifyConfig.ready()."""

    regex = f"[0-9]{{1,{ID_DIGITS}}}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)
