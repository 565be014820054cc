"""The page types the page-quality checks visit, and the data they need.

Used by `make audit` (tools/audit.py, against gunicorn on a throwaway SQLite database) and by
tests/browser/test_axe_browser.py (against pytest-django's live server). `make_audit_data()`
needs the catalog loaded (careers.catalog.loader.load_catalog) and makes a member with an
active plan (ticks, notes, check-ins), a paused plan, and a staff user; `page_types()` names
every page type, with the path and who visits it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import timedelta

# The transition the member follows (seed 000 of the catalog) and the one they paused.
TRANSITION = "software-engineer-to-ai-interpretability-researcher"
VISITOR, MEMBER, STAFF = "visitor", "member", "staff"


@dataclass(frozen=True)
class PageType:
    name: str
    path: str
    who: str = VISITOR  # who is signed in: VISITOR (nobody), MEMBER or STAFF
    status: int = 200
    # A failed submit: fill these fields (by name) in the page's form named by `form`
    # (a CSS selector) and submit it without the browser's own checks; the page checked is
    # the answer (a 400 with the errors).
    fill: dict[str, str] = field(default_factory=dict)
    form: str = "main form"
    shows: str = ""  # text the page must show (a failed submit's error message)

    def as_dict(self) -> dict:
        return asdict(self)


def make_audit_data() -> dict:
    """Members, plans, check-ins and notes; returns the ids and slugs `page_types` needs."""
    from django.utils import timezone

    from careers.models import Role, Transition
    from roadmaps.models import CheckIn, ItemProgress, Plan
    from roadmaps.weeks import week_start
    from tests.factories import make_member, make_plan

    member = make_member(email="audit-member@example.com", checkin_weekday=0)  # always due
    staff = make_member(email="audit-staff@example.com", is_staff=True)
    today = member.local_today()
    transition = Transition.objects.get(slug=TRANSITION)
    others = Transition.objects.published().exclude(pk=transition.pk).order_by("slug")
    paused_transition, unstarted = others[0], others[1]

    plan = make_plan(member, transition, start_date=week_start(today) - timedelta(weeks=5))
    items = list(transition.roadmap_items.filter(kind="task").order_by("phase__order", "order")[:6])
    now = timezone.now()
    for n, item in enumerate(items[:4]):
        ItemProgress.objects.create(
            plan=plan,
            item=item,
            state=ItemProgress.State.DONE,
            done_at=now - timedelta(days=20 - 4 * n),
            done_on=today - timedelta(days=20 - 4 * n),
            note="Worked through the exercises; the notebook is on GitHub." if n % 2 else "",
        )
    ItemProgress.objects.create(
        plan=plan, item=items[4], note="Start with the second chapter; the first repeats Python."
    )
    ItemProgress.objects.create(plan=plan, item=items[5], state=ItemProgress.State.KNOWN)
    for weeks_ago, hours, confidence in [(4, "6.5", 3), (3, "8", 4), (1, "4", 2)]:
        CheckIn.objects.create(
            plan=plan,
            week=week_start(today) - timedelta(weeks=weeks_ago),
            hours=hours,
            confidence=confidence,
            wins="Finished the linear algebra refresher.",
            blockers="Little time on weekdays." if confidence < 3 else "",
            next_focus="Backpropagation by hand.",
        )

    paused = make_plan(member, paused_transition, start_date=today - timedelta(weeks=3))
    paused.set_status(Plan.Status.PAUSED, today)

    background = transition.from_role.slug
    roles = list(Role.objects.published().ai_roles().values_list("slug", flat=True)[:2])
    return {
        "member": member.pk,
        "staff": staff.pk,
        "plan": plan.pk,
        "paused_plan": paused.pk,
        "transition": transition.slug,
        "unstarted": unstarted.slug,
        "background": background,
        "role": transition.to_role.slug,
        "roles": roles,
    }


def page_types(data: dict) -> list[PageType]:
    plan, paused = f"/plans/{data['plan']}/", f"/plans/{data['paused_plan']}/"
    compare = "&".join(f"compare={slug}" for slug in data["roles"])
    return [
        # The public catalogue.
        PageType("home", "/"),
        PageType("roles", "/roles/"),
        PageType("role", f"/roles/{data['role']}/"),
        PageType("compare", f"/roles/?{compare}"),
        PageType("background", f"/from/{data['background']}/"),
        PageType("transitions", "/transitions/"),
        PageType("transitions-filtered", f"/transitions/?background={data['background']}"),
        PageType("transition", f"/transitions/{data['transition']}/"),
        PageType("glossary", "/glossary/"),
        PageType("path-finder", "/path-finder/"),
        PageType(
            "path-finder-results",
            f"/path-finder/?background={data['background']}&hours=10&months=12&phd=yes",
        ),
        PageType("not-found", "/no-such-page/", status=404),
        # allauth, signed out.
        PageType("login", "/accounts/login/"),
        PageType("signup", "/accounts/signup/"),
        PageType("password-reset", "/accounts/password/reset/"),
        # A member's pages.
        PageType("dashboard", "/dashboard/", MEMBER),
        PageType("start-plan", f"/transitions/{data['unstarted']}/start/", MEMBER),
        PageType("plan", plan, MEMBER),
        PageType("plan-paused", paused, MEMBER),
        PageType("checkin", f"{plan}checkins/", MEMBER),
        PageType(
            "checkin-invalid",
            f"{plan}checkins/",
            MEMBER,
            fill={"hours": "200"},
            form="form:has([name=hours])",
            shows="less than or equal to 168",
        ),
        PageType("checkin-history", f"{plan}checkins/history/", MEMBER),
        PageType("plan-settings", f"{plan}settings/", MEMBER),
        PageType("confirm-pause", f"{plan}status/?status=paused", MEMBER),
        PageType("confirm-leave", f"{plan}status/?status=archived", MEMBER),
        PageType("calendar", "/calendar/", MEMBER),
        PageType("preferences", "/accounts/preferences/", MEMBER),
        PageType("delete-account", "/accounts/delete/", MEMBER),
        PageType("email", "/accounts/email/", MEMBER),
        PageType("password-change", "/accounts/password/change/", MEMBER),
        # Staff.
        PageType("staff-insights", "/staff/insights/", STAFF),
    ]


def page_type_names() -> list[str]:
    """The page types' names, without a database (for test parametrisation)."""
    placeholder = dict.fromkeys(["plan", "paused_plan", "transition", "unstarted"], "x")
    placeholder.update(background="x", role="x", roles=[])
    return [page_type.name for page_type in page_types(placeholder)]


