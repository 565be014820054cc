"""Version history of catalog content: who changed what, when, and why (django-simple-history).

Every save or delete of a catalog row writes a historical row. Changes made in the admin carry
the staff user (simple-history's middleware and admin); changes made by a catalog load carry no
user and the reason "catalog load". This module must not import `careers.models`: the models
import it.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db.models.signals import post_delete, post_save, pre_delete
from simple_history.models import HistoricalRecords

CATALOG_LOAD = "catalog load"

_reason: ContextVar[str | None] = ContextVar("catalog_change_reason", default=None)


@contextmanager
def change_reason(reason: str):
    """Every catalog change made inside the block is recorded with this reason.

    Also a decorator: `@change_reason(CATALOG_LOAD)`. A reason set on one object
    (`obj._change_reason`) still wins.
    """
    token = _reason.set(reason)
    try:
        yield
    finally:
        _reason.reset(token)


class CatalogHistory(HistoricalRecords):
    """HistoricalRecords for catalog models, with two additions.

    - The change reason falls back on the one set with `change_reason(...)`.
    - Proxy models (ActionItem, PhaseItem: the admin inlines' views of RoadmapItem) are
      recorded in their concrete model's history. Django sends a proxy's save and delete
      signals with the proxy as sender, which simple-history alone does not listen to.
    """

    def finalize(self, sender, **kwargs):
        if sender is not self.cls and sender._meta.proxy and issubclass(sender, self.cls):
            post_save.connect(self.post_save, sender=sender, weak=False)
            post_delete.connect(self.post_delete, sender=sender, weak=False)
            pre_delete.connect(self.pre_delete, sender=sender, weak=False)
            return
        super().finalize(sender, **kwargs)

    def get_change_reason_for_object(self, instance, history_type, using):
        return super().get_change_reason_for_object(instance, history_type, using) or _reason.get()
