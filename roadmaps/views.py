from datetime import date
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import reswap, retarget

from careers.models import RoadmapItem, Transition
from careers.page_cache import with_page_token
from config import security_log
from roadmaps.calendar import build_calendar, feed_for, reset_feed
from roadmaps.checkins import (
    checkin_for,
    focus_of,
    missed_weeks,
    plan_streak,
    ticked_in_week,
    weekly,
    with_focus,
)
from roadmaps.forms import (
    ID_MAX,
    CheckInForm,
    ItemNoteForm,
    ItemStateForm,
    PaceForm,
    PlanStatusForm,
    StartPlanForm,
    bounded_int,
)
from roadmaps.insights import build_insights
from roadmaps.models import CalendarFeed, CheckIn, ItemProgress, Plan, PlanChange, PlanStateError
from roadmaps.progress import (
    PlanView,
    attach_roadmaps,
    build_plan_view,
    roadmap_of,
    with_content,
)
from roadmaps.rows import render_charts, render_rows
from roadmaps.weeks import week_start


def get_plan_for_user(request: HttpRequest, plan_id: int, *, content: bool = False) -> Plan:
    """The caller's plan, or a 404: another member's plan does not exist for them. Asking for
    another member's plan is a permission denial for the security log (one query more, only
    on this path)."""
    plans = Plan.objects.for_user(request.user)
    plans = with_content(plans) if content else plans.select_related("transition")
    try:
        plan = plans.get(pk=plan_id)
    except Plan.DoesNotExist:
        if Plan.objects.filter(pk=plan_id).exists():
            security_log.event("denied", request, status=404, object="plan")
        raise Http404("No such plan.") from None
    return attach_roadmaps([plan])[0] if content else plan


def plan_page_view(request: HttpRequest, plan: Plan) -> PlanView:
    """A plan as its pages show it: dated, with progress, streak, due check-in and charts."""
    today = request.user.local_today()
    view = build_plan_view(plan, today)
    view.weekly = weekly(view, request.user, today)
    return view


def get_item_in_plan(plan: Plan, item_id: int) -> RoadmapItem | None:
    """The roadmap item if it is on this plan's roadmap now, else None."""
    return roadmap_of(plan).by_id.get(item_id)


def plan_url(plan: Plan, item: RoadmapItem | None = None) -> str:
    return plan.get_absolute_url() + (f"#item-{item.id}" if item else "")


def bad_request(request: HttpRequest, plan: Plan, message: str) -> HttpResponse:
    """A clear 400: into the plan's alert region for htmx, on the plan page otherwise."""
    if request.htmx:
        response = render(request, "roadmaps/plan.html#plan-alert", {"alert": message}, status=400)
        return reswap(retarget(response, "#plan-alert"), "outerHTML")
    view = plan_page_view(request, plan)
    return render(request, "roadmaps/plan.html", {"view": view, "alert": message}, status=400)


# The path finder's "Start this plan" link names the answers `skills`, `hours` and `months`;
# the form (and its own preview requests) name them after the plan's fields.
QUERY_ALIASES = {"hours": "hours_per_week", "months": "pace_months"}
START_FIELDS = {"start_date", "pace_months", "hours_per_week", "skills", *QUERY_ALIASES}


def start_answers(
    query: QueryDict, transition: Transition, today: date, items=(), notes: list | None = None
) -> QueryDict | None:
    """The start form's data from a GET query (a link's answers, or the form's own preview),
    with the defaults for what it leaves out; None when it carries no answers.

    A path finder link carries every skill the visitor has and the months they can give: the
    skills this roadmap does not teach are left out (they change nothing here), and months
    outside the transition's range become its nearest pace (the form's own `pace_months` is
    validated as given). Each such change is said in `notes`."""
    notes = [] if notes is None else notes
    if not START_FIELDS & set(query):
        return None
    data = QueryDict(mutable=True)
    for name in ("start_date", "pace_months", "hours_per_week"):
        alias = next((a for a, n in QUERY_ALIASES.items() if n == name), None)
        value = query.get(name, query.get(alias) if alias else None)
        if value is not None:
            data[name] = value
    months = bounded_int(query.get("months"), 1, 600)
    if "pace_months" not in query and months is not None:
        low, high = transition.timeline_min_months, transition.timeline_max_months
        pace = min(max(months, low), high)
        data["pace_months"] = str(pace)
        if pace != months:
            notes.append(
                f"This transition takes {low} to {high} months, so your {months} months "
                f"became a {pace}-month pace. Change it below if you like."
            )
    data.setdefault("start_date", today.isoformat())
    data.setdefault("pace_months", str(transition.default_pace_months))
    taught = {skill.slug for item in items for skill in item.skills.all()}
    wanted = query.getlist("skills")
    data.setlist("skills", [s for s in wanted if s in taught])
    if left_out := len(set(wanted) - taught):
        notes.append(
            f"{left_out} of your skills {'is' if left_out == 1 else 'are'} not taught on this "
            f"roadmap, so {'it changes' if left_out == 1 else 'they change'} nothing here."
        )
    return data


