"""Offpeak settings: one file, everything from the environment.

Defaults suit a laptop (SQLite, tasks in-process). Production sets DEBUG=false,
SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL and REDIS_URL.
"""

import datetime
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

from config.env import (
    env_bool,
    env_int,
    env_list,
    env_str,
    env_timezone,
    env_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", "true")
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    # Development only: a key that is obviously not a secret.
    SECRET_KEY = "dev-only-insecure-key-never-used-when-debug-is-off-0123456789"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # Before drf_spectacular: accounts/templates overrides its Swagger UI page
    # (nonces for the Content-Security-Policy).
    "accounts",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    "calendars",
    "rollout",
    "proposals",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # No control characters in the path, query or a JSON body (accounts.validators).
    "accounts.validators.ControlCharacterMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: turns a locked-out sign-in into the lockout answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASE_URL = env_url(
    "DATABASE_URL",
    f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
    ("sqlite", "postgres", "postgresql"),
)
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", "60")
    )
}
# The recommendations' stamp query is an SQL PREPAREd statement per PostgreSQL
# session (rollout.selectors). Behind a pooler that hands one client several
# server sessions (PgBouncer in transaction mode) it would fail: set false.
DB_PREPARED_STATEMENTS = env_bool("DB_PREPARED_STATEMENTS", "true")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_timezone("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Git keeps no empty folder: a fresh clone may have no static/ yet, and a missing
# folder here is a warning that fails `check --deploy --fail-level WARNING`.
STATICFILES_DIRS = [d for d in [BASE_DIR / "static"] if d.is_dir()]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Sign-in lockout (django-axes), on the sign-in page, the admin's and
# POST /api/auth/token/ alike: after AXES_FAILURE_LIMIT wrong passwords for one
# username from one address, that pair is refused (429) until AXES_COOLOFF_TIME
# has passed since the last failure; a successful sign-in forgets the failures.
# Staff see and clear lockouts in the admin (Axes).
AUTHENTICATION_BACKENDS = [
    "accounts.backends.LockoutBackend",  # axes' AxesStandaloneBackend
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", "15"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
# The address as the API throttles see it (REST_FRAMEWORK["NUM_PROXIES"]).
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_ip"

# Errors under /api/ are JSON, a failed CSRF check too (HTML elsewhere).
CSRF_FAILURE_VIEW = "accounts.web.views.csrf_failure"

# Content-Security-Policy (django-csp). Scripts and style sheets only from the
# site itself, or inline with the request's nonce (request.csp_nonce; only the
# Swagger UI page uses one). Inline style attributes stay allowed: pages set a
# few computed ones (calendar bands, evaluation bars).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    }
}

LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:dashboard"
LOGOUT_REDIRECT_URL = "web:login"
KNOX_TOKEN_MODEL = "accounts.ApiToken"
# knox's own migrations would create knox_authtoken even though the model is
# swapped for accounts.ApiToken; that orphan table's foreign key to auth_user
# breaks TRUNCATE-based test flushes on PostgreSQL. Nothing uses it.
MIGRATION_MODULES = {"knox": None}

# Email: console in development, SMTP when EMAIL_HOST is set.
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("EMAIL_PORT", "587")
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", "true")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "offpeak@localhost")

# Redis: broker for Celery and shared cache. Unset → in-process tasks, local cache.
REDIS_URL = env_url("REDIS_URL", "", ("redis", "rediss"))
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache, one redis-py client per pool (accounts.cache).
            "BACKEND": "accounts.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery. With REDIS_URL: a Redis broker and separate worker processes. Without
# it, tasks run in-process (eager) so the demo needs no servers.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
# The rebuild task is idempotent, so it is acknowledged only after it finished
# and is redelivered if the worker dies half-way; a worker takes one message at
# a time so a long rebuild does not hold others back.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Celery's Django fixup closes the database connections before and after every
# task unless told to reuse them: a new PostgreSQL session per rebuild (a
# backend forked, 2-3 ms of client CPU, ~20 ms wall) against a rebuild of ~15
# ms. Workers keep them instead, aged and dropped like a web process's
# (DB_CONN_MAX_AGE, broken ones closed: config/celery.py).
CELERY_DB_REUSE_MAX = 1000
# Time limits need the prefork pool (the default; `--pool=solo` ignores them).
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", "240")
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", "300")
# A stopped or stalled Redis must not hang a web request. kombu's Redis
# transport passes socket_timeout/socket_connect_timeout to redis-py (Celery's
# broker_connection_timeout only bounds the whole reconnect loop). A publish
# makes one attempt plus one retry whose reconnect tries twice, each step
# bounded by 1 s: a stalled Redis fails a `delay()` in about 3 s, a stopped one
# at once (measured; the defaults hang forever on a stalled Redis).
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # Unacknowledged messages are redelivered after this: longer than any
    # task's hard time limit, or a running task would be started twice.
    "visibility_timeout": 3600,
    "socket_timeout": 1,
    "socket_connect_timeout": 1,
    # Used when a connection is (re)established for a publish.
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_TASK_PUBLISH_RETRY = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
# Two rebuilds of one plant start at least this far apart: the first change
# after a quiet spell rebuilds at once, later changes within the interval are
# coalesced into one rebuild at its end.
OFFPEAK_REBUILD_INTERVAL_MS = env_int("OFFPEAK_REBUILD_INTERVAL_MS", "1000")

# Production hardening; `manage.py check --deploy` is clean with DEBUG=false.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", "false" if DEBUG else "true")
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000")
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Largest production plan file accepted by the import (bytes).
PLAN_IMPORT_MAX_BYTES = env_int("PLAN_IMPORT_MAX_BYTES", str(10 * 1024 * 1024))
# Most dates one blackout's recurrence rule gives within one date range.
OFFPEAK_RRULE_MAX_OCCURRENCES = env_int("OFFPEAK_RRULE_MAX_OCCURRENCES", "1000")
# A failing cache (Redis down or stalled) is left alone this long, and warned
# about at most this often (accounts/cache.py).
CACHE_RETRY_SECONDS = env_int("CACHE_RETRY_SECONDS", "5")
CACHE_ERROR_LOG_SECONDS = env_int("CACHE_ERROR_LOG_SECONDS", "60")
# The go may be given this many days before the cutover starts at the earliest;
# earlier needs an override reason.
OFFPEAK_GO_WINDOW_DAYS = env_int("OFFPEAK_GO_WINDOW_DAYS", "14")
# Rows below the header, and what an .xlsx may inflate to before it is parsed.
PLAN_IMPORT_MAX_ROWS = env_int("PLAN_IMPORT_MAX_ROWS", "100000")
PLAN_IMPORT_MAX_UNCOMPRESSED_BYTES = env_int(
    "PLAN_IMPORT_MAX_UNCOMPRESSED_BYTES", str(50 * 1024 * 1024)
)
DATA_UPLOAD_MAX_MEMORY_SIZE = PLAN_IMPORT_MAX_BYTES + 1024 * 1024
# iCalendar (.ics) imports of closures and blackouts: largest file, most
# events in it, most items it may expand to within the horizon.
CALENDAR_IMPORT_MAX_BYTES = env_int("CALENDAR_IMPORT_MAX_BYTES", str(1024 * 1024))
CALENDAR_IMPORT_MAX_EVENTS = env_int("CALENDAR_IMPORT_MAX_EVENTS", "1000")
CALENDAR_IMPORT_MAX_ITEMS = env_int("CALENDAR_IMPORT_MAX_ITEMS", "1000")
# How far ahead go-live dates are scored.
OFFPEAK_HORIZON_DAYS = env_int("OFFPEAK_HORIZON_DAYS", "730")
# Seconds the program planner (CP-SAT) may search for one plan or what-if.
OFFPEAK_PROGRAM_TIME_LIMIT_SECONDS = env_int("OFFPEAK_PROGRAM_TIME_LIMIT_SECONDS", "10")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # In-process tasks would log every rebuild into the runserver console.
    "loggers": {
        "celery": {"level": "INFO" if REDIS_URL else "WARNING"},
        "rollout.tasks": {"level": "INFO" if REDIS_URL else "WARNING"},
    },
}

