"""Settings for Styrmodell, read from the environment.

With nothing set, the portal runs in development mode on a SQLite file under ``var/``, so a
newcomer needs no configuration. Production mode (``DJANGO_DEBUG=false``) requires a real secret
key and turns on every protection that ``manage.py check --deploy`` asks for.
"""

import ipaddress
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from styrmodell import logs

# The package holds the site-wide templates, static files and translations, so that they ship in
# the wheel with it; BASE_DIR, the folder around it, holds what the portal writes (var/).
PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PACKAGE_DIR.parent


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envlist(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name, "")
    return [item.strip() for item in value.split(",") if item.strip()] or default


DEBUG = envbool("DJANGO_DEBUG", True)

_DEVELOPMENT_SECRET_KEY = "development-only-secret-key-never-use-in-production"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", _DEVELOPMENT_SECRET_KEY)
if not DEBUG and SECRET_KEY == _DEVELOPMENT_SECRET_KEY:
    raise ImproperlyConfigured("Set DJANGO_SECRET_KEY when DJANGO_DEBUG is false.")

ALLOWED_HOSTS = envlist("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "treebeard",
    "heroicons",
    "rules.apps.AutodiscoverRulesConfig",
    "styrmodell.axes_app.AxesConfig",  # django-axes, with its admin section in our languages
    "simple_history",
    "django_guid",  # the request id on every log line (styrmodell/logs.py)
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files, served by WhiteNoise like ours
    "csp",  # django-csp: its system checks catch a policy written in the settings of before 4.0
    "orgunits",
    "processes",
    "goals",
    "search",
    "notices",
    "api",
    "demo",
    "signin",
]

MIDDLEWARE = [
    # The request's id (the proxy's X-Request-ID, or a new one) for every log line it writes.
    "django_guid.middleware.guid_middleware",
    # The load balancer's probe, answered before the host check and the HTTPS redirect.
    "styrmodell.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses pages and JSON (the organisation tree: 647 KB raw); after WhiteNoise, which serves
    # static files already compressed, and above everything else that could touch the body. Since
    # Django 4.2 it pads each response with random bytes against BREACH.
    "django.middleware.gzip.GZipMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "styrmodell.security.ContentSecurityPolicyMiddleware",  # django-csp's, with the sign-in provider
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",  # history rows record the signed-in user
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "styrmodell.errors.MethodNotAllowedMiddleware",  # Django has no handler405: the page for a 405
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Benchmarking (bench/, `make bench`): the floor view answers, and every response says its server
# time and query count. Off in normal use.
BENCHMARK = envbool("STYRMODELL_BENCHMARK", False)
if BENCHMARK:
    MIDDLEWARE.insert(0, "styrmodell.benchmarking.ServerTimingMiddleware")

ROOT_URLCONF = "styrmodell.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Named here, not found as an app's, so that they come before every app's templates and
        # override those of django.contrib.admin and the other packages.
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "goals.context_processors.todo",  # the menu's count of the to-do list
            ],
        },
    },
]

WSGI_APPLICATION = "styrmodell.wsgi.application"

# SQLite under var/ is the embedded default; production and the test suite use PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'var' / 'styrmodell.sqlite3'}",
        conn_max_age=0 if DEBUG else 60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite has no row or advisory locks: begin every transaction holding the database's write
    # lock, so that writers take turns (orgunits.concurrency.lock), and let them wait for it.
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One cache that every instance of the portal shares: the database's, so that an entry one
# application server sets is read, and invalidated, by all the others (Django's default, a memory
# of each process, would silently differ between them). `migrate` creates its table
# (orgunits/apps.py); docs/deployment.md, "More than one instance".
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "styrmodell_cache",
        # The whole-group pages keep an entry per language, visibility class and what they are
        # asked for (orgunits.page_cache): the chain's health of each unit and year, at 2,000
        # units, is thousands. Django's default of 300 culls a third of the entries, current ones
        # too, whenever it is exceeded.
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out user and address before checking
    "rules.permissions.ObjectPermissionBackend",  # per-object permissions from each app's rules.py
    "signin.backends.PasswordBackend",  # Django's ModelBackend, whose password check can be switched off
    "signin.backends.OidcBackend",  # single sign-on through the organisation's OpenID provider
]

# Five failed sign-ins for the same user name from the same address lock that pair out for
# half an hour.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# The reverse proxies in front of the portal (addresses or ranges such as 10.0.0.0/24, comma-separated).
# Only a request that came from one of them has its X-Forwarded-For believed: the client's address
# (orgunits/client_address.py) is what django-axes locks out, the history records and the logs show.
TRUSTED_PROXIES = envlist("STYRMODELL_TRUSTED_PROXIES", [])
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy)  # strict, as gunicorn is: 10.0.0.1/24 is a mistake
    except ValueError:
        raise ImproperlyConfigured(
            f"STYRMODELL_TRUSTED_PROXIES must list addresses or ranges, not {_proxy!r}"
        ) from None
