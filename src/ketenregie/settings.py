"""The one settings module. Every value that differs per deployment comes from the environment."""

from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from ketenregie.env import EnvironmentError_, cache_config, env_bool, env_choice, env_int, env_list, env_str

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = Path(env_str("KETENREGIE_HOME", str(PACKAGE_DIR.parent.parent)))
VAR_DIR = Path(env_str("KETENREGIE_VAR_DIR", str(BASE_DIR / "var")))
NODE_MODULES_DIR = Path(env_str("KETENREGIE_NODE_MODULES", str(BASE_DIR / "node_modules")))

ENVIRONMENT = env_choice("KETENREGIE_ENV", "development", ["development", "test", "production"])
IS_PRODUCTION = ENVIRONMENT == "production"
# Off by default, also in development: debug pages would show personal data.
DEBUG = env_bool("DEBUG", False)


def _secret_key() -> str:
    if IS_PRODUCTION:
        return env_str("SECRET_KEY")
    configured = env_str("SECRET_KEY", "")
    if configured:
        return configured
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if IS_PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "django_filters",
    "django_countries",
    "rest_framework",
    "drf_spectacular",
    "ketenregie.core",
    "ketenregie.places",
    "ketenregie.people",
    "ketenregie.employers",
    "ketenregie.housing",
    "ketenregie.deliveries",
    "ketenregie.infopoint",
    "ketenregie.portal",
    "ketenregie.signals",
    "ketenregie.cases",
    "ketenregie.api",
    "ketenregie.web",
    "ketenregie.monitoring",
    "ketenregie.dashboard",
    "ketenregie.risk",
    "ketenregie.retention",
    "ketenregie.operations",
    "ketenregie.demo",
]

MIDDLEWARE = [
    # Outermost, so every answer under /api/ carries API-Version, whichever layer gave it.
    "ketenregie.api.middleware.ApiVersionMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "ketenregie.core.middleware.NoStoreMiddleware",
    "ketenregie.core.middleware.RejectNulCharactersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ketenregie.core.middleware.StaffLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "ketenregie.web.sso_views.SecondFactorAfterSsoMiddleware",
    "ketenregie.core.middleware.ActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ketenregie.urls"
WSGI_APPLICATION = "ketenregie.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ketenregie.core.context_processors.navigation",
            ],
        },
    },
]

FORM_RENDERER = "ketenregie.web.forms.StaffFormRenderer"

DEFAULT_DATABASE_URL = f"sqlite:///{VAR_DIR / 'ketenregie.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", DEFAULT_DATABASE_URL), conn_max_age=env_int("DB_CONN_MAX_AGE", 60)
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the demo server read while a command writes; IMMEDIATE avoids lock upgrades failing.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The queries here are short and many; JIT compilation costs more than it saves on them.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"

# Lockout after repeated failures, per username and address, so one attacker cannot lock out everyone.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False
AXES_ENABLED = env_bool("AXES_ENABLED", True)
# The same client address as the rate limits (axes would otherwise use django-ipware when installed).
AXES_CLIENT_IP_CALLABLE = "ketenregie.core.network.client_address"
# problem+json for the API's token endpoint, the locked-out page for the login form.
AXES_LOCKOUT_CALLABLE = "ketenregie.web.views.locked_out"
# The single sign-on callback is no password login; core/sso.py records its refusals itself.
AXES_WHITELIST_CALLABLE = "ketenregie.core.sso.axes_exempt"

SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", IS_PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("SESSION_MINUTES", 480, minimum=5) * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", IS_PRODUCTION)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if IS_PRODUCTION else 0)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", False) else None
# How many proxies we run in front of the application, each appending to X-Forwarded-For. Every rate
# limit and the login lockout count the client by core.network.client_address, which believes only
# the entries these proxies appended; 0 ignores the header (a client can write anything in it).
TRUSTED_PROXIES = env_int("TRUSTED_PROXIES", 0, minimum=0)
X_FRAME_OPTIONS = "DENY"

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

