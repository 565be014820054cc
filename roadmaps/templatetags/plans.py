"""Template tags that let catalogue pages mention a member's plan without `careers`
importing `roadmaps`: the template asks, the roadmaps app answers."""

from django import template

from roadmaps.models import Plan

register = template.Library()


@register.simple_tag(takes_context=True)
def current_plan(context, transition):
    """The signed-in member's current (active or paused) plan for `transition`, or None."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return Plan.objects.for_user(user).current().filter(transition=transition).first()
