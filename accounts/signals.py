"""Signal receivers: the path finder's answers, given before signing up or in, join the profile."""

from careers.pathfinder import SESSION_KEY


def keep_pathfinder_answers(sender, request=None, user=None, **kwargs) -> None:
    """allauth's `user_signed_up` / `user_logged_in`: copy the session's answers (if any) to
    the member's profile. The session keeps them across the login (Django keeps session data
    when the same visitor signs in)."""
    if request is None or user is None:
        return
    answers = request.session.get(SESSION_KEY)
    if isinstance(answers, dict):
        user.save_pathfinder_answers(answers)