LANGUAGE_CODE = "nl"
# Every language the product speaks: the public portal offers all of them (its strings live in the portal
# app's own catalogue); the staff application stays Dutch first and offers only STAFF_LANGUAGES.
LANGUAGES = [
    ("nl", _("Dutch")),
    ("en", _("English")),
    ("pl", _("Polish")),
    ("ro", _("Romanian")),
    ("bg", _("Bulgarian")),
    ("lt", _("Lithuanian")),
    ("hu", _("Hungarian")),
    ("uk", _("Ukrainian")),
    ("pt", _("Portuguese")),
    ("es", _("Spanish")),
]
STAFF_LANGUAGES = ("nl", "en")
# The public pages (portal, dashboard) speak all of them.
PUBLIC_LANGUAGES = [code for code, _name in LANGUAGES]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
if not IS_PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Front-end packages are served straight from npm's install directory: nothing third-party is copied
# into the repository.
STATICFILES_DIRS = [
    ("vendor/utrecht", NODE_MODULES_DIR / "@utrecht/component-library-css/dist"),
    ("vendor/utrecht-tokens", NODE_MODULES_DIR / "@utrecht/design-tokens/dist"),
    ("vendor/noto-sans", NODE_MODULES_DIR / "@fontsource-variable/noto-sans"),
    ("vendor/htmx", NODE_MODULES_DIR / "htmx.org/dist"),
]
WHITENOISE_USE_FINDERS = not IS_PRODUCTION
WHITENOISE_AUTOREFRESH = not IS_PRODUCTION
MEDIA_ROOT = VAR_DIR / "media"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

CACHES = cache_config(env_str("CACHE_URL", ""))

# The task queue (ketenregie.celery_app, operations app). With a broker, long work waits in Redis for
# `ketenregie worker`; without one it runs at once in the process that asks for it (the demo, the tests).
_BROKER_URL = env_str("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not _BROKER_URL
# Eager tasks never touch a broker; the in-memory one only keeps Celery from looking for one on localhost.
CELERY_BROKER_URL = _BROKER_URL or "memory://"
CELERY_TASK_EAGER_PROPAGATES = True
# The outcome of every task is its TaskRun row: no result backend to keep, nor a nightly job to expire it.
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_EXPIRES = None
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# A task is acknowledged when it finished, so a worker that dies mid-run hands it to the next one.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Redis hands an unacknowledged task to another worker after the visibility timeout (1 hour by
# default): longer than any task may run (TASK_RUNNING_LIMIT_HOURS), so a long run is never run twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": (env_int("TASK_RUNNING_LIMIT_HOURS", 6, minimum=1) + 1) * 3600
}
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_CONCURRENCY = env_int("WORKER_CONCURRENCY", 2, minimum=1)
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A page that starts a task answers within seconds even when Redis is down: the run is then marked failed.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5}
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 3, "socket_timeout": 10}
CELERY_TIMEZONE = TIME_ZONE
# /health/ calls a worker stale when its last heartbeat is older than this.
WORKER_STALE_SECONDS = env_int("WORKER_STALE_SECONDS", 120, minimum=10)
# A run still "running" after this many hours lost its worker; the hourly sweep fails it (retryable).
TASK_RUNNING_LIMIT_HOURS = env_int("TASK_RUNNING_LIMIT_HOURS", 6, minimum=1)

# An API token works for a working day by default; then its client asks for a new one.
API_TOKEN_LIFETIME_HOURS = env_int("API_TOKEN_LIFETIME_HOURS", 8, minimum=1)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "ketenregie.api.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "ketenregie.api.pagination.PagePagination",
    "PAGE_SIZE": 25,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "ketenregie.api.problems.problem_exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["ketenregie.api.parsers.JSONBodyParser"],
    "DEFAULT_THROTTLE_CLASSES": [
        "ketenregie.api.throttling.AnonRateThrottle",
        "ketenregie.api.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("API_ANON_RATE", "60/minute"),
        "user": env_str("API_USER_RATE", "6000/minute"),
        "token": env_str("API_TOKEN_RATE", "20/minute"),
        # Anonymous meldingen through POST /api/v1/signals/, per client address.
        "signal_submit": env_str("API_SIGNAL_RATE", "10/hour"),
        # Deliveries (accepted or refused) per partner account: deliveries.api.DeliveryRateThrottle.
        "delivery": env_str("API_DELIVERY_RATE", "30/hour"),
    },
    "UNAUTHENTICATED_USER": None,
    # The throttles count core.network.client_address; this keeps any plain DRF throttle in step.
    "NUM_PROXIES": TRUSTED_PROXIES,
}
# The API's full version (semver), in the API-Version header of every answer (NL API Design Rules,
# /core/version-header) and in the OpenAPI document; its major version is in the URL (/api/v1).
API_VERSION = "1.0.0"
API_BASE_PATH = "/api/v1"

