def verification(request) -> dict:
    """`email_unverified`: True for a signed-in member whose login address is not verified.

    No query for anonymous visitors. For members it is a function, which the template calls
    where it reads it (the base template's banner): one query on a full page, remembered on
    the user, and none on an htmx answer that renders a fragment without the banner.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"email_unverified": False}
    return {"email_unverified": lambda: not user.has_verified_email}
