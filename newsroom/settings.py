"""Newsroom settings, read from the environment (see .env.example for every variable).

Defaults give an embedded development setup: SQLite under var/, files under var/media/,
a file cache beside it. Production sets DATABASE_URL, CACHE_URL/REDIS_URL, SECRET_KEY and
DEBUG=0; a missing SECRET_KEY outside DEBUG stops start-up instead of running insecurely.
"""

import hashlib
import ipaddress
import os
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from urlkit.legacy_site import parse_legacy_site_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"


class _Env(environ.Env):
    """django-environ, except that a variable set to an empty string (`DATABASE_URL=`) counts as not set."""

    def get_value(self, var, cast=None, default=environ.Env.NOTSET, parse_default=False):
        if default is not self.NOTSET and self.ENVIRON.get(f"{self.prefix}{var}", "x").strip() == "":
            if parse_default and default is not None:
                return self.parse_value(default, cast)
            return default
        return super().get_value(var, cast, default, parse_default)


env = _Env()
# A local, git-ignored .env (written by `make run`); the environment wins. NEWSROOM_ENV_FILE: another file, empty: none.
env_file = os.environ.get("NEWSROOM_ENV_FILE", str(BASE_DIR / ".env"))
if env_file and Path(env_file).is_file():
    env.read_env(env_file)

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set and DEBUG is off. For development, run `make run` once: it "
            "writes a git-ignored .env with DEBUG=1 and a random SECRET_KEY, which manage.py "
            "reads too (or put DEBUG=1 in .env yourself). For production, set SECRET_KEY to a "
            "long random value in the environment or in .env (see .env.example) and start the "
            "site with `make serve`."
        )
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Public origin (scheme://host[:port]) of every absolute URL; empty: the request's (urlkit/absolute_urls.py).
SITE_URL = env("SITE_URL", default="").rstrip("/")
_site_host = SITE_URL.partition("://")[2]
if SITE_URL and (not SITE_URL.startswith(("http://", "https://")) or not _site_host or set("/?#") & set(_site_host)):
    raise ImproperlyConfigured(
        f"SITE_URL must be scheme://host[:port] with no path, e.g. https://news.example.org (got {SITE_URL!r})."
    )
SITE_NAME = env("SITE_NAME", default="Newsroom")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # Staff accounts: one-time codes (TOTP) and lockout after failed logins (see LOGIN_URL below).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    # The article body's rich-text editor: its static files only (articles.desk.rich_text builds the widget).
    "django_prose_editor",
    "media",
    "articles",
    # Signed webhooks: endpoints, the outbox and the delivery log (sent by the task worker).
    "webhooks",
]

MIDDLEWARE = [
    # First, so that a database or cache outage anywhere below answers 503 + Retry-After.
    "hardening.outages.OutageMiddleware",
    # Refuses an upload declared too large (413) before anything reads its body.
    "media.uploads.DeclaredSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Above the page cache so that pages served from it get X-Frame-Options too.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # The Content-Security-Policy header (SECURE_CSP below), cached pages included.
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # The JSON API speaks UTC whatever TIME_ZONE is (pages and the admin use TIME_ZONE); above the
    # page cache, whose keys name the zone an answer was made in.
    "apikit.time_zones.ApiInUtcMiddleware",
    # Scheduled changes of live stories whose second has come go live before anything is answered.
    "articles.due_changes.DueChangesMiddleware",
    # Anonymous readers' cached pages and API reads are answered here, before sessions, CSRF and auth.
    "articles.public_cache.CachedPageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(); staff who must use two-factor login are sent to enter a code.
    "django_otp.middleware.OTPMiddleware",
    "hardening.two_factor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Last: answers a locked-out login attempt (django-axes).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"
ASGI_APPLICATION = "newsroom.asgi.application"

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
                "urlkit.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'newsroom.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL: readers beside the one writer; IMMEDIATE: writers queue for the lock instead of failing an upgrade.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            # Below the 10 s an outage may take to answer 503 (hardening.outages).
            "timeout": env.float("SQLITE_BUSY_TIMEOUT", default=8),
            "transaction_mode": "IMMEDIATE",
        }
    )