SPECTACULAR_SETTINGS = {
    "TITLE": "Ketenregie API",
    "DESCRIPTION": (
        "Registers of addresses, people, employers and housing locations for a municipality and "
        "its chain partners. Errors are application/problem+json (RFC 9457); every answer carries "
        "the API's full version in API-Version. Paths have no trailing slash: the old paths with one "
        "still answer in version 1 (with a Deprecation header and a Link to the new path) and go in "
        "version 2."
    ),
    "VERSION": API_VERSION,
    "SERVE_INCLUDE_SCHEMA": False,
    # Paths are relative to the server, which carries the major version (/core/uri-version).
    "SCHEMA_PATH_PREFIX": API_BASE_PATH,
    "SCHEMA_PATH_PREFIX_TRIM": True,
    "SERVERS": [{"url": API_BASE_PATH, "description": "This installation, version 1 of the API."}],
    # Who answers questions about this installation's API (/core/doc-openapi-contact); each
    # municipality sets its own, the defaults are the project's.
    "CONTACT": {
        "name": env_str("API_CONTACT_NAME", "Ketenregie"),
        "email": env_str("API_CONTACT_EMAIL", "api@ketenregie.example"),
        "url": env_str("API_CONTACT_URL", "https://ketenregie.example/api"),
    },
    "COMPONENT_SPLIT_REQUEST": True,
    # Several resources have a 'status' now; the permit's keeps the name it had.
    "ENUM_NAME_OVERRIDES": {
        "StatusEnum": "ketenregie.housing.models.PermitStatus",
        "DeliverySourceEnum": "ketenregie.deliveries.models.DeliverySource",
    },
    "SORT_OPERATIONS": False,
    "PREPROCESSING_HOOKS": ["ketenregie.api.legacy.drop_legacy_paths"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "ketenregie.api.schema.add_problem_responses",
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Request bodies and form values never reach the log; only method, path and status do.
        "django.request": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
        # WeasyPrint and fontTools report every rendering step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Only the demo and seed commands use this password, for the demo accounts.
DEMO_PASSWORD = "demo"  # noqa: S105  (the documented demo password, refused in production)
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 50 * 1024 * 1024, minimum=1024)
# The largest JSON body the API reads (api.parsers); the delivery endpoints take IMPORT_MAX_BYTES.
API_MAX_BODY_BYTES = env_int("API_MAX_BODY_BYTES", 10 * 1024 * 1024, minimum=1024)
# Covenant members deliver every calendar month; a month's delivery may be this many days late into the
# next month before the member shows as overdue (deliveries.selectors.delivery_due_since).
DELIVERY_GRACE_DAYS = env_int("DELIVERY_GRACE_DAYS", 10, minimum=0)

# The public portal (see src/ketenregie/portal). It serves one municipality: the one with this CBS code,
# or, when empty, the only municipality in the database.
PORTAL_MUNICIPALITY = env_str("PORTAL_MUNICIPALITY", "")
# Where one-time codes go: a dotted path to a class with send(message). The console sender prints them
# (development); the outbox sender stores them in a table (demo, tests, benchmarks). Neither uses a network.
PORTAL_MESSAGE_SENDER = env_str("PORTAL_MESSAGE_SENDER", "ketenregie.portal.senders.ConsoleSender")
PORTAL_CODE_MINUTES = env_int("PORTAL_CODE_MINUTES", 15, minimum=1)
PORTAL_CODE_ATTEMPTS = env_int("PORTAL_CODE_ATTEMPTS", 5, minimum=1)
# Bot protection: a form sent back sooner than this after it was shown is refused.
PORTAL_MIN_FILL_SECONDS = env_int("PORTAL_MIN_FILL_SECONDS", 3, minimum=0)
# Multiplies every public rate limit (the load benchmark raises it: all its clients share one address).
PORTAL_RATE_LIMIT_FACTOR = env_int("PORTAL_RATE_LIMIT_FACTOR", 1, minimum=1)
PORTAL_PHOTO_MAX_BYTES = env_int("PORTAL_PHOTO_MAX_BYTES", 5 * 1024 * 1024, minimum=1024)
PORTAL_GROUP_UPLOAD_MAX_BYTES = env_int("PORTAL_GROUP_UPLOAD_MAX_BYTES", 1024 * 1024, minimum=1024)
# The key for pseudonymous visitor keys at the information point (a keyed HMAC of name and date of birth,
# with a random salt per municipality). Rotating it makes earlier keys uncountable: set it once.
PSEUDONYM_SECRET = env_str("PSEUDONYM_SECRET", "") or SECRET_KEY
# A form whose CSRF token expired gets a page in the visitor's language instead of Django's technical one.
CSRF_FAILURE_VIEW = "ketenregie.portal.views.csrf_failure"
# The national BRP APIs (Bewoning, Personen) that ketenregie.people.brp_client talks to. Empty URLs
# mean not configured: the client then refuses with a clear error instead of guessing.
BRP_API = {
    "BEWONING_URL": env_str("BRP_BEWONING_URL", ""),
    "PERSONEN_URL": env_str("BRP_PERSONEN_URL", ""),
    "API_KEY": env_str("BRP_API_KEY", ""),
    "OAUTH_TOKEN_URL": env_str("BRP_OAUTH_TOKEN_URL", ""),
    "OAUTH_CLIENT_ID": env_str("BRP_OAUTH_CLIENT_ID", ""),
    "OAUTH_CLIENT_SECRET": env_str("BRP_OAUTH_CLIENT_SECRET", ""),
    "CLIENT_CERT": env_str("BRP_CLIENT_CERT", ""),
    "CLIENT_KEY": env_str("BRP_CLIENT_KEY", ""),
    "TIMEOUT_SECONDS": env_int("BRP_API_TIMEOUT_SECONDS", 10, minimum=1),
    "RETRIES": env_int("BRP_API_RETRIES", 3, minimum=0),
    "BACKOFF_MS": env_int("BRP_API_BACKOFF_MS", 500, minimum=0),
}
# The KvK Handelsregister Basisprofiel API (employers/kvk_client.py), e.g. https://api.kvk.nl/api.
# Without a URL and key, employers are not looked up and their page says no connection is configured.
KVK_API_URL = env_str("KVK_API_URL", "")
KVK_API_KEY = env_str("KVK_API_KEY", "")
KVK_API_TIMEOUT = env_int("KVK_API_TIMEOUT_SECONDS", 10, minimum=1)
# An import of employers checks at most this many new employers at once; the rest wait for their page's
# button, their next delivery or `ketenregie check-kvk`.
KVK_IMPORT_INLINE_CHECKS = env_int("KVK_IMPORT_INLINE_CHECKS", 10, minimum=0)
# A delivering employer is looked up again when its last check is older than this.
KVK_CHECK_MAX_AGE_DAYS = env_int("KVK_CHECK_MAX_AGE_DAYS", 30, minimum=1)
# Photos and PDFs attached to meldingen and cases; the content decides the type (core/uploads.py).
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)

