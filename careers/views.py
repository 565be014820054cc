from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from careers import pathfinder
from careers.forms import PathfinderForm, TransitionFilterForm
from careers.models import (
    EDITORIAL_ESTIMATE,
    FAQ,
    GlossaryTerm,
    Phase,
    RoadmapItem,
    Role,
    SalaryBand,
    Skill,
    Transition,
)
from careers.page_cache import (
    CSRF_MARK,
    anonymous_page,
    catalog_version,
    code_fingerprint,
    do_not_store,
    has_pending_messages,
    page_cache,
    with_page_token,
)
from careers.presentation import band_range, compare_roles, sources_used, terms_in


def published_transitions():
    """With what their cards show: the roles and the source of their figures."""
    return Transition.objects.published().select_related("from_role", "to_role", "figures_source")


def visible_transitions(request: HttpRequest):
    """Published transitions; staff also see drafts, to preview them before publishing."""
    if request.user.is_staff:
        return Transition.objects.select_related("from_role", "to_role", "figures_source")
    return published_transitions()


def visible_roles(request: HttpRequest):
    return Role.objects.all() if request.user.is_staff else Role.objects.published()


@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness probe: answers without touching the database."""
    return HttpResponse("ok", content_type="text/plain")


@require_safe
@anonymous_page()
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "careers/home.html",
        {
            "backgrounds": Role.objects.published().backgrounds(),
            "featured": published_transitions().filter(featured=True),
            "roles": Role.objects.published().ai_roles(),
            "faqs": FAQ.objects.filter(role=None, transition=None),
        },
    )


@require_safe
@anonymous_page(params=("compare",))
def role_list(request: HttpRequest) -> HttpResponse:
    roles = Role.objects.published().ai_roles()
    asked = request.GET.getlist("compare")
    all_roles = list(roles.only("slug", "name"))
    known = {role.slug for role in all_roles}
    chosen = [slug for slug in asked if slug in known]
    compared = roles.filter(slug__in=chosen) if chosen else roles
    compared = compared.prefetch_related(
        Prefetch("salary_bands", queryset=SalaryBand.objects.select_related("source")),
        Prefetch(
            "transitions_in",
            queryset=Transition.objects.published().select_related("figures_source"),
            to_attr="published_transitions_in",
        ),
    )
    rows = compare_roles(compared)
    sources = sources_used(
        [band.source for row in rows for band in row.role.salary_bands.all()]
        + [t.figures_source for row in rows for t in row.role.published_transitions_in]
    )
    response = render(
        request,
        "careers/role_list.html",
        {"all_roles": all_roles, "chosen": chosen, "rows": rows, "sources": sources},
    )
    return response if chosen == asked else do_not_store(response)


@require_safe
@anonymous_page()
def role_detail(request: HttpRequest, slug: str) -> HttpResponse:
    role = get_object_or_404(visible_roles(request).ai_roles(), slug=slug)
    bands = list(role.salary_bands.select_related("source"))
    faqs = list(role.faqs.all())
    transitions = list(published_transitions().filter(to_role=role))
    texts = [role.what_they_do, role.demand, *role.required_background, *role.focus_areas]
    texts += [faq.answer for faq in faqs]
    return render(
        request,
        "careers/role_detail.html",
        {
            "role": role,
            "bands": bands,
            "faqs": faqs,
            "transitions": transitions,
            "terms": terms_in(texts, GlossaryTerm.objects.all()),
        },
    )


@require_safe
@anonymous_page()
def background_detail(request: HttpRequest, slug: str) -> HttpResponse:
    background = get_object_or_404(Role.objects.published().backgrounds(), slug=slug)
    return render(
        request,
        "careers/background_detail.html",
        {
            "background": background,
            "transitions": published_transitions().filter(from_role=background),
        },
    )


@require_safe
@anonymous_page(params=TransitionFilterForm.base_fields)
def transition_list(request: HttpRequest) -> HttpResponse:
    backgrounds = list(Role.objects.published().backgrounds())
    form = TransitionFilterForm(request.GET or None, backgrounds=backgrounds)
    transitions = form.filter(published_transitions()) if form.is_bound else published_transitions()
    response = render(
        request,
        "careers/transition_list.html",
        {"form": form, "transitions": transitions},
    )
    return do_not_store(response) if form.is_bound and not form.is_valid() else response


@require_safe
@anonymous_page()
def transition_detail(request: HttpRequest, slug: str) -> HttpResponse:
    transition = get_object_or_404(
        visible_transitions(request)
        .select_related("figures_source")
        .prefetch_related(
            "sources",
            "transferable_skills",
            "skills_to_learn",
            "reality_check",
            "faqs",
            Prefetch(
                "phases",
                queryset=Phase.objects.current().prefetch_related(
                    Prefetch("items", queryset=RoadmapItem.objects.current().order_by("order"))
                ),
            ),
            Prefetch(
                "roadmap_items",
                queryset=RoadmapItem.objects.current().filter(kind__in=RoadmapItem.HORIZON_KINDS),
                to_attr="action_items",
            ),
        ),
        slug=slug,
    )
    phases = list(transition.phases.all())
    for phase in phases:
        items = list(phase.items.all())
        phase.tasks = [i for i in items if i.kind == RoadmapItem.Kind.TASK]
        phase.resources = [i for i in items if i.kind == RoadmapItem.Kind.RESOURCE]
    total_weeks = sum(phase.weeks for phase in phases)
    elapsed = 0
    for phase in phases:  # the SVG timeline's segments, in percent of the whole
        phase.offset = f"{100 * elapsed / total_weeks:.2f}"
        phase.share = f"{100 * phase.weeks / total_weeks:.2f}"
        elapsed += phase.weeks
    horizons = [
        (label, [i for i in transition.action_items if i.horizon == value])
        for value, label in RoadmapItem.Horizon.choices
    ]
    reality = [
        (label, [r for r in transition.reality_check.all() if r.kind == value])
        for value, label in transition.reality_check.model.Kind.choices
    ]
    texts = [transition.overview, transition.demand]
    texts += [s.description for s in transition.transferable_skills.all()]
    texts += [s.how_to_learn for s in transition.skills_to_learn.all()]
    texts += [p.summary for p in phases]
    return render(
        request,
        "careers/transition_detail.html",
        {
            "transition": transition,
            "phases": phases,
            "total_weeks": total_weeks,
            "horizons": horizons,
            "reality": reality,
            "sources": list(transition.sources.all()),
            "terms": terms_in(texts, GlossaryTerm.objects.all()),
        },
    )


@require_safe
@anonymous_page()
def glossary(request: HttpRequest) -> HttpResponse:
    return render(request, "careers/glossary.html", {"terms": GlossaryTerm.objects.all()})


# --- Path finder ---------------------------------------------------------------------------


# The path finder's view of the catalog, made once per process and catalog version (any staff
# change replaces the version, careers.page_cache); its rows are only read.
_pathfinder_catalogs: dict[str, tuple] = {}


def pathfinder_catalog() -> tuple[pathfinder.Catalog, list[Role], list[Skill], list[str]]:
    """The catalog as the path finder's plain dataclasses, with the form's choices
    (backgrounds, skills, pay markets), as of the current catalog version."""
    version = catalog_version()  # read before loading: a change meanwhile replaces it
    made = _pathfinder_catalogs.get(version)
    if made is None:
        made = load_pathfinder_catalog()
        _pathfinder_catalogs.clear()
        _pathfinder_catalogs[version] = made
    return made


def load_pathfinder_catalog() -> tuple[pathfinder.Catalog, list[Role], list[Skill], list[str]]:
    """`pathfinder_catalog` from the database: a fixed number of queries however big the
    catalog."""
    skills = list(Skill.objects.all())
    slugs = {skill.pk: skill.slug for skill in skills}
    backgrounds = list(
        Role.objects.published()
        .backgrounds()
        .prefetch_related(Prefetch("skills", queryset=Skill.objects.only("slug")))
    )
    roles = (
        Role.objects.published()
        .ai_roles()
        .prefetch_related(
            Prefetch("skills", queryset=Skill.objects.only("slug")),
            Prefetch("salary_bands", queryset=SalaryBand.objects.select_related("source")),
            Prefetch(
                "transitions_in",
                queryset=published_transitions().prefetch_related(
                    "skills_to_learn",
                    Prefetch(
                        "roadmap_items",
                        queryset=RoadmapItem.objects.current()
                        .filter(kind=RoadmapItem.Kind.ACTION, horizon=RoadmapItem.Horizon.WEEK)
                        .order_by("order", "id"),
                        to_attr="this_week",
                    ),
                ),
                to_attr="routes",
            ),
        )
    )
    markets: dict[str, None] = {}
    role_facts = []
    for role in roles:
        pay: dict[str, str] = {}
        pay_sources: dict[str, str] = {}
        for band in role.salary_bands.all():
            markets.setdefault(band.market)
            if band.market not in pay:
                pay[band.market] = band_range(band)
                pay_sources[band.market] = (
                    band.source.citation if band.source else EDITORIAL_ESTIMATE
                )

        routes = tuple(
            pathfinder.RouteFact(
                slug=t.slug,
                title=t.title,
                from_slug=t.from_role.slug,
                from_name=t.from_role.name,
                difficulty=t.difficulty,
                difficulty_label=t.get_difficulty_display(),
                min_months=t.timeline_min_months,
                max_months=t.timeline_max_months,
                learn_weeks={
                    slugs[s.skill_id]: s.weeks for s in t.skills_to_learn.all() if s.skill_id
                },
                this_week=tuple(item.title for item in t.this_week),
            )
            for t in role.routes
        )
        role_facts.append(
            pathfinder.RoleFact(
                slug=role.slug,
                name=role.name,
                order=role.order,
                summary=role.summary,
                focus_areas=tuple(str(area) for area in role.focus_areas),
                skills=tuple(s.slug for s in role.skills.all()),
                phd_usually_required=role.phd_usually_required,
                demand=role.demand,
                pay=pay,
                pay_sources=pay_sources,
                routes=routes,
            )
        )
    catalog = pathfinder.Catalog(
        roles=tuple(role_facts),
        skills={
            s.slug: pathfinder.SkillFact(s.slug, s.name, s.area, s.typical_weeks) for s in skills
        },
        backgrounds=tuple(
            pathfinder.BackgroundFact(
                b.slug, b.name, b.order, frozenset(s.slug for s in b.skills.all())
            )
            for b in backgrounds
        ),
    )
    return catalog, backgrounds, skills, sorted(markets)


def saved_pathfinder_answers(request: HttpRequest) -> dict:
    """The visitor's last answers: this session's, else (a member) their profile's."""
    saved = request.session.get(pathfinder.SESSION_KEY)
    if not saved and request.user.is_authenticated:
        saved = request.user.pathfinder_answers
    return saved if isinstance(saved, dict) else {}