@login_required
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def start_plan(request: HttpRequest, slug: str) -> HttpResponse:
    transition = get_object_or_404(Transition.objects.published(), slug=slug)
    today = request.user.local_today()
    existing = Plan.objects.for_user(request.user).current().filter(transition=transition).first()
    if existing:
        messages.info(request, "You already follow this transition; here is your plan.")
        return redirect(existing)
    # The current items with what the preview schedules by: phase, skills, dependencies.
    items = (
        RoadmapItem.objects.current()
        .filter(transition=transition)
        .select_related("phase")
        .prefetch_related("skills", Prefetch("depends_on", queryset=RoadmapItem.objects.only("id")))
    )
    notes: list[str] = []
    data = (
        request.POST
        if request.method == "POST"
        else start_answers(request.GET, transition, today, items, notes)
    )
    if not request.htmx:
        for note in notes:  # what a path finder link's answers became here
            messages.info(request, note)
    form = StartPlanForm(data, transition=transition, today=today, items=items)
    context = {"form": form, "transition": transition}
    if request.method == "POST" and "preview" not in request.POST and form.is_valid():
        plan = form.save(commit=False)
        plan.user = request.user
        plan.transition = transition
        known = form.known_items()
        try:
            with transaction.atomic():
                plan.save()
                plan.record(PlanChange.Kind.START, plan.start_date, "", plan.pace_months)
                plan.mark_known(known)
        except IntegrityError:  # a second tab got there first
            existing = Plan.objects.for_user(request.user).current().get(transition=transition)
            messages.info(request, "You already follow this transition; here is your plan.")
            return redirect(existing)
        n = len(known)
        note = f" {n} item{pluralize(n)} marked “Already know”." if n else ""
        messages.success(request, f"Your plan for {transition.to_role.name} has started.{note}")
        return redirect(plan)
    context["preview"] = form.preview()
    if request.htmx and request.method == "GET":
        return render(request, "roadmaps/start.html#start-preview", context)
    return render(request, "roadmaps/start.html", context)


@login_required
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    plans = attach_roadmaps(with_content(Plan.objects.for_user(request.user).current()))
    # Active plans first, paused ones after; newest first within each (the model's ordering).
    views = [plan_page_view(request, plan) for plan in sorted(plans, key=lambda p: p.is_paused)]
    left = Plan.objects.for_user(request.user).filter(status=Plan.Status.ARCHIVED)
    return render(
        request,
        "roadmaps/dashboard.html",
        {"views": views, "left": left.select_related("transition")},
    )


@login_required
@require_safe
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = get_plan_for_user(request, plan_id, content=True)
    view = plan_page_view(request, plan)
    render_rows(view)
    render_charts(view)
    return with_page_token(request, render(request, "roadmaps/plan.html", {"view": view}))


def render_item_update(request, plan: Plan, item: RoadmapItem, **extra) -> HttpResponse:
    """The item's row, with the bars, badge and focus list as out-of-band swaps, built from the
    plan already loaded (its progress brought up to date by `remember`): no second load."""
    view = plan_page_view(request, plan)
    context = {
        "view": view,
        "row": view.rows[item.id],
        "group": view.group_of(item),
        "oob": True,
        **extra,
    }
    return render(request, "roadmaps/plan.html#item-update", context)


def remember(plan: Plan, progress: ItemProgress) -> None:
    """Put a progress row just saved into the plan's loaded progress (from `with_content`), in
    place of the one it replaces, so the answer shows it without loading the plan again."""
    progress.item = get_item_in_plan(plan, progress.item_id) or progress.item
    rows = [p for p in plan.progress.all() if p.item_id != progress.item_id] + [progress]
    loaded = ItemProgress.objects.none()
    loaded._result_cache, loaded._prefetch_done = rows, True
    plan._prefetched_objects_cache["progress"] = loaded


