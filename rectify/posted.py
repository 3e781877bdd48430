"""What a form posts, read as the transitions expect it, never a 500.

number("42") -> 42; number("abc"), number("9" * 30), number(None) -> None
revision(request)          -> the posted revision, or -1 (which no row has: Stale)
revision(request, "after") -> the same for another field
"""


def number(value):
    """A row id from a form, or None for anything that is not one (which then finds
    nothing: a 404, or a refusal that says so)."""
    value = str(value or "").strip()
    if value.isdigit() and len(value) < 19:
        return int(value)
    return None


def revision(request, name="revision"):
    """The revision the page showed (REQUEST.POST[NAME]), or -1 when it sent none that
    reads: the transition then finds the row moved on and says so."""
    found = number(request.POST.get(name))
    return -1 if found is None else found