elif DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql"):
    # A database that does not answer costs a request at most these (seconds), then 503.
    _pg_options = DATABASES["default"].setdefault("OPTIONS", {})
    _pg_options.setdefault("connect_timeout", env.int("DB_CONNECT_TIMEOUT", default=5))
    _statement_ms = int(env.float("DB_STATEMENT_TIMEOUT", default=8) * 1000)
    _pg_options["options"] = f"{_pg_options.get('options', '')} -c statement_timeout={_statement_ms}".strip()
# Seconds a 503 (database or cache outage) asks clients to wait before trying again.
OUTAGE_RETRY_AFTER_SECONDS = env.int("OUTAGE_RETRY_AFTER_SECONDS", default=30)
# Connections are kept between requests: opening one costs more than a whole cached page.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Shared by every process: Redis (CACHE_URL/REDIS_URL), else files in CACHE_DIR keyed by the database's name.
_cache_url = env("CACHE_URL", default="") or env("REDIS_URL", default="")
if _cache_url:
    CACHES = {"default": env.cache_url_config(_cache_url)}
    if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
        # Redis unreachable: the site goes on from the database (caching/backends.py).
        CACHES["default"]["BACKEND"] = "caching.backends.ResilientRedisCache"
        CACHES["default"].setdefault("OPTIONS", {}).update(
            {"socket_connect_timeout": 0.25, "socket_timeout": 0.5, "RETRY_SECONDS": 5, "WARN_EVERY_SECONDS": 60}
        )
else:
    _db = DATABASES["default"]
    _db_dir = Path(_db["NAME"]).parent if _db["ENGINE"].endswith("sqlite3") and _db["NAME"] != ":memory:" else VAR_DIR
    _db_id = f"{_db['ENGINE']} {_db.get('HOST', '')} {_db.get('PORT', '')} {_db['NAME']}"
    CACHES = {
        "default": {
            # Django's FileBasedCache, plus the content generation in a file of its own.
            "BACKEND": "caching.backends.SharedFileCache",
            "LOCATION": str(env.path("CACHE_DIR", default=str(_db_dir / "cache"))),
            "KEY_PREFIX": hashlib.sha256(_db_id.encode()).hexdigest()[:12],
            # Past this many files a third is removed at random (each write lists the folder).
            "OPTIONS": {"MAX_ENTRIES": 3000},
        }
    }