@login_required
@require_POST
def set_item_state(request: HttpRequest, plan_id: int, item_id: int) -> HttpResponse:
    plan = get_plan_for_user(request, plan_id, content=True)
    if plan.status == Plan.Status.ARCHIVED:
        return bad_request(request, plan, "You left this plan. Restore it to change it.")
    item = get_item_in_plan(plan, item_id)
    if item is None:
        return bad_request(request, plan, "That item is not on this plan's roadmap any more.")
    today = request.user.local_today()
    form = ItemStateForm(request.POST, start=plan.start_date, today=today)
    form.is_valid()
    if "state" in form.errors:
        return bad_request(request, plan, form.errors["state"][0])
    state = form.cleaned_data["state"]
    if state == ItemProgress.State.SKIPPED and not item.can_skip:
        return bad_request(request, plan, "Only resources can be skipped; tasks are done or open.")
    done = state == ItemProgress.State.DONE
    if done and form.done_on_error:  # a day to come, or before the plan: nothing saved
        date_error = {
            "item": item.id,
            "message": form.done_on_error,
            "value": form["done_on"].value(),
        }
        if request.htmx:
            response = render_item_update(request, plan, item, date_error=date_error)
            response.status_code = 400
            return response
        view = plan_page_view(request, plan)
        context = {"view": view, "date_error": date_error, "alert": form.done_on_error}
        return render(request, "roadmaps/plan.html", context, status=400)
    # No day given: today where the member is (the model's default), and a second click on
    # an item already done leaves its day alone.
    done_on = form.cleaned_data.get("done_on") if done else None
    plan.user = request.user  # theirs (get_plan_for_user): the model reads their time zone
    planned_on = build_plan_view(plan, today).rows[item.id].planned_on
    try:
        progress = plan.set_item_state(
            item, state, now=timezone.now(), planned_on=planned_on, done_on=done_on
        )
    except PlanStateError as refused:  # left in another tab meanwhile
        return bad_request(request, plan, str(refused))
    if not request.htmx:
        return redirect(plan_url(plan, item))
    remember(plan, progress)
    return render_item_update(request, plan, item)


