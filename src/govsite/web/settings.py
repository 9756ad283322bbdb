"""Django settings, all from environment variables.

GOVSITE_DATA_DIR   where the embedded database, uploads and archives live (default ./var)
DATABASE_URL       e.g. postgres://user@127.0.0.1:5432/govsite; default SQLite in the data dir
GOVSITE_SECRET_KEY the key; unset: a key generated once into GOVSITE_DATA_DIR/secret_key (embedded default),
                   refused in production (GOVSITE_PRODUCTION=1)
GOVSITE_DEBUG      1 for development only (default off: no debug pages)
GOVSITE_PRODUCTION 1 for a production deployment (set by `govsite serve --production`): refuses debug and a
                   generated key, static files from collectstatic with hashed names
GOVSITE_HTTPS, GOVSITE_PROXY_SSL_HEADER, GOVSITE_HSTS_*  HTTPS settings: see the HTTPS block and docs/deployment.md
GOVSITE_ALLOWED_HOSTS comma-separated host names
GOVSITE_DEV_ACCOUNTS …, GOVSITE_LOCKOUT_*, GOVSITE_TRUSTED_PROXIES, GOVSITE_AUDIT_RETENTION_DAYS:
                   identity and audit (等保 身份鉴别 / 安全审计), see the block below and docs/deployment.md
GOVSITE_BROKER_URL …   distributed jobs (govsite.worker): see the block at the end and docs/deployment.md
"""

from __future__ import annotations

import os
import warnings
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from govsite.web.middleware import static_file_headers
from govsite.web.production import production_problems, secret_key_file, ssl_header

DATA_DIR = Path(os.environ.get("GOVSITE_DATA_DIR", "var")).resolve()
DEBUG = os.environ.get("GOVSITE_DEBUG", "0") == "1"
PRODUCTION = os.environ.get("GOVSITE_PRODUCTION", "0") == "1"

SECRET_KEY = os.environ.get("GOVSITE_SECRET_KEY", "")
SECRET_KEY_FROM_ENV = bool(SECRET_KEY)
for problem in production_problems(production=PRODUCTION, debug=DEBUG, secret_key_from_env=SECRET_KEY_FROM_ENV):
    raise ImproperlyConfigured(problem)
if not SECRET_KEY:
    SECRET_KEY = secret_key_file(DATA_DIR)  # the embedded default: one key per data directory

