"""`python manage.py …` reads `.env` (KEY=VALUE lines) without overriding the environment."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

BASE = Path(settings.BASE_DIR)
PRINT_SETTINGS = "from django.conf import settings as s; print(s.DEBUG, repr(s.SECRET_KEY[:8]))"


def load_manage():
    spec = importlib.util.spec_from_file_location("waypoint_manage", BASE / "manage.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def manage(*args, env_file=None, **env) -> subprocess.CompletedProcess:
    """manage.py in a fresh process, with no SECRET_KEY or DEBUG unless given."""
    full = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    full["WAYPOINT_ENV_FILE"] = str(env_file)
    full.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], env=full, cwd=BASE, capture_output=True, text=True
    )


def test_it_parses_key_value_lines_comments_quotes_and_export():
    text = """
# a comment
; another
DEBUG=1
export SITE_URL = "https://waypoint.example"
SECRET_KEY='a b=c'
EMPTY=
not a setting
"""
    assert load_manage().parse_env(text) == {
        "DEBUG": "1",
        "SITE_URL": "https://waypoint.example",
        "SECRET_KEY": "a b=c",
        "EMPTY": "",
    }


def test_a_command_runs_with_debug_from_the_env_file(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("# development\nDEBUG=1\n")
    result = manage("shell", "-c", PRINT_SETTINGS, env_file=env_file)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "True 'django-i'"


def test_the_environment_wins_over_the_file(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("DEBUG=1\nSECRET_KEY=from-the-file\n")
    result = manage(
        "shell", "-c", PRINT_SETTINGS, env_file=env_file, DEBUG="0", SECRET_KEY="from-env-x"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "False 'from-env'"


def test_without_a_file_production_still_needs_a_secret_key(tmp_path):
    result = manage("shell", "-c", PRINT_SETTINGS, env_file=tmp_path / "missing.env")
    assert result.returncode != 0
    assert "Set SECRET_KEY in the environment" in result.stderr


def test_env_files_are_never_committed():
    assert ".env" in (BASE / ".gitignore").read_text().splitlines()
