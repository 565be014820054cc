from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from careers.models import (
    FAQ,
    GlossaryTerm,
    RealityCheckItem,
    Role,
    SalaryBand,
    SkillToLearn,
    TransferableSkill,
    Transition,
)
from roadmaps.admin import ActionItemInline, ArchivingSaveMixin
from roadmaps.models import Phase


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
        url = reverse("admin:roadmaps_phase_change", args=[phase.pk])
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
