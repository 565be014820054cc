"""`make bench` (tools/bench): its arithmetic, wrk's script, and the database it builds. The
benchmark itself is not run here (it takes minutes); these are the parts it stands on."""

import json
import shutil
import subprocess
import threading
from collections import defaultdict
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from accounts.models import User
from roadmaps.models import CheckIn, ItemProgress, Plan
from tests.conftest import TODAY
from tools.bench import data, report
from tools.bench.run import (
    ROOT,
    BenchError,
    Options,
    Page,
    bench_database,
    choose,
    make_pages,
    precheck,
    write_targets,
)

LUA = ROOT / "tools" / "bench" / "requests.lua"


def wrk_output(**overrides) -> str:
    values = {"requests": 2500, "duration_us": 5_000_000, "bytes": 10, "connect": 0, "read": 1,
              "write": 0, "status": 3, "timeout": 2, "p50_us": 12_345, "p90_us": 20_000,
              "p99_us": 87_650, "max_us": 120_000, "mean_us": 14000.5}  # fmt: skip
    values.update(overrides)
    return "Running 5s test @ http://127.0.0.1:1\n  2 threads\nBENCH_JSON " + json.dumps(values)


def measure(rps, p99=10.0, errors=0, requests=100):
    return report.Measure(requests, rps, 5.0, p99, 0, errors)


# --- report.py ------------------------------------------------------------------------------


def test_parse_wrk_reads_the_json_line():
    measured = report.parse_wrk(wrk_output())
    assert measured.requests == 2500
    assert measured.rps == 500.0  # 2500 requests in 5 s
    assert measured.p50_ms == pytest.approx(12.345)
    assert measured.p99_ms == pytest.approx(87.65)
    assert measured.socket_errors == 3  # read 1 + timeout 2
    assert measured.status_errors == 3
    assert measured.errors == 6


def test_parse_wrk_without_the_json_line_says_so():
    with pytest.raises(ValueError, match="no BENCH_JSON line"):
        report.parse_wrk("Running 5s test\n  Requests/sec: 100\n")


def test_unexpected_answers_come_from_gunicorns_access_log():
    log = "\n".join(
        [
            '127.0.0.1 "GET /plans/3/ HTTP/1.1" 200 5120 41ms "-"',
            '127.0.0.1 "GET /plans/3/ HTTP/1.1" 302 0 3ms "-"',
            '127.0.0.1 "POST /plans/3/items/9/state/ HTTP/1.1" 403 120 2ms "-"',
            '127.0.0.1 "GET /healthz?settle HTTP/1.1" 200 2 0ms "-"',
            '127.0.0.1 "GET /healthz?settle HTTP/1.1" 503 2 0ms "-"',
            "[2027-03-10 10:00:00 +0000] [7] [INFO] Booting worker with pid: 7",
        ]
    )
    assert report.unexpected_answers(log) == 2  # the 302 and the 403, not the bench's own
    measured = report.with_log(report.parse_wrk(wrk_output(status=1, read=0, timeout=0)), log)
    assert measured.unexpected == 2 and measured.status_errors == 1
    assert measured.errors == 2  # the 403 counted once: the larger of wrk's and the log's


def test_median_and_ratio():
    assert report.median([3.0, 1.0, 2.0]) == 2.0
    assert report.median([4.0, 1.0, 2.0, 3.0]) == 2.5
    assert report.ratio(250, 1000) == 0.25
    assert report.ratio(250, 0) is None
    with pytest.raises(ValueError):
        report.median([])


@pytest.mark.parametrize(
    "kind, ratio, p99, errors, missed",
    [
        ("catalog", 0.50, 99.9, 0, ()),
        ("catalog", 0.49, 99.9, 0, ("ratio<0.50",)),
        ("member", 0.15, 10.0, 0, ()),
        ("member", 0.14, 10.0, 0, ("ratio<0.15",)),
        ("tick", 0.25, 10.0, 0, ()),
        ("tick", 0.24, 100.0, 1, ("ratio<0.25", "p99>=100ms", "errors")),
        ("anchor", 0.01, 10.0, 0, ()),  # the sign-in page has no share to meet
        ("probe", 1.0, 100.0, 0, ("p99>=100ms",)),
        ("feed", None, 5.0, 2, ("errors",)),
        ("member", None, 5.0, 0, ("ratio<0.15",)),
    ],
)
def test_failures_are_the_issues_targets(kind, ratio, p99, errors, missed):
    assert report.failures(kind, ratio, p99, errors) == missed


