from django.utils import timezone


def member_timezone(get_response):
    """Show dates and times in the signed-in member's own time zone."""

    def middleware(request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            timezone.activate(user.zone)
        try:
            return get_response(request)
        finally:
            timezone.deactivate()

    return middleware