def start_url(transition_slug: str, query: dict) -> str:
    """The start form for a transition, carrying the answers it reads."""
    params = {"skills": query["skills"], "hours": query["hours"], "months": query["months"]}
    url = reverse("roadmaps:start", args=[transition_slug])
    return f"{url}?{urlencode(params, doseq=True)}"


@require_http_methods(["GET", "HEAD", "POST"])
def pathfinder_view(request: HttpRequest) -> HttpResponse:
    """Which AI role fits me? A POST keeps the answers (session, and a member's profile) and
    redirects to the results, whose address carries the answers (linkable, and a shared link
    overwrites nobody's saved answers). A GET with answers ranks the roles."""
    if is_blank_pathfinder(request):
        return blank_pathfinder(request)
    catalog, backgrounds, skills, markets = pathfinder_catalog()
    choices = {"backgrounds": backgrounds, "skills": skills, "markets": markets}
    fits, query, saved = None, None, False
    if request.method == "POST":
        form = PathfinderForm(request.POST, **choices)
        if form.is_valid():
            query = form.as_query()
            request.session[pathfinder.SESSION_KEY] = query
            if request.user.is_authenticated:
                request.user.save_pathfinder_answers(query)
            url = reverse("careers:pathfinder") + "?" + urlencode(query, doseq=True)
            return redirect(url + "#results")
    elif request.GET:
        form = PathfinderForm(request.GET, **choices)
    else:
        form = PathfinderForm(initial=saved_pathfinder_answers(request), **choices)
        saved = bool(form.initial)
    if form.is_bound and form.is_valid():
        query = form.as_query()
        fits = [
            (fit, start_url(fit.start.slug, query) if fit.start else None)
            for fit in pathfinder.rank(form.answers(), catalog)
        ]
    context = pathfinder_context(catalog, form, fits, saved)
    return render(request, "careers/pathfinder.html", context)


