from functools import partial

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected as django_delete_selected
from django.db.models import Case, Count, IntegerField, Max, Q, Value, When
from django.forms.models import BaseInlineFormSet
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import ngettext

from careers import curation, page_cache
from careers.history_admin import CatalogHistoryAdmin
from careers.models import (
    FAQ,
    ActionItem,
    GlossaryTerm,
    Phase,
    PhaseItem,
    RealityCheckItem,
    RoadmapItem,
    Role,
    SalaryBand,
    Skill,
    SkillToLearn,
    Source,
    Status,
    TransferableSkill,
    Transition,
)
from careers.retirement import Removal, members_by_item, retire_or_delete


def in_order_of(field: str, values) -> Case:
    """An ORDER BY expression putting `field`'s values in the order given (e.g. week, month,
    quarter), where the alphabet would put them wrong."""
    whens = [When(**{field: value}, then=Value(n)) for n, value in enumerate(values)]
    return Case(*whens, default=Value(len(whens)), output_field=IntegerField())


# --- Roadmap content ---------------------------------------------------------------------


def remove_items(request, items) -> Removal:
    """Delete items nobody has a record of; retire the rest, and say so in one message."""
    removal = retire_or_delete(items)
    if removal.retired:
        messages.warning(request, removal.message())
    return removal


class ArchivingFormSet(BaseInlineFormSet):
    """Inline rows marked for deletion are archived instead when members have progress."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        self.prepare(form.instance)
        return form

    def prepare(self, instance) -> None:  # set what the inline's hidden fields imply
        pass


class ArchivingInlineMixin:
    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)

        class Form(formset.form):
            def hand_clean_DELETE(self):
                """Deleting a row members have progress on archives it (see save_formset)."""

        formset.form = Form
        return formset


class ArchivingSaveMixin:
    def save_formset(self, request, form, formset, change):
        if not issubclass(formset.model, RoadmapItem):
            return super().save_formset(request, form, formset, change)
        for item in formset.save(commit=False):
            if item.phase_id:  # new rows of a new phase learn its transition only now
                item.transition_id = item.phase.transition_id
            item.assign_key()
            item.save()
        remove_items(request, formset.deleted_objects)
        formset.save_m2m()


class PhaseItemFormSet(ArchivingFormSet):
    def prepare(self, instance) -> None:
        # Items carry their transition too: their keys are unique within it.
        instance.transition_id = self.instance.transition_id


class PhaseItemInline(ArchivingInlineMixin, admin.TabularInline):
    model = PhaseItem
    formset = PhaseItemFormSet
    fk_name = "phase"
    extra = 0
    fields = ["kind", "order", "title", "resource_type", "url", "effort_hours", "is_archived"]

    def get_queryset(self, request):
        items = super().get_queryset(request).filter(kind__in=PhaseItem.PHASE_KINDS)
        return items.order_by(in_order_of("kind", PhaseItem.PHASE_KINDS), "order", "id")


class ActionItemFormSet(ArchivingFormSet):
    def prepare(self, instance) -> None:
        instance.kind = ActionItem.Kind.ACTION


class ActionItemInline(ArchivingInlineMixin, admin.TabularInline):
    model = ActionItem
    formset = ActionItemFormSet
    extra = 0
    fields = ["horizon", "order", "title", "url", "effort_hours", "is_archived"]
    verbose_name_plural = "action plan (this week / this month / next 90 days)"

    def get_queryset(self, request):
        items = super().get_queryset(request).filter(kind__in=ActionItem.HORIZON_KINDS)
        return items.order_by(in_order_of("horizon", ActionItem.Horizon.values), "order", "id")


class PhaseForm(forms.ModelForm):
    """A phase's own page: a taken position is said on the order field."""

    def clean(self):
        cleaned = super().clean()
        transition = (
            cleaned.get("transition") or self.instance.transition_id
        )  # read-only once saved
        order = cleaned.get("order")
        if transition and order is not None:
            taken = Phase.objects.filter(transition=transition, order=order)
            if other := taken.exclude(pk=self.instance.pk).first():
                self.add_error("order", f"“{other.title}” is already phase {order}.")
        return cleaned