# Background tasks (django.tasks): slow work such as probing an uploaded video runs in a worker
# process, not in the request. Embedded default: a queue in the database (django-tasks-db;
# worker: `manage.py db_worker`). With TASKS_REDIS_URL (default: REDIS_URL) a Redis queue
# (django-tasks-rq; worker: `manage.py rqworker --job-class django_tasks_rq.Job --with-scheduler default`).
# `make run` and `make serve` start the right worker beside the server (scripts/with-worker).
# The database app is installed either way: its results table and admin stay readable.
INSTALLED_APPS += ["django_tasks_db"]
TASKS_REDIS_URL = env("TASKS_REDIS_URL", default="") or env("REDIS_URL", default="")
if TASKS_REDIS_URL:
    INSTALLED_APPS += ["django_rq"]
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    # A job may run this long (seconds) before RQ stops it; results are kept a week.
    RQ_QUEUES = {
        "default": {
            "URL": TASKS_REDIS_URL,
            "DEFAULT_TIMEOUT": env.int("TASK_TIMEOUT_SECONDS", default=600),
            "DEFAULT_RESULT_TTL": 7 * 24 * 3600,
        }
    }
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Sessions live in the database, never in the cache: a cache outage logs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=300)
# Each process also keeps copies of pages in its memory, up to this size (MB), for speed.
PAGE_CACHE_MEMORY_MB = env.int("PAGE_CACHE_MEMORY_MB", default=32)
# On Redis, how long (ms) a process takes its last reading of the content generation for
# current: a cached page it holds then costs no round trip; another server's edit shows on it
# at most this late. 0: ask Redis on every request.
CACHE_GENERATION_TRUST_MS = env.int("CACHE_GENERATION_TRUST_MS", default=250)
# Varnish instances in front of the site (comma-separated base URLs, e.g. http://127.0.0.1:6081):
# each change is purged there by its Surrogate-Key names (caching.varnish, deploy/varnish/).
VARNISH_URLS = env.list("VARNISH_URLS", default=[])
# Webhooks may be sent to hosts on loopback, private or link-local addresses (a receiver on this
# machine or the internal network). Off in production: webhooks must not probe the internal network.
WEBHOOK_ALLOW_PRIVATE_HOSTS = env.bool("WEBHOOK_ALLOW_PRIVATE_HOSTS", default=False)
# How long a share-preview link works before it answers 404 (hours).
PREVIEW_LINK_HOURS = env.int("PREVIEW_LINK_HOURS", default=24)
# The legacy site while its archive is imported (empty: not linked); not-yet-imported related items link there.
LEGACY_SITE_URL = env("LEGACY_SITE_URL", default="").strip()
# The largest legacy page file the importer reads (bytes); a bigger one is reported and skipped.
LEGACY_MAX_PAGE_BYTES = env.int("LEGACY_MAX_PAGE_BYTES", default=5_000_000)
parse_legacy_site_url(LEGACY_SITE_URL)  # stops start-up on a value that is not an http(s) site

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
# The newsroom's one time zone (pages, scheduling, legacy datelines); LEGACY_TIME_ZONE is its former name.
_legacy_zone = env("LEGACY_TIME_ZONE", default="")
TIME_ZONE = env("TIME_ZONE", default="") or _legacy_zone or "Asia/Tehran"
if _legacy_zone and _legacy_zone != TIME_ZONE:
    raise ImproperlyConfigured(
        f"TIME_ZONE is {TIME_ZONE} but LEGACY_TIME_ZONE is {_legacy_zone}: TIME_ZONE alone now names the "
        "newsroom's zone, and the importer reads datelines in it. Remove LEGACY_TIME_ZONE (for an archive "
        "written in another zone, run import_legacy --timezone ZONE)."
    )
try:
    ZoneInfo(TIME_ZONE)
except (ZoneInfoNotFoundError, ValueError):
    raise ImproperlyConfigured(
        f"TIME_ZONE “{TIME_ZONE}” is not a time zone name (use one like Asia/Tehran or UTC)."
    ) from None
USE_I18N = True
USE_TZ = True
LANGUAGES = [("en", "English"), ("ar", "Arabic"), ("fa", "Persian")]

# How datelines read ("Thu Mar 24, 2016 14:18:09", Django date format); the zone follows it.
DATELINE_FORMAT = env("DATELINE_FORMAT", default="D M d, Y H:i:s")

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = env("MEDIA_URL", default="/media/")
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "media")))
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=True)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env(
            "STATICFILES_BACKEND",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {
        "BACKEND": "media.storage.PrivateS3Storage",  # private objects, behind media.views.stored_file
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=None),
            "access_key": env("AWS_ACCESS_KEY_ID", default=None),
            "secret_key": env("AWS_SECRET_ACCESS_KEY", default=None),
            "region_name": env("AWS_S3_REGION_NAME", default=None),
            "custom_domain": env("AWS_S3_CUSTOM_DOMAIN", default=None),
            "querystring_auth": env.bool("AWS_QUERYSTRING_AUTH", default=False),
            "file_overwrite": False,
        },
    }
WHITENOISE_MAX_AGE = 31536000 if not DEBUG else 0
# Files browsers ask for at fixed addresses (/favicon.ico), answered by whitenoise.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"

