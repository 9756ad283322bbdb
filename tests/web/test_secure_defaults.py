"""Secure defaults (issue 15): debug off unless asked for, the generated key of the embedded default,
production settings refused with debug or without a key, `check --deploy` clean under the production
settings of docs/deployment.md. Each case runs the settings in a fresh process with its own environment."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from govsite.web.production import production_problems, secret_key_file, ssl_header

# The variables a test sets itself (and the test session's DJANGO_ALLOW_ASYNC_UNSAFE) are not inherited.
OWN = ("GOVSITE_", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL")

PRODUCTION_ENV = {
    "GOVSITE_PRODUCTION": "1",
    "GOVSITE_SECRET_KEY": "k7Jd2-vQx9_Lw3mZr8Tb1Hc6Yn4Pf0Gs5Ua2Ee7Ko9Wi3Rl8Dq1",
    "GOVSITE_ALLOWED_HOSTS": "govsite.example.gov.cn",
    "GOVSITE_HTTPS": "1",
    "GOVSITE_PROXY_SSL_HEADER": "X-Forwarded-Proto",
}


def clean_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(OWN)}
    env.update(GOVSITE_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="govsite.web.settings", **extra)
    return env


def run_python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)


def run_govsite(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "govsite.cli", *args], env=env, capture_output=True, text=True, timeout=180
    )


FETCH_404 = """
import django
django.setup()
from django.conf import settings
from django.test import Client
response = Client(HTTP_HOST="127.0.0.1").get("/no-such-page/")
body = response.content.decode()
print(settings.DEBUG, response.status_code, "Using the URLconf" in body or "DEBUG = True" in body)
"""


def test_debug_is_off_by_default_and_a_404_shows_no_debug_page(tmp_path):
    out = run_python(FETCH_404, clean_env(tmp_path))
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["False", "404", "False"]


def test_debug_is_on_only_when_asked_for(tmp_path):
    out = run_python(FETCH_404, clean_env(tmp_path, GOVSITE_DEBUG="1"))
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["True", "404", "True"]  # the page the default no longer shows


def test_the_embedded_default_generates_one_private_key_per_data_directory(tmp_path):
    code = "import django; django.setup(); from django.conf import settings; print(settings.SECRET_KEY)"
    first = run_python(code, clean_env(tmp_path))
    second = run_python(code, clean_env(tmp_path))
    assert first.returncode == 0, first.stderr
    key = first.stdout.strip()
    assert len(key) >= 50 and key == second.stdout.strip()
    path = tmp_path / "secret_key"
    assert path.read_text().strip() == key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    other = run_python(code, clean_env(tmp_path / "other"))
    assert other.stdout.strip() != key


def test_secret_key_file_reuses_what_is_there(tmp_path):
    (tmp_path / "secret_key").write_text("existing-key\n")
    assert secret_key_file(tmp_path) == "existing-key"
    (tmp_path / "secret_key").write_text("")  # a crash left it empty: a new one is not written over it
    with pytest.raises(FileNotFoundError):
        secret_key_file(tmp_path)


def test_production_refuses_debug_and_a_generated_key():
    assert production_problems(production=False, debug=True, secret_key_from_env=False) == []
    assert production_problems(production=True, debug=False, secret_key_from_env=True) == []
    problems = production_problems(production=True, debug=True, secret_key_from_env=False)
    assert len(problems) == 2
    assert "GOVSITE_DEBUG" in problems[0] and "GOVSITE_SECRET_KEY" in problems[1]


@pytest.mark.parametrize("drop, says", [("GOVSITE_SECRET_KEY", "GOVSITE_SECRET_KEY"), (None, "GOVSITE_DEBUG")])
def test_serve_production_refuses_to_start_with_a_chinese_error(tmp_path, drop, says):
    env = clean_env(tmp_path, **PRODUCTION_ENV)
    if drop:
        del env[drop]
    else:
        env["GOVSITE_DEBUG"] = "1"
    out = run_govsite(["serve", "--production"], env)
    assert out.returncode == 2, out.stdout + out.stderr
    assert "拒绝以生产模式启动" in out.stderr and says in out.stderr
    assert "Traceback" not in out.stderr


def test_ssl_header_only_when_a_proxy_is_configured():
    assert ssl_header("") is None
    assert ssl_header(" X-Forwarded-Proto ") == ("HTTP_X_FORWARDED_PROTO", "https")


def test_check_deploy_reports_no_issue_under_the_documented_production_settings(tmp_path):
    out = run_govsite(["manage", "check", "--deploy"], clean_env(tmp_path, **PRODUCTION_ENV))
    assert out.returncode == 0, out.stdout + out.stderr
    # axes.W006 is silenced on purpose (web/settings.py SILENCED_SYSTEM_CHECKS says why)
    assert "System check identified no issues (1 silenced)." in out.stdout


def test_check_deploy_without_https_settings_warns(tmp_path):
    env = clean_env(tmp_path, **PRODUCTION_ENV)
    del env["GOVSITE_HTTPS"]
    out = run_govsite(["manage", "check", "--deploy"], env)
    text = out.stdout + out.stderr
    for code in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert code in text
