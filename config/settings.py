"""Settings for Warmhuis, read from the environment.

Every value an operator may change comes from an environment variable; the defaults are for a
developer's machine (DEBUG on, SQLite inside the checkout). See README.md, "Configuration".
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-for-debug-never-in-production"
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "djmoney",
    "import_export",
    "rules.apps.AutodiscoverRulesConfig",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "accounts",
    "budget",
    "eligibility",
    "households",
    "subsidy",
    "fieldwork",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "accounts.middleware.NoStoreMiddleware",
    "accounts.middleware.RefuseNulCharactersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): signed in with a second factor
    "accounts.sessions.SessionLimitsMiddleware",  # idle timeout, "log out everywhere"
    "accounts.two_factor.SecondFactorMiddleware",  # staff who need a second factor reach nothing else without
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",  # request.htmx; fragments answer through accounts.htmx (Vary)
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
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
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.navigation",
            ],
        },
    },
]

# Database: SQLite inside the checkout unless DATABASE_URL says otherwise (PostgreSQL in production).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"init_command": "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=5000;", "transaction_mode": "IMMEDIATE"}
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# A read-only replica of the default database for read-heavy reports: only code that asks for it reads there
# (config.routers.reports_on_replica); everything else, and every write, stays on default. Tests read default.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["config.routers.ReportsOnReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "accounts.sessions.ModelBackend",  # Django's, with the account's session state in the same query
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:start"
LOGOUT_REDIRECT_URL = "accounts:login"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# Static files are served by WhiteNoise under /static/; DJANGO_STATIC_URL=https://cdn.example.nl/static/ makes the
# pages load them from a CDN that pulls them from there (its origin is allowed by the CSP below).
STATIC_URL = os.environ.get("DJANGO_STATIC_URL", "/static/")
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
# Uploaded documents and generated letters (accounts.uploads.PrivateStorage): outside static and media, no URL;
# only views that check permissions hand them out (accounts.downloads).
PRIVATE_FILES_ROOT = Path(os.environ.get("DJANGO_PRIVATE_ROOT", BASE_DIR / "private"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Exports and imports (django-import-export): cells starting with = + - @ tab CR are escaped on export so a
# spreadsheet never runs them (CSV injection); an import commits all its rows or none.
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = False  # our resources escape every cell (accounts.spreadsheets)
IMPORT_EXPORT_USE_TRANSACTIONS = True

# E-mail (Django 6.1 MAILERS): the console in development, SMTP in production.
EMAIL_BACKEND_PATH = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
SMTP_OPTIONS = {
    "host": os.environ.get("DJANGO_EMAIL_HOST", "localhost"),
    "port": int(os.environ.get("DJANGO_EMAIL_PORT", "25")),
    "username": os.environ.get("DJANGO_EMAIL_HOST_USER", ""),
    "password": os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", ""),
    "use_tls": env_bool("DJANGO_EMAIL_USE_TLS", False),
}
MAILERS = {
    "default": {
        "BACKEND": EMAIL_BACKEND_PATH,
        "OPTIONS": SMTP_OPTIONS if EMAIL_BACKEND_PATH.endswith("smtp.EmailBackend") else {},
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "warmhuis@localhost")
# The address applicants reach the site at: e-mails link to it (the application's status link).
SITE_URL = os.environ.get("DJANGO_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Cache: shared by every worker process, so a rate limit counts all requests of an address. The database
# by default (`manage.py createcachetable` after `migrate`); Redis when DJANGO_REDIS_URL is set (needs the
# `redis` package).
REDIS_URL = os.environ.get("DJANGO_REDIS_URL", "")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "warmhuis_cache"}
}

# Background work: Django's tasks API. The database backend by default (run `manage.py db_worker`, as many
# as you like: a task is claimed by one of them only). DJANGO_TASKS_BACKEND=rq keeps the queue in the Redis
# at DJANGO_REDIS_URL instead (install the `rq` extra; run `manage.py rqworker --job-class django_tasks_rq.Job`).
# See docs/operations.md.
TASKS_BACKEND = os.environ.get("DJANGO_TASKS_BACKEND", "database")
if TASKS_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
elif TASKS_BACKEND == "rq":
    if not REDIS_URL:
        raise RuntimeError("DJANGO_TASKS_BACKEND=rq needs DJANGO_REDIS_URL.")
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": REDIS_URL}}
else:
    raise RuntimeError(f"DJANGO_TASKS_BACKEND must be 'database' or 'rq', not {TASKS_BACKEND!r}.")

# Money: EUR only.
CURRENCIES = ("EUR",)
DEFAULT_CURRENCY = "EUR"
CURRENCY_CHOICES = [("EUR", "EUR €")]

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "COERCE_DECIMAL_TO_STRING": True,
    # The domain's refusals (accounts.errors) answered once, with the sentences the pages show.
    "EXCEPTION_HANDLER": "accounts.api.exception_handler",
    # Every anonymous API request (the schema and its docs) is limited per client address; the public
    # calculators have their own, stricter scope (eligibility.api.PublicCalculationThrottle).
    "DEFAULT_THROTTLE_CLASSES": ["accounts.throttling.AnonRateThrottle"],  # per accounts.addresses.client_address
    # The client address is REMOTE_ADDR unless N trusted proxies in front of us each append the address they
    # saw to X-Forwarded-For: then it is the Nth from the right. A client cannot choose its own address.
    "NUM_PROXIES": int(os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", "0")),
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_ANON_THROTTLE", "120/minute"),
        # The public eligibility check and calculators (no login, per client address).
        "public_calculation": os.environ.get("API_PUBLIC_THROTTLE", "60/minute"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Warmhuis API",
    "DESCRIPTION": "Households, eligibility, grants and budget of a municipal energy-poverty programme.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Two choice sets share the field name "measure" (eligibility's DIY and large measures).
    "ENUM_NAME_OVERRIDES": {
        "DiyMeasureEnum": "eligibility.codes.DiyMeasure",
        "LargeMeasureEnum": "eligibility.codes.LargeMeasure",
        # Two sets of choices share the field name "status": each gets its own name.
        "HouseholdStatusEnum": "households.models.Household.Status",
        "EligibilityStatusEnum": "eligibility.codes.Status",
        "ApplicationStatusEnum": "subsidy.models.Application.Status",
        "DocumentKindEnum": "subsidy.models.Document.Kind",
        "PackageStatusEnum": "subsidy.models.Package.Status",
        "DefectReportStatusEnum": "fieldwork.models.DefectReport.Status",
        "VisitKindEnum": "fieldwork.models.Visit.Kind",
        # The roof, floor and wall insulation of the intake's findings share one set of choices.
        "InsulationEnum": "fieldwork.models.Insulation",
    },
}

# Content Security Policy (Django's built-in middleware): only our own files; no inline script.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
# Static files from another origin (a CDN, DJANGO_STATIC_URL): its scripts, styles, fonts and images are ours too.
_static = urlsplit(STATIC_URL)
STATIC_ORIGIN = f"{_static.scheme}://{_static.netloc}" if _static.scheme else _static.netloc
if STATIC_ORIGIN:
    for _directive in ("script-src", "style-src", "font-src", "img-src"):
        SECURE_CSP[_directive].append(STATIC_ORIGIN)

# Security: strict in production (DEBUG off); see README.md, "Deployment".
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Only for a local load run over http (make load): false lets a client send the cookies without TLS.
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("DJANGO_CSRF_COOKIE_SECURE", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)
SECURE_SSL_REDIRECT_EXEMPT = [r"^health/$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # WeasyPrint reports each step of every PDF at INFO: only its warnings go to the log.
    "loggers": {"weasyprint.progress": {"level": "WARNING"}},
}

# Staff accounts (issue 14, docs/security.md).
# Two factors (django-otp, TOTP with backup codes): required for these roles, and for every account that may use the
# admin (is_staff). Handymen and community workers too when DJANGO_SECOND_FACTOR_FOR_FIELD_STAFF is on. The demo
# users (accounts.demo) go without only while DJANGO_DEBUG is on. SECOND_FACTOR_REQUIRED is not read from the
# environment: only tests switch it off, for the tests that are not about signing in.
SECOND_FACTOR_REQUIRED = True
SECOND_FACTOR_ROLES = ["assessor", "finance_officer", "coordinator"] + (
    ["handyman", "community_worker"] if env_bool("DJANGO_SECOND_FACTOR_FOR_FIELD_STAFF", False) else []
)
DEMO_USERS_WITHOUT_SECOND_FACTOR = DEBUG
# The public pages (no login needed) that a signed-in account which has not passed its second factor yet may still
# open; every other page sends it to the code page first (accounts.two_factor).
SECOND_FACTOR_EXEMPT_URL_NAMES = [
    "subsidy:apply", "subsidy:diy_estimate", "subsidy:status", "subsidy:status_upload", "subsidy:status_provide_info",
    "subsidy:status_payout", "subsidy:status_withdraw", "subsidy:status_document", "subsidy:status_letter",
    "eligibility:self_check", "eligibility:diy_calculator",
    "households:privacy_statement_current", "households:privacy_statement",
]
OTP_TOTP_ISSUER = os.environ.get("DJANGO_OTP_ISSUER", "Warmhuis")
# The admin never shows a person's TOTP secret or its QR code: only the person sees it, when setting up the app.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Login protection (accounts.lockout): after this many failed logins an account, or a client address, is locked for
# the cool-off; counted in the shared cache above, so every worker process sees the same counts.
LOGIN_FAILURES_PER_ACCOUNT = int(os.environ.get("DJANGO_LOGIN_FAILURES_PER_ACCOUNT", "5"))
LOGIN_FAILURES_PER_ADDRESS = int(os.environ.get("DJANGO_LOGIN_FAILURES_PER_ADDRESS", "20"))
LOGIN_COOL_OFF_MINUTES = int(os.environ.get("DJANGO_LOGIN_COOL_OFF_MINUTES", "15"))
# The public application form (subsidy.views.public.apply): at most this many submissions per client address an hour.
PUBLIC_APPLICATIONS_PER_HOUR = int(os.environ.get("DJANGO_PUBLIC_APPLICATIONS_PER_HOUR", "20"))
# The number of trusted proxies in front of the app (each appends the address it saw to X-Forwarded-For): the
# client's address is the Nth from the right, never what a client wrote itself (accounts.addresses).
TRUSTED_PROXY_COUNT = REST_FRAMEWORK["NUM_PROXIES"]
# Sessions: a staff session ends after this many idle minutes and when the browser closes; at most a working day.
SESSION_IDLE_MINUTES = int(os.environ.get("DJANGO_SESSION_IDLE_MINUTES", "30"))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = int(os.environ.get("DJANGO_SESSION_MAX_HOURS", "10")) * 3600