@admin.register(Phase)
class PhaseAdmin(ArchivingSaveMixin, CatalogHistoryAdmin):
    form = PhaseForm
    list_display = ["title", "transition", "order", "weeks", "is_archived"]
    list_select_related = ["transition"]
    list_filter = ["is_archived", "transition__status", "transition"]
    search_fields = ["title", "transition__title"]
    autocomplete_fields = ["transition"]
    inlines = [PhaseItemInline]

    def get_readonly_fields(self, request, obj=None):
        # Its items belong to its transition too; a phase never moves to another.
        return ["transition"] if obj else []


class RoadmapItemForm(forms.ModelForm):
    """An item's own page: it depends only on other items of its transition, never on
    itself, and never on an item that already depends on it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "depends_on" in self.fields:
            items = RoadmapItem.objects.filter(transition_id=self.instance.transition_id)
            if not self.instance.transition_id:
                items = items.none()  # a new item: save it, then choose what it depends on
            field = self.fields["depends_on"]
            field.queryset = items.exclude(pk=self.instance.pk).select_related("phase")
            field.help_text = "Items of this transition that must be done first."

    def clean(self):
        cleaned = super().clean()
        depends_on = cleaned.get("depends_on")
        if depends_on is not None and (
            problem := self.instance.dependency_problem(list(depends_on))
        ):
            self.add_error("depends_on", problem)
        return cleaned


@admin.register(RoadmapItem)
class RoadmapItemAdmin(CatalogHistoryAdmin):
    form = RoadmapItemForm
    list_display = [
        "title",
        "kind",
        "transition",
        "phase",
        "horizon",
        "effort_hours",
        "is_archived",
    ]
    list_select_related = ["transition", "phase"]
    list_filter = ["kind", "is_archived", "resource_type", "horizon", "transition"]
    search_fields = ["title", "key", "url", "phase__title", "transition__title"]
    autocomplete_fields = ["transition", "phase", "skills"]
    filter_horizontal = ["depends_on"]
    readonly_fields = ["key"]
    ordering = ["transition", "phase__order", "kind", "order"]
    actions = ["delete_selected", "archive", "restore"]

    def get_readonly_fields(self, request, obj=None):
        # An item's key is its identity within its transition: it never moves to another.
        return ["key", "transition"] if obj else ["key"]

    def save_model(self, request, obj, form, change):
        obj.assign_key()
        super().save_model(request, obj, form, change)

    @staticmethod
    def set_archived(queryset, archived: bool) -> int:
        """Item by item, so the version history records each change (update() would not)."""
        items = list(queryset.exclude(is_archived=archived))
        for item in items:
            item.is_archived = archived
            item.save(update_fields=["is_archived"])
        return len(items)

    @admin.action(description="Archive selected items (they leave members' plans)")
    def archive(self, request, queryset):
        count = self.set_archived(queryset, True)
        message = ngettext("%d item archived.", "%d items archived.", count) % count
        self.message_user(request, message, messages.SUCCESS)

    @admin.action(description="Restore selected items to the roadmap")
    def restore(self, request, queryset):
        count = self.set_archived(queryset, False)
        message = ngettext("%d item restored.", "%d items restored.", count) % count
        self.message_user(request, message, messages.SUCCESS)

    # Deleting an item a member has a record of retires it instead (careers/retirement.py).
    # The confirmation page says which ones; afterwards ONE message says what happened, not
    # Django's "deleted successfully" as well; the log says "changed" for a retired item.

    def get_deleted_objects(self, objs, request):
        """Items members have records of are listed as retired instead of deleted."""
        items = list(objs)
        members = members_by_item(i.pk for i in items)
        if not members:
            return super().get_deleted_objects(items, request)
        listed = [
            ngettext(
                "%(item)s — will be retired (archived), not deleted: %(count)d member has "
                "worked on it",
                "%(item)s — will be retired (archived), not deleted: %(count)d members have "
                "worked on it",
                members[item.pk],
            )
            % {"item": item, "count": members[item.pk]}
            if item.pk in members
            else str(item)
            for item in items
        ]
        return listed, {self.opts.verbose_name_plural: len(items)}, set(), []

    def log_deletions(self, request, queryset):
        """Logged in `_remove`, once it is known which items went and which were retired."""

    def _remove(self, request, items) -> Removal:
        removal = retire_or_delete(items, before_delete=partial(super().log_deletions, request))
        for item, count in removal.retired:
            self.log_change(
                request,
                item,
                ngettext(
                    "Retired instead of deleted (%(count)d member).",
                    "Retired instead of deleted (%(count)d members).",
                    count,
                )
                % {"count": count},
            )
        return removal

    def delete_model(self, request, obj):
        removal = self._remove(request, [obj])
        if removal.retired:
            self.message_user(request, removal.message(), messages.WARNING)
            request.retired_item = obj

    def response_delete(self, request, obj_display, obj_id):
        """A retired item's page, where "Archived" can be unticked; no "deleted" message."""
        if getattr(request, "retired_item", None) is not None:
            return redirect("admin:careers_roadmapitem_change", obj_id)
        return super().response_delete(request, obj_display, obj_id)

    def delete_queryset(self, request, queryset):
        removal = self._remove(request, queryset)
        self.message_user(
            request,
            removal.message(),
            messages.WARNING if removal.retired else messages.SUCCESS,
        )

    @admin.action(permissions=["delete"], description="Delete selected roadmap items")
    def delete_selected(self, request, queryset):
        """Django's action (its confirmation page first), with one message from
        `delete_queryset` instead of Django's "Successfully deleted …" as well."""
        if not request.POST.get("post"):
            return django_delete_selected(self, request, queryset)
        _, _, perms_needed, protected = self.get_deleted_objects(queryset, request)
        if perms_needed or protected:
            return django_delete_selected(self, request, queryset)
        if queryset.exists():
            self.delete_queryset(request, queryset)
        return None