ALLOWED_HOSTS = [h for h in os.environ.get("GOVSITE_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "govsite.surveys",
    "govsite.monitoring",  # before workorders: its job_finished receiver refreshes the verdict veto alerts read
    "govsite.accounts",
    "govsite.workorders",
    "govsite.alerts",  # after workorders: its job_finished receiver runs after the re-check outcomes
    "govsite.worker",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "govsite.web.middleware.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "govsite.accounts.middleware.ClientAddressMiddleware",
    "govsite.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

ROOT_URLCONF = "govsite.web.urls"
WSGI_APPLICATION = "govsite.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [Path(__file__).parent / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'govsite.sqlite3'}",
        conn_max_age=60,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [Path(__file__).parent / "static"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
STATIC_ROOT = DATA_DIR / "static"
# Production serves what collectstatic gathered (hashed names, compressed, cached for a year, by
# whitenoise inside gunicorn); elsewhere whitenoise serves the apps' static folders as they are.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:  # no collectstatic outside production: an absent STATIC_ROOT is expected there
    warnings.filterwarnings("ignore", message="No directory at", module="whitenoise")
WHITENOISE_ADD_HEADERS_FUNCTION = static_file_headers
MEDIA_ROOT = DATA_DIR / "uploads"  # outside the web root; served only through permission-checked views

EMAIL_BACKEND = os.environ.get("GOVSITE_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("GOVSITE_FROM_EMAIL", "govsite@localhost")
EMAIL_HOST = os.environ.get("GOVSITE_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("GOVSITE_EMAIL_PORT", 25))
EMAIL_HOST_USER = os.environ.get("GOVSITE_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("GOVSITE_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("GOVSITE_EMAIL_USE_TLS", "0") == "1"
EMAIL_USE_SSL = os.environ.get("GOVSITE_EMAIL_USE_SSL", "0") == "1"
EMAIL_TIMEOUT = float(os.environ.get("GOVSITE_EMAIL_TIMEOUT", 15))

# -- Alerts (govsite.alerts; docs/deployment.md "Alerts") --------------------------------------------
GOVSITE_ALERT_REMIND_HOURS = float(os.environ.get("GOVSITE_ALERT_REMIND_HOURS", 24))  # 0: never remind
GOVSITE_ALERT_MAX_ATTEMPTS = int(os.environ.get("GOVSITE_ALERT_MAX_ATTEMPTS", 20))
GOVSITE_ALERT_WEBHOOK_TIMEOUT = float(os.environ.get("GOVSITE_ALERT_WEBHOOK_TIMEOUT", 10))
GOVSITE_ALERT_TICK_SECONDS = float(os.environ.get("GOVSITE_ALERT_TICK_SECONDS", 300))
GOVSITE_ALERT_LOOPBACK_ONLY = os.environ.get("GOVSITE_ALERT_LOOPBACK_ONLY", "0") == "1"  # tests: loopback webhooks

SESSION_COOKIE_AGE = 8 * 3600
SESSION_SAVE_EVERY_REQUEST = True  # the 8 hours are of inactivity, not since login
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
GOVSITE_UPLOAD_MAX_BYTES = int(os.environ.get("GOVSITE_UPLOAD_MAX_BYTES", 20 * 1024 * 1024))
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

# -- HTTPS and response headers. Every variable is described in docs/deployment.md. ----------------
# GOVSITE_HTTPS=1: the site is reached over https only (directly, or through a proxy that terminates
# TLS): redirect http, HSTS, Secure cookies. Off by default so the embedded http://127.0.0.1 works.
HTTPS = os.environ.get("GOVSITE_HTTPS", "0") == "1"
# Only behind a proxy that sets this header on every request (and strips it from clients'): the
# header's name, e.g. X-Forwarded-Proto; never set when clients reach the app directly.
if proxy_header := ssl_header(os.environ.get("GOVSITE_PROXY_SSL_HEADER", "")):
    SECURE_PROXY_SSL_HEADER = proxy_header
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("GOVSITE_HSTS_SECONDS", 31536000)) if HTTPS else 0  # only sent over https
SECURE_HSTS_INCLUDE_SUBDOMAINS = os.environ.get("GOVSITE_HSTS_INCLUDE_SUBDOMAINS", "1") == "1"
SECURE_HSTS_PRELOAD = os.environ.get("GOVSITE_HSTS_PRELOAD", "1") == "1"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Scripts and styles from the app's own static files only: no inline <script>, no style="" attributes
# (the downloads of views/common.py protected_file send a stricter policy of their own).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Browser features the app never uses, switched off for its pages (govsite.web.middleware).
PERMISSIONS_POLICY = {
    "accelerometer": "()",
    "camera": "()",
    "geolocation": "()",
    "gyroscope": "()",
    "magnetometer": "()",
    "microphone": "()",
    "payment": "()",
    "usb": "()",
}

# -- `govsite serve --production` (gunicorn) --------------------------------------------------------
GOVSITE_BIND = os.environ.get("GOVSITE_BIND", "127.0.0.1:8000")
GOVSITE_WORKERS = int(os.environ.get("GOVSITE_WORKERS", 0))  # 0: 2 × CPUs + 1
GOVSITE_TLS_CERT = os.environ.get("GOVSITE_TLS_CERT", "")  # gunicorn serves https itself (no proxy)
GOVSITE_TLS_KEY = os.environ.get("GOVSITE_TLS_KEY", "")

# -- Distributed jobs (govsite.worker). Every variable is described in docs/deployment.md. --------
# Read by govsite.worker.celery (namespace CELERY_); GOVSITE_TASKS=celery (surveys/dispatch.py) sends
# jobs to the workers, the embedded default runs them in-process and needs none of this.
CELERY_BROKER_URL = os.environ.get("GOVSITE_BROKER_URL", "redis://127.0.0.1:6379/0")
CELERY_RESULT_BACKEND = os.environ.get("GOVSITE_RESULT_BACKEND") or None  # job state lives in the database
CELERY_TASK_IGNORE_RESULT = CELERY_RESULT_BACKEND is None
CELERY_TIMEZONE = TIME_ZONE
# Redis only (RabbitMQ redelivers as soon as a dead worker's connection closes): an unacknowledged
# job whose worker died is delivered again after this many seconds. Must exceed GOVSITE_LOCK_RETRY_SECONDS;
# a long crawl outliving it is delivered a second time, which the per-site lock turns into a harmless retry.
GOVSITE_BROKER_VISIBILITY_TIMEOUT = int(os.environ.get("GOVSITE_BROKER_VISIBILITY_TIMEOUT", 3600))
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": GOVSITE_BROKER_VISIBILITY_TIMEOUT,
    "unacked_restore_interval": max(1, min(60, GOVSITE_BROKER_VISIBILITY_TIMEOUT // 10)),
    "unacked_restore_throttle": 1,
    # A worker killed inside a restore sweep leaves kombu's sweep mutex behind until it expires (default 300 s).
    "unacked_mutex_expire": max(5, min(300, GOVSITE_BROKER_VISIBILITY_TIMEOUT // 3)),
}
GOVSITE_WORKER_CONCURRENCY = int(os.environ.get("GOVSITE_WORKER_CONCURRENCY", 0))  # 0: the number of CPUs
GOVSITE_WORKER_MAX_TASKS_PER_CHILD = int(os.environ.get("GOVSITE_WORKER_MAX_TASKS_PER_CHILD", 20))
GOVSITE_LOCK_RETRY_SECONDS = float(os.environ.get("GOVSITE_LOCK_RETRY_SECONDS", 60))
GOVSITE_JOB_MAX_ATTEMPTS = int(os.environ.get("GOVSITE_JOB_MAX_ATTEMPTS", 5))
GOVSITE_SCHEDULE_TICK_SECONDS = float(os.environ.get("GOVSITE_SCHEDULE_TICK_SECONDS", 60))
GOVSITE_VETO_ALERTS = os.environ.get("GOVSITE_VETO_ALERTS", "1") == "1"
# Availability monitoring (govsite.monitoring; docs/deployment.md).
GOVSITE_UPTIME_INTERVAL_SECONDS = float(os.environ.get("GOVSITE_UPTIME_INTERVAL_SECONDS", 1800))
GOVSITE_UPTIME_TIMEOUT_SECONDS = float(os.environ.get("GOVSITE_UPTIME_TIMEOUT_SECONDS", 15))
GOVSITE_UPTIME_CONCURRENCY = int(os.environ.get("GOVSITE_UPTIME_CONCURRENCY", 100))
GOVSITE_UPTIME_RETENTION_DAYS = int(os.environ.get("GOVSITE_UPTIME_RETENTION_DAYS", 30))  # raw probes; 0: forever
GOVSITE_UPTIME_DOWN_AFTER = int(os.environ.get("GOVSITE_UPTIME_DOWN_AFTER", 2))  # consecutive failures = down
GOVSITE_UPTIME_LOOPBACK_ONLY = os.environ.get("GOVSITE_LOOPBACK_ONLY", "") not in ("", "0")
GOVSITE_ARCHIVE_RETENTION_DAYS = int(os.environ.get("GOVSITE_ARCHIVE_RETENTION_DAYS", 30))  # 0: keep forever

# -- Identity and audit (等保 2.0 身份鉴别 / 安全审计). Every variable is described in docs/deployment.md. -----


def _csv(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# The embedded development default: the embedded SQLite database (no DATABASE_URL), not production
# settings (GOVSITE_PRODUCTION, which `govsite serve --production` sets). Only there may
# GOVSITE_DEV_ACCOUNTS be on (its default there): the demo accounts of `make demo` and the accounts tests
# make skip the password rules and the second factor. Anywhere else it is refused. Debug is not the
# switch: it is off by default everywhere, and the tests' settings are read before any test code runs.
EMBEDDED_DEVELOPMENT = not PRODUCTION and not os.environ.get("DATABASE_URL")
GOVSITE_DEV_ACCOUNTS = os.environ.get("GOVSITE_DEV_ACCOUNTS", "1" if EMBEDDED_DEVELOPMENT else "0") == "1"
if GOVSITE_DEV_ACCOUNTS and not EMBEDDED_DEVELOPMENT:
    raise ImproperlyConfigured(
        "GOVSITE_DEV_ACCOUNTS 只能用于内置开发环境（未设 GOVSITE_PRODUCTION 和 DATABASE_URL），生产环境不得开启"
    )

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": int(os.environ.get("GOVSITE_PASSWORD_MIN_LENGTH", 10))},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "govsite.accounts.passwords.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out account before the password is checked
    "django.contrib.auth.backends.ModelBackend",
]
# Login failures: GOVSITE_LOCKOUT_FAILURES wrong passwords lock the account for GOVSITE_LOCKOUT_MINUTES
# (or until an administrator unlocks it on 安全 › 登录锁定). GOVSITE_LOCKOUT_BY=username locks the account
# whatever the address (an attacker rotating addresses is still stopped; one office behind one NAT is not
# locked out wholesale, since the other accounts from that address keep working); username_ip locks the
# account only from the address the failures came from. Never the address alone.
GOVSITE_LOCKOUT_FAILURES = int(os.environ.get("GOVSITE_LOCKOUT_FAILURES", 5))
GOVSITE_LOCKOUT_MINUTES = int(os.environ.get("GOVSITE_LOCKOUT_MINUTES", 15))
GOVSITE_LOCKOUT_BY = os.environ.get("GOVSITE_LOCKOUT_BY", "username")
LOCKOUT_PARAMETERS = {"username": ["username"], "username_ip": [["username", "ip_address"]]}
if GOVSITE_LOCKOUT_BY not in LOCKOUT_PARAMETERS:
    raise ImproperlyConfigured("GOVSITE_LOCKOUT_BY 只能是 username 或 username_ip")
# axes.W006 warns when the address is not a lockout parameter, against rotating user agents or cookies:
# neither is one here, and a lock on the user name holds whatever they rotate.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_FAILURE_LIMIT = GOVSITE_LOCKOUT_FAILURES
AXES_COOLOFF_TIME = timedelta(minutes=GOVSITE_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = LOCKOUT_PARAMETERS[GOVSITE_LOCKOUT_BY]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "govsite.accounts.views.lockout_response"  # registration/locked.html, in Chinese
AXES_ENABLE_ADMIN = False  # unlocking goes through 安全 › 登录锁定, which audits it
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "govsite.accounts.addresses.client_ip"
AXES_SENSITIVE_PARAMETERS = ["password", "csrfmiddlewaretoken", "otp_token", "token"]
# The source address of a request: the peer's address, or, when the peer is one of these proxies
# (addresses or networks, comma-separated), the nearest untrusted address of its X-Forwarded-For.
GOVSITE_TRUSTED_PROXIES = _csv("GOVSITE_TRUSTED_PROXIES")

# Second factor (TOTP, django-otp): required for platform administrators and survey managers,
# available to everyone on 账号安全.
OTP_TOTP_ISSUER = os.environ.get("GOVSITE_OTP_ISSUER", "govsite")
# One session per account: a new login ends the account's other sessions.
GOVSITE_SINGLE_SESSION = os.environ.get("GOVSITE_SINGLE_SESSION", "0") == "1"

# The audit log is kept at least 183 days (等保: 审计记录留存不少于六个月); older entries are purged daily.
AUDIT_RETENTION_FLOOR_DAYS = 183
GOVSITE_AUDIT_RETENTION_DAYS = int(os.environ.get("GOVSITE_AUDIT_RETENTION_DAYS", 365))
if GOVSITE_AUDIT_RETENTION_DAYS < AUDIT_RETENTION_FLOOR_DAYS:
    raise ImproperlyConfigured(
        f"GOVSITE_AUDIT_RETENTION_DAYS 不得少于 {AUDIT_RETENTION_FLOOR_DAYS} 天（等保要求审计记录至少保存六个月）"
    )
