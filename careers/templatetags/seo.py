"""Template helpers for the pages' head: canonical addresses of query-string variants."""

from urllib.parse import urlencode

from django import template

register = template.Library()


@register.simple_tag
def compare_query(all_roles, chosen) -> str:
    """The roles comparison's canonical query: the chosen roles once each, in catalog order
    ("?compare=a&compare=b"); "" when none or every role is chosen (the plain list)."""
    wanted = set(chosen)
    slugs = [role.slug for role in all_roles if role.slug in wanted]
    if not slugs or len(slugs) == len(all_roles):
        return ""
    return "?" + urlencode([("compare", slug) for slug in slugs])
