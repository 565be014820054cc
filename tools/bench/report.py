"""`make bench`'s arithmetic: reading wrk's output, medians over rounds, ratios to /healthz,
the issue's targets and the table. Pure functions: no Django, no processes."""

from __future__ import annotations

import json
import re
import statistics
from dataclasses import dataclass, replace

JSON_MARK = "BENCH_JSON "  # the line tools/bench/requests.lua's done() prints

# The targets (issue 13): req/s as a share of /healthz's in the same round, by kind of page;
# every page answers 99% of requests within P99_LIMIT_MS, and none fails.
MIN_RATIO = {"catalog": 0.50, "member": 0.15, "tick": 0.25}
P99_LIMIT_MS = 100.0


@dataclass(frozen=True)
class Measure:
    """One wrk run of one page."""

    requests: int
    rps: float
    p50_ms: float
    p99_ms: float
    socket_errors: int  # connect, read, write, timeout
    status_errors: int  # answers with a status of 400 or more (wrk's "non-2xx or 3xx")
    unexpected: int = 0  # answers other than 200 in gunicorn's access log (redirects too)

    @property
    def errors(self) -> int:
        """Socket errors and answers that were not 200: wrk counts only 400 and more, so a
        redirect (a session that no longer signs in goes to the sign-in page) comes from the
        server's log; the larger of the two counts, never both."""
        return self.socket_errors + max(self.status_errors, self.unexpected)


@dataclass(frozen=True)
class Row:
    """One page over every round: medians of req/s, p50, p99 and of the ratio to /healthz
    (each taken in its own round); errors are the total of all rounds, so one bad round shows."""

    key: str
    label: str
    kind: str
    requests: int  # answered, in all rounds
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    ratio: float | None
    failures: tuple[str, ...]

    @property
    def verdict(self) -> str:
        return "FAIL " + ", ".join(self.failures) if self.failures else "PASS"


def parse_wrk(output: str) -> Measure:
    """The Measure from wrk's stdout with requests.lua: its done() prints one JSON line."""
    for line in output.splitlines():
        if line.startswith(JSON_MARK):
            data = json.loads(line[len(JSON_MARK) :])
            break
    else:
        raise ValueError(f"no {JSON_MARK.strip()} line in wrk's output:\n{output[-2000:]}")
    seconds = data["duration_us"] / 1e6
    return Measure(
        requests=data["requests"],
        rps=data["requests"] / seconds if seconds else 0.0,
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        socket_errors=data["connect"] + data["read"] + data["write"] + data["timeout"],
        status_errors=data["status"],
    )


ACCESS_LINE = re.compile(r'"(?P<method>[A-Z]+) (?P<path>\S+) [^"]*" (?P<status>\d{3}) ')


def unexpected_answers(log: str, ignore: str = "/healthz?settle", expected: int = 200) -> int:
    """How many requests in a stretch of gunicorn's access log (gunicorn.conf.py's format:
    `host "GET /path HTTP/1.1" 200 …`) were answered with another status than `expected`,
    leaving out the bench's own `ignore` requests."""
    count = 0
    for line in log.splitlines():
        found = ACCESS_LINE.search(line)
        if found and found["path"] != ignore and int(found["status"]) != expected:
            count += 1
    return count


def with_log(measured: Measure, log: str) -> Measure:
    return replace(measured, unexpected=unexpected_answers(log))


def median(values: list[float]) -> float:
    if not values:
        raise ValueError("median of nothing")
    return statistics.median(values)


def ratio(rps: float, anchor_rps: float) -> float | None:
    """req/s as a share of the anchor's (/healthz) in the same round; None without an anchor."""
    return rps / anchor_rps if anchor_rps else None


def failures(
    kind: str, ratio_value: float | None, p99_ms: float, errors: int, requests: int = 1
) -> tuple[str, ...]:
    """Which targets a page misses: its kind's share of /healthz, the p99 limit, no errors
    (and a page that answered nothing at all misses every target)."""
    missed = ["no answers"] if requests == 0 else []
    wanted = MIN_RATIO.get(kind)
    if wanted is not None and (ratio_value is None or ratio_value < wanted):
        missed.append(f"ratio<{wanted:.2f}")
    if p99_ms >= P99_LIMIT_MS:
        missed.append(f"p99>={P99_LIMIT_MS:.0f}ms")
    if errors:
        missed.append("errors")
    return tuple(missed)


def summarise(
    pages: list[tuple[str, str, str]], rounds: list[dict[str, Measure]], anchor: str = "healthz"
) -> list[Row]:
    """One Row per page (key, label, kind) from the rounds (each a {key: Measure})."""
    rows = []
    for key, label, kind in pages:
        measured = [r for r in rounds if key in r]
        if not measured:
            continue
        ratios = [
            value
            for r in measured
            if anchor in r and (value := ratio(r[key].rps, r[anchor].rps)) is not None
        ]
        row_ratio = median(ratios) if ratios else None
        p99 = median([r[key].p99_ms for r in measured])
        errors = sum(r[key].errors for r in measured)
        rows.append(
            Row(
                key=key,
                label=label,
                kind=kind,
                requests=sum(r[key].requests for r in measured),
                rps=median([r[key].rps for r in measured]),
                p50_ms=median([r[key].p50_ms for r in measured]),
                p99_ms=p99,
                errors=errors,
                ratio=row_ratio,
                failures=failures(
                    kind, row_ratio, p99, errors, min(r[key].requests for r in measured)
                ),
            )
        )
    return rows


def target_text(kind: str) -> str:
    wanted = MIN_RATIO.get(kind)
    return f"≥{wanted:.2f}" if wanted is not None else "-"


HEADERS = ["page", "req/s", "p50 ms", "p99 ms", "errors", "÷healthz", "target", "verdict"]


def cells(row: Row) -> list[str]:
    answered = row.requests > 0
    return [
        row.label,
        f"{row.rps:.0f}",
        f"{row.p50_ms:.1f}" if answered else "-",
        f"{row.p99_ms:.1f}" if answered else "-",
        str(row.errors),
        "-" if row.ratio is None else f"{row.ratio:.2f}",
        target_text(row.kind),
        row.verdict,
    ]


def format_table(rows: list[Row]) -> str:
    """A plain-text table for the terminal: the page left-aligned, the figures right-aligned."""
    table = [HEADERS, *(cells(row) for row in rows)]
    widths = [max(len(line[i]) for line in table) for i in range(len(HEADERS))]

    def fmt(line: list[str]) -> str:
        first = line[0].ljust(widths[0])
        middle = [cell.rjust(width) for cell, width in zip(line[1:-1], widths[1:-1], strict=True)]
        return "  ".join([first, *middle, line[-1]]).rstrip()

    return "\n".join([fmt(HEADERS), "  ".join("-" * w for w in widths), *map(fmt, table[1:])])


def format_markdown(rows: list[Row], setup: str) -> str:
    """The same table as Markdown, with the setup line above it, to paste into a note."""
    lines = [setup, "", "| " + " | ".join(HEADERS) + " |"]
    lines.append("|" + "|".join(["---", *["---:"] * (len(HEADERS) - 2), "---"]) + "|")
    lines += ["| " + " | ".join(cells(row)) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def verdict_line(rows: list[Row]) -> str:
    failed = [row.label for row in rows if row.failures]
    passed = len(rows) - len(failed)
    return f"{passed} of {len(rows)} pages meet their targets" + (
        f"; missed: {', '.join(failed)}" if failed else ""
    )
