"""`make audit`: every page type through the Nu HTML checker, axe-core and (three) Lighthouse.

Builds a throwaway SQLite database (the catalogue; a member with an active plan, ticks, notes
and check-ins, a paused plan, a plan they left and a calendar feed; a newcomer with no plans
and an unverified address; a staff user changing their address: tools/audit_pages.py),
collects the static files (hashed, as a deploy does) and starts gunicorn (gunicorn.conf.py)
with the production profile (DEBUG off) on a free port, as tools/scale_check.py does. Then, for
each page type (tools/audit_pages.page_types: every page and state a user can reach: public,
member, newcomer, staff, account and allauth pages, the links mails carry, each form after a
failed submit, the 404 and CSRF-failure pages):

  - the HTML as served goes to the Nu HTML checker (audit-tools/node_modules/vnu-jar, Java);
  - axe-core (axe-playwright-python's copy) checks WCAG 2.1 A/AA in Debian's Chromium, in the
    light and dark colour schemes at 1280 and 375 px wide; and whether the page scrolls
    sideways at 375 px; with --screenshots DIR, full-page PNGs in light at 1280 and 375 px
    (NAME-1280.png, NAME-375.png) are taken in the same pass;
  - Lighthouse (audit-tools/node_modules/lighthouse, mobile profile) scores performance,
    accessibility, best practices and SEO for the home page, a transition and the plan page
    (signed in by a session cookie), against LIGHTHOUSE_MINIMUM: best practices and SEO 100,
    performance and accessibility at least 98. Each page is measured --lighthouse-runs times
    (5) and judged on the median score of each category, as Lighthouse's own guidance on
    variability advises: one run's performance score moves by a few points with the machine's
    load (Total Blocking Time is simulated from the CPU time seen).

Prints one table, with a verdict per page type (PASS, or FAIL and why), and each failure below
it. Exits 1 if any page has an HTML error, an axe violation, scrolls sideways or did not load
as expected, or if a Lighthouse page scores below a threshold or Lighthouse failed on it.
Cleans up (processes, database, static files) whatever happens.

Usage: .venv/bin/python tools/audit.py [--no-lighthouse] [--only NAME,...] [--screenshots DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools.audit_pages import (  # noqa: E402
    SCHEMES,
    VIEWPORT_HEIGHT,
    WIDTHS,
    PageType,
    axe_in_each_look,
    open_page,
    sideways_scroll,
)
from tools.scale_check import GUNICORN, Browser, Stack, free_port  # noqa: E402

TOOLS = ROOT / "audit-tools" / "node_modules"
VNU = TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"
LIGHTHOUSE = TOOLS / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
LIGHTHOUSE_PAGES = ["home", "transition", "plan"]
LIGHTHOUSE_CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
# The least score each category must reach on each Lighthouse page (out of 100).
LIGHTHOUSE_MINIMUM = {"performance": 98, "accessibility": 98, "best-practices": 100, "seo": 100}
LIGHTHOUSE_SHORT = {"performance": "perf", "accessibility": "a11y", "best-practices": "bp"}
LOOKS = [f"{scheme} {width}" for width in WIDTHS for scheme in SCHEMES]

SETUP = """
import json
from careers.catalog.loader import load_catalog
from tools.audit_pages import SIGNED_IN, make_audit_data, page_types, session_cookie

load_catalog()
data = make_audit_data()
print(json.dumps({
    "pages": [page.as_dict() for page in page_types(data)],
    "cookies": {who: session_cookie(data[who]) for who in SIGNED_IN},
}))
"""


class AuditStack(Stack):
    """scale_check's Stack on SQLite: no PostgreSQL, no Redis, nothing kept afterwards."""

    def __init__(self) -> None:
        super().__init__()
        self.made_staticfiles = False
        self.env.update(
            {
                "DATABASE_URL": f"sqlite:///{self.tmp / 'audit.sqlite3'}",
                "STATIC_ROOT": str(self.tmp / "static"),
                "TRUSTED_PROXY_COUNT": "0",
                "WEB_CONCURRENCY": "2",
            }
        )
        self.env.pop("REDIS_URL", None)

    def close(self) -> None:
        self.stop_processes()
        shutil.rmtree(self.tmp, ignore_errors=True)


def browse(
    base: str, pages: list[PageType], cookies: dict, html_dir: Path, shots: Path | None
) -> dict:
    """Each page type in Chromium: its HTML (saved), axe in each look, sideways scrolling;
    and into `shots`, if given, full-page screenshots in light at 1280 and 375 px."""
    from playwright.sync_api import sync_playwright

    found = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            for page_type in pages:
                found[page_type.name] = browse_one(
                    browser, base, page_type, cookies, html_dir, shots
                )
        finally:
            browser.close()
    return found


