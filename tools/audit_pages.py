"""The page types the page-quality checks visit, and the data they need.

Used by `make audit` (tools/audit.py, against gunicorn on a throwaway SQLite database) and by
tests/browser/test_axe_browser.py (against pytest-django's live server). `make_audit_data()`
needs the catalog loaded (careers.catalog.loader.load_catalog) and makes a member with an
active plan (ticks, notes, check-ins), a paused plan, a plan they left and a calendar feed; a
newcomer (no plans, address not verified yet); and a staff user changing their address.
`page_types()` names every page type, with the path and who visits it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import timedelta

# The transition the member follows (seed 000 of the catalog) and the one they paused.
TRANSITION = "software-engineer-to-ai-interpretability-researcher"
VISITOR, MEMBER, NEWCOMER, STAFF = "visitor", "member", "newcomer", "staff"
SIGNED_IN = (MEMBER, NEWCOMER, STAFF)  # who has a session cookie


@dataclass(frozen=True)
class PageType:
    name: str
    path: str
    who: str = VISITOR  # who is signed in: VISITOR (nobody), MEMBER, NEWCOMER or STAFF
    status: int = 200
    # A failed submit: fill these fields (by name) in the page's form named by `form`
    # (a CSS selector) and submit it without the browser's own checks, as if by its button
    # named `button` if given (a CSS selector in the form: its name and value are sent); the
    # page checked is the answer (the form again with its errors, or the page it lands on).
    fill: dict[str, str] = field(default_factory=dict)
    form: str = "main form"
    button: str = ""
    # Submit with the browser's cookies cleared first (a session that expired while the form
    # was open: the CSRF check fails).
    forget_cookies: bool = False
    shows: str = ""  # text the page must show (a failed submit's error message)

    def as_dict(self) -> dict:
        return asdict(self)


def make_audit_data() -> dict:
    """Members, plans, check-ins and notes; returns the ids and slugs `page_types` needs."""
    from allauth.account.forms import default_token_generator
    from allauth.account.models import EmailAddress, EmailConfirmationHMAC
    from django.utils import timezone
    from django.utils.http import int_to_base36

    from careers.models import Role, Skill, Transition
    from roadmaps.calendar import reset_feed
    from roadmaps.models import CheckIn, ItemProgress, Plan
    from roadmaps.weeks import week_start
    from tests.factories import make_member, make_plan

    member = make_member(email="audit-member@example.com", checkin_weekday=0)  # always due
    newcomer = make_member(email="audit-newcomer@example.com", verified=False)
    staff = make_member(email="audit-staff@example.com", is_staff=True)
    # Who asked for a password reset: never signed in here (signing in changes the link).
    forgetful = make_member(email="audit-forgetful@example.com")
    # The staff user is changing their address: the new one waits for its link.
    EmailAddress.objects.create(user=staff, email="audit-staff-new@example.com", verified=False)
    today = member.local_today()
    transition = Transition.objects.get(slug=TRANSITION)
    others = Transition.objects.published().exclude(pk=transition.pk).order_by("slug")
    paused_transition, unstarted, left_transition = others[0], others[1], others[2]

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
    left = make_plan(member, left_transition, start_date=today - timedelta(weeks=8))
    ItemProgress.objects.create(
        plan=left,
        item=left_transition.roadmap_items.order_by("phase__order", "order").first(),
        state=ItemProgress.State.DONE,
        done_at=now - timedelta(days=40),
        done_on=today - timedelta(days=40),
    )
    left.set_status(Plan.Status.ARCHIVED, today)
    reset_feed(member)  # the member's calendar feed is on; the newcomer's is not

    # The path finder's "Start this plan" link (careers.views.start_url): the visitor's
    # skills (one this roadmap teaches, one it does not) and the time they have.
    taught = Skill.objects.filter(items__transition=unstarted).distinct().order_by("slug")
    untaught = Skill.objects.exclude(items__transition=unstarted).order_by("slug")
    link_skills = [s.slug for s in [taught.first(), untaught.first()] if s is not None]
    start_query = "&".join([f"skills={slug}" for slug in link_skills] + ["hours=10", "months=3"])

    background = transition.from_role.slug
    roles = list(Role.objects.published().ai_roles().values_list("slug", flat=True)[:2])
    return {
        "member": member.pk,
        "newcomer": newcomer.pk,
        "staff": staff.pk,
        "plan": plan.pk,
        "paused_plan": paused.pk,
        "left_plan": left.pk,
        "open_item": items[4].pk,  # open, with a note
        "done_item": items[1].pk,  # done, with a note
        "week_checked_in": (week_start(today) - timedelta(weeks=1)).isoformat(),
        "transition": transition.slug,
        "unstarted": unstarted.slug,
        "start_query": start_query,
        "background": background,
        "role": transition.to_role.slug,
        "roles": roles,
        # The links in the mails: the newcomer's address confirmation, a password reset.
        "confirm_key": EmailConfirmationHMAC(EmailAddress.objects.get(user=newcomer)).key,
        "reset_key": f"{int_to_base36(forgetful.pk)}-"
        + default_token_generator.make_token(forgetful),
    }


def page_types(data: dict) -> list[PageType]:
    plan, paused = f"/plans/{data['plan']}/", f"/plans/{data['paused_plan']}/"
    left = f"/plans/{data['left_plan']}/"
    start = f"/transitions/{data['unstarted']}/start/"
    compare = "&".join(f"compare={slug}" for slug in data["roles"])
    wrong_password = {"login": "audit-member@example.com", "password": "not-my-password"}
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
        PageType("path-finder-invalid", "/path-finder/?hours=500&months=1"),
        PageType("not-found", "/no-such-page/", status=404),
        # allauth, signed out: signing in, signing up, a reset and the links the mails carry.
        PageType("login", "/accounts/login/"),
        PageType("login-failed", "/accounts/login/", fill=wrong_password, shows="are not correct"),
        PageType(
            "csrf-failure",
            "/accounts/login/",
            status=403,
            fill=wrong_password,
            forget_cookies=True,
            shows="Your form expired",
        ),
        PageType("signup", "/accounts/signup/"),
        PageType(
            "signup-invalid",
            "/accounts/signup/",
            fill={"email": "new@example.com", "password1": "short", "password2": "shorter"},
            shows="This password is too short",
        ),
        PageType("verification-sent", "/accounts/confirm-email/", shows="Check your inbox"),
        PageType(
            "confirm-email", f"/accounts/confirm-email/{data['confirm_key']}/", shows="Confirm that"
        ),
        PageType(
            "confirm-email-invalid",
            "/accounts/confirm-email/no-such-key/",
            shows="This confirmation link has expired",
        ),
        PageType("password-reset", "/accounts/password/reset/"),
        PageType(
            "password-reset-invalid",
            "/accounts/password/reset/",
            fill={"email": "me@"},
            shows="Enter a valid email address",
        ),
        PageType("password-reset-done", "/accounts/password/reset/done/", shows="Check your inbox"),
        PageType(
            "password-reset-key",
            f"/accounts/password/reset/key/{data['reset_key']}/",
            shows="Save my new password",
        ),
        PageType(
            "password-reset-key-invalid",
            "/accounts/password/reset/key/1-no-such-key/",
            shows="This password reset link has expired",
        ),
        PageType(
            "password-reset-key-done",
            "/accounts/password/reset/key/done/",
            shows="Your new password is saved",
        ),
        PageType("account-inactive", "/accounts/inactive/"),
        # A member's pages.
        PageType("dashboard", "/dashboard/", MEMBER),
        PageType(
            "dashboard-empty",
            "/dashboard/",
            NEWCOMER,
            shows="You are not following a transition yet",
        ),
        PageType("path-finder-member", "/path-finder/", NEWCOMER),
        PageType("start-plan", start, MEMBER),
        PageType(
            "start-plan-link",
            f"{start}?{data['start_query']}",
            MEMBER,
            shows="-month pace. Change it below",
        ),
        PageType(
            "start-plan-invalid",
            start,
            MEMBER,
            fill={"start_date": "2099-01-01", "hours_per_week": "100"},
            shows="within a year of today",
        ),
        PageType("plan", plan, MEMBER),
        PageType("plan-paused", paused, MEMBER),
        PageType("plan-left", left, MEMBER, shows="You left this plan"),
        PageType("item-note", f"{plan}items/{data['open_item']}/note/", MEMBER),
        PageType(
            "item-note-invalid",
            f"{plan}items/{data['open_item']}/note/",
            MEMBER,
            fill={f"note-{data['open_item']}-evidence_url": "not a link"},
            form="form:has([name$=evidence_url])",
            shows="Enter a web address starting with http",
        ),
        PageType("item-day", f"{plan}items/{data['done_item']}/note/", MEMBER),
        PageType(
            "item-day-invalid",
            f"{plan}items/{data['done_item']}/note/",
            MEMBER,
            status=400,
            fill={"done_on": "2099-01-01"},
            form="form:has([name=done_on])",
            button="[name=state]",
            shows="That day is still to come",
        ),
        PageType("checkin", f"{plan}checkins/", MEMBER),
        PageType(
            "checkin-invalid",
            f"{plan}checkins/",
            MEMBER,
            fill={"hours": "200"},
            form="form:has([name=hours])",
            shows="at most 168 hours",
        ),
        PageType(
            "checkin-closed",
            f"{plan}checkins/{data['week_checked_in']}/",
            MEMBER,
            shows="This week has ended",
        ),
        PageType(
            "checkin-bad-week",
            f"{plan}checkins/not-a-week/",
            MEMBER,
            status=400,
            shows="That is not a date",
        ),
        PageType("checkin-history", f"{plan}checkins/history/", MEMBER),
        PageType(
            "checkin-history-empty", f"{paused}checkins/history/", MEMBER, shows="No check-ins yet"
        ),
        PageType("plan-settings", f"{plan}settings/", MEMBER),
        PageType(
            "plan-settings-invalid",
            f"{plan}settings/",
            MEMBER,
            fill={"hours_per_week": "500"},
            form="#pace-form",
            shows="less than or equal to 80",
        ),
        PageType("plan-settings-paused", f"{paused}settings/", MEMBER),
        PageType("plan-settings-left", f"{left}settings/", MEMBER),
        PageType("confirm-pause", f"{plan}status/?status=paused", MEMBER),
        PageType("confirm-resume", f"{paused}status/?status=active", MEMBER),
        PageType("confirm-leave", f"{plan}status/?status=archived", MEMBER),
        PageType("confirm-restore", f"{left}status/?status=active", MEMBER),
        PageType("calendar", "/calendar/", NEWCOMER),
        PageType("calendar-on", "/calendar/", MEMBER, shows=".ics"),
        PageType("preferences", "/accounts/preferences/", MEMBER),
        PageType(
            "preferences-invalid",
            "/accounts/preferences/",
            MEMBER,
            fill={"display_name": "x" * 200},
            form="form:has([name=display_name])",
            shows="Keep your display name to 80 characters",
        ),
        PageType("delete-account", "/accounts/delete/", MEMBER),
        PageType(
            "delete-account-invalid",
            "/accounts/delete/",
            MEMBER,
            fill={"password": "not-my-password"},
            form="form:has([name=password])",
            shows="That is not your current password",
        ),
        PageType("email", "/accounts/email/", MEMBER),
        PageType("email-unverified", "/accounts/email/", NEWCOMER, shows="Not verified yet"),
        PageType("email-changing", "/accounts/email/", STAFF, shows="Changing to"),
        PageType(
            "email-invalid",
            "/accounts/email/",
            MEMBER,
            fill={"email": "me@"},
            form="form:has([name=action_add])",
            button="[name=action_add]",
            shows="Enter a valid email address",
        ),
        PageType("password-change", "/accounts/password/change/", MEMBER),
        PageType(
            "password-change-invalid",
            "/accounts/password/change/",
            MEMBER,
            fill={"oldpassword": "not-my-password", "password1": "short", "password2": "other"},
            shows="Please type your current password",
        ),
        PageType("reauthenticate", "/accounts/reauthenticate/", MEMBER),
        PageType(
            "logout", "/accounts/logout/", MEMBER, shows="Sign out of Waypoint on this device?"
        ),
        # Staff.
        PageType("staff-insights", "/staff/insights/", STAFF),
    ]


def page_type_names() -> list[str]:
    """The page types' names, without a database (for test parametrisation)."""
    placeholder = dict.fromkeys(
        ["plan", "paused_plan", "left_plan", "open_item", "done_item", "week_checked_in"], "x"
    )
    placeholder.update(dict.fromkeys(["transition", "unstarted", "start_query"], "x"))
    placeholder.update(background="x", role="x", roles=[], confirm_key="x", reset_key="x")
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
            # Set as a script would: past the field's maxlength, min and max.
            form.locator(f"[name='{name}']").evaluate(
                "(field, value) => { field.value = value; }", value
            )
        if page_type.forget_cookies:
            page.context.clear_cookies()
        with page.expect_navigation() as navigation:
            # A plain submit (the server's checks, not the browser's; htmx left aside), with
            # the button's name and value as the browser sends them for the button pressed.
            form.evaluate(
                """(form, button) => {
                    const pressed = button && form.querySelector(button);
                    if (pressed && pressed.name) {
                        const sent = document.createElement("input");
                        sent.type = "hidden";
                        sent.name = pressed.name;
                        sent.value = pressed.value;
                        form.append(sent);
                    }
                    form.noValidate = true;
                    HTMLFormElement.prototype.submit.call(form);
                }""",
                page_type.button,
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