AXES_CLIENT_IP_CALLABLE = "orgunits.client_address.client_address"
# The header in which the proxy says the visitor came over HTTPS (X-Forwarded-Proto: https), so that
# the portal neither redirects a secure request nor sends secure cookies over plain HTTP. Unset
# without a proxy: a client could otherwise claim HTTPS itself.
PROXY_SSL_HEADER = os.environ.get("STYRMODELL_PROXY_SSL_HEADER", "").strip()
if PROXY_SSL_HEADER:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + PROXY_SSL_HEADER.upper().replace("-", "_"), "https")

# Single sign-on through an OpenID provider (Entra ID, Keycloak, ...): docs/sign-in.md. Off until a
# client id and the provider's issuer (or its discovery document's address) are set; the endpoints
# are read from the discovery document (signin/provider.py).
OIDC_ISSUER = os.environ.get("STYRMODELL_OIDC_ISSUER", "")
OIDC_DISCOVERY_URL = os.environ.get("STYRMODELL_OIDC_DISCOVERY_URL", "")
OIDC_RP_CLIENT_ID = os.environ.get("STYRMODELL_OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("STYRMODELL_OIDC_CLIENT_SECRET", "")
OIDC_RP_SCOPES = os.environ.get("STYRMODELL_OIDC_SCOPES") or "openid email profile"
OIDC_RP_SIGN_ALGO = os.environ.get("STYRMODELL_OIDC_SIGN_ALGO") or "RS256"
# The name on the sign-in page's button: "Sign in with <name>".
OIDC_PROVIDER_NAME = os.environ.get("STYRMODELL_OIDC_PROVIDER_NAME") or _("your organisation's account")
# A claim that makes a user staff: with a value, the claim must be it or a list holding it (a group
# or an app role); without one, the claim must be true. Unset, staff is set in the administration.
OIDC_STAFF_CLAIM = os.environ.get("STYRMODELL_OIDC_STAFF_CLAIM", "")
OIDC_STAFF_VALUE = os.environ.get("STYRMODELL_OIDC_STAFF_VALUE", "")
OIDC_USE_PKCE = True
OIDC_STORE_ID_TOKEN = True  # the provider's sign-out wants it back as id_token_hint
OIDC_TIMEOUT = 10  # seconds: a provider that does not answer must not hold the sign-in page
# Sign-in with a local account's password (the admin's too); off where everyone signs in through
# the provider. django-axes guards the password form while it is on.
PASSWORD_SIGN_IN = envbool("STYRMODELL_PASSWORD_SIGN_IN", True)
if not PASSWORD_SIGN_IN and not (OIDC_RP_CLIENT_ID and (OIDC_ISSUER or OIDC_DISCOVERY_URL)):
    raise ImproperlyConfigured(
        "STYRMODELL_PASSWORD_SIGN_IN is off but single sign-on is not set up: no one could sign in."
    )

LOGIN_URL = "login"
# The start page: a person signing in first sees their to-do list.
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
# One catalog for all the apps: having no locale folder of their own, makemessages writes their
# messages into the first of these.
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
# In production collectstatic gathers the files here for WhiteNoise; in development WhiteNoise
# serves them straight from their folders. Installed from the wheel, BASE_DIR is site-packages:
# name a folder of the deployment's own.
STATIC_ROOT = None if DEBUG else Path(os.environ.get("DJANGO_STATIC_ROOT") or BASE_DIR / "var" / "static")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed files in production; plain files in development and tests, which
        # then need no collectstatic step.
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}

if not DEBUG:
    SECURE_SSL_REDIRECT = envbool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

# Content-Security-Policy (django-csp, styrmodell/security.py), on in every mode so that the tests
# and the browser suite run under it: scripts, styles, images and fonts from the portal only, no
# inline script or style attribute (our templates write none; data goes in json_script blocks and
# data attributes), no plugins, no framing, forms posted to the portal only (and to the sign-in
# provider, added at each request while single sign-on is set up). Images also as data: URLs,
# which Swagger UI's stylesheet draws its icons with.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
# Permissions-Policy (django-permissions-policy): every browser feature a page could ask for and the
# portal never uses is refused to it and to anything it might embed.
PERMISSIONS_POLICY = {
    feature: []
    for feature in [
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "gamepad",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "interest-cohort",
        "local-fonts",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    ]
}

