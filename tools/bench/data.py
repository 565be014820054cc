"""The benchmark's database, made with the app's own models and schedule code.

`build(members)` adds, in one transaction and with bulk_create in batches, to a database that
has the catalog (`migrate` + `load_catalog`):

- `members` members (allauth's verified primary address each, a time zone, a check-in day);
- for each, a plan on the published transition with the most current roadmap items (the
  issue's "~40-item" plan; `biggest_transition()`), started up to 14 months ago at a pace in
  the transition's range, with its "started" history entry; every second member also follows
  another transition, and one in ten of those plans was left ("archived") since;
- ticks as members make them: the items the app's scheduler (`schedule_content` +
  `build_schedule`, as the plan page dates them) plans on or before today are mostly done,
  with `done_on` near the planned day and `planned_on` kept; some plans start with items
  marked "already know"; some done items carry a note;
- weekly check-ins from each plan's first week to last week (some weeks missed), a third of
  them with focus items;
- a calendar feed for the bench members and one member in ten.

The first BENCH_MEMBERS members are the ones the benchmark signs in as: their big plan
started 52 weeks ago at the slowest pace (a year of check-ins, none missed; part of the
roadmap still open) and they all follow a second transition. Deterministic for a given
`members`, `today` and `seed`.
"""

from __future__ import annotations

import random
import string
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from careers.models import Phase, RoadmapItem, Transition
from roadmaps.calendar import new_token
from roadmaps.models import CalendarFeed, CheckIn, ItemProgress, Plan, PlanChange
from roadmaps.progress import schedule_content
from roadmaps.schedule import build_schedule
from roadmaps.weeks import week_start

DOMAIN = "bench.waypoint.test"
BENCH_MEMBERS = 20
BATCH = 2000
ZONES = ["UTC", "Europe/London", "Europe/Berlin", "America/New_York", "America/Los_Angeles",
         "Asia/Tokyo", "Australia/Sydney", "America/Sao_Paulo"]  # fmt: skip
WINS = ["Finished the exercises", "Read two papers", "Shipped the notebook", "", ""]
BLOCKERS = ["Little time this week", "Stuck on the maths", "", "", ""]


def email(number: int) -> str:
    return f"member-{number:05d}@{DOMAIN}"


def bench_members_in_database() -> int:
    from accounts.models import User

    return User.objects.filter(email__endswith=f"@{DOMAIN}").count()


def biggest_transition() -> Transition:
    """The published transition with the most current roadmap items (ties: by slug)."""
    current = Q(roadmap_items__in=RoadmapItem.objects.current())
    return (
        Transition.objects.published()
        .select_related("to_role")
        .annotate(items=Count("roadmap_items", filter=current, distinct=True))
        .order_by("-items", "slug")
        .first()
    )


class Roadmap:
    """One transition's current phases and items, and its schedules by (start, pace, known)."""

    def __init__(self, transition: Transition, today: date) -> None:
        self.transition, self.today = transition, today
        phases = list(Phase.objects.current().filter(transition=transition).order_by("order"))
        self.items = list(
            RoadmapItem.objects.current()
            .filter(transition=transition)
            .order_by("order", "kind", "id")
            .prefetch_related(
                Prefetch("depends_on", queryset=RoadmapItem.objects.only("id")), "skills"
            )
        )
        self.specs, self.content = schedule_content(phases, self.items)
        self.knowable = [i.id for i in self.items if not i.is_action][:3]
        self._schedules: dict = {}

    def planned(self, start: date, pace: int, known: tuple[int, ...]) -> dict[int, date]:
        key = (start, pace, known)
        if key not in self._schedules:
            schedule = build_schedule(
                start, pace, self.specs, today=self.today, known=known, **self.content
            )
            self._schedules[key] = schedule.items
        return self._schedules[key]


def _batched(model, objects: list) -> list:
    created = []
    for first in range(0, len(objects), BATCH):
        created += model.objects.bulk_create(objects[first : first + BATCH])
    return created