# --- Roles, transitions and the rest ------------------------------------------------------


class SalaryBandInline(admin.TabularInline):
    model = SalaryBand
    extra = 0
    fields = [
        "order",
        "market",
        "currency",
        "low",
        "high",
        "open_ended",
        "basis",
        "year",
        "note",
        "source",
    ]
    autocomplete_fields = ["source"]


class RoleFAQInline(admin.StackedInline):
    model = FAQ
    fk_name = "role"
    exclude = ["transition"]
    extra = 0


@admin.register(Role)
class RoleAdmin(CatalogHistoryAdmin):
    list_display = ["name", "kind", "status", "phd_usually_required", "order", "updated_at"]
    list_filter = ["kind", "status", "phd_usually_required"]
    list_editable = ["order"]
    search_fields = ["name", "slug", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["skills"]
    inlines = [SalaryBandInline, RoleFAQInline]
    view_on_site = True


@admin.register(Skill)
class SkillAdmin(CatalogHistoryAdmin):
    list_display = ["name", "area", "typical_weeks", "order"]
    list_filter = ["area"]
    list_editable = ["order"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Source)
class SourceAdmin(CatalogHistoryAdmin):
    list_display = ["name", "title", "year", "url", "order"]
    list_editable = ["order"]
    search_fields = ["name", "title", "slug", "url"]
    prepopulated_fields = {"slug": ["name", "title"]}


@admin.register(SalaryBand)
class SalaryBandAdmin(CatalogHistoryAdmin):
    list_display = ["role", "market", "currency", "low", "high", "open_ended", "basis", "year"]
    list_filter = ["currency", "basis", "year", "role__kind"]
    list_select_related = ["role"]
    search_fields = ["market", "role__name", "note"]
    autocomplete_fields = ["role", "source"]
    ordering = ["role__name", "order"]


class TransferableSkillInline(admin.TabularInline):
    model = TransferableSkill
    extra = 0
    fields = ["order", "name", "skill", "description"]
    autocomplete_fields = ["skill"]


class SkillToLearnInline(admin.TabularInline):
    model = SkillToLearn
    extra = 0
    fields = ["order", "name", "skill", "priority", "weeks", "how_to_learn"]
    autocomplete_fields = ["skill"]


class PhaseFormSet(BaseInlineFormSet):
    """Phases are reordered by editing their order: a position taken twice is said on the
    order field, and a swap is saved without colliding half-way (see `make_room`)."""

    def clean(self):
        seen = {}
        for form in self.forms:
            if self._should_delete_form(form) or not form.is_valid():
                continue
            if not form.instance.pk and not form.has_changed():
                continue
            order = form.cleaned_data.get("order")
            if order in seen:
                form.add_error("order", f"“{seen[order]}” is already phase {order}.")
            else:
                seen[order] = form.cleaned_data.get("title")
        super().clean()

    def make_room(self) -> None:
        """Move phases that change position, or go, out of the way of the positions being
        taken: (transition, order) is unique, and rows are saved one at a time."""
        moving = [
            form.instance.pk
            for form in self.initial_forms
            if "order" in form.changed_data or self._should_delete_form(form)
        ]
        if not moving:
            return
        wanted = [f.cleaned_data.get("order") or 0 for f in self.forms if f.is_valid()]
        top = Phase.objects.filter(transition=self.instance).aggregate(top=Max("order"))["top"]
        first_free = max([top or 0, *wanted]) + 1
        for n, pk in enumerate(moving):
            Phase.objects.filter(pk=pk).update(order=first_free + n)
        page_cache.catalog_changed()  # update() sends no signal


class PhaseInline(admin.TabularInline):
    model = Phase
    formset = PhaseFormSet
    extra = 0
    fields = ["order", "title", "weeks", "edit_items"]
    readonly_fields = ["edit_items"]
    show_change_link = True

    def get_queryset(self, request):
        phases = super().get_queryset(request).order_by("order")
        return phases.annotate(item_count=Count("items", filter=Q(items__is_archived=False)))

    @admin.display(description="Tasks and resources")
    def edit_items(self, phase: Phase) -> str:
        if not phase.pk:
            return "Save first, then add tasks and resources."
        url = reverse("admin:careers_phase_change", args=[phase.pk])
        count = getattr(phase, "item_count", 0)
        label = ngettext("%d task or resource", "%d tasks and resources", count) % count
        return format_html('{} — <a href="{}">edit</a>', label, url)


class RealityCheckInline(admin.TabularInline):
    model = RealityCheckItem
    extra = 0
    fields = ["kind", "order", "text"]


class TransitionFAQInline(admin.StackedInline):
    model = FAQ
    fk_name = "transition"
    exclude = ["role"]
    extra = 0


class PublishRefused(Exception):
    """Raised inside the change form's transaction to undo a save that would publish a
    transition with something missing."""

    def __init__(self, problems: list[curation.Problem]):
        super().__init__("publishing refused")
        self.problems = problems


def problem_list(problems) -> str:
    return format_html_join(
        "",
        '<li>{} <a href="{}">{}</a></li>',
        ((p.message, p.url, p.fix) for p in problems),
    )


class TransitionForm(forms.ModelForm):
    # Set (on a subclass) when publishing was refused: the form is shown again, with what
    # staff typed, and these problems on the status field.
    publish_refused: list[curation.Problem] = []

    def clean(self):
        cleaned = super().clean()
        if self.publish_refused and "status" not in self.errors:
            blockers = curation.blockers(self.publish_refused)
            self.add_error(
                "status",
                format_html(
                    "Not published: a member would miss {}. It stays a draft; nothing you typed "
                    "is saved yet. <ul>{}</ul>",
                    ngettext("this", "these", len(blockers)),
                    problem_list(blockers),
                ),
            )
        return cleaned


@admin.register(Transition)
class TransitionAdmin(ArchivingSaveMixin, CatalogHistoryAdmin):
    form = TransitionForm
    list_display = [
        "title",
        "from_role",
        "to_role",
        "difficulty",
        "timeline",
        "status",
        "members",
        "featured",
        "order",
    ]
    list_filter = ["status", "difficulty", "featured", "from_role", "to_role"]
    list_editable = ["order"]
    list_select_related = ["from_role", "to_role"]
    search_fields = ["title", "slug", "overview", "from_role__name", "to_role__name"]
    actions = ["publish", "unpublish", "duplicate_as_draft"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["from_role", "to_role", "figures_source", "sources"]
    inlines = [
        TransferableSkillInline,
        SkillToLearnInline,
        PhaseInline,
        RealityCheckInline,
        ActionItemInline,
        TransitionFAQInline,
    ]
    view_on_site = True

    @admin.display(description="Timeline")
    def timeline(self, obj: Transition) -> str:
        return f"{obj.timeline_min_months}–{obj.timeline_max_months} months"

    def get_queryset(self, request):
        # Members who started the transition, counted in the page's one query.
        members = Count("plans__user", distinct=True)
        return super().get_queryset(request).annotate(member_count=members)

    @admin.display(description="Members", ordering="member_count")
    def members(self, obj: Transition) -> int:
        return obj.member_count

    # Publishing through the change form. Django saves the form and its inlines in one
    # transaction (ModelAdmin.changeform_view); if the saved transition is published with
    # something missing, PublishRefused undoes all of it, and the form is shown again with
    # what staff typed and the problems on the status field.

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except PublishRefused as refused:
            request.publish_refused = refused.problems
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if refused := getattr(request, "publish_refused", None):
            return type(form.__name__, (form,), {"publish_refused": refused})
        return form

    def save_formset(self, request, form, formset, change):
        if isinstance(formset, PhaseFormSet):
            formset.make_room()
        super().save_formset(request, form, formset, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        transition = form.instance
        if transition.status == Status.PUBLISHED:
            problems = curation.publish_problems(transition)
            if curation.blockers(problems):
                raise PublishRefused(problems)
            self.warn(request, transition, problems)

    def warn(self, request, transition: Transition, problems) -> None:
        if problems:  # only warnings are left: it was published
            self.message_user(
                request,
                format_html(
                    "“{}” is published, but: <ul>{}</ul>", transition, problem_list(problems)
                ),
                messages.WARNING,
            )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and not getattr(request, "publish_refused", None):
            problems = curation.publish_problems(obj)
            blockers = curation.blockers(problems)
            warnings = [p for p in problems if not p.blocks]
            context["publish_checks"] = {"blockers": blockers, "warnings": warnings}
        return super().render_change_form(request, context, add, change, form_url, obj)

    # List actions

    @admin.action(description="Publish selected transitions (after the publish checks)")
    def publish(self, request, queryset):
        published = []
        for transition in queryset.filter(status=Status.DRAFT).select_related(
            "from_role", "to_role"
        ):
            problems = curation.publish_problems(transition)
            if blockers := curation.blockers(problems):
                self.message_user(
                    request,
                    format_html(
                        "“{}” was not published; it stays a draft. Before it can be published: "
                        "<ul>{}</ul>",
                        transition,
                        problem_list(blockers),
                    ),
                    messages.ERROR,
                )
                continue
            problems = curation.publish(transition)
            if curation.blockers(problems):  # changed meanwhile
                continue
            published.append(transition)
            self.warn(request, transition, problems)
        if published:
            count = len(published)
            self.message_user(
                request,
                ngettext("%d transition published.", "%d transitions published.", count) % count,
                messages.SUCCESS,
            )

    @admin.action(description="Set selected transitions back to draft")
    def unpublish(self, request, queryset):
        count = 0
        for transition in queryset.filter(status=Status.PUBLISHED):
            transition.status = Status.DRAFT
            transition.save(update_fields=["status", "updated_at"])
            count += 1
        self.message_user(
            request,
            ngettext("%d transition is a draft again.", "%d transitions are drafts again.", count)
            % count,
            messages.SUCCESS,
        )

    @admin.action(description="Duplicate as draft (members' plans stay on the original)")
    def duplicate_as_draft(self, request, queryset):
        for transition in queryset:
            copy = curation.duplicate_as_draft(transition)
            self.message_user(
                request,
                format_html(
                    '“{}” was copied as a new draft: <a href="{}">{}</a>.',
                    transition,
                    reverse("admin:careers_transition_change", args=[copy.pk]),
                    copy,
                ),
                messages.SUCCESS,
            )


@admin.register(TransferableSkill)
class TransferableSkillAdmin(CatalogHistoryAdmin):
    list_display = ["name", "skill", "transition", "order"]
    list_select_related = ["transition", "skill"]
    search_fields = ["name", "transition__title"]
    list_filter = ["transition"]
    autocomplete_fields = ["transition", "skill"]


@admin.register(SkillToLearn)
class SkillToLearnAdmin(CatalogHistoryAdmin):
    list_display = ["name", "skill", "transition", "priority", "weeks"]
    list_select_related = ["transition", "skill"]
    list_filter = ["priority", "transition"]
    search_fields = ["name", "transition__title"]
    autocomplete_fields = ["transition", "skill"]


@admin.register(RealityCheckItem)
class RealityCheckItemAdmin(CatalogHistoryAdmin):
    list_display = ["text", "kind", "transition"]
    list_select_related = ["transition"]
    list_filter = ["kind", "transition"]
    search_fields = ["text"]
    autocomplete_fields = ["transition"]


@admin.register(FAQ)
class FAQAdmin(CatalogHistoryAdmin):
    list_display = ["question", "role", "transition", "order"]
    list_select_related = ["role", "transition"]
    list_filter = ["role", "transition"]
    search_fields = ["question", "answer"]
    autocomplete_fields = ["role", "transition"]


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(CatalogHistoryAdmin):
    list_display = ["term", "slug"]
    search_fields = ["term", "definition"]
    prepopulated_fields = {"slug": ["term"]}
    view_on_site = True
