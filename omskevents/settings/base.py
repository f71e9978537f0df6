"""Settings shared by every environment, all read from environment variables."""

import zoneinfo
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _
from kombu import Queue

# Time zones come only from the tzdata package that pyproject.toml installs, never from the host: zoneinfo
# searches the system path (/usr/share/zoneinfo, or PYTHONTZPATH) first and uses the package only for a zone
# missing there, so a host with tzdata older than 2024a would put Kazakhstan at UTC+6. An empty search path
# is the documented way to leave the package as the one source; done here, before any process (web, worker,
# beat, manage.py) creates a zone, and the cache emptied in case one was. `manage.py check` fails (core.E001)
# if the package itself is too old; upgrade it with `pip install --upgrade tzdata`.
zoneinfo.reset_tzpath([])
zoneinfo.ZoneInfo.clear_cache()

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# Production has no default: settings/production.py refuses to start without one.
SECRET_KEY = env.str("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "omskevents.core.admin_site.OmskAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "csp",
    "omskevents.accounts.signin_apps.AxesConfig",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "django_otp",
    "omskevents.accounts.signin_apps.TotpDevicesAppConfig",
    "omskevents.accounts.signin_apps.StaticDevicesAppConfig",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "omskevents.core",
    "omskevents.accounts",
    "omskevents.agencies",
    "omskevents.calendars",
    "omskevents.events",
    "omskevents.committee",
    "omskevents.workplan",
    "omskevents.agreements",
    "omskevents.protocol",
    "omskevents.notifications",
    "omskevents.overview",
    "omskevents.webhooks",
    "omskevents.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "omskevents.core.middleware.CacheVersionsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session has passed the second factor.
    "django_otp.middleware.OTPMiddleware",
    # Early in the list, so it sees the final answer on the way out (axes' lockout page included).
    "omskevents.core.middleware.PrivateResponseMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "omskevents.core.middleware.UploadSizeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "omskevents.core.middleware.SessionLimitMiddleware",
    # After the session limits: a session that has only passed the password step reaches nothing but the
    # second-factor pages (the admin included).
    "omskevents.accounts.middleware.SecondFactorMiddleware",
    "omskevents.accounts.middleware.SessionActivityMiddleware",
    "omskevents.accounts.middleware.RefusedRequestLogMiddleware",
    "omskevents.core.middleware.UserPreferencesMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: it turns a lockout raised during login into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "omskevents.urls"
WSGI_APPLICATION = "omskevents.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'omskevents.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Choice lists are read with .iterator(): a server-side cursor costs three round trips for a few rows
    # (and does not survive a transaction-pooling proxy).
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web process, the worker and beat share one file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out username + IP pair before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "omskevents.accounts.backends.AgencyModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="ru")
LANGUAGES = [("ru", _("Russian")), ("en", _("English")), ("kk", _("Kazakh"))]
LOCALE_PATHS = [BASE_DIR / "omskevents" / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Omsk")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
# Uploaded files: the local folder MEDIA_ROOT by default (nothing to set up); with S3_BUCKET, an S3-compatible
# object store (Amazon S3, MinIO, Yandex Object Storage, Ceph...) that every web node and worker shares.
# Files are never public: the store is private and downloads go through a view that checks who may see them.
S3_BUCKET = env.str("S3_BUCKET", default="")
if S3_BUCKET:
    _default_storage: dict[str, object] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env.str("S3_ENDPOINT_URL", default="") or None,
            "access_key": env.str("S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("S3_SECRET_ACCESS_KEY", default="") or None,
            "region_name": env.str("S3_REGION", default="") or None,
            "location": env.str("S3_PREFIX", default="media"),
            # MinIO and most self-hosted stores want path-style addresses (https://host/bucket/key).
            "addressing_style": env.str("S3_ADDRESSING_STYLE", default="path"),
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _default_storage,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
ATTACHMENT_MAX_SIZE = 20 * 1024 * 1024
# Files sent at once (one report, one request) and what one person's files may take in storage.
UPLOAD_MAX_FILES = env.int("UPLOAD_MAX_FILES", default=10)
UPLOAD_MAX_REQUEST_BYTES = env.int("UPLOAD_MAX_REQUEST_MB", default=50) * 1024 * 1024
UPLOAD_USER_QUOTA_BYTES = env.int("UPLOAD_USER_QUOTA_MB", default=1024) * 1024 * 1024
# How long reading one uploaded Excel plan may take before it is refused (omskevents.workplan.imports).
IMPORT_TIME_LIMIT_SECONDS = env.float("IMPORT_TIME_LIMIT_SECONDS", default=10.0)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Mail: EMAIL_URL=smtp://host:port (smtp+tls://, consolemail://, filemail:///path)
_email = env.email_url("EMAIL_URL", default=f"filemail://{VAR_DIR / 'mail'}")
if _email["EMAIL_BACKEND"].endswith("filebased.EmailBackend"):
    # django-environ drops the leading slash of filemail:///abs/path; without it mail lands under the cwd.
    _email["EMAIL_FILE_PATH"] = "/" + str(_email["EMAIL_FILE_PATH"]).lstrip("/")
vars().update(_email)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Оргкомитет Форума <orgcom@omskevents.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Cache: Redis when there is one (shared by every web process), else files under var/cache, which
# several processes (gunicorn workers, runserver, the worker) share as well.
if env.str("REDIS_URL", default=""):
    CACHES = {
        "default": {
            "BACKEND": "omskevents.core.cache_backends.ResilientRedisCache",
            "LOCATION": env.str("CACHE_URL", default=env.str("REDIS_URL")),
            "KEY_PREFIX": "omskevents",
        }
    }
    CACHES["rows"] = CACHES["default"]
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 5000},
        },
        # Table rows (omskevents.core.cache.cached_rows): thousands of small entries a file cache would count
        # on every write. Per process is enough: a row's key holds its versions, read from "default".
        "rows": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 50_000}},
    }