def test_a_page_that_answered_nothing_fails():
    assert report.failures("feed", None, 0.0, 0, requests=0) == ("no answers",)


def test_summarise_takes_medians_of_per_round_ratios_and_sums_errors():
    pages = [("healthz", "/healthz", "probe"), ("plan", "plan page", "member")]
    rounds = [
        {"healthz": measure(1000), "plan": measure(100, p99=50, errors=1)},
        {"healthz": measure(400), "plan": measure(90, p99=150)},
        {"healthz": measure(500), "plan": measure(200, p99=60)},
    ]
    healthz, plan = report.summarise(pages, rounds)
    assert healthz.ratio == 1.0 and healthz.rps == 500
    assert plan.rps == 100  # the median of 100, 90, 200
    # Per-round ratios 0.10, 0.225, 0.40: their median, not 100/500 = 0.20.
    assert plan.ratio == pytest.approx(0.225)
    assert plan.p99_ms == 60
    assert plan.errors == 1
    assert plan.failures == ("errors",)
    assert plan.verdict == "FAIL errors"


def test_summarise_leaves_out_pages_not_measured():
    rows = report.summarise(
        [("healthz", "/healthz", "probe"), ("tick", "tick", "tick")],
        [{"healthz": measure(1000)}],
    )
    assert [row.key for row in rows] == ["healthz"]


def test_tables_show_every_figure():
    pages = [("healthz", "/healthz", "probe"), ("glossary", "glossary", "catalog")]
    rounds = [{"healthz": measure(1000), "glossary": measure(420, p99=80.25)}]
    rows = report.summarise(pages, rounds)
    text = report.format_table(rows)
    lines = text.splitlines()
    assert lines[0].split() == [
        "page", "req/s", "p50", "ms", "p99", "ms", "errors", "÷healthz", "target", "verdict"
    ]  # fmt: skip
    assert lines[3].split() == ["glossary", "420", "5.0", "80.2", "0", "0.42", "≥0.50", "FAIL",
                                "ratio<0.50"]  # fmt: skip
    markdown = report.format_markdown(rows, "N=3 members")
    assert markdown.startswith("N=3 members\n\n| page | req/s |")
    assert "| glossary | 420 | 5.0 | 80.2 | 0 | 0.42 | ≥0.50 | FAIL ratio<0.50 |" in markdown
    assert report.verdict_line(rows) == "1 of 2 pages meet their targets; missed: glossary"


# --- run.py's options and pages ---------------------------------------------------------------


def test_options_default_and_from_the_environment():
    assert Options.from_env({}) == Options()
    options = Options.from_env(
        {"N": "10000", "DURATION": "5s", "ROUNDS": "1", "REBUILD": "1", "PAGES": "plan, tick"}
    )
    assert (options.members, options.duration, options.rounds) == (10000, 5, 1)
    assert options.rebuild and options.pages == ("plan", "tick")
    with pytest.raises(BenchError, match="CONNECTIONS must be at least THREADS"):
        Options.from_env({"CONNECTIONS": "1", "THREADS": "2"})
    with pytest.raises(BenchError, match="N='many'"):
        Options.from_env({"N": "many"})


def test_the_bench_database_is_never_the_developers(tmp_path):
    sqlite = bench_database(1000, "", tmp_path)
    assert sqlite.url == f"sqlite:///{tmp_path}/waypoint-1000.sqlite3"
    assert sqlite.sqlite_path == tmp_path / "waypoint-1000.sqlite3"
    postgres = bench_database(10000, "postgres://postgres@127.0.0.1:5432/waypoint", tmp_path)
    assert postgres.url == "postgres://postgres@127.0.0.1:5432/waypoint_bench_10000"
    assert postgres.postgres_name == "waypoint_bench_10000"
    assert postgres.admin_url.endswith("/waypoint")
    with pytest.raises(BenchError, match="not mysql"):
        bench_database(1, "mysql://localhost/waypoint", tmp_path)


def test_choose_keeps_healthz_and_refuses_unknown_pages():
    pages = [Page(key, key, "catalog", ()) for key in ["healthz", "home", "plan", "tick"]]
    assert [p.key for p in choose(pages, ("tick", "plan"))] == ["healthz", "plan", "tick"]
    assert choose(pages, ()) == pages
    with pytest.raises(BenchError, match="unknown nope"):
        choose(pages, ("nope",))