# Media library limits (checked before any decoding).
MEDIA_MAX_IMAGE_PIXELS = env.int("MEDIA_MAX_IMAGE_PIXELS", default=50_000_000)
MEDIA_MAX_UPLOAD_BYTES = env.int("MEDIA_MAX_UPLOAD_BYTES", default=512 * 1024 * 1024)
# Memory one decoded image may take: a larger JPEG is decoded scaled down, a larger PNG or WebP refused.
MEDIA_MAX_DECODE_BYTES = env.int("MEDIA_MAX_DECODE_BYTES", default=100 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Uploads past this size stream to a temporary file (FILE_UPLOAD_TEMP_DIR, else the system's).
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_TEMP_DIR = env("FILE_UPLOAD_TEMP_DIR", default="") or None

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.DjangoModelPermissionsOrAnonReadOnly"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
        "rest_framework.parsers.FormParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "apikit.errors.exception_handler",
    # By client address (hardening/throttling.py); callers with a token or session have a rate of their own.
    "DEFAULT_THROTTLE_CLASSES": ["hardening.throttling.AnonymousThrottle", "hardening.throttling.SignedInThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_ANON_RATE", default="120/minute"),
        "user": env("API_USER_RATE", default="1200/minute"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Newsroom API",
    "DESCRIPTION": "Articles, media, sections and tags of the Newsroom CMS.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "ArticleKindEnum": "articles.models.Article.Kind",
        "ArticleStatusEnum": "articles.models.Article.Status",
        "MediaKindEnum": "media.models.MediaItem.Kind",
        "CorrectionKindEnum": "articles.corrections.Correction.Kind",
    },
}

LOGIN_URL = "admin:login"
# After signing in with no `next`, or with one that points off the site: the admin's index.
LOGIN_REDIRECT_URL = "admin:index"
# django-axes first: it refuses a locked-out username and address before any password is checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
# Locked out after this many failed logins for one username from one address, for this long.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "hardening.throttling.client_address"
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_VERBOSE = False
# Two-factor login (a TOTP app) is required of superusers and of members of these groups.
NEWSROOM_2FA_GROUPS = env.list("NEWSROOM_2FA_GROUPS", default=[])
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="") or SITE_NAME
# Staff sessions end after this many seconds (default 12 hours), or when the browser closes.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=12 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env.bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", default=False)

SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
# Proxies (addresses or networks) whose X-Forwarded-For/-Proto count; empty: the socket's peer is the client.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
try:
    for _proxy in TRUSTED_PROXIES:
        ipaddress.ip_network(_proxy, strict=False)
except ValueError as _error:
    raise ImproperlyConfigured(f"TRUSTED_PROXIES: {_error} (give addresses or networks, e.g. 10.0.0.0/8).") from None
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TRUSTED_PROXIES else None
# HTTPS-only (check --deploy): off by default so `make serve` works on plain HTTP; production turns them on.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
# Health probes (Varnish, load balancers) ask over plain HTTP inside the network: /healthz answers them.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)


def _origin(url: str) -> str:
    """scheme://host[:port] of an absolute URL, or "" for a path."""
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0]}" if rest and scheme in ("http", "https") else ""


# Content-Security-Policy: the site itself (nonces for inline code); pictures and video also from media origins.
_media_origins = {_origin(MEDIA_URL), _origin(LEGACY_SITE_URL)}
if AWS_STORAGE_BUCKET_NAME:
    _custom_domain = env("AWS_S3_CUSTOM_DOMAIN", default="")
    _endpoint = env("AWS_S3_ENDPOINT_URL", default="")
    _media_origins.add(
        f"https://{_custom_domain}"
        if _custom_domain
        else _origin(_endpoint) or f"https://{AWS_STORAGE_BUCKET_NAME}.s3.amazonaws.com"
    )
_media_origins = sorted(origin for origin in _media_origins if origin)
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    # Style attributes (no script runs from one): the admin's thumbnails and focal-point marker use them.
    "style-src-attr": [CSP.UNSAFE_INLINE],
    # data: for the small SVG icons stylesheets embed (the admin's and the API docs').
    "img-src": [CSP.SELF, "data:", *_media_origins],
    "media-src": [CSP.SELF, *_media_origins],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

LOG_LEVEL = env("LOG_LEVEL", default="WARNING").upper()
# One handler, on the root logger, to stderr: "django" keeps none (no line printed twice); runserver's its own.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server"},
    },
    "loggers": {
        "django": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}
