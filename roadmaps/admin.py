from django.contrib import admin
from django.forms.models import BaseInlineFormSet

from roadmaps.models import Phase, PhaseItem, RoadmapItem


class PhaseItemFormSet(BaseInlineFormSet):
    def _construct_form(self, i, **kwargs):
        # Items carry their transition too: their keys are unique within it.
        form = super()._construct_form(i, **kwargs)
        form.instance.transition_id = self.instance.transition_id
        return form


class PhaseItemInline(admin.TabularInline):
    model = PhaseItem
    formset = PhaseItemFormSet
    fk_name = "phase"
    extra = 0
    fields = ["kind", "order", "key", "title", "resource_type", "url", "is_archived"]

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(kind=PhaseItem.Kind.ACTION)


@admin.register(Phase)
class PhaseAdmin(admin.ModelAdmin):
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