# --- requests.lua, driven by wrk against a recording server ---------------------------------


class Recorder(BaseHTTPRequestHandler):
    seen: list = []

    def answer(self, body=b""):
        self.seen.append((self.command, self.path, dict(self.headers), body.decode()))
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def do_GET(self):
        self.answer()

    def do_POST(self):
        self.answer(self.rfile.read(int(self.headers["Content-Length"])))

    def log_message(self, *args):
        pass


@pytest.mark.skipif(not shutil.which("wrk"), reason="wrk is not installed (apt-get install wrk)")
def test_the_lua_script_alternates_ticks_and_carries_cookies_and_csrf(tmp_path):
    lines = tuple(
        (member, "POST", f"/plans/{member}/items/{item}/state/", f"sessionid=s{member}; csrftoken=c{member}", f"c{member}", "1")
        for item in (7, 8)
        for member in range(4)
    )  # fmt: skip
    targets = write_targets(Page("tick", "tick", "tick", lines), tmp_path)
    Recorder.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        result = subprocess.run(
            ["wrk", "-t2", "-c2", "-d1s", "-s", str(LUA),
             f"http://127.0.0.1:{server.server_port}", "--", str(targets), "2"],
            capture_output=True, text=True, timeout=30, check=True,
        )  # fmt: skip
    finally:
        server.shutdown()
    measured = report.parse_wrk(result.stdout)
    assert measured.requests >= 16 and measured.errors == 0
    by_path = defaultdict(list)
    for method, path, headers, body in Recorder.seen:
        assert method == "POST"
        member = path.split("/")[2]
        assert headers["Cookie"] == f"sessionid=s{member}; csrftoken=c{member}"
        assert headers["X-CSRFToken"] == f"c{member}"
        assert headers["HX-Request"] == "true"
        assert headers["Content-Type"] == "application/x-www-form-urlencoded"
        by_path[path].append(body)
    assert len(by_path) == 8  # every member's every item
    for bodies in by_path.values():
        expected = ["state=done", "state=open"] * len(bodies)
        assert bodies == expected[: len(bodies)]


class SignedOut(Recorder):
    """Answers the dashboard as Django does without a valid session: a redirect to sign in."""

    def do_GET(self):
        if self.path == "/dashboard/":
            self.send_response(302)
            self.send_header("Location", "/accounts/login/?next=/dashboard/")
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self.answer()


def test_precheck_stops_the_bench_on_a_page_that_does_not_answer_200():
    pages = [
        Page("healthz", "/healthz", "probe", ((0, "GET", "/healthz", "-", "-", "0"),)),
        Page(
            "dashboard",
            "dashboard",
            "member",
            tuple((m, "GET", "/dashboard/", f"sessionid=s{m}", "-", "0") for m in range(3)),
        ),
    ]
    server = ThreadingHTTPServer(("127.0.0.1", 0), SignedOut)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        precheck(server.server_port, pages[:1])  # /healthz alone answers 200: no complaint
        with pytest.raises(BenchError) as refused:
            precheck(server.server_port, pages)
    finally:
        server.shutdown()
    assert str(refused.value).splitlines() == [
        "3 of 4 requests do not answer as expected:",
        *["  dashboard: GET /dashboard/ answered 302 -> /accounts/login/?next=/dashboard/ "
          "(expected 200)"] * 3,
    ]  # fmt: skip


# --- data.py: the database builder -----------------------------------------------------------


@pytest.fixture
def built(catalog, frozen):
    return data.build(4, today=TODAY, bench_members=2, log=lambda *a, **k: None)


def test_build_makes_members_plans_ticks_and_checkins(built):
    big = data.biggest_transition()
    assert big.slug == "software-engineer-to-ai-interpretability-researcher" and big.items == 40
    members = User.objects.filter(email__endswith="@bench.waypoint.test")
    assert members.count() == 4 == built["members"]
    assert data.bench_members_in_database() == 4
    # Everyone follows the biggest transition; members 0, 1 (bench) and 2 follow a second.
    assert Plan.objects.filter(transition=big).count() == 4
    assert Plan.objects.count() == 7 == built["plans"]
    done = ItemProgress.objects.filter(state=ItemProgress.State.DONE)
    assert done.count() == built["ticks"] and built["ticks"] > 20
    for tick in done.select_related("plan"):
        assert tick.plan.start_date <= tick.done_on <= TODAY and tick.planned_on <= TODAY
    assert CheckIn.objects.count() == built["checkins"]
    for email in [data.email(0), data.email(1)]:
        plan = Plan.objects.get(user__email=email, transition=big)
        assert plan.start_date == TODAY - timedelta(weeks=52)
        assert plan.checkins.count() == 52  # a year of weekly check-ins, none missed
        assert plan.progress.filter(state=ItemProgress.State.DONE).exists()
        assert plan.progress.count() < 40  # part of the roadmap is still open
    assert built["transition"] == big.slug and built["transition_items"] == 40