# Kolada, the municipalities' open database of key figures: the address of its API (a test server
# in the tests), and the municipality (SCB's four-digit code) whose values the indicators import.
KOLADA_API_URL = os.environ.get("KOLADA_API_URL") or "https://api.kolada.se/v3"
KOLADA_MUNICIPALITY = os.environ.get("KOLADA_MUNICIPALITY") or "0780"
if not (len(KOLADA_MUNICIPALITY) == 4 and KOLADA_MUNICIPALITY.isascii() and KOLADA_MUNICIPALITY.isdigit()):
    raise ImproperlyConfigured(f"KOLADA_MUNICIPALITY must be four digits, not {KOLADA_MUNICIPALITY!r}")

# The REST API under /api/v1/ (the `api` app). Its permission class asks each action's django-rules
# permission, refusing an action that declares none; the handler gives every error one format.
REST_FRAMEWORK = {
    # Token first, so that an anonymous request is told to authenticate (401), not refused (403).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        # The same token as "Bearer <key>", which clients generated from the schema send by default.
        "api.authentication.BearerTokenAuthentication",
        "api.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.RulesPermission"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",  # the API reads JSON only
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Styrmodell API",
    "DESCRIPTION": (
        "The organisation, its people, goals, processes and follow-up of a municipal group. "
        "Reading the organisation needs no sign-in; everything else asks the same permissions as the "
        "web pages. Authenticate with a token (`Authorization: Bearer <key>`, or `Token <key>`) or "
        "the portal's session. "
        'Every error has one format: `{"detail": "...", "errors": {"field": ["..."]}}`.'
    ),
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": "/api/v[0-9]+",
    # English whatever the request's language, so that clients generated from it stay the same.
    "DEFAULT_GENERATOR_CLASS": "api.schema.SchemaGenerator",
    "SERVE_INCLUDE_SCHEMA": False,
    # Separate request and response components: what a client sends is not what it reads back.
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from the drf-spectacular-sidecar package: the portal may have no internet access.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # Without deep links: Swagger UI makes each operation's path a link inside the button that opens
    # it, a control inside a control that screen readers do not announce (axe: nested-interactive).
    "SWAGGER_UI_SETTINGS": {"deepLinking": False},
    "REDOC_DIST": "SIDECAR",
    # One name for each choice set that several fields or components share.
    "ENUM_NAME_OVERRIDES": {
        "KindEnum": "orgunits.kinds.Kind",
        "ProcessKindEnum": "processes.models.ProcessKind",
        "ReportingPeriodKindEnum": "goals.models.ReportingPeriodKind",
        "AttainmentEnum": "goals.follow_up.grading.Attainment",
        "GoalStatusEnum": "goals.chain.workflow.Status",
        "ReviewStatusEnum": "goals.models.ReviewStatus",
        "FindingKindEnum": "goals.health.kinds.FindingKind",
    },
}

# E-mail: notices and reminders, sent by `manage.py send_notifications` (docs/notices.md). With
# nothing set, development mails go to the console (no mail server needed), production to EMAIL_HOST.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST") or "localhost"
EMAIL_PORT = int(os.environ.get("EMAIL_PORT") or 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("Set EMAIL_USE_TLS or EMAIL_USE_SSL, not both.")
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT") or 30)  # a hung mail server must not hang the command
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL") or "Styrmodell <styrmodell@localhost>"
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The portal's address, for the links in e-mails: the command that sends them has no request.
SITE_URL = os.environ.get("STYRMODELL_SITE_URL") or "http://127.0.0.1:8000"
# Reminders go this many days before a reporting deadline; a daily digest from this hour on.
NOTICES_REMINDER_DAYS_BEFORE = int(os.environ.get("STYRMODELL_REMINDER_DAYS_BEFORE") or 7)
NOTICES_DIGEST_HOUR = int(os.environ.get("STYRMODELL_DIGEST_HOUR") or 7)

# Logs: JSON lines on stdout for the platform's log collector in production, plain text on stderr in
# development, each line of a request with its id (styrmodell/logs.py; gunicorn's lines too).
LOG_FORMAT = os.environ.get("STYRMODELL_LOG_FORMAT") or ("text" if DEBUG else "json")
if LOG_FORMAT not in logs.FORMATS:
    raise ImproperlyConfigured(f"STYRMODELL_LOG_FORMAT must be json or text, not {LOG_FORMAT!r}")
LOGGING = logs.logging_config(LOG_FORMAT, os.environ.get("DJANGO_LOG_LEVEL", "INFO"))
DJANGO_GUID = {
    "GUID_HEADER_NAME": logs.REQUEST_ID_HEADER,
    "VALIDATE_GUID": True,  # a proxy's id is taken only when it is a UUID; anything else gets a new one
    "EXPOSE_HEADER": False,  # no cross-origin script reads it
}
