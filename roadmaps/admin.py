from django.contrib import admin, messages
from django.forms.models import BaseInlineFormSet
from django.utils.translation import ngettext

from roadmaps.models import ActionItem, Phase, PhaseItem, RoadmapItem


def remove_items(request, items) -> None:
    """Delete items nobody has progress on; archive the rest, and say so."""
    items = list(items)
    kept = {
        item.pk
        for item in RoadmapItem.objects.filter(pk__in=[i.pk for i in items], progress__isnull=False)
    }
    archived = [i for i in items if i.pk in kept]
    for item in items:
        if item.pk in kept:
            if not item.is_archived:
                item.is_archived = True
                item.save(update_fields=["is_archived"])
        else:
            item.delete()
    if archived:
        messages.warning(
            request,
            ngettext(
                "“%(titles)s” was archived, not deleted: members have progress on it. "
                "It has left their plans; their records of it are kept.",
                "%(count)d items were archived, not deleted, because members have progress on "
                "them (%(titles)s). They have left members' plans; their records are kept.",
                len(archived),
            )
            % {"count": len(archived), "titles": ", ".join(i.title for i in archived)},
        )


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
        return super().get_queryset(request).exclude(kind=PhaseItem.Kind.ACTION)


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
        return super().get_queryset(request).filter(kind=ActionItem.Kind.ACTION)


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
    actions = ["archive", "restore"]

    @admin.action(description="Archive selected items (they leave members' plans)")
    def archive(self, request, queryset):
        count = queryset.update(is_archived=True)
        self.message_user(request, f"{count} item(s) archived.", messages.SUCCESS)

    @admin.action(description="Restore selected items to the roadmap")
    def restore(self, request, queryset):
        count = queryset.update(is_archived=False)
        self.message_user(request, f"{count} item(s) restored.", messages.SUCCESS)

    def get_deleted_objects(self, objs, request):
        """Items members have progress on are listed as archived instead of deleted."""
        items = list(objs)
        with_progress = set(
            RoadmapItem.objects.filter(
                pk__in=[i.pk for i in items], progress__isnull=False
            ).values_list("pk", flat=True)
        )
        if not with_progress:
            return super().get_deleted_objects(items, request)
        listed = [
            f"{item} — will be archived, not deleted: members have progress on it"
            if item.pk in with_progress
            else str(item)
            for item in items
        ]
        return listed, {self.opts.verbose_name_plural: len(items)}, set(), []

    def delete_model(self, request, obj):
        remove_items(request, [obj])

    def delete_queryset(self, request, queryset):
        remove_items(request, queryset)
