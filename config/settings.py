"""Waypoint settings: one module, driven by the environment.

Production is the default: DEBUG off, a SECRET_KEY required, hashed and compressed static
files. `make run` switches on development conveniences through the environment (DEBUG=1).
"""

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "Set SECRET_KEY in the environment (or DEBUG=1 for development)."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-used-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_htmx",
    "template_partials",
    "csp",
    "allauth",
    "allauth.account",
    "mailer",
    "simple_history",
    "accounts",
    "careers",
    "roadmaps",
]

MIDDLEWARE = [
    "config.middleware.log_refusals",
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.request_limits",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses pages on their way out, after every middleware below has written them;
    # below WhiteNoise, which serves static files already compressed (gzip, Brotli) at build
    # time. BREACH: every page's CSRF token is masked afresh per response, and Django's
    # GZipMiddleware pads each gzip header with random bytes ("Heal The Breach"), so
    # compressing pages that carry secrets is kept (README, "Compression").
    "django.middleware.gzip.GZipMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",  # who changed catalog rows
    "config.middleware.private_member_pages",
    "accounts.middleware.member_timezone",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

# Templates: django-template-partials' loader wraps the usual ones ("page.html#fragment");
# cached in production, re-read on every request in development.
_template_loaders = [
    "django.template.loaders.filesystem.Loader",
    "django.template.loaders.app_directories.Loader",
]
if not DEBUG:
    _template_loaders = [("django.template.loaders.cached.Loader", _template_loaders)]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            "loaders": [("template_partials.loader.Loader", _template_loaders)],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.verification",
                "config.seo.canonical",
            ],
            "builtins": [
                "django_htmx.templatetags.django_htmx",
                "template_partials.templatetags.partials",
            ],
        },
    }
]

# Database: SQLite file by default (WAL, busy timeout, IMMEDIATE transactions so several
# gunicorn workers queue for the write lock instead of failing with "database is locked");
# PostgreSQL through DATABASE_URL in production.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Connections are kept (CONN_MAX_AGE) as on PostgreSQL: opening one runs the PRAGMAs
    # below, which cost a page as much as its own queries (measured with `make bench`).
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# Static files: served by whitenoise, hashed and compressed in production.
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Security headers. The Content-Security-Policy allows nothing inline and no eval.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# HTTPS. SECURE_SSL_REDIRECT=1 is the production profile: every request is redirected to HTTPS
# except the health probes, which load balancers send over plain HTTP; HSTS for a year, on
# subdomains too (SECURE_HSTS_INCLUDE_SUBDOMAINS=0 to opt out), and preload only on request
# (SECURE_HSTS_PRELOAD=1: a submission to the browsers' preload list is hard to undo).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
if SECURE_SSL_REDIRECT:
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)

# Cookies: secure (HTTPS only) in production, never readable by scripts, sent on same-site
# navigation only; a session lasts two weeks from the last request and ends at sign-out.
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG and SECURE_SSL_REDIRECT)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(14 * 24 * 3600)))
SESSION_SAVE_EVERY_REQUEST = False

