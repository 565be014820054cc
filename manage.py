#!/usr/bin/env python
import os
import sys
from pathlib import Path

# Settings come from the environment. Management commands run by hand (createsuperuser, a
# backup, a shell) read them from `.env` at the repository root too: in development `make run`
# writes one with DEBUG=1; in production it is the systemd EnvironmentFile the services read.
# WAYPOINT_ENV_FILE names another file (the tests use it).
ENV_FILE = Path(__file__).resolve().parent / ".env"


def parse_env(text: str) -> dict[str, str]:
    """KEY=VALUE lines, as systemd's EnvironmentFile takes them: blank lines and lines
    starting with # or ; are skipped, `export ` before a key is allowed, and a value in
    matching single or double quotes loses them. Other lines are ignored with a warning."""
    values = {}
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        key, sep, value = line.removeprefix("export ").partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not key.isidentifier():
            print(
                f"manage.py: ignoring line {number} of the .env file (not KEY=VALUE)",
                file=sys.stderr,
            )
            continue
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key] = value
    return values


def read_env_file(path: Path) -> None:
    """Set the file's variables that the environment does not set already (it wins)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return
    for key, value in parse_env(text).items():
        os.environ.setdefault(key, value)


def main() -> None:
    read_env_file(Path(os.environ.get("WAYPOINT_ENV_FILE") or ENV_FILE))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
