def verification(request) -> dict:
    """`email_unverified`: True for a signed-in member whose login address is not verified.

    No query for anonymous visitors; one (remembered on the user) for members.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"email_unverified": False}
    return {"email_unverified": not user.has_verified_email}
