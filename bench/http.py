"""A browser for make bench: one keep-alive HTTP connection to the server under test,
a user's session cookie and a CSRF token, and the time each answer takes to arrive
whole. Sessions are made in the database (session_for), never by logging in: a login
hashes the password, which is not what the figures are about.
"""

import http.client
import time
from urllib.parse import urlencode

CSRF = "benchcsrfbenchcsrfbenchcsrfbench"  # 32 characters: an unmasked CSRF secret


def percentile(samples, fraction):
    """The FRACTION-th of SAMPLES (nearest rank): 0.5 the median, 0.95 the p95."""
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))
    return round(ordered[index], 2)


def session_for(user):
    """A new session key in which USER is signed in, as the login view would leave it."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils.module_loading import import_string

    store = import_string(settings.SESSION_ENGINE + ".SessionStore")()
    store[SESSION_KEY] = str(user.pk)
    # The backend that signs people in and reads them back (axes' comes first in the
    # list, but only refuses locked-out logins and reads nobody back).
    store[BACKEND_SESSION_KEY] = next(
        path for path in settings.AUTHENTICATION_BACKENDS if hasattr(import_string(path), "get_user")
    )
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def cookie_header(session_key):
    from django.conf import settings

    parts = [f"{settings.CSRF_COOKIE_NAME}={CSRF}"]
    if session_key:
        parts.append(f"{settings.SESSION_COOKIE_NAME}={session_key}")
    return "; ".join(parts)


class Browser:
    def __init__(self, port, session_key=None):
        self.port = port
        self.cookie = cookie_header(session_key)
        self.connection = None

    def _connect(self):
        self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)

    def request(self, method, url, form=None):
        """(status, body bytes, milliseconds) of one request, on the kept connection."""
        headers = {"Cookie": self.cookie, "Host": "127.0.0.1"}
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = CSRF
        for attempt in (1, 2):
            if self.connection is None:
                self._connect()
            started = time.perf_counter()
            try:
                self.connection.request(method, url, body=body, headers=headers)
                response = self.connection.getresponse()
                content = response.read()
            except (http.client.HTTPException, ConnectionError):
                # The server closed a kept connection (a worker recycled): open a new one.
                self.connection.close()
                self.connection = None
                if attempt == 2:
                    raise
                continue
            elapsed = (time.perf_counter() - started) * 1000
            if response.getheader("Connection", "").lower() == "close":
                self.connection.close()
                self.connection = None
            return response.status, content, elapsed
        raise AssertionError("unreachable")

    def get(self, url):
        return self.request("GET", url)

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None