@login_required
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def edit_item_note(request: HttpRequest, plan_id: int, item_id: int) -> HttpResponse:
    plan = get_plan_for_user(request, plan_id, content=True)
    item = get_item_in_plan(plan, item_id)
    if item is None:
        return bad_request(request, plan, "That item is not on this plan's roadmap any more.")
    loaded = next((p for p in plan.progress.all() if p.item_id == item.id), None)
    progress = loaded or ItemProgress(plan=plan, item=item)
    if request.method == "GET" and "cancel" in request.GET:
        # The edit form's Cancel: the row as it was, focus back on its note link.
        if not request.htmx:
            return redirect(plan_url(plan, item))
        return render_item_update(request, plan, item, note_focus=True)
    form = ItemNoteForm(request.POST or None, instance=progress, prefix=f"note-{item.id}")
    if request.method == "GET":  # opening the form: focus in the text box, ready to type
        form.fields["note"].widget.attrs["autofocus"] = True
    if request.method == "POST" and plan.status == Plan.Status.ARCHIVED:
        return bad_request(request, plan, "You left this plan. Restore it to change it.")
    if request.method == "POST" and form.is_valid():
        try:
            progress = form.save()
        except IntegrityError:  # saved from another tab meanwhile: keep this text, save again
            progress = ItemProgress.objects.get(plan=plan, item=item)
            progress.note = form.cleaned_data["note"]
            progress.evidence_url = form.cleaned_data["evidence_url"]
            progress.save(update_fields=["note", "evidence_url", "updated_at"])
        if not request.htmx:
            messages.success(request, "Note saved.")
            return redirect(plan_url(plan, item))
        remember(plan, progress)
        # Focus back on the row's (now "Edit note") link, and the save said in the alert region.
        return render_item_update(request, plan, item, note_focus=True, note_saved="Note saved.")
    if request.htmx:  # the form, or its errors (the summary then takes focus)
        return render_item_update(request, plan, item, note_form=form, editing=True)
    view = build_plan_view(plan, request.user.local_today())
    return render(
        request,
        "roadmaps/item_note.html",
        {"view": view, "row": view.rows[item.id], "note_form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_settings(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The pace, as months or hours per week. A GET with `preview` shows the new end date (the
    catch-up offer and the htmx preview land here) without changing anything; the POST
    records the change in the plan's history."""
    plan = get_plan_for_user(request, plan_id, content=True)
    today = request.user.local_today()
    view = build_plan_view(plan, today)
    previewing = request.method == "GET" and "preview" in request.GET
    data = request.POST if request.method == "POST" else (request.GET if previewing else None)
    # Bound on every POST, an empty one too: it gets "Choose a pace.", not a silent re-show.
    form = PaceForm(data, plan=plan, today=today, schedule=view.schedule)
    if request.method == "POST" and plan.status != Plan.Status.ACTIVE:
        form.full_clean()
        form.add_error(None, "Resume or restore the plan before changing its pace.")
    elif request.method == "POST" and form.is_valid():
        months, hours = form.cleaned_data["pace_months"], form.cleaned_data["hours_per_week"]
        try:
            if hours:
                plan.change_hours(hours, months, today)
            else:
                plan.change_pace(months, today)
        except PlanStateError as refused:
            form.add_error(None, str(refused))
        else:
            plan = get_plan_for_user(request, plan_id, content=True)
            view = build_plan_view(plan, today)
            pace = f"{plan.pace_months} month{pluralize(plan.pace_months)}"
            if hours:
                hours_a_week = view.schedule.hours_per_week
                pace = f"{hours_a_week} hour{pluralize(hours_a_week)} a week (about {pace})"
            messages.success(
                request, f"Your pace is now {pace}; the plan ends on {view.schedule.end:%-d %B %Y}."
            )
            return redirect(plan)
    preview = form.preview_end() if previewing and form.is_valid() else None
    context = {"view": view, "form": form, "history": plan.changes.all(), "preview": preview}
    if request.htmx and previewing:  # the partial is outside the page's {% with plan=... %}
        context["plan"] = view.plan
        return render(request, "roadmaps/settings.html#pace-form", context)
    return render(request, "roadmaps/settings.html", context)


STATUS_MESSAGES = {
    Plan.Status.ACTIVE: "Your plan is active again; the remaining dates moved to fit.",
    Plan.Status.PAUSED: "Your plan is paused. Nothing falls due until you resume it.",
    Plan.Status.ARCHIVED: "You left this plan. Your ticks and notes are kept; restore it any time.",
}


@login_required
@require_http_methods(["GET", "POST"])
def set_plan_status(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Pause, resume, leave or restore. GET shows the confirmation; POST says the wanted status."""
    plan = get_plan_for_user(request, plan_id)
    form = PlanStatusForm(request.POST or request.GET or None)
    if not form.is_valid():
        messages.error(request, "Choose active, paused or left.")
        return redirect(reverse("roadmaps:settings", args=[plan.pk]))
    wanted = form.cleaned_data["status"]
    if request.method == "GET":
        return render(request, "roadmaps/confirm_status.html", {"plan": plan, "wanted": wanted})
    try:
        with transaction.atomic():
            plan.set_status(wanted, request.user.local_today())
    except IntegrityError:  # restoring while another plan for this transition is current
        messages.error(
            request, "You already follow this transition in another plan; leave that one first."
        )
        return redirect("roadmaps:dashboard")
    except PlanStateError as refused:
        messages.error(request, str(refused))
        return redirect(reverse("roadmaps:settings", args=[plan.pk]))
    messages.success(request, STATUS_MESSAGES[wanted])
    return redirect("roadmaps:dashboard" if wanted == Plan.Status.ARCHIVED else plan)


# --- Weekly check-ins ---------------------------------------------------------------------

CHECKINS_PER_PAGE = 10


def parse_week(value: str | None, today) -> date | None:
    """The Monday of the week named by an ISO date (any day of that week), or None."""
    if value is None:
        return week_start(today)
    try:
        return week_start(date.fromisoformat(value))
    except ValueError:
        return None


@login_required
@require_http_methods(["GET", "POST"])
def checkin(request: HttpRequest, plan_id: int, week: str | None = None) -> HttpResponse:
    plan = get_plan_for_user(request, plan_id, content=True)
    today = request.user.local_today()
    monday = parse_week(week, today)
    view = build_plan_view(plan, today)
    context = {"view": view, "week": monday, "today_week": week_start(today)}
    problem = None
    if monday is None:
        problem = "That is not a date. Check-ins are for weeks, named by a date such as 2026-11-16."
    elif monday > week_start(today):
        problem = "That week has not started yet. You can check in for this week or earlier ones."
    elif monday < week_start(plan.start_date):
        problem = f"This plan started on {plan.start_date:%-d %B %Y}; choose a week from then on."
    if problem:
        context["problem"] = problem
        return render(request, "roadmaps/checkin.html", context, status=400)
    existing = checkin_for(plan, monday)
    closed = existing is not None and monday < week_start(today)
    instance = existing or CheckIn(plan=plan, week=monday)
    form = CheckInForm(
        request.POST if request.method == "POST" and not closed else None,
        instance=instance,
        open_items=[r.item for r in view.next_open(12)],
    )
    # A closed week shows no form, whatever the plan's status: say so first.
    if request.method == "POST" and closed:
        messages.info(request, "That week has ended, so its check-in can no longer change.")
        return redirect("roadmaps:checkin_week", plan.pk, monday.isoformat())
    elif request.method == "POST" and plan.status == Plan.Status.ARCHIVED:
        form.full_clean()  # the answers stay on the form; the refusal is the form's error
        form.add_error(None, "You left this plan. Restore it to check in.")
    elif request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                form.save()
        except IntegrityError:  # saved from another tab meanwhile: this one edits that one
            form = CheckInForm(
                request.POST,
                instance=CheckIn.objects.get(plan=plan, week=monday),
                open_items=[r.item for r in view.next_open(12)],
            )
            if form.is_valid():
                form.save()
        plan = get_plan_for_user(request, plan_id, content=True)
        streak = plan_streak(plan, today)
        messages.success(
            request,
            f"Check-in saved for the week of {monday:%-d %B}. "
            f"Your streak: {streak} week{pluralize(streak)}.",
        )
        return redirect(plan)
    with_focus([existing])
    context.update(
        {
            "form": form,
            "focus": focus_of(existing) if existing else None,
            "checkin": existing,
            "closed": closed,
            "ticked": ticked_in_week(plan, monday),
        }
    )
    return render(request, "roadmaps/checkin.html", context)


@login_required
@require_safe
def checkin_history(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = get_plan_for_user(request, plan_id, content=True)
    today = request.user.local_today()
    checkins = plan.checkins.all()  # prefetched, newest first
    # A page number past the end shows the last page (an old link still lands somewhere);
    # anything that is not a page number at all (junk, 0, -1, 2**63) is a 404.
    number = bounded_int(request.GET.get("page", "1"), 1, ID_MAX)
    if number is None:
        raise Http404("There is no such page of check-ins.")
    page = Paginator(checkins, CHECKINS_PER_PAGE).get_page(number)
    with_focus(page)
    for shown in page:
        shown.focus = focus_of(shown)
    missed = missed_weeks(plan, today)
    view = plan_page_view(request, plan)
    render_charts(view, tables=True)
    return render(
        request,
        "roadmaps/checkin_history.html",
        {
            "view": view,
            "page": page,
            "missed": list(reversed(missed)),
        },
    )


# --- Calendar feed ------------------------------------------------------------------------


@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The private .ics feed. The token is the only key: a wrong or old one is a 404."""
    feed = get_object_or_404(CalendarFeed.objects.select_related("user"), token=token)
    user = feed.user
    if not user.is_active:
        raise Http404
    today = user.local_today()
    plans = attach_roadmaps(with_content(Plan.objects.for_user(user).current()))
    views = [build_plan_view(plan, today) for plan in plans]
    cal = build_calendar(views, user.checkin_weekday, timezone.now())
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="waypoint.ics"'
    # The feed is as private as the plan it shows: no shared cache or proxy may keep it.
    add_never_cache_headers(response)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def calendar_settings(request: HttpRequest) -> HttpResponse:
    feed = feed_for(request.user)
    if request.method == "POST":
        had_one = feed is not None
        feed = reset_feed(request.user)
        messages.success(
            request,
            "Your calendar has a new private address. The old one no longer works."
            if had_one
            else "Your private calendar address is ready.",
        )
        return redirect("roadmaps:calendar")
    url = None
    if feed:
        url = request.build_absolute_uri(reverse("roadmaps:calendar_feed", args=[feed.token]))
    return render(request, "roadmaps/calendar.html", {"feed": feed, "feed_url": url})


# --- Staff insights -----------------------------------------------------------------------


def staff_only(view):
    """Staff see the view; anyone else (members, visitors) gets a 404: it does not exist."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not (request.user.is_active and request.user.is_staff):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


@require_safe
@staff_only
def insights(request: HttpRequest) -> HttpResponse:
    """Aggregates over every member's plans (roadmaps/insights.py), linked from the admin."""
    now = timezone.now()
    data = build_insights(now, timezone.localdate(now))
    response = render(request, "roadmaps/insights.html", {"insights": data})
    add_never_cache_headers(response)
    return response
