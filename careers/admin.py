from functools import partial

from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected as django_delete_selected
from django.forms.models import BaseInlineFormSet
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import ngettext

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
    SkillToLearn,
    TransferableSkill,
    Transition,
)
from careers.retirement import Removal, members_by_item, retire_or_delete

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
    fields = ["kind", "order", "key", "title", "resource_type", "url", "is_archived"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(kind__in=PhaseItem.PHASE_KINDS)


class ActionItemFormSet(ArchivingFormSet):
    def prepare(self, instance) -> None:
        instance.kind = ActionItem.Kind.ACTION


class ActionItemInline(ArchivingInlineMixin, admin.TabularInline):
    model = ActionItem
    formset = ActionItemFormSet
    extra = 0
    fields = ["horizon", "order", "key", "title", "url", "is_archived"]
    verbose_name_plural = "action plan (this week / this month / next 90 days)"

    def get_queryset(self, request):
        return super().get_queryset(request).filter(kind__in=ActionItem.HORIZON_KINDS)


@admin.register(Phase)
class PhaseAdmin(ArchivingSaveMixin, admin.ModelAdmin):
    list_display = ["title", "transition", "order", "weeks"]
    list_select_related = ["transition"]
    list_filter = ["transition"]
    search_fields = ["title", "transition__title"]
    autocomplete_fields = ["transition"]
    inlines = [PhaseItemInline]


@admin.register(RoadmapItem)
class RoadmapItemAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "transition", "phase", "horizon", "is_archived"]
    list_select_related = ["transition", "phase"]
    list_filter = ["kind", "is_archived", "resource_type", "transition"]
    search_fields = ["title", "key", "transition__title"]
    autocomplete_fields = ["transition", "phase"]
    ordering = ["transition", "phase__order", "kind", "order"]
    actions = ["delete_selected", "archive", "restore"]

    @admin.action(description="Archive selected items (they leave members' plans)")
    def archive(self, request, queryset):
        count = queryset.update(is_archived=True)
        self.message_user(request, f"{count} item(s) archived.", messages.SUCCESS)

    @admin.action(description="Restore selected items to the roadmap")
    def restore(self, request, queryset):
        count = queryset.update(is_archived=False)
        self.message_user(request, f"{count} item(s) restored.", messages.SUCCESS)

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
            self.log_change(request, item, f"Retired instead of deleted ({count} member(s)).")
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
    fields = ["order", "market", "currency", "low", "high", "open_ended", "basis", "year", "note"]


class RoleFAQInline(admin.StackedInline):
    model = FAQ
    fk_name = "role"
    exclude = ["transition"]
    extra = 0


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "status", "phd_usually_required", "order", "updated_at"]
    list_filter = ["kind", "status", "phd_usually_required"]
    list_editable = ["order"]
    search_fields = ["name", "slug", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [SalaryBandInline, RoleFAQInline]
    view_on_site = True


@admin.register(SalaryBand)
class SalaryBandAdmin(admin.ModelAdmin):
    list_display = ["role", "market", "currency", "low", "high", "open_ended", "basis", "year"]
    list_filter = ["currency", "basis", "year", "role__kind"]
    list_select_related = ["role"]
    search_fields = ["market", "role__name", "note"]
    autocomplete_fields = ["role"]
    ordering = ["role__name", "order"]


class TransferableSkillInline(admin.TabularInline):
    model = TransferableSkill
    extra = 0
    fields = ["order", "name", "description"]


class SkillToLearnInline(admin.TabularInline):
    model = SkillToLearn
    extra = 0
    fields = ["order", "name", "priority", "weeks", "how_to_learn"]


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0
    fields = ["order", "title", "weeks", "edit_items"]
    readonly_fields = ["edit_items"]
    show_change_link = True

    @admin.display(description="Tasks and resources")
    def edit_items(self, phase: Phase) -> str:
        if not phase.pk:
            return "Save first, then add tasks and resources."
        url = reverse("admin:careers_phase_change", args=[phase.pk])
        return format_html('<a href="{}">Edit tasks and resources</a>', url)


class RealityCheckInline(admin.TabularInline):
    model = RealityCheckItem
    extra = 0
    fields = ["kind", "order", "text"]


class TransitionFAQInline(admin.StackedInline):
    model = FAQ
    fk_name = "transition"
    exclude = ["role"]
    extra = 0


@admin.register(Transition)
class TransitionAdmin(ArchivingSaveMixin, admin.ModelAdmin):
    list_display = [
        "title",
        "from_role",
        "to_role",
        "difficulty",
        "timeline",
        "status",
        "featured",
        "order",
    ]
    list_filter = ["status", "difficulty", "featured", "from_role", "to_role"]
    list_editable = ["order"]
    list_select_related = ["from_role", "to_role"]
    search_fields = ["title", "slug", "overview"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["from_role", "to_role"]
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


@admin.register(TransferableSkill)
class TransferableSkillAdmin(admin.ModelAdmin):
    list_display = ["name", "transition", "order"]
    list_select_related = ["transition"]
    search_fields = ["name", "transition__title"]
    list_filter = ["transition"]
    autocomplete_fields = ["transition"]


@admin.register(SkillToLearn)
class SkillToLearnAdmin(admin.ModelAdmin):
    list_display = ["name", "transition", "priority", "weeks"]
    list_select_related = ["transition"]
    list_filter = ["priority", "transition"]
    search_fields = ["name", "transition__title"]
    autocomplete_fields = ["transition"]


@admin.register(RealityCheckItem)
class RealityCheckItemAdmin(admin.ModelAdmin):
    list_display = ["text", "kind", "transition"]
    list_select_related = ["transition"]
    list_filter = ["kind", "transition"]
    search_fields = ["text"]
    autocomplete_fields = ["transition"]


@admin.register(FAQ)
class FAQAdmin(admin.ModelAdmin):
    list_display = ["question", "role", "transition", "order"]
    list_select_related = ["role", "transition"]
    list_filter = ["role", "transition"]
    search_fields = ["question", "answer"]
    autocomplete_fields = ["role", "transition"]


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(admin.ModelAdmin):
    list_display = ["term", "slug"]
    search_fields = ["term", "definition"]
    prepopulated_fields = {"slug": ["term"]}
    view_on_site = True