# E-mail: the console in development; set EMAIL_BACKEND (and EMAIL_HOST etc.) for a real server.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "ketenregie@localhost")
# Who tells a reporter the outcome of their melding: a class with inform(signal) -> bool.
SIGNAL_NOTIFIER = env_str("SIGNAL_NOTIFIER", "ketenregie.signals.notifications.EmailNotifier")
# The municipality's zaaksysteem (ZGW Zaken and Catalogi API; cases/zgw*.py, docs/zgw.md). ZGW_RSIN is the
# municipality's RSIN (bronorganisatie and verantwoordelijkeOrganisatie of every zaak; checked with the
# 11-test at start-up, core/checks.py). Without the API URLs, client id and secret, cases can be exported
# (`ketenregie zgw export`) with placeholder catalogue URLs but not pushed.
ZGW_RSIN = env_str("ZGW_RSIN", "")
ZGW_ZAKEN_API_URL = env_str("ZGW_ZAKEN_API_URL", "")  # e.g. https://zaken.example.nl/zaken/api/v1
ZGW_CATALOGI_API_URL = env_str("ZGW_CATALOGI_API_URL", "")  # e.g. https://.../catalogi/api/v1
ZGW_CATALOGUS_URL = env_str("ZGW_CATALOGUS_URL", "")  # the catalogus the zaaktypen are looked up in
ZGW_CLIENT_ID = env_str("ZGW_CLIENT_ID", "")
ZGW_SECRET = env_str("ZGW_SECRET", "")
# The zaaktype `identificatie` per case kind, as kind=identificatie pairs; unnamed kinds keep the default
# of cases/zgw.py (KR-HUISBEZOEK, KR-INTEGRALE-CONTROLE, ...).
ZGW_ZAAKTYPEN: dict[str, str] = {}
for _pair in env_list("ZGW_ZAAKTYPEN"):
    _kind, _sep, _identificatie = _pair.partition("=")
    if not _sep or not _kind.strip() or not _identificatie.strip():
        raise EnvironmentError_(f"ZGW_ZAAKTYPEN: {_pair!r} is not kind=identificatie")
    ZGW_ZAAKTYPEN[_kind.strip()] = _identificatie.strip()
ZGW_TIMEOUT_SECONDS = env_int("ZGW_TIMEOUT_SECONDS", 10, minimum=1)
ZGW_RETRIES = env_int("ZGW_RETRIES", 3, minimum=0)
ZGW_BACKOFF_MS = env_int("ZGW_BACKOFF_MS", 500, minimum=0)