def test_the_same_seed_builds_the_same_records(built):
    first = sorted(ItemProgress.objects.values_list("plan__user__email", "item_id", "done_on"))
    User.objects.filter(email__endswith="@bench.waypoint.test").delete()
    again = data.build(4, today=TODAY, bench_members=2, log=lambda *a, **k: None)
    assert {**again, "seconds": 0} == {**built, "seconds": 0}
    assert sorted(ItemProgress.objects.values_list("plan__user__email", "item_id", "done_on")) == (
        first
    )


def test_a_bench_session_signs_in_and_its_csrf_token_passes(built):
    (target, *_) = data.bench_targets(count=1)
    assert target["user"].email == data.email(0)
    assert len(target["items"]) == 6 and target["feed"]
    client = Client(enforce_csrf_checks=True)
    assert client.get("/dashboard/").status_code == 302  # no session: the sign-in page
    client.cookies[settings.SESSION_COOKIE_NAME] = target["session"]
    client.cookies[settings.CSRF_COOKIE_NAME] = target["csrftoken"]
    page = client.get(f"/plans/{target['plan']}/")
    assert page.status_code == 200 and page.context["user"] == target["user"]
    # The tick as requests.lua sends it: CSRF cookie and header, HX-Request.
    item = target["items"][0]
    assert not ItemProgress.objects.filter(
        plan_id=target["plan"], item_id=item, state=ItemProgress.State.DONE
    ).exists()
    tick = client.post(
        f"/plans/{target['plan']}/items/{item}/state/",
        "state=done",
        content_type="application/x-www-form-urlencoded",
        headers={"X-CSRFToken": target["csrftoken"], "HX-Request": "true"},
    )
    assert tick.status_code == 200
    progress = ItemProgress.objects.get(plan_id=target["plan"], item_id=item)
    assert progress.state == ItemProgress.State.DONE and progress.done_on == TODAY
    assert data.reopen([target]) == 1
    progress.refresh_from_db()
    assert progress.state == ItemProgress.State.OPEN and progress.done_on is None
    assert data.reopen([target]) == 0


def test_pages_give_each_bench_member_their_own_urls(built):
    targets = data.bench_targets(count=2)
    pages = {p.key: p for p in make_pages(targets, data.biggest_transition(), ["a", "b"])}
    assert list(pages) == [
        "healthz", "signin", "floor", "glossary", "home", "roles", "role", "compare",
        "transition", "pathfinder", "dashboard", "plan", "checkin", "history", "preferences",
        "tick", "calendar",
    ]  # fmt: skip
    assert pages["floor"].kind == "anchor"  # measured, with no share to meet
    assert [line[3] for line in pages["floor"].lines] == [line[3] for line in pages["plan"].lines]
    assert pages["compare"].lines[0][2] == "/roles/?compare=a&compare=b"
    assert [line[2] for line in pages["plan"].lines] == [f"/plans/{t['plan']}/" for t in targets]
    assert all(
        t["session"] in line[3] for t, line in zip(targets, pages["plan"].lines, strict=True)
    )
    # Ticks: 6 items each, members alternating, each carrying the member's CSRF token.
    ticks = pages["tick"].lines
    assert len(ticks) == 12 and [line[0] for line in ticks[:4]] == [0, 1, 0, 1]
    assert all(line[1] == "POST" and line[5] == "1" for line in ticks)
    assert ticks[0][4] == targets[0]["csrftoken"] and ticks[1][4] == targets[1]["csrftoken"]
    assert pages["calendar"].lines[1][2] == f"/calendar/{targets[1]['feed']}.ics"


def test_the_lua_script_is_where_run_py_looks():
    assert Path(LUA).is_file() and "function done(" in LUA.read_text()
