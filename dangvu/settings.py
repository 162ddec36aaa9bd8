"""One env-driven settings file.

Every value a deployment may change is read from the environment here, and a bad value fails loudly
at start-up instead of half-working. `DANGVU_ENV=production` turns on the deployment settings that
`dangvu check --deploy` looks for.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("DANGVU_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_days(name: str, default: tuple[int, ...]) -> tuple[int, ...]:
    """A comma-separated list of whole days, e.g. "3,1" -> (3, 1), largest first."""
    items = env_list(name, [])
    if not items:
        return default
    try:
        days = sorted({int(item) for item in items}, reverse=True)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be whole days separated by commas, e.g. 3,1") from exc
    if days[-1] < 0:
        raise ImproperlyConfigured(f"{name} must not hold a negative number of days")
    return tuple(days)


def _development_secret_key() -> str:
    # A development key that is not in the repository: made once and kept under var/.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(64))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


ENVIRONMENT = os.environ.get("DANGVU_ENV", "development")
if ENVIRONMENT not in {"development", "production"}:
    raise ImproperlyConfigured("DANGVU_ENV must be 'development' or 'production'")
PRODUCTION = ENVIRONMENT == "production"

if PRODUCTION:
    SECRET_KEY = os.environ.get("DANGVU_SECRET_KEY", "")
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("DANGVU_SECRET_KEY must be set to at least 50 random characters")
else:
    SECRET_KEY = os.environ.get("DANGVU_SECRET_KEY") or _development_secret_key()

DEBUG = env_bool("DANGVU_DEBUG", False)
ALLOWED_HOSTS = env_list("DANGVU_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("DANGVU_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "whitenoise.runserver_nostatic",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "simple_history",
    "axes",
    "ninja",
    "django_tasks_db",
    "dangvu.core",
    "dangvu.organization",
    "dangvu.members",
    "dangvu.reports",
    "dangvu.classification",
    "dangvu.meetings",
    "dangvu.programme",
    "dangvu.development",
    "dangvu.badges",
    "dangvu.targets",
    "dangvu.documents",
    "dangvu.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "dangvu.core.middleware.RejectNullCharactersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "dangvu.core.middleware.UserLanguageMiddleware",
    "dangvu.core.middleware.PasswordChangeRequiredMiddleware",
    "dangvu.core.middleware.ScopeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "dangvu.urls"
WSGI_APPLICATION = "dangvu.wsgi.application"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "dangvu.core.context_processors.notifications",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'dangvu.sqlite3'}", conn_max_age=env_int("DANGVU_DB_CONN_MAX_AGE", 0)
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while a command writes; the timeout waits out short write locks.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Login throttling: after this many failures the username is locked for the cool-off period.
AXES_FAILURE_LIMIT = env_int("DANGVU_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("DANGVU_LOGIN_COOLOFF_MINUTES", 15) / 60  # hours
# Username and address together: one shared office address must not lock the whole office out.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "core/lockout.html"
AXES_RESET_ON_SUCCESS = True
# Behind one reverse proxy the client's address is the last X-Forwarded-For entry (core.security).
DANGVU_BEHIND_PROXY = env_bool("DANGVU_BEHIND_PROXY", False)
AXES_CLIENT_IP_CALLABLE = "dangvu.core.security.client_ip"

# Vietnamese whatever the browser says: no LocaleMiddleware; a user may choose English for themself.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "dangvu" / "locale"]
FORMAT_MODULE_PATH = ["dangvu.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Outside production the files are served straight from the apps: no collectstatic for the demo.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION

# A request body (other than file uploads) above this size is refused; file uploads get their own
# size and type checks where a feature accepts them.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# An export of more rows than this runs in the background worker, with its progress on a page.
DANGVU_EXPORT_INLINE_MAX = env_int("DANGVU_EXPORT_INLINE_MAX", 1000)
DANGVU_JOB_FILE_DAYS = 7  # a background job's file is deleted this many days after it is made

# E-mail: every notification is also e-mailed to users who have an address (core.notifications).
# Django 6.1's MAILERS (the EMAIL_* settings are deprecated), fed by the DANGVU_EMAIL_* variables.
_EMAIL_BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "dummy": "django.core.mail.backends.dummy.EmailBackend",
}
# Production sends through SMTP (a local mail relay by default); development prints the e-mails.
_email_backend = os.environ.get("DANGVU_EMAIL_BACKEND") or ("smtp" if PRODUCTION else "console")
_email_backend = _EMAIL_BACKENDS.get(_email_backend, _email_backend)
if "." not in _email_backend:
    raise ImproperlyConfigured("DANGVU_EMAIL_BACKEND must be smtp, console, dummy or a dotted path")
_email_options: dict = {}
if _email_backend == _EMAIL_BACKENDS["smtp"]:
    _email_options = {
        "host": os.environ.get("DANGVU_EMAIL_HOST", "localhost"),
        "port": env_int("DANGVU_EMAIL_PORT", 25),
        "username": os.environ.get("DANGVU_EMAIL_USER", ""),
        "password": os.environ.get("DANGVU_EMAIL_PASSWORD", ""),
        "use_tls": env_bool("DANGVU_EMAIL_USE_TLS", False),
        "timeout": env_int("DANGVU_EMAIL_TIMEOUT", 30),  # a hung mail server must not hold the scheduler
    }
MAILERS = {"default": {"BACKEND": _email_backend, "OPTIONS": _email_options}}
DEFAULT_FROM_EMAIL = os.environ.get("DANGVU_EMAIL_FROM", "dangvu@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The address of the site, for the links in e-mails (the pages themselves use relative links).
DANGVU_SITE_URL = os.environ.get("DANGVU_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Days before a report's due date when reminders go out (the reports app reads it).
DANGVU_REMINDER_DAYS = env_days("DANGVU_REMINDER_DAYS", (3, 1))

# A page may load only its own scripts, styles and images: no inline script, no CDN.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("DANGVU_SESSION_HOURS", 12) * 3600
CSRF_COOKIE_HTTPONLY = True

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("DANGVU_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("DANGVU_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DANGVU_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DANGVU_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # The browsers' preload list is for public domains; an intranet install opts in or not.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    if DANGVU_BEHIND_PROXY:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Personal data never goes to logs: errors are logged by path and type, not with request bodies.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DANGVU_LOG_LEVEL", "INFO")},
    # WeasyPrint logs each step of every PDF at INFO, and fontTools its subsetting.
    "loggers": {name: {"level": "WARNING"} for name in ("axes", "weasyprint", "fontTools")},
}

NINJA_PAGINATION_PER_PAGE = 50

# Product settings for points the rules leave to the committee (shared/domain/rules.md).
DANGVU_CELL_COMMITTEE_MAX = 7  # rules §9.6: a chi ủy has at most 7 members
