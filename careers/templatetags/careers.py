from django import template

from careers.presentation import band_range

register = template.Library()


@register.filter
def salary(band) -> str:
    """A salary band's range: "$180,000 – $350,000", "$200,000 – $500,000+", "Variable"."""
    return band_range(band)


@register.filter
def signed_pct(value) -> str:
    if value is None:
        return ""
    return f"+{value}%" if value > 0 else f"{value}%"