def _plan_rows(rng, roadmap, plan, known, today, stop):
    """ItemProgress rows for one saved plan: known items, then ticks up to `stop`."""
    rows = [
        ItemProgress(plan=plan, item_id=item_id, state=ItemProgress.State.KNOWN)
        for item_id in known
    ]
    planned = roadmap.planned(plan.start_date, plan.pace_months, known)
    for item in roadmap.items:
        day = planned[item.id]
        if item.id in known or day > stop or rng.random() > 0.85:
            continue
        done_on = min(stop, max(plan.start_date, day + timedelta(days=rng.randint(-5, 10))))
        rows.append(
            ItemProgress(
                plan=plan,
                item_id=item.id,
                state=ItemProgress.State.DONE,
                done_at=datetime.combine(done_on, clock(18, 0), tzinfo=UTC),
                done_on=done_on,
                planned_on=day,
                note="Took longer than planned; notes in my repo." if rng.random() < 0.15 else "",
            )
        )
    return rows


def _checkins(rng, roadmap, plan, today, stop, every_week):
    checkins, focus = [], []
    weeks = (week_start(today) - week_start(plan.start_date)).days // 7
    for n in range(weeks):
        monday = week_start(plan.start_date) + timedelta(weeks=n)
        if monday > stop or (not every_week and rng.random() < 0.3):
            continue
        checkin = CheckIn(
            plan=plan,
            week=monday,
            hours=Decimal(rng.randint(2, 24)) / 2,
            confidence=rng.randint(1, 5),
            wins=rng.choice(WINS),
            blockers=rng.choice(BLOCKERS),
            next_focus="Next item on the roadmap" if rng.random() < 0.5 else "",
        )
        checkins.append(checkin)
        if rng.random() < 0.33:
            focus.append((checkin, rng.sample(roadmap.items, 2)))
    return checkins, focus


def build(
    members: int,
    *,
    today: date | None = None,
    seed: int = 13,
    bench_members: int = BENCH_MEMBERS,
    log=print,
) -> dict:
    """Adds the members and their records (see the module); returns counts and timings."""
    from allauth.account.models import EmailAddress

    from accounts.models import User

    started = time.monotonic()
    today = today or timezone.localdate()
    rng = random.Random(seed)
    big = biggest_transition()
    if big is None:
        raise RuntimeError("No published transition: load the catalog first.")
    others = list(Transition.objects.published().exclude(pk=big.pk).order_by("slug"))
    roadmaps = {t.pk: Roadmap(t, today) for t in [big, *others]}
    password = make_password(None)  # unusable: the benchmark signs in with sessions
    counts: Counter = Counter()
    chunk = 500
    with transaction.atomic():
        for first in range(0, members, chunk):
            numbers = range(first, min(members, first + chunk))
            users = _batched(
                User,
                [
                    User(
                        email=email(n),
                        password=password,
                        display_name=f"Bench member {n}" if n % 3 else "",
                        timezone=ZONES[n % len(ZONES)],
                        checkin_weekday=n % 7,
                        date_joined=timezone.now() - timedelta(days=430),
                    )
                    for n in numbers
                ],
            )
            _batched(
                EmailAddress,
                [EmailAddress(user=u, email=u.email, primary=True, verified=True) for u in users],
            )
            plans, stops, every_week = [], [], []
            for n, user in zip(numbers, users, strict=True):
                bench = n < bench_members
                pace = (
                    big.timeline_max_months
                    if bench
                    else rng.randint(big.timeline_min_months, big.timeline_max_months)
                )
                # Started on one of 144 days over 14 months (every weekday occurs): the
                # scheduler dates each start day and pace once.
                start = (
                    today - timedelta(weeks=52)
                    if bench
                    else today - timedelta(days=rng.randrange(0, 431, 3))
                )
                plans.append(Plan(user=user, transition=big, start_date=start, pace_months=pace))
                stops.append(today)
                every_week.append(bench)
                if bench or n % 2 == 0:
                    other = others[n % len(others)]
                    start = today - timedelta(days=rng.randrange(30, 301, 3))
                    left = not bench and rng.random() < 0.1
                    plans.append(
                        Plan(
                            user=user,
                            transition=other,
                            start_date=start,
                            pace_months=other.default_pace_months,
                            status=Plan.Status.ARCHIVED if left else Plan.Status.ACTIVE,
                        )
                    )
                    stops.append(start + (today - start) / 2 if left else today)
                    every_week.append(bench)
            plans = _batched(Plan, plans)
            changes, progress, checkins, focus = [], [], [], []
            for plan, stop, weekly in zip(plans, stops, every_week, strict=True):
                roadmap = roadmaps[plan.transition_id]
                changes.append(
                    PlanChange(
                        plan=plan,
                        kind=PlanChange.Kind.START,
                        effective_on=plan.start_date,
                        to_value=str(plan.pace_months),
                    )
                )
                if plan.status == Plan.Status.ARCHIVED:
                    changes.append(
                        PlanChange(
                            plan=plan,
                            kind=PlanChange.Kind.ARCHIVE,
                            effective_on=stop,
                            from_value=Plan.Status.ACTIVE,
                            to_value=Plan.Status.ARCHIVED,
                        )
                    )
                known = tuple(roadmap.knowable[:2]) if rng.random() < 0.1 else ()
                progress += _plan_rows(rng, roadmap, plan, known, today, stop)
                more, focused = _checkins(rng, roadmap, plan, today, stop, weekly)
                checkins += more
                focus += focused
            _batched(PlanChange, changes)
            _batched(ItemProgress, progress)
            _batched(CheckIn, checkins)
            through = CheckIn.focus_items.through
            _batched(
                through,
                [
                    through(checkin_id=checkin.pk, roadmapitem_id=item.pk)
                    for checkin, items in focus
                    for item in items
                ],
            )
            _batched(
                CalendarFeed,
                [
                    CalendarFeed(user=u, token=new_token())
                    for n, u in zip(numbers, users, strict=True)
                    if n < bench_members or n % 10 == 0
                ],
            )
            counts["members"] += len(users)
            counts["plans"] += len(plans)
            counts["archived"] += sum(p.status == Plan.Status.ARCHIVED for p in plans)
            counts["ticks"] += sum(p.state == ItemProgress.State.DONE for p in progress)
            counts["known"] += sum(p.state == ItemProgress.State.KNOWN for p in progress)
            counts["notes"] += sum(bool(p.note) for p in progress)
            counts["checkins"] += len(checkins)
            counts["focus"] += sum(len(items) for _, items in focus)
            if members > chunk:
                log(f"  {counts['members']} of {members} members", flush=True)
    return {
        **counts,
        "transition": big.slug,
        "transition_items": len(roadmaps[big.pk].items),
        "seconds": round(time.monotonic() - started, 1),
    }


