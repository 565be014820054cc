"""The manage.py commands `make run` runs before it serves, read from the Makefile, so a test
of "a restart keeps staff's edits" runs what a restart really runs."""

import re
import shlex
from io import StringIO
from pathlib import Path

from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent


def make_run_steps() -> list[list[str]]:
    makefile = (ROOT / "Makefile").read_text()
    recipe = re.search(r"^run: install\n((?:\t.*\n)+)", makefile, re.MULTILINE).group(1)
    steps = [
        shlex.split(line.split("manage.py", 1)[1])
        for line in recipe.splitlines()
        if "manage.py" in line
    ]
    assert steps[-1][0] == "runserver"
    return steps[:-1]


def run_make_run_steps() -> str:
    out = StringIO()
    for name, *args in make_run_steps():
        call_command(name, *args, stdout=out, stderr=StringIO())
    return out.getvalue()
