from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from careers.forms import TransitionFilterForm
from careers.models import FAQ, GlossaryTerm, Phase, RoadmapItem, Role, Transition
from careers.presentation import compare_roles, terms_in


def published_transitions():
    return Transition.objects.published().select_related("from_role", "to_role")


def visible_transitions(request: HttpRequest):
    """Published transitions; staff also see drafts, to preview them before publishing."""
    if request.user.is_staff:
        return Transition.objects.select_related("from_role", "to_role")
    return published_transitions()


def visible_roles(request: HttpRequest):
    return Role.objects.all() if request.user.is_staff else Role.objects.published()


@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness probe: answers without touching the database."""
    return HttpResponse("ok", content_type="text/plain")


@require_safe
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
def role_list(request: HttpRequest) -> HttpResponse:
    roles = Role.objects.published().ai_roles()
    chosen = request.GET.getlist("compare")
    all_roles = list(roles.only("slug", "name"))
    known = {role.slug for role in all_roles}
    chosen = [slug for slug in chosen if slug in known]
    compared = roles.filter(slug__in=chosen) if chosen else roles
    compared = compared.prefetch_related(
        "salary_bands",
        Prefetch(
            "transitions_in",
            queryset=Transition.objects.published(),
            to_attr="published_transitions_in",
        ),
    )
    return render(
        request,
        "careers/role_list.html",
        {"all_roles": all_roles, "chosen": chosen, "rows": compare_roles(compared)},
    )


@require_safe
def role_detail(request: HttpRequest, slug: str) -> HttpResponse:
    role = get_object_or_404(visible_roles(request).ai_roles(), slug=slug)
    bands = list(role.salary_bands.all())
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
def transition_list(request: HttpRequest) -> HttpResponse:
    backgrounds = list(Role.objects.published().backgrounds())
    form = TransitionFilterForm(request.GET or None, backgrounds=backgrounds)
    transitions = form.filter(published_transitions()) if form.is_bound else published_transitions()
    return render(
        request,
        "careers/transition_list.html",
        {"form": form, "transitions": transitions},
    )


@require_safe
def transition_detail(request: HttpRequest, slug: str) -> HttpResponse:
    transition = get_object_or_404(
        visible_transitions(request).prefetch_related(
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
            "terms": terms_in(texts, GlossaryTerm.objects.all()),
        },
    )


@require_safe
def glossary(request: HttpRequest) -> HttpResponse:
    return render(request, "careers/glossary.html", {"terms": GlossaryTerm.objects.all()})
