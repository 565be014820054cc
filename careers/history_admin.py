"""The admin side of version history: the base class of every catalog ModelAdmin.

simple-history's admin gives each object a history page (who, when, why, and which fields
changed, old → new) and a page per version with a "Revert" button. This adds what it lacks:
a list of deleted rows, each linking to its last version, whose "Revert" brings it back.
"""

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse
from simple_history.admin import SimpleHistoryAdmin


class CatalogHistoryAdmin(SimpleHistoryAdmin):
    change_list_template = "admin/careers/history_change_list.html"
    recover_list_template = "admin/careers/recover_deleted.html"

    def get_urls(self):
        opts = self.model._meta
        name = f"{opts.app_label}_{opts.model_name}_recover_list"
        recover = path("recover/", self.admin_site.admin_view(self.recover_list_view), name=name)
        return [recover, *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        opts = self.model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_recover_list")
        extra_context = {"recover_deleted_url": url, **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    def deleted_versions(self):
        """The last version of each row that was deleted and is still gone, newest first."""
        history = self.model.history
        pk = self.model._meta.pk.attname
        gone = (
            history.filter(history_type="-")
            .exclude(**{f"{pk}__in": self.model._default_manager.values("pk")})
            .select_related("history_user")
            .order_by("-history_date", "-history_id")
        )
        latest = {}
        for version in gone:
            latest.setdefault(getattr(version, pk), version)
        return list(latest.values())

    def recover_list_view(self, request):
        if not (
            self.has_add_permission(request)
            and self.has_view_history_or_change_history_permission(request)
        ):
            raise PermissionDenied
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "title": f"Recover deleted {opts.verbose_name_plural}",
            "opts": opts,
            "versions": self.deleted_versions(),
            "revert_url_name": f"admin:{opts.app_label}_{opts.model_name}_simple_history",
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.recover_list_template, context)
