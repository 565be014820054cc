"""What Waypoint forgets when a member is deleted, beyond the rows that cascade with them.

The admin's history (`django_admin_log`) names an object by its text at the time (a member's
email) and outlives it; the mail queue and its log hold the address and the messages. When a
member is deleted (by themselves or by staff), their admin history entries keep the fact that
something happened but name a digest instead of the address, and their queued and logged mail
is deleted.
"""

from __future__ import annotations

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from mailer.models import Message, MessageLog

from config.security_log import digest


def deleted_member_label(pk: int) -> str:
    return f"Deleted member {digest(pk)}"


def forget_member(sender, instance, **kwargs) -> None:
    """post_delete of the user model: runs in the deletion's transaction."""
    email = (instance.email or "").lower()
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(sender, for_concrete_model=False),
        object_id=str(instance.pk),
    ).update(object_repr=deleted_member_label(instance.pk), change_message="")
    if email:
        for model in (Message, MessageLog):
            doomed = [
                row.pk
                for row in model.objects.only("pk", "message_data").iterator()
                if email in {address.lower() for address in (row.to_addresses or [])}
            ]
            model.objects.filter(pk__in=doomed).delete()
