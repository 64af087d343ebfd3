"""Settings for the Lanzarote Knowledge Base, read from environment variables.

Two modes, chosen by ``DJANGO_ENV``:

* ``development`` (default): SQLite file in ``var/`` unless ``DATABASE_URL`` is set, DEBUG on unless
  ``DJANGO_DEBUG=0``, a throwaway secret key.
* ``production``: DEBUG off, ``SECRET_KEY`` and ``ALLOWED_HOSTS`` required, HTTPS-only cookies, HSTS,
  SSL redirect and hashed, compressed static files; ``manage.py check --deploy`` reports nothing.
"""

import os
from email.utils import getaddresses
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from config.error_tracking import init_error_tracking

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


ENVIRONMENT = os.environ.get("DJANGO_ENV", "development").strip().lower()
if ENVIRONMENT not in {"development", "production"}:
    raise ImproperlyConfigured("DJANGO_ENV must be 'development' or 'production'.")
PRODUCTION = ENVIRONMENT == "production"

DEBUG = False if PRODUCTION else env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when DJANGO_ENV=production.")
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DJANGO_ENV=production.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django_filters",
    "rest_framework",
    "corsheaders",
    "csp",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "taxonomy",
    "kb",
    "search",
    "practices",
    "content",
    "simple_history",
    "axes",
    "curation",
    # Last: the project's own deployment checks (config/checks.py).
    "config.apps.ProjectConfig",
]

MIDDLEWARE = [
    # First: every response (even a probe's) carries X-Request-ID, and every request is logged once.
    "config.logs.RequestLogMiddleware",
    # /healthz and /readyz answer before host validation and the HTTPS redirect (see config/health.py).
    "config.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before CommonMiddleware, as django-cors-headers asks; it acts on /api/ only (CORS_URLS_REGEX).
    "corsheaders.middleware.CorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # /en/... to the unprefixed English URL, and / to /fr/ for a French browser (common/i18n.py).
    "common.i18n.LanguageRedirectMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "common.i18n.ApiLanguageMiddleware",
    # Conditional GET (ETag / Last-Modified from the content version) for anonymous visitors, then
    # anonymous pages from the cache under the content version (KB_PAGE_CACHE_SECONDS; off when 0).
    # Once the language is known, and outside the middleware below: a cached page is stored with
    # the headers they add (CSP, frame options, licence link) and served without running them again.
    "practices.middleware.ContentVersionETagMiddleware",
    "practices.middleware.AnonymousPageCacheMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.pages.LicenceLinkMiddleware",
    "csp.middleware.CSPMiddleware",
    # Inside the header-setting middleware above: its 400/404 answers get their headers too.
    "config.middleware.RejectControlCharactersMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

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
                "config.seo.seo",
                "django.template.context_processors.i18n",
                "common.i18n.languages",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DEFAULT_SQLITE_PATH = BASE_DIR / "var" / "kb.sqlite3"
# PostgreSQL through psycopg 3 (``psycopg[binary]``), the driver Django recommends. Connections persist
# for DB_CONN_MAX_AGE seconds (0 closes them after each request) and are checked before reuse, so a
# restarted database costs one failed health check rather than an error page.
# A DATABASE_URL that is set but empty (as an .env file or `DATABASE_URL= make run` leaves it) means
# the default, as an unset one does.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", "").strip() or f"sqlite:///{DEFAULT_SQLITE_PATH}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Each request opens the file afresh (runserver's thread per request), so SQLite's own page
    # cache starts empty every time; memory-mapped, the file's pages come from the system's cache,
    # shared by every connection (at 100,000 entries a common word's pass then costs on a new
    # connection what it costs on a warm one, about 400 ms).
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA mmap_size = 1073741824"
else:
    # An unreachable database fails fast (and /readyz says so) instead of holding a worker.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = int(os.environ.get("DB_CONNECT_TIMEOUT", "5"))
# A read replica (PostgreSQL streaming replication): reads go there, writes and reads inside a
# transaction to the primary (config/routers.py). Tests mirror it onto the default database.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["config.routers.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# django-axes throttles logins through the web forms (see curation/auth.py).
AUTHENTICATION_BACKENDS = [
    "curation.auth.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "curation/locked_out.html"
# Lockouts are keyed on the same client address as the other limits (common/clientip.py).
AXES_CLIENT_IP_CALLABLE = "common.clientip.client_ip"

# How many reverse proxies in front of the site append to X-Forwarded-For. 0 (default): the socket
# address (REMOTE_ADDR) only, and any X-Forwarded-For is the client's own and ignored.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# The cache holds the rate limits and lockout counters, so with several workers it must be shared:
# Redis when REDIS_URL is set (e.g. redis://127.0.0.1:6379/0), local memory (one process) otherwise.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "kb"),
        }
    }