def csrf_token() -> str:
    """A CSRF secret as Django makes them (32 letters and digits): sent as the csrftoken
    cookie and, unmasked, as the X-CSRFToken header, which Django accepts."""
    return "".join(random.SystemRandom().choices(string.ascii_letters + string.digits, k=32))


def session_for(user) -> str:
    """A signed-in session for `user` in Django's session engine (what signing in stores);
    returns the session cookie's value."""
    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def bench_targets(count: int = BENCH_MEMBERS, items_each: int = 6) -> list[dict]:
    """The members the benchmark signs in as, each with a fresh session and CSRF token, the
    big plan, the items its tick POSTs toggle (open ones, roadmap items before actions) and
    the calendar feed token."""
    from accounts.models import User

    big = biggest_transition()
    users = list(User.objects.filter(email__endswith=f"@{DOMAIN}").order_by("email")[:count])
    targets = []
    for number, user in enumerate(users):
        plan = Plan.objects.current().get(user=user, transition=big)
        closed = set(
            plan.progress.exclude(state=ItemProgress.State.OPEN).values_list("item_id", flat=True)
        )
        items = list(RoadmapItem.objects.current().filter(transition=big).order_by("order", "id"))
        items.sort(key=lambda item: (item.is_action, item.id in closed))
        feed = CalendarFeed.objects.filter(user=user).first()
        targets.append(
            {
                "member": number,
                "user": user,
                "session": session_for(user),
                "csrftoken": csrf_token(),
                "plan": plan.pk,
                "items": [item.id for item in items[:items_each]],
                "feed": feed.token if feed else None,
            }
        )
    return targets


def reopen(targets: list[dict]) -> int:
    """Puts the tick items back to open (after a round left some done): the next round's first
    POST for each is then a real change again. Returns the rows changed."""
    changed = 0
    for target in targets:
        changed += (
            ItemProgress.objects.filter(plan_id=target["plan"], item_id__in=target["items"])
            .exclude(state=ItemProgress.State.OPEN)
            .update(state=ItemProgress.State.OPEN, done_at=None, done_on=None, planned_on=None)
        )
    return changed