def pathfinder_context(catalog: pathfinder.Catalog, form: PathfinderForm, fits, saved: bool):
    return {
        "form": form,
        "fits": fits,
        "saved": saved,
        "has_skills": catalog.has_skills,
        "interests": pathfinder.INTERESTS,
        "pf": pathfinder,
    }


def is_blank_pathfinder(request: HttpRequest) -> bool:
    """A visitor who is not signed in asks for the empty form: no answers in the address or
    kept in their session, nothing to tell them (messages), not an htmx request."""
    return (
        bool(settings.PAGE_CACHE_SECONDS)
        and request.method in {"GET", "HEAD"}
        and not request.GET
        and not request.user.is_authenticated
        and not request.htmx
        and not saved_pathfinder_answers(request)
        and not has_pending_messages(request)
    )


BLANK_PATHFINDER = "careers:pathfinder-blank"


def blank_pathfinder(request: HttpRequest) -> HttpResponse:
    """The empty path finder, the same for every such visitor but for its CSRF token (the form
    posts): kept in the page cache under the catalog version and the release, like the other
    catalog pages, with a marker for the token that each answer replaces with the visitor's
    own. The page cache cannot keep it whole, since it holds a token."""
    version = catalog_version()  # read before rendering: a change meanwhile replaces it
    key = f"{BLANK_PATHFINDER}:{code_fingerprint()}"
    entry = page_cache().get(key)
    if entry is not None and entry[0] == version:
        content = entry[1]
    else:
        catalog, backgrounds, skills, markets = pathfinder_catalog()
        form = PathfinderForm(backgrounds=backgrounds, skills=skills, markets=markets)
        context = {**pathfinder_context(catalog, form, None, False), "csrf_token": CSRF_MARK}
        content = render(request, "careers/pathfinder.html", context).content
        page_cache().set(key, (version, content), settings.PAGE_CACHE_SECONDS)
    return with_page_token(request, HttpResponse(content))
