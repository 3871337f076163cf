"""Settings for SRO Portal: one file, driven by environment variables.

Every value that differs between a laptop and production comes from the
environment (or a `.env` file beside manage.py). Bad values fail loudly at start.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# --- Core --------------------------------------------------------------------
DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off. Generate one with: "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    SECRET_KEY = "insecure-development-key-only-for-debug"  # noqa: S105

# The key that seals each signature (HMAC-SHA256, onboarding/agreements/seal.py).
# Kept outside the database, so someone who can write to the database cannot forge
# a signature's seal after rewriting a text: keep it apart from the database's
# backups, and never change it (every signature sealed with the old key would then
# read as altered). Required in production; in development derived from SECRET_KEY.
SIGNATURE_SEAL_KEY = env.str("SIGNATURE_SEAL_KEY", default="")
if not SIGNATURE_SEAL_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SIGNATURE_SEAL_KEY must be set when DEBUG is off (see README, Tamper "
            "evidence). Generate one with: "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    SIGNATURE_SEAL_KEY = "development-seal:" + SECRET_KEY

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# --- Applications ------------------------------------------------------------
DJANGO_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]
THIRD_PARTY_APPS = [
    "django_tasks_db",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "bootstrap",
    "axes",
]
LOCAL_APPS = [
    "onboarding",
    "expectations",
    "events",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Early, so that a NUL byte in an address never reaches a view or the database.
    "sro_portal.middleware.ControlCharactersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After messages: an idle session ends with a message for the sign-in page.
    "onboarding.people.middleware.IdleTimeoutMiddleware",
    "onboarding.people.middleware.NoStoreMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, so that a lockout answers before any view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sro_portal.urls"
WSGI_APPLICATION = "sro_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "onboarding.navigation.navigation",
            ],
        },
    },
]

# --- Database ----------------------------------------------------------------
# The embedded default is a SQLite file at an absolute path inside the project,
# so it does not depend on the directory a command is started from.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A pool per process instead of a new connection per request; health checks
    # so a restarted database costs no failed requests. Pooling forbids CONN_MAX_AGE.
    if env.bool("DATABASE_POOL", default=True):
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": env.int("DATABASE_POOL_MIN", default=2),
            "max_size": env.int("DATABASE_POOL_MAX", default=10),
            "timeout": env.int("DATABASE_POOL_TIMEOUT", default=10),
        }
    # With the pool, Django passes this on as the pool's `check`: each connection
    # is tested (one empty round trip) as it is handed out, so connections killed
    # by a database restart are replaced instead of failing a request.
    # bench/restart.py turns it off (DATABASE_HEALTH_CHECKS=false) to show that.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("DATABASE_HEALTH_CHECKS", default=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# In the database, so that every app server reads what another kept: rendered
# fragments under keys derived from their data (readiness under each school's newest
# audit event, Markdown and word diffs under a hash of their text). `migrate` makes
# its table. Room for every school's fragments and every text of a large district.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "sro_portal_cache",
        "OPTIONS": {"MAX_ENTRIES": env.int("CACHE_MAX_ENTRIES", default=50_000)},
    }
}

# --- Background work ---------------------------------------------------------
# Django's tasks framework with the database backend: tasks are rows of the one
# database, written in the transaction that enqueues them, and run by
# `manage.py db_worker` (several workers on several machines share the queue).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- People and sign-in ------------------------------------------------------
AUTH_USER_MODEL = "onboarding.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # one day
INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=7)

# Sessions live in the database, so several app servers share them. A session ends
# SESSION_COOKIE_AGE after sign-in whatever happens (onboarding.people.middleware fixes
# it at sign-in), and sooner after SESSION_IDLE_MINUTES without a request.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = 60 * 60 * 12
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=120)

# Lock an account from one address after repeated failures. The lock is on the
# pair (account, address): a school's staff share one public address, and one
# person's typos must not lock out their colleagues.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
# The address as sign-in matches it (stripped, lower case): other capitals are the
# same account and share its count of failures.
AXES_USERNAME_CALLABLE = "onboarding.people.signin.axes_username"
AXES_VERBOSE = False
# Behind PROXY_COUNT proxies, the client address is the one the outermost proxy
# appended to X-Forwarded-For; without proxies it is the connection's address.
PROXY_COUNT = env.int("PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "onboarding.audit.models.client_ip"
# Password-reset emails per address and per client address per hour (counted in the
# database, so across app servers). Over either, the page answers as usual and no
# email goes.
PASSWORD_RESET_ADDRESS_LIMIT = env.int("PASSWORD_RESET_ADDRESS_LIMIT", default=3)
PASSWORD_RESET_CLIENT_LIMIT = env.int("PASSWORD_RESET_CLIENT_LIMIT", default=20)

# --- Email -------------------------------------------------------------------
# EMAIL_URL, for example smtp+tls://user:password@smtp.example.org:587
_email = env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
_email_options = {
    key: _email[setting]
    for key, setting in [
        ("host", "EMAIL_HOST"),
        ("port", "EMAIL_PORT"),
        ("username", "EMAIL_HOST_USER"),
        ("password", "EMAIL_HOST_PASSWORD"),
        ("use_tls", "EMAIL_USE_TLS"),
        ("use_ssl", "EMAIL_USE_SSL"),
        ("timeout", "EMAIL_TIMEOUT"),
    ]
    if _email.get(setting) not in (None, "")
}
if _email["EMAIL_BACKEND"] != "django.core.mail.backends.smtp.EmailBackend":
    _email_options = {}
else:
    # A mail server that stops answering must not hold the worker forever.
    _email_options.setdefault("timeout", env.int("EMAIL_TIMEOUT", default=30))
MAILERS = {"default": {"BACKEND": _email["EMAIL_BACKEND"], "OPTIONS": _email_options}}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="SRO Portal <noreply@example.org>")
# The outbox (onboarding/outbox): each email is a row, sent by the worker in batches
# of EMAIL_BATCH_SIZE over one connection. A temporary refusal (4xx, no answer) is
# retried after EMAIL_RETRY_SECONDS, doubling up to EMAIL_RETRY_MAX_SECONDS, for
# EMAIL_GIVE_UP_HOURS; an email claimed by a worker that stopped is due again after
# EMAIL_CLAIM_TIMEOUT seconds.
EMAIL_BATCH_SIZE = env.int("EMAIL_BATCH_SIZE", default=100)
EMAIL_RETRY_SECONDS = env.int("EMAIL_RETRY_SECONDS", default=60)
EMAIL_RETRY_MAX_SECONDS = env.int("EMAIL_RETRY_MAX_SECONDS", default=3600)
EMAIL_GIVE_UP_HOURS = env.int("EMAIL_GIVE_UP_HOURS", default=48)
EMAIL_CLAIM_TIMEOUT = env.int("EMAIL_CLAIM_TIMEOUT", default=600)
EMAIL_MESSAGE_ID_DOMAIN = env.str("EMAIL_MESSAGE_ID_DOMAIN", default="sro-portal")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Absolute links in emails (invitations, reminders) start with this.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# --- Exports ------------------------------------------------------------------
# Files the worker builds (evidence binders, district exports) go to Django's default
# storage under MEDIA_ROOT: app servers and workers must share it (one volume, or a
# network file system). They are never served from a public URL: each download goes
# through a view that checks who asks. Deleted after EXPORT_KEEP_HOURS by
# `exports_sweep`, which also fails a build that ran longer than
# EXPORT_BUILD_TIMEOUT seconds (its worker stopped).
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "/media/"  # nothing is served there
EXPORT_KEEP_HOURS = env.int("EXPORT_KEEP_HOURS", default=24)
EXPORT_BUILD_TIMEOUT = env.int("EXPORT_BUILD_TIMEOUT", default=1800)

# Class introductions: the least time an officer needs between blocks at two schools.
INTRODUCTIONS_TRAVEL_BUFFER_MINUTES = env.int("INTRODUCTIONS_TRAVEL_BUFFER_MINUTES", default=20)

# --- Time --------------------------------------------------------------------
# Stored in UTC; each school shows its own zone.
TIME_ZONE = "UTC"
USE_TZ = True
LANGUAGE_CODE = "en-us"
USE_I18N = False

# --- Static files ------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Security ----------------------------------------------------------------
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
# A `__Host-` cookie is accepted by browsers only when Secure, with Path=/ and no
# Domain: a neighbouring subdomain cannot plant or overwrite it. Only with Secure
# cookies (a browser drops a `__Host-` cookie without Secure), so that development
# over plain HTTP keeps the usual names.
if SESSION_COOKIE_SECURE and not DEBUG:
    SESSION_COOKIE_NAME = "__Host-sessionid"
if CSRF_COOKIE_SECURE and not DEBUG:
    CSRF_COOKIE_NAME = "__Host-csrftoken"
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
# Only behind a proxy that sets (and strips clients' own) X-Forwarded-Proto.
if env.bool("TRUST_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# /healthz answers the load balancer over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# --- Logging -----------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}

# --- Product -----------------------------------------------------------------
# In development the sign-in page lists the demo accounts.
SHOW_DEMO_ACCOUNTS = env.bool("SHOW_DEMO_ACCOUNTS", default=DEBUG)
DEMO_PASSWORD = "sro-portal-demo"  # noqa: S105 - the documented demo password

# --- Events and invitations ---------------------------------------------------
# Families' names and emails are deleted this many days after their event.
FAMILY_DATA_RETENTION_DAYS = env.int("FAMILY_DATA_RETENTION_DAYS", default=30)
# send_event_reminders reminds invitees of events starting within this many days.
EVENT_REMINDER_DAYS = env.int("EVENT_REMINDER_DAYS", default=2)
# Requests to an event's public page per client address and event, per 10 minutes:
# any request, and sign-ups.
PUBLIC_PAGE_RATE_LIMIT = env.int("PUBLIC_PAGE_RATE_LIMIT", default=60)
PUBLIC_SIGNUP_RATE_LIMIT = env.int("PUBLIC_SIGNUP_RATE_LIMIT", default=5)
# Family sign-ups per client address per hour, whatever the event and the email
# address: one visitor cannot take every place under made-up addresses.
FAMILY_SIGNUP_CLIENT_LIMIT = env.int("FAMILY_SIGNUP_CLIENT_LIMIT", default=10)
# Places one connection may take at one event per hour: one large family.
FAMILY_PLACES_PER_CLIENT = env.int("FAMILY_PLACES_PER_CLIENT", default=12)
