"""Settings read from the environment, with a safe embedded default (SQLite under ./data).

Environment variables (all optional):
  DATABASE_URL      e.g. postgres://postgres@127.0.0.1:5432/twotier (default: SQLite in TWOTIER_DATA_DIR)
  SECRET_KEY        default: a random key generated once into TWOTIER_DATA_DIR/secret_key
  DEBUG             "1"/"true" to enable (default off)
  ALLOWED_HOSTS     comma-separated (default: 127.0.0.1,localhost)
  TIME_ZONE         default Asia/Ho_Chi_Minh
  TWOTIER_DATA_DIR  where the SQLite file, uploads and the local secret live (default ./data)
  TWOTIER_KIOSK_CENTRE  commune code of the centre a kiosk stands in when its URL names none
                    (?center=CODE or ?centre=CODE); default 26743
  CELERY_BROKER_URL a real broker (redis://127.0.0.1:6379/0); when unset, tasks run eagerly in-process
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PACKAGE_DIR.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DATA_DIR = Path(os.environ.get("TWOTIER_DATA_DIR", BASE_DIR / "data")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _local_secret_key() -> str:
    """A per-installation key kept outside the repository (no secrets in git)."""
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = os.environ.get("SECRET_KEY") or _local_secret_key()
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "http://127.0.0.1:8000,http://localhost:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "twotier.core",
    "twotier.geography",
    "twotier.procedures",
    "twotier.apparatus",
    "twotier.dossiers",
    "twotier.assistant",
    "twotier.registries",
    "twotier.evaluation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "twotier.core.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "twotier.core.middleware.DomainErrorMiddleware",
]

ROOT_URLCONF = "twotier.urls"
WSGI_APPLICATION = "twotier.wsgi.application"
ASGI_APPLICATION = "twotier.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "twotier.core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'twotier.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the dev server read while a management command writes; busy timeout avoids "locked" errors.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
    DATABASES["default"].setdefault("TEST", {})["NAME"] = str(DATA_DIR / "test.sqlite3")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# ModelBackend's answers, two fewer queries per request (user + staff profile in one; one permission query)
AUTHENTICATION_BACKENDS = ["twotier.core.auth.Backend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "core:home"

# Vietnamese is the default language; English and Indonesian are offered by the switcher.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English"), ("id", "Bahasa Indonesia")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Ho_Chi_Minh")
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "staticfiles"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# Celery: a real broker when CELERY_BROKER_URL is set, otherwise eager in-process (embedded default).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "memory://")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", "CELERY_BROKER_URL" not in os.environ)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND") or None
CELERY_TIMEZONE = TIME_ZONE
# Periodic work (Celery beat in production): the deadline sweep marks due-soon/overdue dossiers.
CELERY_BEAT_SCHEDULE = {
    "dossiers-sweep": {"task": "dossiers.sweep_deadlines", "schedule": 900},
    "evaluation-rollup": {"task": "evaluation.rollup_recent", "schedule": 3600},
    "dossiers-resend-notifications": {"task": "dossiers.resend_notifications", "schedule": 900},
}

# Working calendar (dossiers/calendar.py): days off and make-up working days beyond the `holidays` VN
# calendar, e.g. a day off the Prime Minister grants late in the year; comma-separated ISO dates.
TWOTIER_EXTRA_DAYS_OFF = env_list("TWOTIER_EXTRA_DAYS_OFF", "")
TWOTIER_EXTRA_WORKDAYS = env_list("TWOTIER_EXTRA_WORKDAYS", "")
# Office hours for limits stated in hours (Decree 118/2025 practice: 07:30-11:30 and 13:00-17:00).
TWOTIER_OFFICE_HOURS = [
    tuple(span.split("-")) for span in env_list("TWOTIER_OFFICE_HOURS", "07:30-11:30,13:00-17:00")
]

# Per-process cache of the receipt's reference lookups (procedure version, centre, competent unit), in
# seconds; 0 turns it off. Safe across worker processes: each receipt first reads core.ReferenceVersion,
# which every reference-data change bumps in its own transaction, and drops a cache filled before the
# change (dossiers/refcache.py). The lifetime only bounds callers that do not revalidate.
TWOTIER_REFERENCE_CACHE_SECONDS = float(os.environ.get("TWOTIER_REFERENCE_CACHE_SECONDS", "300"))

# Client address for rate limits and the access audit (core/clientip.py): default REMOTE_ADDR. Behind a
# reverse proxy, the header it sets (e.g. X-Forwarded-For) and how many of your proxies append to it.
TWOTIER_TRUSTED_PROXY_HEADER = os.environ.get("TWOTIER_TRUSTED_PROXY_HEADER", "")
TWOTIER_TRUSTED_PROXY_COUNT = int(os.environ.get("TWOTIER_TRUSTED_PROXY_COUNT", "1"))

# The centre (commune code) a kiosk, display board or counter page is for when the URL names none
# (/assistant/?center=CODE). Default: a ward of Ho Chi Minh City used by the demo data.
TWOTIER_KIOSK_CENTRE = os.environ.get("TWOTIER_KIOSK_CENTRE", "26743").strip() or "26743"

# Where the project's reference data files live (the catalogue is also committed in the package).
SHARED_DATA_DIR = Path(os.environ.get("TWOTIER_SHARED_DATA", BASE_DIR.parent / "shared" / "data"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

SITE_TITLE = _("twotier — Chính quyền hai cấp")