# Single sign-on for staff through the municipality's identity provider (OpenID Connect, with
# mozilla-django-oidc as Open Zaak and Open Formulieren use it; core/sso.py, docs/sso.md). Off by default:
# local accounts with their second factor stay for the demo and for partners without a provider.
OIDC_ENABLED = env_bool("OIDC_ENABLED", False)
# The name on the login page's button, "Inloggen via <name>".
OIDC_PROVIDER_NAME = env_str("OIDC_PROVIDER_NAME", "de gemeente")
OIDC_RP_CLIENT_ID = env_str("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = env_str("OIDC_RP_CLIENT_SECRET", "")
OIDC_RP_SIGN_ALGO = env_choice(
    "OIDC_RP_SIGN_ALGO", "RS256", ["RS256", "RS384", "RS512", "ES256", "ES384", "ES512"]
)
OIDC_RP_SCOPES = env_str("OIDC_RP_SCOPES", "openid email profile")
# Either the provider's discovery document (…/.well-known/openid-configuration, read when first needed)
# or each endpoint; an endpoint given here wins over the discovered one.
OIDC_OP_DISCOVERY = env_str("OIDC_OP_DISCOVERY", "")
OIDC_OP_ISSUER = env_str("OIDC_OP_ISSUER", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = env_str("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_OP_JWKS_ENDPOINT", "")
# Where logging out also ends the session at the provider (RP-initiated logout); empty: the discovered
# end_session_endpoint, or only the session here.
OIDC_OP_LOGOUT_ENDPOINT = env_str("OIDC_OP_LOGOUT_ENDPOINT", "")
# The claim with the user's roles, each "<organisation's single sign-on code>:<role>"; a dotted path
# reaches into nested claims (Keycloak's resource_access.ketenregie.roles).
OIDC_ROLES_CLAIM = env_str("OIDC_ROLES_CLAIM", "ketenregie_roles")
# The roles the provider may grant. The functional administrator and the privacy officer are left out
# by default: whoever administers the provider should not thereby reach the audit trail and all roles.
OIDC_GRANTABLE_ROLES = env_list(
    "OIDC_GRANTABLE_ROLES",
    ["policy", "enforcement", "civil_affairs", "infopoint", "partner", "council"],
)
# The provider does the second factor; with this on, a user who set up an authenticator app here is
# asked for its code after single sign-on as well.
OIDC_REQUIRE_LOCAL_OTP = env_bool("OIDC_REQUIRE_LOCAL_OTP", False)
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT_SECONDS", 10, minimum=1)
OIDC_USE_PKCE = env_bool("OIDC_USE_PKCE", True)
# The id_token is kept in the session for the provider's logout (id_token_hint) and nothing else.
OIDC_STORE_ID_TOKEN = True
OIDC_CALLBACK_CLASS = "ketenregie.web.sso_views.CallbackView"
OIDC_AUTHENTICATE_CLASS = "ketenregie.web.sso_views.AuthenticateView"
OIDC_OP_LOGOUT_URL_METHOD = "ketenregie.core.sso.provider_logout_url"
LOGIN_REDIRECT_URL_FAILURE = "web:login"
if OIDC_ENABLED:
    _missing = [
        name
        for name, value in {
            "OIDC_RP_CLIENT_ID": OIDC_RP_CLIENT_ID,
            "OIDC_RP_CLIENT_SECRET": OIDC_RP_CLIENT_SECRET,
        }.items()
        if not value
    ]
    _endpoints = [OIDC_OP_AUTHORIZATION_ENDPOINT, OIDC_OP_TOKEN_ENDPOINT, OIDC_OP_JWKS_ENDPOINT]
    if not OIDC_OP_DISCOVERY and not all(_endpoints):
        _missing.append(
            "OIDC_OP_DISCOVERY (or OIDC_OP_AUTHORIZATION_ENDPOINT, _TOKEN_ENDPOINT and _JWKS_ENDPOINT)"
        )
    if _missing:
        raise EnvironmentError_(f"OIDC_ENABLED is on, but these are not set: {', '.join(_missing)}")
    AUTHENTICATION_BACKENDS.append("ketenregie.core.sso.OidcBackend")
    # Logging out posts a form here that the server answers with a redirect to the provider, and
    # browsers hold such a redirect to form-action.
    for _url in (OIDC_OP_LOGOUT_ENDPOINT, OIDC_OP_DISCOVERY):
        if _url:
            _origin = "/".join(_url.split("/")[:3])
            if _origin not in CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"]:
                CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(_origin)