def browse_one(
    browser, base, page_type: PageType, cookies, html_dir: Path, shots: Path | None
) -> dict:
    result = {"problem": None, "axe": {}, "sideways": None, "html": None}
    width = WIDTHS[0]
    context = browser.new_context(viewport={"width": width, "height": VIEWPORT_HEIGHT[width]})
    try:
        if page_type.who in cookies:
            context.add_cookies([{**cookies[page_type.who], "url": base, "httpOnly": True}])
        page = context.new_page()
        response = open_page(page, base, page_type)
        if response.status != page_type.status:
            result["problem"] = f"HTTP {response.status} at {page.url} (wanted {page_type.status})"
        html = html_dir / f"{page_type.name}.html"
        html.write_bytes(response.body())
        result["html"] = html
        if shots:
            page.emulate_media(color_scheme="light")
            page.screenshot(path=shots / f"{page_type.name}-{width}.png", full_page=True)
        result["axe"] = axe_in_each_look(page)  # ends at 375 px wide
        result["sideways"] = sideways_scroll(page)
        if shots:
            page.emulate_media(color_scheme="light")
            page.screenshot(path=shots / f"{page_type.name}-{WIDTHS[-1]}.png", full_page=True)
    except Exception as error:
        result["problem"] = f"{type(error).__name__}: {str(error).splitlines()[0]}"
    finally:
        context.close()
    return result


