from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save


def catalog_migrated(**kwargs) -> None:
    """A migration may have rewritten catalog rows without signals."""
    from careers.page_cache import bump_catalog_version

    bump_catalog_version()


class CareersConfig(AppConfig):
    name = "careers"
    verbose_name = "Careers catalog"

    def ready(self) -> None:
        # Any change to the catalog replaces the catalog version, which drops the cached
        # anonymous pages (careers.page_cache). Connected per model, not for every sender, so
        # other apps' deletes keep Django's fast path (no signal, no per-row query).
        from careers.page_cache import catalog_changed

        for model in self.get_models():
            uid = f"catalog-changed-{model._meta.label}"
            post_save.connect(catalog_changed, sender=model, dispatch_uid=uid)
            post_delete.connect(catalog_changed, sender=model, dispatch_uid=uid)
            for field in model._meta.local_many_to_many:
                through = field.remote_field.through
                m2m_changed.connect(
                    catalog_changed,
                    sender=through,
                    dispatch_uid=f"catalog-m2m-{through._meta.label}",
                )
        post_migrate.connect(catalog_migrated, sender=self)
