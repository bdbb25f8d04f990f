"""Django settings for Maillage.

Everything that differs between a laptop and production comes from the
environment (see README, "En production"): DATABASE_URL, SECRET_KEY,
ALLOWED_HOSTS, DEBUG and the EMAIL_* variables.
"""

import contextlib
import os
from pathlib import Path

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent
# The project's data folder (SQLite database, uploaded files). Overridable so
# that an installed package does not write into site-packages.
DATA_DIR = Path(os.environ.get("MAILLAGE_DATA_DIR", PACKAGE_DIR.parent.parent / "data"))


def _env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


DEBUG = _env_bool("DEBUG", False)
# A development key is only acceptable when DEBUG is on or for the embedded
# demo; production must set SECRET_KEY (checked by `maillage check --deploy`).
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me-in-production")
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "maillage.accounts",
    "maillage.territory",
    "maillage.offer",
    "maillage.orientation",
    "maillage.diagnosis",
    "maillage.web",
    "maillage.api",
    "maillage.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "maillage.urls"
WSGI_APPLICATION = "maillage.wsgi.application"

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
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'maillage.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the demo server read while a load command writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"

LANGUAGE_CODE = "fr"
# Each language in its own name, so that anyone can switch back.
LANGUAGES = [("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", DATA_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG and _env_bool("MAILLAGE_MANIFEST_STATIC", True)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# WhiteNoise warns when the folder is missing (before any collectstatic).
with contextlib.suppress(OSError):
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# The demo serves static files straight from the apps, without collectstatic.
WHITENOISE_USE_FINDERS = _env_bool("WHITENOISE_USE_FINDERS", True)

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Maillage <ne-pas-repondre@localhost>")

if not DEBUG and _env_bool("SECURE_COOKIES", False):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# --- Maps -------------------------------------------------------------------
# Maps draw our own data (communes, sites) with no basemap by default: no
# third-party requests. Set a tile URL template (and its attribution) to add one.
MAILLAGE_TILES_URL = os.environ.get("MAILLAGE_TILES_URL", "")
MAILLAGE_TILES_ATTRIBUTION = os.environ.get("MAILLAGE_TILES_ATTRIBUTION", "")

# --- Orientation workflow (see src/maillage/orientation/workflow.py) --------
ORIENTATION_REMINDER_DAYS = int(os.environ.get("MAILLAGE_ORIENTATION_REMINDER_DAYS", "10"))
ORIENTATION_EXPIRY_DAYS = int(os.environ.get("MAILLAGE_ORIENTATION_EXPIRY_DAYS", "30"))
ORIENTATION_LINK_DAYS = int(os.environ.get("MAILLAGE_ORIENTATION_LINK_DAYS", "8"))
# Porteurs with no activity for this long are flagged on dashboards.
PORTEUR_INACTIVE_DAYS = 90
# RGPD retention: notice after this many days without activity, anonymisation
# RETENTION_GRACE_DAYS later if nothing happened in between.
RETENTION_INACTIVE_DAYS = int(os.environ.get("MAILLAGE_RETENTION_INACTIVE_DAYS", "730"))
RETENTION_GRACE_DAYS = int(os.environ.get("MAILLAGE_RETENTION_GRACE_DAYS", "30"))
# Absolute address of the site, for links in e-mails sent by commands.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# --- Travel-time model (see docs/adr/004-modele-temps-de-trajet.md) ---------
# Road distance ≈ great-circle distance × circuity factor. 1.3 is the usual
# detour ratio measured on French rural road networks (between 1.2 and 1.4).
TRAVEL_CIRCUITY = float(os.environ.get("MAILLAGE_TRAVEL_CIRCUITY", "1.3"))
# Local car speed (km/h) over the first and last TRAVEL_LOCAL_KM of a trip,
# by INSEE density level (1 = grands centres urbains … 7 = rural à habitat très
# dispersé): dense places are slow (traffic, lights). In between, the trip
# runs at TRAVEL_ROAD_SPEED_KMH (departmental and national roads mixed).
TRAVEL_SPEED_KMH = {1: 20.0, 2: 30.0, 3: 40.0, 4: 45.0, 5: 55.0, 6: 60.0, 7: 60.0}
TRAVEL_ROAD_SPEED_KMH = float(os.environ.get("MAILLAGE_TRAVEL_ROAD_SPEED_KMH", "75"))
TRAVEL_LOCAL_KM = float(os.environ.get("MAILLAGE_TRAVEL_LOCAL_KM", "5"))
# Optional CSV (origin INSEE, destination INSEE, minutes) that overrides the
# estimate where it has a value, e.g. computed with a routing engine.
TRAVEL_TIME_TABLE = os.environ.get("MAILLAGE_TRAVEL_TIME_TABLE", "")