# A reverse proxy (nginx, a load balancer) in front: TRUSTED_PROXY_COUNT is how many of them
# append to X-Forwarded-For, so the client address (for rate limits and the security log) is
# the entry that many from the end, and X-Forwarded-Proto says whether the client used HTTPS.
# 0 (the default) trusts neither header: the client is REMOTE_ADDR. Only set it when every
# request passes through the proxies, which must overwrite (not pass on) X-Forwarded-Proto.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
if TRUSTED_PROXY_COUNT or SECURE_SSL_REDIRECT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Request limits: a body over MAX_REQUEST_BYTES is refused with 413 before it is read
# (config.middleware.request_limits); forms carry a few dozen fields at most.
MAX_REQUEST_BYTES = int(os.environ.get("MAX_REQUEST_BYTES", str(1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_REQUEST_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = MAX_REQUEST_BYTES
DATA_UPLOAD_MAX_NUMBER_FIELDS = 500

# Checks `check --deploy` may skip, each with its reason (the README lists them too).
SILENCED_SYSTEM_CHECKS = []
if SECURE_SSL_REDIRECT and not SECURE_HSTS_PRELOAD:
    # Preload is a commitment browsers keep for months after it is withdrawn; it is the
    # operator's choice (SECURE_HSTS_PRELOAD=1), not a default.
    SILENCED_SYSTEM_CHECKS.append("security.W021")

# Caches: one cache that every worker shares, so allauth's rate limits hold across gunicorn
# workers. The database cache by default (its table is created by `migrate`, see accounts.apps,
# and by `createcachetable`); Redis when REDIS_URL is set. While Redis does not answer, the
# cache falls back to the database cache (config.cache), so pages and forms keep working and
# the rate limits keep holding (counted afresh) instead of answering 500.
REDIS_URL = os.environ.get("REDIS_URL", "")
DATABASE_CACHE = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "waypoint_cache",
}
# Anonymous catalog pages (careers.page_cache) are kept this long at most (any catalog change
# drops them at once); 0 turns the page cache off, the default in development.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "0" if DEBUG else "3600"))
# Anonymous catalog pages (careers.page_cache) have a cache of their own, a table or key prefix,
# so that culling pages never evicts a rate-limit counter from the default cache.
PAGE_DATABASE_CACHE = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "waypoint_page_cache",
    "OPTIONS": {"MAX_ENTRIES": 2000},
}
if REDIS_URL:
    _redis = {
        "BACKEND": "config.cache.RedisOrDatabaseCache",
        "LOCATION": REDIS_URL,
        # A Redis that hangs costs a request at most a second before the fall-back.
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
    CACHES = {
        "default": {**_redis, "FALLBACK": "database"},
        "database": DATABASE_CACHE,
        "pages": {**_redis, "FALLBACK": "pages-database", "KEY_PREFIX": "pages"},
        "pages-database": PAGE_DATABASE_CACHE,
    }
else:
    CACHES = {"default": DATABASE_CACHE, "pages": PAGE_DATABASE_CACHE}
# Rendered plan rows (roadmaps.rows): in each process's memory, keyed by all they show.
CACHES["fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "fragments",
    "OPTIONS": {"MAX_ENTRIES": 20000},
}

# Accounts: django-allauth, email as the login, no usernames.
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/dashboard/"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {
    "login": "accounts.forms.LoginForm",
    "signup": "accounts.forms.SignupForm",
    "add_email": "accounts.forms.AddEmailForm",
}
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
# Unverified members may use the app (with a banner and no reminder mail); sign-up itself
# always answers "check your inbox" (see accounts.adapter), so it never reveals an account.
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Waypoint] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SECURE_SSL_REDIRECT else "http"
ACCOUNT_RATE_LIMITS = {
    # Failed sign-ins: 10 a minute from one address, 5 in 5 minutes for one email.
    "login_failed": "10/m/ip,5/5m/key",
    "login": "30/m/ip",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
}

# Email: the console in development, SMTP from the environment in production (EMAIL_URL such
# as smtp+tls://user:password@smtp.example.com:587, or the discrete EMAIL_* variables).
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Waypoint <waypoint@localhost>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)


def email_settings(url: str) -> dict:
    """SMTP settings from a URL: smtp://, smtp+tls:// (STARTTLS) or smtps:// (implicit TLS)."""
    parts = urlsplit(url)
    if parts.scheme not in {"smtp", "smtp+tls", "smtps", "smtp+ssl"}:
        raise ImproperlyConfigured(f"EMAIL_URL: unsupported scheme {parts.scheme!r}.")
    ssl = parts.scheme in {"smtps", "smtp+ssl"}
    query = parse_qs(parts.query)
    return {
        "EMAIL_HOST": parts.hostname or "localhost",
        "EMAIL_PORT": parts.port or (465 if ssl else 587 if parts.scheme == "smtp+tls" else 25),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": parts.scheme == "smtp+tls"
        or query.get("tls", [""])[0].lower() in {"1", "true", "yes", "on"},
        "EMAIL_USE_SSL": ssl,
    }


if os.environ.get("EMAIL_URL"):
    globals().update(email_settings(os.environ["EMAIL_URL"]))
else:
    EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))

# Mail is queued in the database (django-mailer), in the same transaction as the change that
# causes it, and delivered by the worker (`make worker`: `manage.py mail_worker`) through
# MAILER_EMAIL_BACKEND, SMTP by default; a refused message is deferred and retried with
# back-off, never lost. Development prints mail to the console at once and needs no worker.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "mailer.backend.DbBackend",
)
MAILER_EMAIL_BACKEND = os.environ.get(
    "MAILER_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)
# Row locks (select_for_update, skipped when taken) keep two workers from sending one
# message twice; no lock file in the working directory.
MAILER_USE_FILE_LOCK = False
# A pass stops after this many refusals (the server is down: back off rather than try every
# message); the deferred ones are retried by the worker with growing waits, indefinitely.
MAILER_EMAIL_MAX_DEFERRED = 3
# Any failure defers the message (django-mailer's own handler raises on non-SMTP errors).
MAILER_ERROR_HANDLER = "accounts.mail.defer_every_failure"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
