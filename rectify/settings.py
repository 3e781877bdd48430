"""Settings for Rectify (整改方案填报审阅系统).

Everything that differs between a laptop and a production intranet comes from the
environment; see README.md for the list. Without any variable set, the product runs
in development mode on a SQLite file beside this directory.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# `make demo` (DEMO=1) runs as production does, with DEBUG off, so that a user meets the
# product's own Chinese 404 and 500 pages and never Django's technical ones; but on this
# machine over plain HTTP, with a key of its own, mail to the console and static files
# read straight from static/ (WhiteNoise's finders, no collectstatic).
DEMO = env_bool("DEMO", False)
DEBUG = env_bool("DEBUG", not DEMO)
LOCAL = DEBUG or DEMO  # served from this machine for development or the demo

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not LOCAL:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "demo-only-key-not-for-production" if DEMO else "development-only-key-not-for-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if LOCAL else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
CSRF_FAILURE_VIEW = "rectify.views.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "mptt",
    "guardian",
    "django_htmx",
    "django_tasks_db",
    "rectify",
    "orgs",
    "audit",
    "plans",
    "review",
    "oversight",
    "ledger",
    "publication",
    "dashboard",
    "devdata",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before everything that answers an htmx request differently: CSRF's failure view,
    # LoginRequired and the 403 handler read request.htmx.
    "django_htmx.middleware.HtmxMiddleware",
    # Gives an empty refusal (require_POST's 405) its reason in Chinese; renders the page
    # with the user the later middleware found.
    "rectify.middleware.RefusalsSayWhy",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before CSRF, which reads the form first: a request over DATA_UPLOAD_MAX_MEMORY_SIZE,
    # or over the upload limit of a view that takes files, is refused in Chinese by the
    # length it declares, before its body is read.
    "rectify.middleware.RequestTooBig",
    # Before anything reads the address or the form: NUL or control characters are a 400.
    "rectify.middleware.UnreadableInput",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "rectify.middleware.LoginRequired",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After messages, so that the sign-out it makes can say why on the login page; before
    # the view (LoginRequired checks in process_view, after every middleware's request part).
    "rectify.middleware.IdleTimeout",
    "rectify.middleware.NoStoreWhenSignedIn",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a locked-out login into our Chinese page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "rectify.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dashboard.context_processors.dashboard",
            ],
        },
    },
]

WSGI_APPLICATION = "rectify.wsgi.application"

# Connections. A web worker keeps its connection for CONN_MAX_AGE seconds instead of
# opening one per request (a PostgreSQL connection costs a fork and an authentication,
# milliseconds on every request otherwise), and checks it before the first query of each
# request (CONN_HEALTH_CHECKS): a connection PostgreSQL dropped (a restart, a failover, an
# idle timeout) is replaced there and then, so a restart of the database costs no request
# an error. Ten minutes bounds how long one PostgreSQL backend lives and grows (its
# catalogue and plan caches); the check costs a round trip per request, far less than a
# new connection. The development server and the tests' live server open a connection
# per request thread whatever this says.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "600")),
        conn_health_checks=env_bool("CONN_HEALTH_CHECKS", True),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Many people save drafts at once: WAL lets readers go on while one writer
    # writes, and IMMEDIATE transactions queue writers instead of failing them.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Tests get a file too, not shared-cache memory: the browser tests' live server
    # answers several requests at once, and shared-cache memory fails them with
    # "table is locked" where a file would wait.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / f".test-db-{os.getpid()}.sqlite3")}
elif env_bool("DATABASE_PREPARED", True):
    # A kept connection asks the same few hundred queries over and over, and PostgreSQL
    # plans each one again every time: a document's or an inbox's joins of eight tables
    # cost 3–4 ms of planning for well under 1 ms of work. Parameters sent apart from the
    # query (server-side binding) let psycopg prepare a query the fifth time it is asked
    # on a connection, after which PostgreSQL keeps its plan. Not behind a pooler in
    # transaction mode (PgBouncer without prepared-statement support): set
    # DATABASE_PREPARED=0 there.
    # Added to what DATABASE_URL's query gave (?sslmode=require …), not in its place.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"server_side_binding": True, "prepare_threshold": 5}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The largest form a request may carry, files apart (Django's own default, said here
# because the editor reads it: it refuses to send more and says so before it would).
# The longest text a row may hold (plans/forms.py TEXT_LIMITS) is far below it; a
# pasted register column of a thousand opinions fits. Files have their own limit
# (plans/sheets/layout.py MAX_BYTES).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out account or address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "rectify.auth.Backend",
    "guardian.backends.ObjectPermissionBackend",
]
# Guardian's anonymous user would be one more account to explain; nobody anonymous
# may see anything here.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lockout (django-axes). LOGIN_FAILURE_LIMIT wrong passwords for one account, from wherever
# they come, or from one address, whichever accounts they name, lock that account or that
# address out of the login form until LOGIN_LOCKOUT_MINUTES pass without another try (each
# try while locked starts the wait again). The admin unlocks at once by deleting the
# attempt (系统管理 → 访问尝试). Every failure is kept (访问失败) and logged as a warning with
# who and from where, every sign-in and sign-out too (访问日志). A success does not clear
# the count: one account's right password would otherwise clear its address's count for
# every other account tried from there. The address is REMOTE_ADDR: behind a proxy that
# does not hand the client's own address to the server, everybody shares the proxy's
# address and its lockout (README: 生产部署).
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_CALLABLE = "rectify.auth.locked_out"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_RESET_ON_SUCCESS = False
# The log names the account and the address (django-axes hides them by default); the
# password is never written.
AXES_SENSITIVE_PARAMETERS = []

# A signed-in session ends after SESSION_IDLE_MINUTES without a request (rectify.middleware
# .IdleTimeout), and in any case SESSION_COOKIE_AGE after its last change (below).
SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "30"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The interface is Chinese whatever the browser asks for: no LocaleMiddleware. Labels
# go through gettext, so an English catalogue (and the middleware) can follow.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("英文"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if LOCAL
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Development, the demo and the tests serve static files straight from static/;
# production from STATIC_ROOT after collectstatic.
WHITENOISE_USE_FINDERS = LOCAL
WHITENOISE_AUTOREFRESH = LOCAL
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# The licensed faces an office owns (仿宋_GB2312, 方正小标宋简体, 黑体, 楷体_GB2312), which the
# product may not ship: the prints use the font files of this directory before the free
# faces (rectify/fonts.py, `manage.py check_fonts`).
FONT_DIR = os.environ.get("RECTIFY_FONT_DIR", "")

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Mail: notifications go out through the intranet's SMTP relay in production and
# to the console in development.
MAILERS = {
    "default": {
        "BACKEND": os.environ.get(
            "EMAIL_BACKEND",
            "django.core.mail.backends.console.EmailBackend"
            if LOCAL
            else "django.core.mail.backends.smtp.EmailBackend",
        ),
        "OPTIONS": {},
    }
}
if MAILERS["default"]["BACKEND"].endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": os.environ.get("EMAIL_HOST", "localhost"),
        "port": int(os.environ.get("EMAIL_PORT", "25")),
        "username": os.environ.get("EMAIL_HOST_USER", ""),
        "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", False),
        "use_ssl": env_bool("EMAIL_USE_SSL", False),
        "timeout": 20,
    }
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "rectify@localhost")

# Work that follows a change (notifications, mail) runs after the transaction commits, on
# the tasks worker: `manage.py db_worker` takes it from a queue in our own database, so a
# slow mail server never holds up a request. `make demo` starts a worker beside the web
# server; production runs one as a service (README). The tests run tasks at once.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# How long an answer to a creating request is kept (rectify.models.Sent), so that the same
# request sent again is answered as the first was and creates nothing more. A repeat
# comes within moments (a double click, a browser's retry, the reload of an answer) or
# when a page that lost its connection sends again; it carries a key that lives only in
# that page, so a week covers a page left open over the longest holiday (国庆's seven
# days) and sent on return. Older answers are pruned on the tasks worker (rectify.once).
ONCE_RETENTION_DAYS = int(os.environ.get("ONCE_RETENTION_DAYS", "7"))

# The dashboard (督导看板) marks a step that has waited more than this many days.
DASHBOARD_OVERDUE_DAYS = int(os.environ.get("DASHBOARD_OVERDUE_DAYS", "7"))

# The ledger (整改台账): a measure with a standing deadline (长期坚持) reports every
# LEDGER_STANDING_INTERVAL_DAYS days; its owner is reminded LEDGER_REMIND_DAYS days before
# a deadline; LEDGER_ESCALATE_DAYS days past it, the measure is escalated (督办) to the
# body above. An evidence file may be up to LEDGER_EVIDENCE_MAX_BYTES.
LEDGER_STANDING_INTERVAL_DAYS = int(os.environ.get("LEDGER_STANDING_INTERVAL_DAYS", "90"))
LEDGER_REMIND_DAYS = int(os.environ.get("LEDGER_REMIND_DAYS", "7"))
LEDGER_ESCALATE_DAYS = int(os.environ.get("LEDGER_ESCALATE_DAYS", "15"))
LEDGER_EVIDENCE_MAX_BYTES = int(os.environ.get("LEDGER_EVIDENCE_MAX_BYTES", str(10 * 1024 * 1024)))
# A region's ledger of up to this many measures (a county's) is exported as Excel in the
# request; a larger one (a city, the province) on the tasks worker, the page showing progress.
LEDGER_EXPORT_INLINE_ROWS = int(os.environ.get("LEDGER_EXPORT_INLINE_ROWS", "5000"))

# Security. Production defaults are the strict ones; an intranet that serves plain
# HTTP behind no proxy turns them off explicitly (see README).
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("SECURE_PROXY_SSL_HEADER", False) else None
)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not LOCAL)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not LOCAL)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not LOCAL)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if LOCAL else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not LOCAL)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not LOCAL)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(12 * 3600)))

# Content-Security-Policy (Django's ContentSecurityPolicyMiddleware). Everything a page
# loads comes from here (the product runs on an intranet): scripts only from our own files,
# never inline, never eval (tests/test_templates.py keeps the templates so; htmx is told
# not to evaluate anything, in base.html's htmx-config). Styles: style sheets only from our
# own files, and no <style> element (htmx is told not to add its own); style="…" attributes
# are allowed (style-src-attr), because the admin's tree indents by them (django-mptt), the
# dashboard's chart tooltips colour their markers by them (ECharts) and the diff sets a
# column's width by one. An attribute cannot fetch from another origin (img-src and font-src
# are our own), run script or select other elements, which is what injected CSS is used for;
# browsers without style-src-attr fall back to style-src and drop those few looks.
# Images: our own and data: (Bootstrap's stylesheet draws its icons as data: SVG).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "style-src-elem": [CSP.SELF],
    "style-src-attr": [CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# The public site (/public/, publication/views/public.py): a visitor's address may ask for
# PUBLIC_RATE_LIMIT pages a minute (more are answered 429); each page is cached and marked
# cacheable for PUBLIC_CACHE_SECONDS (a publish or withdraw is read at once all the same).
PUBLIC_RATE_LIMIT = int(os.environ.get("PUBLIC_RATE_LIMIT", "120"))
PUBLIC_CACHE_SECONDS = int(os.environ.get("PUBLIC_CACHE_SECONDS", "300"))

# More than one server (README: 多台服务器部署). Nothing is kept in one process: sessions,
# locks and the queue are rows of the database, files go through the storage, and the
# cache is a table of the database too, so every server reads what another wrote (the
# public site's pages, the dashboard's figures). Its table is made by a migration
# (rectify/migrations). One get is one query by primary key; a set also counts the table
# to keep it under MAX_ENTRIES (culling a third of it past that). A process keeps in
# memory only what the database vouches for: the users' reaches and the documents'
# routes, under a token its triggers replace on every change they depend on
# (orgs/stamps.py).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "rectify_cache",
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("CACHE_MAX_ENTRIES", "10000")), "CULL_FREQUENCY": 3},
    }
}
# The tasks worker shows it is alive by a heartbeat, a task that records its time every
# HEARTBEAT_SECONDS and queues the next (rectify/heartbeat.py); /healthz says the worker
# has stopped when the last beat is older than HEARTBEAT_STALE_SECONDS.
HEARTBEAT_SECONDS = int(os.environ.get("HEARTBEAT_SECONDS", "60"))
HEARTBEAT_STALE_SECONDS = int(os.environ.get("HEARTBEAT_STALE_SECONDS", "300"))
# A load balancer asks /healthz over plain HTTP on the server's own port.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