# Every save, delete or many-to-many change of these models changes what cached page fragments (the action
# plan, the dashboard) show. Reports, comments and extension requests are not on those pages; what they
# change on a task (its status, its deadline) is a save of the task.
CACHE_WATCHED_MODELS = [
    "workplan.Task",
    "agreements.Agreement",
    "agencies.Agency",
    "accounts.User",
    "events.Event",
    "committee.Meeting",
    "committee.Decision",
    "calendars.CalendarDay",
    "accounts.Absence",
    # Whether the admin offers "Add" for the reminder rules (one row at most): its list of models is kept
    # per data version (core.admin_site).
    "notifications.ReminderSettings",
]

# What a cached row of the action plan names besides its task (whose own `updated` stamp is in the row's key):
# a save or delete of one of these re-renders every row (omskevents.core.cache.cached_rows).
CACHE_NAMES_MODELS = ["agencies.Agency", "accounts.User", "events.Event"]

# Celery: Redis when REDIS_URL is set, otherwise an embedded filesystem broker under var/.
REDIS_URL = env.str("REDIS_URL", default="")
# A folder of its own lets a benchmark run next to `make run` without sharing its queue.
CELERY_BROKER_DIR = Path(env.str("CELERY_BROKER_DIR", default=str(VAR_DIR / "broker")))
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object]
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # A time limit far below the visibility timeout: Redis never hands a running task to a second worker.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "socket_connect_timeout": 3}
else:
    # The host is a placeholder the transport ignores; naming it spares a warning from kombu in every process.
    CELERY_BROKER_URL = "filesystem://localhost//"
    # omskevents/celery.py creates these folders when the configuration is read.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
        # The folder is polled; once a second drains a backlog of mails too slowly.
        "polling_interval": 0.2,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TIMEZONE = "UTC"
