"""Print one table of mutmut's results per module, and write each module's survivors.

Run from the project root after `mutmut run` (`make mutate` does both). The modules are
`only_mutate` in pyproject.toml's [tool.mutmut]; results come from mutmut's meta files
(mutants/<module>.meta), the same data `mutmut results --all true` prints. Each module's
surviving mutants, with their diffs (what `mutmut show <name>` prints), go to
mutants-report/<module>.txt. Always exits 0: a score below the threshold is reported, not failed.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tomllib
from collections import Counter
from pathlib import Path

THRESHOLD = 80.0
REPORT_DIR = Path("mutants-report")

# mutmut 3's exit-code meanings (mutmut.stats.status_by_exit_code); anything else is suspicious.
STATUS_BY_EXIT_CODE = {
    1: "killed",
    3: "killed",
    0: "survived",
    5: "no tests",
    33: "no tests",
    2: "interrupted",
    None: "not checked",
    34: "skipped",
    35: "suspicious",
    36: "timeout",
    37: "type check",
    -24: "timeout",
    24: "timeout",
    152: "timeout",
    255: "timeout",
    -11: "segfault",
    -9: "segfault",
}
# Columns always shown, then the others only when some module has them.
ALWAYS = ["killed", "survived"]
OPTIONAL = [
    "timeout",
    "suspicious",
    "no tests",
    "segfault",
    "skipped",
    "type check",
    "interrupted",
    "not checked",
]
# Statuses someone should look at, listed with their diffs in the per-module file.
TO_LIST = ["survived", "no tests", "suspicious", "timeout", "segfault"]


def modules_to_mutate() -> list[str]:
    config = tomllib.loads(Path("pyproject.toml").read_text())["tool"]["mutmut"]
    return list(config["only_mutate"])


def load_results(module: str) -> dict[str, str]:
    meta = Path("mutants") / f"{module}.meta"
    if not meta.exists():
        return {}
    exit_codes = json.loads(meta.read_text())["exit_code_by_key"]
    return {name: STATUS_BY_EXIT_CODE.get(code, "suspicious") for name, code in exit_codes.items()}


def diff_of(mutant: str, module: str) -> str:
    try:  # the function behind `mutmut show`, without a process per mutant
        from mutmut.mutation.diff_apply import get_diff_for_mutant

        return get_diff_for_mutant(mutant, path=module)
    except Exception:
        shown = subprocess.run(
            [str(Path(sys.executable).with_name("mutmut")), "show", mutant],
            capture_output=True,
            text=True,
        )
        return (shown.stdout + shown.stderr).strip()


def write_survivors(module: str, results: dict[str, str]) -> Path:
    out = REPORT_DIR / f"{module.removesuffix('.py').replace('/', '.')}.txt"
    listed = [(s, m) for s in TO_LIST for m in sorted(results, key=_natural) if results[m] == s]
    lines = [
        f"# {module}: {len(listed)} mutant{'' if len(listed) == 1 else 's'} not killed, "
        f"of {len(results)}",
        "# Write a test that fails on each diff below; re-run `make mutate` to check.",
        "",
    ]
    for status, mutant in listed:
        lines += [f"## {mutant}: {status}", diff_of(mutant, module), ""]
    out.write_text("\n".join(lines))
    return out


def _natural(mutant: str) -> tuple[str, int]:
    function, _, number = mutant.rpartition("__mutmut_")
    return function, int(number) if number.isdigit() else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wall-seconds", type=int, help="how long the mutmut run took")
    args = parser.parse_args()

    REPORT_DIR.mkdir(exist_ok=True)
    rows: list[tuple[str, Counter[str], int]] = []
    for module in modules_to_mutate():
        results = load_results(module)
        write_survivors(module, results)
        rows.append((module, Counter(results.values()), len(results)))

    extra = [s for s in OPTIONAL if any(counts[s] for _, counts, _ in rows)]
    columns = ["total", *ALWAYS, *extra, "score"]
    width = max([len("module"), *(len(m) for m, _, _ in rows)])
    header = f"{'module':<{width}}  " + "  ".join(f"{c:>10}" for c in columns)
    print(header)
    print("-" * len(header))
    totals: Counter[str] = Counter()
    below = []
    for module, counts, total in rows:
        totals.update(counts)
        totals["total"] += total
        score = 100 * counts["killed"] / total if total else 0.0
        if score < THRESHOLD:
            below.append((module, score))
        cells = [total, *(counts[c] for c in ALWAYS + extra)]
        print(f"{module:<{width}}  " + "  ".join(f"{c:>10}" for c in cells) + f"  {score:>9.1f}%")
    print("-" * len(header))
    all_total = totals["total"]
    all_score = 100 * totals["killed"] / all_total if all_total else 0.0
    cells = [all_total, *(totals[c] for c in ALWAYS + extra)]
    print(f"{'all':<{width}}  " + "  ".join(f"{c:>10}" for c in cells) + f"  {all_score:>9.1f}%")
    print()
    for module, score in below:
        print(f"BELOW {THRESHOLD:.0f}%: {module} scores {score:.1f}%")
    print(f"Survivors and their diffs: {REPORT_DIR}/<module>.txt")
    if args.wall_seconds is not None:
        minutes, seconds = divmod(args.wall_seconds, 60)
        print(f"Wall time of the mutmut run: {minutes}m{seconds:02d}s")
    if not all_total:
        print("No results found: run `make mutate` (or `mutmut run`) first.")
    elif totals["not checked"]:
        print(
            f"INCOMPLETE: {totals['not checked']} mutants not checked yet; "
            "`make mutate MUTATE_RESUME=1` tests them (and only them)."
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