def start_vnu(files: list[Path]) -> subprocess.Popen:
    return subprocess.Popen(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", "--stdout"]
        + [str(f) for f in files],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def vnu_errors(process: subprocess.Popen, files: dict[str, Path]) -> dict[str, list[str]]:
    out, err = process.communicate(timeout=300)
    try:
        messages = json.loads(out)["messages"]
    except (ValueError, KeyError):
        raise RuntimeError(f"the Nu HTML checker failed:\n{err[-2000:]}") from None
    by_file = {path.name: name for name, path in files.items()}  # vnu says file:/dir/name
    errors: dict[str, list[str]] = {name: [] for name in files}
    for message in messages:
        name = by_file.get(message.get("url", "").rsplit("/", 1)[-1], "?")
        line = message.get("lastLine", "?")
        extract = " ".join(message.get("extract", "").split())[:120]
        errors.setdefault(name, []).append(
            f"line {line}: {message.get('message', '')}" + (f"  [{extract}]" if extract else "")
        )
    return errors


def lighthouse(url: str, cookie: dict | None, out: Path) -> dict:
    """Scores (0-100) per category and the audits that fail (score below 0.9)."""
    command = [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        f"--output-path={out}",
        "--quiet",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        f"--only-categories={','.join(LIGHTHOUSE_CATEGORIES)}",
    ]
    if cookie:
        command.append(
            "--extra-headers=" + json.dumps({"Cookie": f"{cookie['name']}={cookie['value']}"})
        )
    for _attempt in range(2):  # a busy machine now and then loses the trace (NO_NAVSTART)
        run = subprocess.run(
            command,
            env={**os.environ, "CHROME_PATH": CHROMIUM},
            capture_output=True,
            text=True,
            timeout=240,
        )
        if run.returncode == 0 and out.exists():
            break
    if run.returncode != 0 or not out.exists():
        return {"problem": f"lighthouse exited {run.returncode}: {run.stderr.strip()[-500:]}"}
    report = json.loads(out.read_text())
    scores, failing = {}, []
    for key in LIGHTHOUSE_CATEGORIES:
        category = report["categories"][key]
        scores[key] = None if category["score"] is None else round(100 * category["score"])
        for ref in category["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if audit.get("scoreDisplayMode") not in ("binary", "numeric", "metricSavings"):
                continue
            if audit.get("score") is not None and audit["score"] < 0.9:
                shown = f" ({audit['displayValue']})" if audit.get("displayValue") else ""
                failing.append(f"{key}: {ref['id']} — {audit['title']}{shown}")
                if ref["id"] in ("errors-in-console", "is-crawlable", "csp-xss", "target-size"):
                    for item in (audit.get("details") or {}).get("items", [])[:5]:
                        node = item.get("node") if isinstance(item.get("node"), dict) else {}
                        what = node.get("snippet") or item.get("description") or item.get("source")
                        what = what or item
                        where = item.get("sourceLocation", {}).get("url", "")
                        failing.append(f"    {' '.join(str(what).split())[:200]} {where}".rstrip())
    final = report.get("finalDisplayedUrl") or report.get("finalUrl")
    if final and final.split("#")[0] != url:
        return {
            "problem": f"ended at {final}, not {url}: the scores are that page's",
            "scores": scores,
            "failing": failing,
        }
    return {"scores": scores, "failing": failing}


def lighthouse_median(url: str, cookie: dict | None, out: Path, runs: int) -> dict:
    """`runs` Lighthouse runs of one page: the median score of each category, every run's
    scores (`runs`), and the failing audits of the run whose performance is the median."""
    results = []
    for n in range(runs):
        try:
            results.append(lighthouse(url, cookie, out.with_name(f"{out.name}-{n}.json")))
        except (subprocess.TimeoutExpired, ValueError, KeyError) as error:
            results.append({"problem": f"{type(error).__name__}: {error}"})
    failed = [r for r in results if r.get("problem")]
    if failed:
        return {**failed[0], "runs": [r.get("scores") for r in results]}
    scores = {
        key: None
        if any(r["scores"][key] is None for r in results)
        else statistics.median_low([r["scores"][key] for r in results])
        for key in LIGHTHOUSE_CATEGORIES
    }
    middle = sorted(results, key=lambda r: r["scores"]["performance"] or 0)[(runs - 1) // 2]
    return {"scores": scores, "failing": middle["failing"], "runs": [r["scores"] for r in results]}


def lighthouse_shortfalls(result: dict) -> list[str]:
    """Why a Lighthouse run fails the thresholds ("perf 95 < 98", ...); [] if it passes."""
    if result.get("problem"):
        return ["Lighthouse run failed"]
    shortfalls = []
    for key, least in LIGHTHOUSE_MINIMUM.items():
        score = result["scores"].get(key)
        if score is None or score < least:
            shown = "no score" if score is None else str(score)
            shortfalls.append(f"{LIGHTHOUSE_SHORT.get(key, key)} {shown} < {least}")
    return shortfalls


def cell(violations: list | None) -> str:
    if violations is None:
        return "-"
    return (
        "0" if not violations else f"{len(violations)} ({sum(len(v['nodes']) for v in violations)})"
    )


def report(pages, browsed, html, lh) -> int:
    head = ["page type", "HTML errors", *[f"axe {look}" for look in LOOKS], "sideways 375"]
    head += ["LH perf/a11y/bp/seo", "verdict"]
    rows = []
    failed = []
    for page_type in pages:
        name = page_type.name
        seen = browsed.get(name, {})
        errors = html.get(name)
        scores = lh.get(name, {}).get("scores")
        reasons = []
        if seen.get("problem"):
            reasons.append("did not load as expected")
        if errors:
            reasons.append("HTML")
        if any(seen.get("axe", {}).values()):
            reasons.append("axe")
        if seen.get("sideways"):
            reasons.append("sideways")
        if name in lh:
            reasons += lighthouse_shortfalls(lh[name])
        row = [
            name,
            "-" if errors is None else str(len(errors)),
            *[cell(seen.get("axe", {}).get(look)) for look in LOOKS],
            "-" if seen.get("sideways") is None else f"{seen['sideways']} px",
            "/".join("-" if scores[k] is None else str(scores[k]) for k in LIGHTHOUSE_CATEGORIES)
            if scores
            else ("failed" if name in lh else ""),
            "FAIL: " + ", ".join(reasons) if reasons else "PASS",
        ]
        rows.append(row)
        if reasons:
            failed.append(name)
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]
    line = " | ".join(h.ljust(w) for h, w in zip(head, widths, strict=True))
    print("\n" + line)
    print("-+-".join("-" * w for w in widths))
    for row in rows:
        print(" | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))
    print(
        "axe cells: rules violated (elements); LH: Lighthouse scores out of 100 (mobile), "
        "which must be at least "
        + ", ".join(f"{LIGHTHOUSE_SHORT.get(k, k)} {v}" for k, v in LIGHTHOUSE_MINIMUM.items())
        + "."
    )

    print("\nDETAILS")
    for page_type in pages:
        name = page_type.name
        seen = browsed.get(name, {})
        lines = []
        if seen.get("problem"):
            lines.append(f"  did not load as expected: {seen['problem']}")
        for error in html.get(name) or []:
            lines.append(f"  HTML: {error}")
        rules: dict[str, dict] = {}
        for look, violations in seen.get("axe", {}).items():
            for v in violations:
                entry = rules.setdefault(v["id"], {"v": v, "looks": []})
                entry["looks"].append(look)
        for rule, entry in rules.items():
            v = entry["v"]
            looks = "all looks" if len(entry["looks"]) == len(LOOKS) else ", ".join(entry["looks"])
            lines.append(f"  axe {rule} ({v['impact']}) in {looks}: {v['help']}")
            for node in v["nodes"][:6]:
                summary = " ".join(node["summary"].split())[:240]
                lines.append(f"      {node['target']}: {summary}")
            if len(v["nodes"]) > 6:
                lines.append(f"      … and {len(v['nodes']) - 6} more")
        if seen.get("sideways"):
            lines.append(f"  scrolls {seen['sideways']} px sideways at 375 px")
        result = lh.get(name)
        if result:
            if result.get("problem"):
                lines.append(f"  Lighthouse: {result['problem']}")
            if result.get("runs"):
                each = [
                    "/".join(
                        "-" if not r or r[k] is None else str(r[k]) for k in LIGHTHOUSE_CATEGORIES
                    )
                    for r in result["runs"]
                ]
                lines.append(
                    f"  Lighthouse runs (perf/a11y/bp/seo): {', '.join(each)}; median shown"
                )
            for failing in result.get("failing", []):
                lines.append(f"  Lighthouse {failing}")
        if lines:
            print(f"\n{name} ({page_type.path}, {page_type.who})")
            print("\n".join(lines))
    print(
        f"\n{len(failed)} of {len(pages)} page types fail (HTML errors, axe violations, "
        "sideways scrolling, not loading, or Lighthouse below its thresholds or not running)"
        f"{': ' + ', '.join(failed) if failed else ''}"
    )
    return 1 if failed else 0


def run(stack: AuditStack, args) -> int:
    started = time.monotonic()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    stack.env["SITE_URL"] = base  # absolute links (canonical, calendar feed) to this server
    stack.manage("migrate", "--noinput")
    stack.manage("createcachetable")
    stack.manage("collectstatic", "--noinput")
    setup = stack.shell(SETUP)
    pages = [PageType(**page) for page in setup["pages"]]
    if args.only:
        pages = [page for page in pages if page.name in args.only.split(",")]
    stack.start(
        "gunicorn",
        [GUNICORN, "-c", "gunicorn.conf.py"],
        {**stack.env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
    )
    stack.wait_for("gunicorn", Browser(port))
    print(
        f"gunicorn on {base} with {len(pages)} page types; up after {time.monotonic() - started:.0f} s",
        flush=True,
    )

    html_dir = stack.tmp / "html"
    html_dir.mkdir()
    shots = None
    if args.screenshots:
        shots = Path(args.screenshots).resolve()
        shots.mkdir(parents=True, exist_ok=True)
    browsed = browse(base, pages, setup["cookies"], html_dir, shots)
    print(f"axe done after {time.monotonic() - started:.0f} s", flush=True)
    if shots:
        print(f"screenshots in {shots}", flush=True)

    lh = {}
    if not args.no_lighthouse:
        by_name = {page.name: page for page in pages}
        for name in LIGHTHOUSE_PAGES:
            if name in by_name:
                page = by_name[name]
                lh[name] = lighthouse_median(
                    base + page.path,
                    setup["cookies"].get(page.who),
                    stack.tmp / f"lh-{name}",
                    args.lighthouse_runs,
                )
        print(f"Lighthouse done after {time.monotonic() - started:.0f} s", flush=True)
    # Java after Lighthouse, not beside it: the thresholds are enforced, and a busy CPU
    # inflates Lighthouse's Total Blocking Time (the plan page lost some 10 points to it).
    files = {name: seen["html"] for name, seen in browsed.items() if seen.get("html")}
    html = vnu_errors(start_vnu(list(files.values())), files)
    print(f"all done after {time.monotonic() - started:.0f} s", flush=True)
    return report(pages, browsed, html, lh)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-lighthouse", action="store_true", help="skip Lighthouse")
    parser.add_argument("--only", help="comma-separated page types to check (default: all)")
    parser.add_argument(
        "--lighthouse-runs",
        type=int,
        default=5,
        metavar="N",
        help="Lighthouse runs per page, judged on the median score (default: 5)",
    )
    parser.add_argument(
        "--screenshots",
        metavar="DIR",
        help="save full-page PNGs in light at 375 and 1280 px (NAME-375.png, NAME-1280.png)",
    )
    args = parser.parse_args()
    missing = [str(p) for p in (VNU, LIGHTHOUSE) if not p.exists()]
    if missing or not shutil.which("java") or not Path(CHROMIUM).exists():
        print(
            "Missing: "
            + ", ".join(missing + [c for c in ("java",) if not shutil.which(c)])
            + ("" if Path(CHROMIUM).exists() else f", {CHROMIUM}")
            + ". Run `make audit` (npm ci in audit-tools, Debian's chromium, Java 17)."
        )
        return 2
    stack = AuditStack()
    try:
        return run(stack, args)
    except Exception:
        traceback.print_exc()
        return 2
    finally:
        stack.close()


if __name__ == "__main__":
    sys.exit(main())