CELERY_ENABLE_UTC = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=120)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=100)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Reminders are rows in the outbox, never long ETA tasks: beat only ticks, the scan decides what is due.
CELERY_BEAT_SCHEDULE: dict = {
    "notifications-scan": {"task": "notifications.scan", "schedule": 60.0, "options": {"expires": 55}},
    # Every 10 s: reconcile the journal, take back lapsed leases, hand over what is due (recovery within a minute).
    "notifications-sweep": {"task": "notifications.sweep", "schedule": 10.0, "options": {"expires": 9}},
    # Every 10 s: webhook deliveries whose worker died are taken back, due ones handed over (docs/webhooks.md).
    "webhooks-sweep": {"task": "webhooks.sweep", "schedule": 10.0, "options": {"expires": 9}},
    # Daily: security events past AUDIT_RETENTION_DAYS are deleted (the security log's only delete).
    "accounts-purge-security-events": {
        "task": "accounts.purge_security_events",
        "schedule": crontab(hour=3, minute=10),
        "options": {"expires": 3600},
    },
    # Daily; in December it seeds next year's working calendar from the holidays package where it is missing.
    "calendars-seed-next-year": {
        "task": "calendars.seed_next_year",
        "schedule": crontab(hour=2, minute=30),  # UTC: 08:30 in Omsk
        "options": {"expires": 3600},
    },
    # Daily: delegates' personal data is removed DELEGATE_DATA_RETENTION_DAYS after their event ends (152-FZ).
    "events-purge-delegates": {
        "task": "events.purge_delegates",
        "schedule": crontab(hour=3, minute=0),  # UTC: 09:00 in Omsk
        "options": {"expires": 3600},
    },
}
# Queues by kind, so that a slow or dead SMTP server holds back mail only: "mail" (delivery batches), "scans"
# (the outbox scan and sweep: they must run every minute whatever the mail does) and "celery", Celery's
# default, for everything else (the calendar, exports and what comes). A worker started without -Q consumes
# all three (`make run`, the benchmarks, the fault run); production runs one worker per queue
# (omskevents/Procfile.production).
# "webhooks" holds the webhook deliveries: a receiver that hangs holds back webhooks only, never mail.
CELERY_TASK_QUEUES = (Queue("mail"), Queue("scans"), Queue("webhooks"), Queue("celery"))
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_ROUTES = {
    "notifications.send_batch": {"queue": "mail"},
    "notifications.scan": {"queue": "scans"},
    "notifications.sweep": {"queue": "scans"},
    "webhooks.deliver": {"queue": "webhooks"},
    "webhooks.sweep": {"queue": "scans"},
}
# The outbox (docs/reliability.md): a worker holds its batch's rows for a short lease, renewed while the batch
# runs; a row whose lease lapsed is queued again (or flagged "possibly sent" when its mail had gone to the
# SMTP server). A row handed to the broker but not picked up within NOTIFY_REDISPATCH_SECONDS is handed over again.
NOTIFY_LEASE_SECONDS = env.int("NOTIFY_LEASE_SECONDS", default=30)
NOTIFY_REDISPATCH_SECONDS = env.int("NOTIFY_REDISPATCH_SECONDS", default=45)
NOTIFY_RETRY_BASE_SECONDS = env.float("NOTIFY_RETRY_BASE_SECONDS", default=60.0)
# Temporary failures (4xx, no server) are retried with backoff for this long from the first one, then failed.
NOTIFY_RETRY_FOR_SECONDS = env.int("NOTIFY_RETRY_FOR_SECONDS", default=24 * 3600)
# How long a worker keeps trying to record a "sent" on a fresh database connection before leaving it to its journal.
NOTIFY_MARK_RETRY_SECONDS = env.float("NOTIFY_MARK_RETRY_SECONDS", default=30.0)
# A "possibly sent" row of a kind that is resent waits this long first: a worker's journal may yet say "sent".
NOTIFY_UNCERTAIN_GRACE_SECONDS = env.int("NOTIFY_UNCERTAIN_GRACE_SECONDS", default=300)
# Notices to one person during their working hours (reports, assignments, extension requests …) wait this long
# for more: whatever comes for them meanwhile joins the same sending moment and goes as one mail. 0: each at once.
NOTIFY_GATHER_WINDOW_SECONDS = env.int("NOTIFY_GATHER_WINDOW_SECONDS", default=120)
# A reminder scan plans only the tasks written since the last one while nothing else it reads has changed
# (notifications/scan_state.py), and every candidate at least this often.
NOTIFY_FULL_SCAN_SECONDS = env.int("NOTIFY_FULL_SCAN_SECONDS", default=900)
# The worker host's journal of mails the SMTP server accepted (SQLite; one per host, shared by its processes).
NOTIFY_JOURNAL_PATH = env.str("NOTIFY_JOURNAL_PATH", default=str(VAR_DIR / "outbox-journal.sqlite3"))
# Days after an event's end when its delegates' personal data is removed (Federal Law No. 152-FZ).
DELEGATE_DATA_RETENTION_DAYS = env.int("DELEGATE_DATA_RETENTION_DAYS", default=30)
# Webhooks (docs/webhooks.md). Production allows https only and public addresses only (settings/production.py
# fixes both off); development and the tests may post to http:// and to receivers on loopback or a private network.
WEBHOOKS_ALLOW_HTTP = env.bool("WEBHOOKS_ALLOW_HTTP", default=False)
WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = env.bool("WEBHOOKS_ALLOW_PRIVATE_ADDRESSES", default=False)
# One attempt: connecting, then waiting for (and reading the start of) the answer. The lease outlasts both.
WEBHOOKS_CONNECT_TIMEOUT = env.float("WEBHOOKS_CONNECT_TIMEOUT", default=3.0)
WEBHOOKS_READ_TIMEOUT = env.float("WEBHOOKS_READ_TIMEOUT", default=10.0)
WEBHOOKS_LEASE_SECONDS = env.int("WEBHOOKS_LEASE_SECONDS", default=60)
WEBHOOKS_REDISPATCH_SECONDS = env.int("WEBHOOKS_REDISPATCH_SECONDS", default=45)
# Failed attempts are retried with backoff (base, 2×base … capped) for this long, then the delivery is failed.
WEBHOOKS_RETRY_BASE_SECONDS = env.float("WEBHOOKS_RETRY_BASE_SECONDS", default=30.0)
WEBHOOKS_RETRY_MAX_DELAY_SECONDS = env.float("WEBHOOKS_RETRY_MAX_DELAY_SECONDS", default=3600.0)
WEBHOOKS_RETRY_FOR_SECONDS = env.int("WEBHOOKS_RETRY_FOR_SECONDS", default=24 * 3600)
WEBHOOKS_MAX_ENDPOINTS = env.int("WEBHOOKS_MAX_ENDPOINTS", default=10)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "omskevents.security": {"level": "INFO"},
    },
}