else:
    # Room for cached pages and counts: at Django's default of 300 entries, culling would also drop
    # the content version (common/versioning.py) and with it every page's cache and facet index.
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 10_000}}
    }

# Public forms (suggestions, corrections): at most this many per client address per window.
KB_PUBLIC_FORM_RATE = (int(os.environ.get("KB_PUBLIC_FORM_LIMIT", "5")), 60 * 60)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Password hashing is deliberately slow (about 1 s a login on a small machine). Outside production
# (development, tests) a fast hasher comes first unless DJANGO_FAST_PASSWORD_HASHING=0; existing
# slow hashes still verify. Production keeps Django's default, PBKDF2.
if not PRODUCTION and env_bool("DJANGO_FAST_PASSWORD_HASHING", True):
    PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]

# English (the default, at unprefixed URLs) and French (under /fr/): see common/i18n.py.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Rome"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "static"))
# Outside production, serve straight from static/ (no collectstatic needed for runserver or tests).
WHITENOISE_USE_FINDERS = not PRODUCTION
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Seconds facet counts are cached, keyed by the filter state and the content version (which every
# publish, archive, import and vocabulary edit replaces); 0 turns it off (the default outside
# production, and in the benchmark, which measures uncached pages).
KB_FACET_CACHE_SECONDS = int(os.environ.get("KB_FACET_CACHE_SECONDS", "300" if PRODUCTION else "0"))
# Whole anonymous pages and API responses, keyed by the address and the content version (so never
# stale): for throughput; the pages are fast without it (practices/middleware.py).
KB_PAGE_CACHE_SECONDS = int(os.environ.get("KB_PAGE_CACHE_SECONDS", "300" if PRODUCTION else "0"))

# Where the loader finds the content bundle (vocabularies, sources, conferences).
KB_FIXTURES_DIR = Path(os.environ.get("KB_FIXTURES_DIR", BASE_DIR / "fixtures"))
# Where ``manage.py backup`` writes (created when a backup is made).
KB_BACKUP_DIR = Path(os.environ.get("KB_BACKUP_DIR", BASE_DIR / "var" / "backups"))
# Where an admin upload too large to validate in the request is kept for ``import_entries``.
KB_IMPORT_DIR = Path(os.environ.get("KB_IMPORT_DIR", BASE_DIR / "var" / "imports"))

REST_FRAMEWORK = {
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_PAGINATION_CLASS": "common.pagination.KBPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_THROTTLE_RATES": {"anon": "600/minute"},
    "DEFAULT_THROTTLE_CLASSES": ["common.throttling.ClientAddressAnonThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}

# CORS: any site may read the public API from a browser, GET only, without credentials.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False
CORS_EXPOSE_HEADERS = ["Link", "X-Request-ID"]

# OpenAPI schema (/api/schema/) and its docs (/api/docs/), whose Swagger UI files are served from
# our own static files (drf-spectacular-sidecar), never a CDN.
SPECTACULAR_SETTINGS = {
    "TITLE": "Lanzarote Knowledge Base API",
    "DESCRIPTION": "Read-only JSON API of the published findings, good practices, sessions and convention articles.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "common.openapi.parameters_without_control_characters",
    ],
}

# Content-Security-Policy: only our own scripts, styles and images; nothing inline, no CDN.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Mail: who hears about server errors, and how mail leaves. ADMINS is "Name <address>, address, ...".
ADMINS = [(name or address, address) for name, address in getaddresses(env_list("ADMINS")) if address]
MANAGERS = ADMINS
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", "kb@localhost")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", SERVER_EMAIL)
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_SUBJECT_PREFIX = "[Lanzarote KB] "

# Logs go to stderr: JSON lines in production (config/logs.py: timestamp, level, request id, duration,
# staff user id), plain text in development unless LOG_FORMAT says otherwise.
LOG_LEVEL = os.environ.get("LOG_LEVEL", "WARNING").upper()
LOG_FORMAT = os.environ.get("LOG_FORMAT", "json" if PRODUCTION else "text").strip().lower()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "config.logs.JSONFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json" if LOG_FORMAT == "json" else "text"}
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # One line per request (method, path, status, duration): always in production, else at LOG_LEVEL.
    "loggers": {"kb.requests": {"level": "INFO" if PRODUCTION else LOG_LEVEL}},
}

# Error tracking (Sentry) only when SENTRY_DSN is set and sentry-sdk is installed; off by default.
SENTRY_ENABLED = init_error_tracking(
    os.environ.get("SENTRY_DSN", ""),
    environment=os.environ.get("SENTRY_ENVIRONMENT", ENVIRONMENT),
    traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
)
