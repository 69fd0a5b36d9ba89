"""Settings for the immunotherapy portal: one module, driven by environment variables.

Development needs nothing set: DEBUG defaults on, the database is an embedded SQLite file
and mail goes to the console. Production sets DEBUG=0, SECRET_KEY, ALLOWED_HOSTS,
DATABASE_URL, SITE_URL and a mail backend (SMTP_HOST, or MAIL_BACKEND); with DEBUG off the
process refuses to start, with a one-line reason, while any of them is missing.
"""

import copy
import datetime
import os
import zoneinfo
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    """Read a yes/no environment variable; unknown spellings are an error, not a guess."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    value = value.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a yes/no value (use 1/0, true/false).")


def env_list(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. With DEBUG off the portal refuses to start without it: "
            "set SECRET_KEY to a long random string (or DEBUG=1 for local development)."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105


def _require_in_production(name: str, why: str) -> None:
    if not DEBUG and not os.environ.get(name, "").strip():
        raise ImproperlyConfigured(f"{name} is not set. With DEBUG off the portal refuses to "
                                   f"start without it: {why}")  # fmt: skip


# The embedded SQLite file, the notification links' base and console mail are development
# defaults; production names each of them (DATABASE_URL=sqlite:///… asks for SQLite).
_require_in_production("DATABASE_URL", "set it to the PostgreSQL database (postgres://…), "
                       "or to sqlite:///<path> to run on SQLite deliberately.")  # fmt: skip
_require_in_production("SITE_URL", "set it to the portal's public address "
                       "(https://…), which notification mail links to.")  # fmt: skip
_MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "").strip()
if not DEBUG and not os.environ.get("SMTP_HOST", "").strip() and not _MAIL_BACKEND:
    raise ImproperlyConfigured(
        "No mail backend is configured. With DEBUG off the portal refuses to start without "
        "one: set SMTP_HOST (and SMTP_PORT, SMTP_USER, SMTP_PASSWORD), or MAIL_BACKEND."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# A refused form on a review link is logged as a use and explained to the outside reviewer.
CSRF_FAILURE_VIEW = "therapies.views.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "markdownx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # The open data API (/api/v1/): its Swagger UI files are served from our static files.
    "ninja",
    "corsheaders",
    "portal",
    "therapies",
]

MIDDLEWARE = [
    # One log line per request, with its id, status, duration and query count.
    "portal.logs.RequestLogMiddleware",
    # Whether this request reads from the read replica (DATABASE_REPLICA_URL).
    "portal.routers.ReplicaMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # 400 for a NUL or other control character in the address, query or a form.
    "portal.middleware.RefuseControlCharactersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # CORS for the open data (GET only: CORS_URLS_REGEX, CORS_ALLOW_METHODS).
    "corsheaders.middleware.CorsMiddleware",
    # The API's per-client rate limit, with RateLimit-* headers; before the page cache, so
    # that cached answers count too.
    "portal.middleware.ApiRateLimitMiddleware",
    # ETag/Last-Modified → 304 for every page; then whole public pages for anonymous
    # readers, before the session, CSRF and auth middleware so a cached page skips them.
    "django.middleware.http.ConditionalGetMiddleware",
    "therapies.pagecache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A second factor for staff (django-otp); REQUIRE_2FA=1 requires it of moderators.
    "django_otp.middleware.OTPMiddleware",
    "portal.two_factor.RequireSecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # The desk's times in EDITORIAL_TIME_ZONE (entered and shown), the public site's in UTC.
    "portal.middleware.EditorialTimeZoneMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # A view refused for going over its rate limit answers 429 (RATELIMIT_VIEW), not 403.
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Locked-out sign-ins answer with templates/registration/locked_out.html (django-axes).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
ASGI_APPLICATION = "portal.asgi.application"

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
                "django.template.context_processors.csp",
                "therapies.pagecache.context",
            ],
        },
    },
]

# DATABASE_URL: postgres://user:pass@host:5432/name switches to PostgreSQL (psycopg 3);
# unset means an embedded SQLite file, so a first run needs no server.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
# PostgreSQL: parameters bound by the server, so that psycopg prepares a statement it has run
# five times on a connection and PostgreSQL stops parsing and planning it on every request
# (a fifth to a third of a detail page's database time, with persistent connections).
# DB_SERVER_SIDE_BINDING=0 goes back to Django's client-side binding, e.g. behind a
# transaction-pooling PgBouncer older than 1.21, which cannot keep prepared statements.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})["server_side_binding"] = env_bool(
        "DB_SERVER_SIDE_BINDING", True
    )
    # A connection pool per process (psycopg_pool through Django), on by default in
    # production: a gunicorn worker runs WEB_THREADS requests at once, so it needs that many
    # connections (DB_POOL_SIZE overrides); workers × size must stay under PostgreSQL's
    # max_connections. A pool replaces persistent connections (CONN_MAX_AGE).
    if env_bool("DB_POOL", not DEBUG):
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        DATABASES["default"]["OPTIONS"]["pool"] = {
            "min_size": 1,
            "max_size": int(os.environ.get("DB_POOL_SIZE") or os.environ.get("WEB_THREADS", "1")),
            # How long a request waits for a connection: while the database is away, pages
            # and /readyz answer within this, rather than hang.
            "timeout": float(os.environ.get("DB_POOL_TIMEOUT", "3")),
        }
    DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", 3)
# A connection kept between requests is checked before reuse, so a restarted database server
# costs one failed check, not one failed request per worker.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A read replica of the primary (a streaming standby): anonymous readers' public pages read
# from it, everything else from the primary (portal/routers.py). Configured like the primary;
# the test database mirrors the primary's.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = {
        **dj_database_url.parse(os.environ["DATABASE_REPLICA_URL"],
                                conn_max_age=DATABASES["default"]["CONN_MAX_AGE"]),
        "OPTIONS": copy.deepcopy(DATABASES["default"].get("OPTIONS", {})),
        "CONN_HEALTH_CHECKS": True,
        "TEST": {"MIRROR": "default"},
    }  # fmt: skip
    DATABASE_ROUTERS = ["portal.routers.ReplicaRouter"]
# How far the replica may lag: a page read from it within this many seconds of a publication
# is served but not put in the page cache (it might not show the publication yet).
REPLICA_MAX_LAG_SECONDS = float(os.environ.get("REPLICA_MAX_LAG_SECONDS", "5"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache: local memory (one per process) by default, Redis when REDIS_URL is set — which
# every deployment with more than one process needs, so that a publication in one process
# (or in the scheduler) invalidates the pages cached by all of them.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "portal.cache.SharedClientRedisCache",  # Django's, one client a pool
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "portal"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    }
# Whole public pages for anonymous readers, invalidated exactly by each publication
# (therapies/pagecache.py). PAGE_CACHE=0 turns it off, for benchmarking and debugging.
PAGE_CACHE = env_bool("PAGE_CACHE", True)
# `make bench` only: a constant-response view (/_bench/constant/) through the whole middleware
# stack, the framework's ceiling that the pages are measured against.
BENCH_ENDPOINTS = env_bool("BENCH_ENDPOINTS", False)

# Sign-in: django-axes counts failures per account and per client address; five in a row lock
# either out for LOGIN_LOCKOUT_MINUTES. Behind proxies, TRUSTED_PROXY_COUNT says how many
# (the client address is then read from X-Forwarded-For, counted from the right, where a
# client cannot forge it: portal.middleware.client_address).
AUTHENTICATION_BACKENDS = [
    "portal.auth.SignInLockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # no banner on every start
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "portal.middleware.client_address"
REQUIRE_2FA = env_bool("REQUIRE_2FA", False)
OTP_TOTP_ISSUER = "Immunotherapy Atlas"
# Staff sessions end after SESSION_IDLE_MINUTES without a request (each request renews them);
# readers have no session.
SESSION_COOKIE_AGE = 60 * int(os.environ.get("SESSION_IDLE_MINUTES", "60"))
SESSION_SAVE_EVERY_REQUEST = True
# Sessions read from the cache (Redis, shared by every app server, when REDIS_URL is set) and
# written through to the database, so a cache restart signs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
# The zone editors enter and read times in on the editorial desk (/admin/); every time there is
# shown with UTC alongside. The public site and stored times are unaffected.
EDITORIAL_TIME_ZONE = os.environ.get("EDITORIAL_TIME_ZONE", TIME_ZONE)
try:
    zoneinfo.ZoneInfo(EDITORIAL_TIME_ZONE)
except (zoneinfo.ZoneInfoNotFoundError, ValueError):
    raise ImproperlyConfigured(
        f"EDITORIAL_TIME_ZONE={EDITORIAL_TIME_ZONE!r} is not a time zone (e.g. Europe/Berlin)."
    ) from None
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "portal.storage.StaticFilesStorage"
        )
    },
}

# Mail: Django 6.1's MAILERS replace the EMAIL_* settings. Console by default; SMTP when
# SMTP_HOST is set (SMTP_PORT, SMTP_USER, SMTP_PASSWORD, SMTP_USE_TLS); MAIL_BACKEND names any
# other backend (a provider's, or django.core.mail.backends.dummy.EmailBackend to send none).
_CONSOLE_MAIL = {"django.core.mail.backends.console.EmailBackend",
                 "django.core.mail.backends.locmem.EmailBackend"}  # fmt: skip
if _MAIL_BACKEND and not os.environ.get("SMTP_HOST", "").strip():
    if not DEBUG and _MAIL_BACKEND in _CONSOLE_MAIL:
        raise ImproperlyConfigured(
            f"MAIL_BACKEND={_MAIL_BACKEND} keeps mail on this machine. With DEBUG off the "
            "portal refuses to start without a real mail backend: set SMTP_HOST or another "
            "MAIL_BACKEND."
        )
    MAILERS = {"default": {"BACKEND": _MAIL_BACKEND}}
elif os.environ.get("SMTP_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["SMTP_HOST"],
                "port": int(os.environ.get("SMTP_PORT", "587")),
                "username": os.environ.get("SMTP_USER", ""),
                "password": os.environ.get("SMTP_PASSWORD", ""),
                "use_tls": env_bool("SMTP_USE_TLS", True),
                "timeout": 10,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "portal@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Absolute links in notification mail.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# django-markdownx: its preview goes through our sanitizing renderer, the same one the
# public pages use (markdownx's own returns raw HTML). Its views are routed in portal/urls.py
# behind staff_member_required instead of markdownx.urls, which answer anyone.
# Request bodies, set deliberately (a larger one is refused with 400 before a view runs): the
# largest form is a version's page, a 200 KB body (up to three times that, URL-encoded) with
# 200 citation rows of three fields each; images go through markdownx's upload (5 MB).
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 10
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

MARKDOWNX_MARKDOWNIFY_FUNCTION = "therapies.markdown.render_markdown"
# The editor asks for a preview at most once a second while typing, and each editor may ask
# for MARKDOWN_PREVIEW_RATE (django-ratelimit's "N/m" form) — typing never reaches it, a
# script does.
MARKDOWNX_SERVER_CALL_LATENCY = 1000
MARKDOWN_PREVIEW_RATE = os.environ.get("MARKDOWN_PREVIEW_RATE", "120/m")
RATELIMIT_VIEW = "portal.views.too_many_requests"
# The open data API's limit per client address (TRUSTED_PROXY_COUNT says how to find it),
# counted in the cache: Redis when REDIS_URL is set, so all workers share the count.
API_RATE = os.environ.get("API_RATE", "120/m")
# CORS (django-cors-headers): any site may read the open data, with GET, never credentials.
CORS_URLS_REGEX = r"^/(api/|releases/)"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_HEADERS = ["accept", "if-none-match", "if-modified-since"]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Link", "Retry-After", "RateLimit-Limit",
                       "RateLimit-Remaining", "RateLimit-Reset", "RateLimit-Policy"]  # fmt: skip
CORS_PREFLIGHT_MAX_AGE = 86400
# Published data releases (manage.py export_release --publish), downloadable at /releases/.
RELEASES_DIR = Path(os.environ.get("RELEASES_DIR", BASE_DIR / "var" / "releases"))
# The worker publishes a release every 30 days (instead of a cron line; see README).
RELEASE_MONTHLY = env_bool("RELEASE_MONTHLY", False)
DATA_LICENCE = os.environ.get(
    "DATA_LICENCE", "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)"
)
MARKDOWNX_MEDIA_PATH = "markdownx/"
MARKDOWNX_UPLOAD_MAX_SIZE = 5 * 1024 * 1024

# Content Security Policy (Django's own middleware): everything self-hosted, no inline script.
SECURE_CSP = {
    "default-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "style-src": ["'self'"],
    "script-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'none'"],
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    # Production is HTTPS only, whatever the proxy in front does: cookies are sent over HTTPS
    # only, plain HTTP is redirected (but the health check, which a load balancer asks for
    # over plain HTTP), and browsers are told to keep to HTTPS for a year (HSTS), subdomains
    # included. The proxy says a request came over HTTPS with X-Forwarded-Proto.
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz/?$", r"^readyz/?$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    if env_bool("HSTS_SET_BY_PROXY", False):
        # The proxy in front sends Strict-Transport-Security itself: the portal does not,
        # and `check --deploy` is told so rather than warning.
        SECURE_HSTS_SECONDS = 0
        SILENCED_SYSTEM_CHECKS = ["security.W004"]

# The audit trail's triggers refuse every DELETE and TRUNCATE; AUDIT_MAINTENANCE=1 asks them to
# let the tables' owner through (on PostgreSQL the flag counts for the owner or a superuser
# only, never for the application's own role): `AUDIT_MAINTENANCE=1 manage.py flush` empties
# a development database, and the test settings set it so that tests can flush tables.
if env_bool("AUDIT_MAINTENANCE", False):
    AUDIT_MAINTENANCE = True

# Logs go to stdout: JSON lines (portal/logs.py) in production, readable text in development;
# LOG_FORMAT=json|text overrides. Each request is one line (RequestLogMiddleware), each audit
# event another.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured(f"LOG_FORMAT={LOG_FORMAT!r}: json or text.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "portal.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": LOG_FORMAT,
            "level": os.environ.get("LOG_LEVEL", "INFO").upper(),
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO").upper()},
    # The development server prints each request itself: the structured line is for
    # production's log collector.
    "loggers": {"portal.request": {"level": "INFO" if LOG_FORMAT == "json" else "WARNING"}},
}

PORTAL_NAME = "Immunotherapy Atlas"

# Periodic re-review: how many months an approval stays current, per kind of content.
REVIEW_INTERVAL_MONTHS = {
    "therapy": int(os.environ.get("REVIEW_INTERVAL_THERAPY_MONTHS", "12")),
    "combination": int(os.environ.get("REVIEW_INTERVAL_COMBINATION_MONTHS", "12")),
    "trial": int(os.environ.get("REVIEW_INTERVAL_TRIAL_MONTHS", "12")),
}

# The ClinicalTrials.gov registry's API v2, which `sync_ctgov` reads (`/studies` is
# appended), and how the portal names itself to it.
CTGOV_API_URL = os.environ.get("CTGOV_API_URL", "https://clinicaltrials.gov/api/v2").rstrip("/")
# The worker's nightly `sync_ctgov --since last` (portal/worker.py): the registry search it
# runs, e.g. "immunotherapy"; unset, no nightly sync.
CTGOV_SYNC_QUERY = os.environ.get("CTGOV_SYNC_QUERY", "")
CTGOV_USER_AGENT = os.environ.get(
    "CTGOV_USER_AGENT",
    f"{PORTAL_NAME.replace(' ', '')}/1.0 (editorial portal; +{SITE_URL}; {DEFAULT_FROM_EMAIL})",
)