# Sessions: two hours idle, twelve hours at most since login (omskevents.core.middleware.SessionLimitMiddleware).
# In the database only: a cached copy could outlive a logout whose cache delete failed. Activity is recorded
# once a minute, not on every request.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Two-factor login (django-otp). Enforced: a person with a confirmed device must give a code after the password,
# and the secretariat, agency heads and anyone with admin access must enrol first. Only the test settings turn
# it off (their tests that are about it turn it back on); production refuses to start without it (a deploy check).
SECOND_FACTOR_ENFORCED = env.bool("SECOND_FACTOR_ENFORCED", default=True)
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="omskevents")
# The admin lists devices (to remove a lost phone) but never shows their secrets.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Each wrong code doubles the wait before the next one is checked (1 s, 2 s, 4 s, ...), per device.
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
OTP_SECURITY_KEY_THROTTLE_FACTOR = 1
# WebAuthn security keys: the relying party is the site of SITE_URL (its host name is the RP ID, its scheme, host
# and port the expected origin); set these only when the keys must be bound to a parent domain or another origin.
WEBAUTHN_RP_ID = env.str("WEBAUTHN_RP_ID", default="")
WEBAUTHN_ORIGIN = env.str("WEBAUTHN_ORIGIN", default="")
WEBAUTHN_RP_NAME = env.str("WEBAUTHN_RP_NAME", default="omskevents")
# Password reset by mail: a link lives an hour and dies with its first use (Django's token covers the password
# hash and the last login); a few requests per address and per client address within the window.
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=3600)
PASSWORD_RESET_PER_EMAIL = env.int("PASSWORD_RESET_PER_EMAIL", default=3)
PASSWORD_RESET_PER_IP = env.int("PASSWORD_RESET_PER_IP", default=10)
PASSWORD_RESET_THROTTLE_WINDOW_SECONDS = env.int("PASSWORD_RESET_THROTTLE_WINDOW_SECONDS", default=3600)
# The security log (accounts.SecurityEvent) keeps this many days of events; a daily beat task deletes older ones.
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=365)
# How many recovery codes an enrolment hands out (each works once).
SECOND_FACTOR_RECOVERY_CODES = 10
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=2 * 3600)
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=12 * 3600)
SESSION_ACTIVITY_GRANULARITY = 60
# Signed-in sessions one person may hold at once; a new login ends the oldest past it (0: no limit).
MAX_SESSIONS_PER_USER = env.int("MAX_SESSIONS_PER_USER", default=10)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# The language switch is a form posted to the server; no script reads the cookie.
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# The reverse proxies whose X-Forwarded-For is believed (addresses or networks, comma-separated); none by
# default: then the peer's address is the client's (omskevents.core.client_ip).
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])