def session_cookie(user_id: int) -> dict:
    """A signed-in session for the user, as a cookie: {"name": ..., "value": ...}."""
    from django.conf import settings
    from django.test import Client

    from accounts.models import User

    client = Client()
    client.force_login(User.objects.get(pk=user_id))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    return {"name": cookie.key, "value": cookie.value}


# --- In the browser ------------------------------------------------------------------------

# WCAG 2.1 A and AA, as axe tags them.
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
SCHEMES = ("light", "dark")
WIDTHS = (1280, 375)
VIEWPORT_HEIGHT = {1280: 800, 375: 740}


def open_page(page, base_url: str, page_type: PageType):
    """Goes to the page type (submitting its form if it is a failed submit); returns the
    response of the page left showing."""
    response = page.goto(base_url + page_type.path)
    if page_type.fill:
        form = page.locator(page_type.form).first
        for name, value in page_type.fill.items():
            form.locator(f"[name={name}]").fill(value)
        with page.expect_navigation() as navigation:
            # A plain submit (the server's checks, not the browser's; htmx left aside).
            form.evaluate(
                "form => { form.noValidate = true; HTMLFormElement.prototype.submit.call(form); }"
            )
        response = navigation.value
    page.wait_for_load_state("load")
    if page_type.shows and page_type.shows not in page.content():
        raise AssertionError(f"{page_type.name}: the page does not show {page_type.shows!r}")
    return response


def axe_violations(page) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it is now: [{id, impact, help,
    nodes: [{target, summary}]}]. axe is injected once per document."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        from axe_playwright_python.sync_playwright import Axe

        page.evaluate(Axe().axe_script)
    found = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    return [
        {
            "id": v["id"],
            "impact": v.get("impact"),
            "help": v["help"],
            "nodes": [
                {"target": " ".join(map(str, n["target"])), "summary": n.get("failureSummary", "")}
                for n in v["nodes"]
            ],
        }
        for v in found["violations"]
    ]


def axe_in_each_look(page) -> dict[str, list[dict]]:
    """axe's violations in light and dark at each width ("light 1280", ...), on one loaded page:
    the colour scheme and the window width change in place, as CSS media queries follow them."""
    found = {}
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": VIEWPORT_HEIGHT[width]})
        for scheme in SCHEMES:
            page.emulate_media(color_scheme=scheme)
            found[f"{scheme} {width}"] = axe_violations(page)
    return found


def sideways_scroll(page) -> int:
    """How many CSS pixels the page scrolls sideways (0: it fits the window)."""
    return page.evaluate("Math.max(0, document.documentElement.scrollWidth - window.innerWidth)")


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} — {len(v['nodes'])} element(s)")
        for node in v["nodes"][:5]:
            summary = " ".join(node["summary"].split())[:300]
            lines.append(f"    {node['target']}: {summary}")
        if len(v["nodes"]) > 5:
            lines.append(f"    … and {len(v['nodes']) - 5} more")
    return "\n".join(lines)