# Celery beat: the sweep recovers rebuilds whose enqueue was lost (broker down);
# the nightly run rolls every plant's horizon forward.
CELERY_BEAT_SCHEDULE = {
    "sweep-stale-recommendations": {
        "task": "rollout.tasks.sweep_stale_recommendations",
        "schedule": env_int("OFFPEAK_SWEEP_SECONDS", "60"),
    },
    "nightly-rebuild": {
        "task": "rollout.tasks.rebuild_all_plants",
        "schedule": crontab(hour=1, minute=30),
    },
}


# REST API (each app's api/; the plumbing in accounts.api): token or session auth,
# token scopes, throttling.
def _env_rate(name: str, default: str) -> str:
    """A DRF throttle rate such as "60/minute", checked at start-up."""
    raw = env_str(name, default).strip()
    number, _, period = raw.partition("/")
    if not (number.isdigit() and period[:1] in {"s", "m", "h", "d"}):
        raise ImproperlyConfigured(
            f"{name}={raw!r} is not a rate such as 60/minute (s, m, h or d)"
        )
    return raw


REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",  # CSRF enforced
    ],
    # TokenScope stops read-only tokens writing and feed tokens using the API
    # in every API view; a view that sets permission_classes keeps it in front.
    "DEFAULT_PERMISSION_CLASSES": [
        "accounts.api.permissions.TokenScope",
        "rest_framework.permissions.IsAuthenticated",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "accounts.api.throttles.AnonThrottle",
        "accounts.api.throttles.UserThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": _env_rate("API_THROTTLE_ANON", "60/minute"),
        "user": _env_rate("API_THROTTLE_USER", "1200/minute"),
        "auth": _env_rate("API_THROTTLE_AUTH", "10/minute"),
    },
    # Proxies in front that append to X-Forwarded-For (0: use REMOTE_ADDR).
    "NUM_PROXIES": env_int("API_NUM_PROXIES", "0"),
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "accounts.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "accounts.api.exceptions.api_exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
REST_KNOX = {
    "TOKEN_TTL": None,  # tokens live until revoked unless created with expiry_days
    "TOKEN_LIMIT_PER_USER": env_int("API_TOKEN_LIMIT_PER_USER", "50"),
    "AUTO_REFRESH": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Offpeak API",
    "DESCRIPTION": (
        "Production calendars of factory plants and quiet go-live windows for "
        "new business systems. Authenticate with a session (browser, CSRF) or "
        "`Authorization: Token <token>` from POST /api/auth/token/. Dates are "
        "ISO 8601 plant-local dates. You see only the plants you are assigned "
        "to; other plants' objects answer 404."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": [
        "accounts.api.permissions.TokenScope",
        "rest_framework.permissions.AllowAny",
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/",
    "ENUM_NAME_OVERRIDES": {
        "SeverityEnum": "calendars.models.Severity",
        "MilestoneKindEnum": "calendars.models.Milestone.Kind",
        "BlackoutKindEnum": "calendars.models.Blackout.Kind",
        "CalendarExceptionKindEnum": "calendars.models.CalendarException.Kind",
        "GranularityEnum": "calendars.models.ProductionPlan.Granularity",
        "RolloutKindEnum": "rollout.models.Rollout.Kind",
        "WeekdayEnum": "calendars.models.plants.WEEKDAY_CHOICES",
        "TokenScopeEnum": "accounts.models.ApiToken.Scope",
        # proposals
        "ProposalStatusEnum": "proposals.models.GoLiveProposal.Status",
        "ReadinessKindEnum": "proposals.models.ReadinessItem.Kind",
        "ObservationSeverityEnum": "proposals.models.Observation.Severity",
        "ObservationAreaEnum": "proposals.models.Observation.Area",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "accounts.api.schema.error_responses",
    ],
}
# Seconds a checked API token (with its user) stays in the cache; revoking one
# clears it at once, other changes to the user show after this. 0: no cache.
API_TOKEN_CACHE_SECONDS = env_int("API_TOKEN_CACHE_SECONDS", "30")