# Login throttling (omskevents.accounts.throttling): five failures for one username from one address lock that
# pair (not the username alone, so nobody can lock a minister out by typing wrong passwords from elsewhere);
# AXES_IP_FAILURE_LIMIT failures from one address across all usernames lock the address. Both within the
# cool-off time, which a new failure extends.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_IP_FAILURE_LIMIT = env.int("AXES_IP_FAILURE_LIMIT", default=30)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "omskevents.accounts.throttling.LoginThrottleHandler"
AXES_CLIENT_IP_CALLABLE = "omskevents.core.client_ip.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_SENSITIVE_PARAMETERS = ["password"]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# Content-Security-Policy: no inline scripts or styles anywhere, the admin included.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

# The REST API (omskevents/api, docs/api.md): personal tokens (Authorization: Bearer) or the session (with its CSRF
# token); JSON in and out (multipart for reports with files); lists by cursor; a budget of requests per token.
API_RATE_PER_MINUTE = env.int("API_RATE_PER_MINUTE", default=600)
API_TOKEN_MAX_DAYS = env.int("API_TOKEN_MAX_DAYS", default=365)
API_TOKENS_PER_USER = env.int("API_TOKENS_PER_USER", default=20)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "omskevents.api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["omskevents.api.access.ScopedAccess"],
    "DEFAULT_THROTTLE_CLASSES": ["omskevents.api.access.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api": f"{API_RATE_PER_MINUTE}/min"},
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "omskevents.api.errors.api_exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "omskevents API",
    "DESCRIPTION": "The action plan, meetings and agreements of the Russia–Kazakhstan Forum's organising committee, "
    "scoped to the caller's agency. Personal tokens: Authorization: Bearer oe_… (see docs/api.md).",
    "VERSION": "1.0.0",
    # 3.1: a nullable nested object is "oneOf: [object, null]", which validators read the same way.
    "OAS_VERSION": "3.1.0",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from the drf-spectacular-sidecar package's static files: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"deepLinking": True},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "omskevents.api.schema.add_error_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "TaskStatusEnum": "omskevents.workplan.enums.TaskStatus",
        "ExtensionStatusEnum": "omskevents.workplan.enums.ExtensionStatus",
        "MeetingStatusEnum": "omskevents.committee.enums.MeetingStatus",
        "EventStatusEnum": "omskevents.events.enums.EventStatus",
        "AgreementStageEnum": "omskevents.agreements.enums.Stage",
        "EventKindEnum": "omskevents.events.enums.EventKind",
        "AgreementKindEnum": "omskevents.agreements.enums.AgreementKind",
        "WebhookEventKindEnum": "omskevents.webhooks.enums.EventKind",
        "WebhookOwnerEnum": "omskevents.webhooks.enums.Owner",
        "DeliveryStateEnum": "omskevents.webhooks.enums.DeliveryState",
        "CountryEnum": "omskevents.agencies.enums.Country",
        "RoleEnum": "omskevents.accounts.enums.Role",
        "AgreementLanguageEnum": "omskevents.agreements.enums.Language",
    },
}
