"""Settings come from the environment; production passes Django's deploy checks."""

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.template import Context, Template

from ekabinet.settings.env import env_bool, env_int, env_list, env_url

ROOT = Path(__file__).resolve().parent.parent
PO_FILE = ROOT / "locale" / "uk" / "LC_MESSAGES" / "django.po"


def run_django(args, **env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "ELASTICSEARCH_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


def test_typed_helpers_fail_loudly(monkeypatch):
    monkeypatch.setenv("X_BOOL", "maybe")
    with pytest.raises(ImproperlyConfigured):
        env_bool("X_BOOL")
    monkeypatch.setenv("X_INT", "ten")
    with pytest.raises(ImproperlyConfigured):
        env_int("X_INT", 1)
    monkeypatch.setenv("X_INT", "5")
    with pytest.raises(ImproperlyConfigured):
        env_int("X_INT", 1, minimum=10)
    monkeypatch.setenv("X_URL", "mysql://db")
    with pytest.raises(ImproperlyConfigured):
        env_url("X_URL", ("postgres",))
    monkeypatch.setenv("X_LIST", "a, b,,c")
    assert env_list("X_LIST") == ["a", "b", "c"]
    monkeypatch.setenv("X_BOOL", "Yes")
    assert env_bool("X_BOOL") is True


def test_zero_setup_runs_on_sqlite_and_the_memory_layer():
    code = (
        "from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.CHANNEL_LAYERS['default']['BACKEND'], s.CACHES['default']['BACKEND'])"
    )
    result = run_django(["shell", "-c", code], DJANGO_SETTINGS_MODULE="ekabinet.settings.base")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == [
        "django.db.backends.sqlite3",
        "channels.layers.InMemoryChannelLayer",
        "django.core.cache.backends.locmem.LocMemCache",
    ]


def test_services_come_from_the_environment():
    code = (
        "from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.CHANNEL_LAYERS['default']['BACKEND'], s.CACHES['default']['BACKEND'])"
    )
    result = run_django(
        ["shell", "-c", code],
        DJANGO_SETTINGS_MODULE="ekabinet.settings.base",
        DATABASE_URL="postgres://u@db.example:5432/ekabinet",
        REDIS_URL="redis://cache.example:6379/0",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == [
        "django.db.backends.postgresql",
        "channels_redis.core.RedisChannelLayer",
        "django.core.cache.backends.redis.RedisCache",
    ]


def test_production_refuses_the_development_secret_key():
    result = run_django(["check"], DJANGO_SETTINGS_MODULE="ekabinet.settings.production")
    assert result.returncode != 0 and "DJANGO_SECRET_KEY" in result.stderr


def test_production_passes_the_deploy_checks():
    result = run_django(
        ["check", "--deploy", "--fail-level", "WARNING"],
        DJANGO_SETTINGS_MODULE="ekabinet.settings.production",
        DJANGO_SECRET_KEY="k" * 10 + "-production-secret-for-the-test-of-deploy-checks-0123456789",
        DJANGO_ALLOWED_HOSTS="ekabinet.kyiv.ua",
        DATABASE_URL="postgres://ekabinet@db.example:5432/ekabinet",
        REDIS_URL="redis://cache.example:6379/0",
        EKABINET_SITE_URL="https://ekabinet.kyiv.ua",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_run_without_postgresql_and_redis():
    secret = "k" * 60
    no_db = run_django(["check"], DJANGO_SETTINGS_MODULE="ekabinet.settings.production", DJANGO_SECRET_KEY=secret)
    assert no_db.returncode != 0 and "DATABASE_URL" in no_db.stderr
    no_redis = run_django(
        ["check"],
        DJANGO_SETTINGS_MODULE="ekabinet.settings.production",
        DJANGO_SECRET_KEY=secret,
        DATABASE_URL="postgres://ekabinet@db.example:5432/ekabinet",
    )
    assert no_redis.returncode != 0 and "REDIS_URL" in no_redis.stderr


def test_language_time_zone_and_date_format():
    assert settings.LANGUAGE_CODE == "uk" and settings.TIME_ZONE == "Europe/Kyiv"
    assert Template("{{ d|date }}").render(Context({"d": date(2017, 9, 5)})) == "05.09.2017"


def test_the_ukrainian_locale_is_complete():
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", os.devnull, str(PO_FILE)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr


def test_the_channel_layer_is_sized_for_a_citywide_burst():
    """Every socket of a worker shares one Redis list: a circular to all schools must fit."""
    import redis

    assert int(redis.__version__.split(".")[0]) < 8, "redis-py 8's socket timeout breaks channels-redis receive"
    if "RedisChannelLayer" in settings.CHANNEL_LAYERS["default"]["BACKEND"]:
        assert settings.CHANNEL_LAYERS["default"]["CONFIG"]["capacity"] >= 3000


def test_every_variable_the_settings_read_is_listed_in_env_example():
    import re

    read = set()
    for path in (ROOT / "ekabinet" / "settings").glob("*.py"):
        read |= set(re.findall(r'env_(?:str|bool|int|list|url)\(\s*"([A-Z_]+)"', path.read_text()))
    listed = set(re.findall(r"^#? ?([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.MULTILINE))
    assert read and not read - listed, f"missing from .env.example: {sorted(read - listed)}"
