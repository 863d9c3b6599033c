"""Safe defaults: without DEBUG the app refuses to start on the public (or no) secret key, and
`check --deploy` is clean under the production environment that docs/deploy.md documents."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[3]
DEPLOY_DOC = BASE_DIR / "docs" / "deploy.md"


@pytest.fixture(autouse=True)
def var_dir_without_a_key(tmp_path, monkeypatch):
    """A var directory of its own: the checkout's may hold the key `make run` generated."""
    monkeypatch.setenv("ENERGY_VAR_DIR", str(tmp_path / "var"))
    return tmp_path / "var"


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, capture_output=True, text=True, timeout=120,
                          env={**base, "DJANGO_SETTINGS_MODULE": "config.settings", **env})


def documented_production_env() -> dict[str, str]:
    """The variables of the first ```sh block of docs/deploy.md (`export NAME=value` lines)."""
    block = re.search(r"```sh\n(.*?)```", DEPLOY_DOC.read_text(), re.DOTALL).group(1)
    env = dict(re.findall(r"^export (\w+)=(\S+)", block, re.MULTILINE))
    assert {"DJANGO_SECRET_KEY_FILE", "DJANGO_HTTPS", "DJANGO_ALLOWED_HOSTS"} <= set(env), env
    return env


def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off():
    done = manage("check")

    assert done.returncode != 0
    assert "DJANGO_SECRET_KEY" in done.stderr
    assert "ImproperlyConfigured" in done.stderr


def test_it_refuses_the_public_development_key_when_debug_is_off():
    done = manage("check", DJANGO_SECRET_KEY="insecure-dev-key-set-DJANGO_SECRET_KEY-in-production")

    assert done.returncode != 0
    assert "DJANGO_SECRET_KEY" in done.stderr


def test_it_starts_on_the_development_key_only_in_debug():
    done = manage("check", DJANGO_DEBUG="true")

    assert done.returncode == 0, done.stderr


def test_it_reads_the_key_make_run_generated(var_dir_without_a_key):
    var_dir_without_a_key.mkdir()
    (var_dir_without_a_key / "secret_key").write_text(secrets.token_urlsafe(50))

    done = manage("check")

    assert done.returncode == 0, done.stderr


def test_it_reads_the_key_from_a_file(tmp_path):
    key_file = tmp_path / "secret_key"
    key_file.write_text(secrets.token_urlsafe(50))

    done = manage("check", DJANGO_SECRET_KEY_FILE=str(key_file))

    assert done.returncode == 0, done.stderr


def test_it_passes_check_deploy_under_the_documented_production_environment(tmp_path):
    env = documented_production_env()
    key_file = tmp_path / "secret_key"
    key_file.write_text(secrets.token_urlsafe(50))
    env["DJANGO_SECRET_KEY_FILE"] = str(key_file)

    done = manage("check", "--deploy", "--fail-level", "WARNING", **env)

    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_it_warns_under_check_deploy_without_that_environment():
    done = manage("check", "--deploy", "--fail-level", "WARNING", DJANGO_SECRET_KEY=secrets.token_urlsafe(50))

    assert done.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in done.stderr
