"""Django settings, all from environment variables.

GOVSITE_DATA_DIR   where the embedded database, uploads and archives live (default ./var)
DATABASE_URL       e.g. postgres://user@127.0.0.1:5432/govsite; default SQLite in the data dir
GOVSITE_SECRET_KEY required when GOVSITE_DEBUG is off
GOVSITE_DEBUG      1 for development
GOVSITE_ALLOWED_HOSTS comma-separated host names
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

DATA_DIR = Path(os.environ.get("GOVSITE_DATA_DIR", "var")).resolve()
DEBUG = os.environ.get("GOVSITE_DEBUG", "1") == "1"

SECRET_KEY = os.environ.get("GOVSITE_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("生产环境须设置 GOVSITE_SECRET_KEY")
    SECRET_KEY = "govsite-development-only-key"

ALLOWED_HOSTS = [h for h in os.environ.get("GOVSITE_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "govsite.surveys",
    "govsite.workorders",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
MEDIA_ROOT = DATA_DIR / "uploads"  # outside the web root; served only through permission-checked views

SESSION_COOKIE_AGE = 8 * 3600
SESSION_SAVE_EVERY_REQUEST = True  # the 8 hours are of inactivity, not since login
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
GOVSITE_UPLOAD_MAX_BYTES = int(os.environ.get("GOVSITE_UPLOAD_MAX_BYTES", 20 * 1024 * 1024))
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
