"""Removing roadmap items without destroying what members did with them.

An item a member has a record of (a tick, a skip or a note on it, or a check-in that chose it
as a focus) is never deleted: it is *retired*, that is archived. It leaves every plan and the
guide, the member's records stay, and unticking "Archived" in the admin brings it all back.
An item nobody has touched is deleted as usual.

Members' records are reached through the reverse relations members' rows declare on
`RoadmapItem` (`progress`, `focused_in_checkins`), so the catalogue never imports `roadmaps`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import ngettext

from careers.models import RoadmapItem

# The reverse relations to members' rows, each with the path from there to the member.
MEMBER_RECORDS = ("progress__plan__user", "focused_in_checkins__plan__user")


def members_by_item(pks: Iterable[int]) -> dict[int, int]:
    """How many distinct members have a record of each item (items with none are left out).

    One query per kind of record, however many items.
    """
    pks = list(pks)
    members: dict[int, set[int]] = defaultdict(set)
    for path in MEMBER_RECORDS:
        rows = RoadmapItem.objects.filter(pk__in=pks, **{f"{path}__isnull": False})
        rows = rows.order_by()
        for pk, user_id in rows.values_list("pk", path):
            members[pk].add(user_id)
    return {pk: len(users) for pk, users in members.items()}


@dataclass
class Removal:
    """What `retire_or_delete` did: items deleted, and items retired with their member count."""

    deleted: list[RoadmapItem] = field(default_factory=list)
    retired: list[tuple[RoadmapItem, int]] = field(default_factory=list)

    def message(self) -> str:
        """One sentence or two for staff: what went, what was retired and how to restore it."""
        parts = []
        if self.deleted:
            n = len(self.deleted)
            parts.append(
                ngettext("Deleted “%(title)s”.", "Deleted %(count)d items.", n)
                % {"count": n, "title": self.deleted[0].title}
            )
        if len(self.retired) == 1:
            item, members = self.retired[0]
            parts.append(
                ngettext(
                    "Retired “%(title)s”: %(count)d member has worked on it; their record is "
                    "kept. Restore it by unticking Archived.",
                    "Retired “%(title)s”: %(count)d members have worked on it; their records "
                    "are kept. Restore it by unticking Archived.",
                    members,
                )
                % {"title": item.title, "count": members}
            )
        elif self.retired:
            listed = ", ".join(
                ngettext("“%(title)s” (%(count)d member)", "“%(title)s” (%(count)d members)", n)
                % {"title": item.title, "count": n}
                for item, n in self.retired
            )
            parts.append(
                f"Retired {len(self.retired)} items members have worked on: {listed}; their "
                "records are kept. Restore them by unticking Archived (or with the "
                "“Restore selected items” action)."
            )
        return " ".join(parts)


def retire_or_delete(
    items: Iterable[RoadmapItem],
    before_delete: Callable[[list[RoadmapItem]], None] | None = None,
) -> Removal:
    """Delete the items nobody has a record of; retire (archive) the others.

    `before_delete` is called with the items about to be deleted (the admin logs them).

    The items' rows are locked first, so a member ticking one meanwhile waits and the count
    stays true (on PostgreSQL; SQLite runs one write at a time anyway).
    """
    items = list(items)
    removal = Removal()
    with transaction.atomic():
        pks = list(
            RoadmapItem.objects.select_for_update()
            .filter(pk__in=[i.pk for i in items])
            .order_by()  # no join on the nullable phase: PostgreSQL refuses to lock one
            .values_list("pk", flat=True)
        )
        members = members_by_item(pks)
        for item in items:
            if item.pk not in pks:  # gone already (a second tab)
                continue
            if item.pk in members:
                removal.retired.append((item, members[item.pk]))
            else:
                removal.deleted.append(item)
        if removal.deleted and before_delete:
            before_delete(removal.deleted)
        for item, _ in removal.retired:
            if not item.is_archived:
                item.is_archived = True
                item.save(update_fields=["is_archived"])
        for item in removal.deleted:
            item.delete()
    return removal
