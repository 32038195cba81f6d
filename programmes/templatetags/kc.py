"""Template filters for Dutch (nl-BE) presentation and safe rich text."""
from decimal import Decimal, InvalidOperation

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import mark_safe

from programmes.richtext import looks_like_html, plain_to_html, sanitize_html

register = template.Library()


@register.filter
def richtext(value):
    """Stored HTML, sanitised again on the way out (defence in depth)."""
    if not value:
        return ""
    html = sanitize_html(value) if looks_like_html(value) else plain_to_html(value)
    return mark_safe(html)


@register.filter
def euro(value):
    """1026647.54 → '1.026.647,54 euro'."""
    if value in (None, ""):
        return ""
    try:
        amount = Decimal(value).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        return value
    sign = "-" if amount < 0 else ""
    whole, cents = f"{abs(amount):.2f}".split(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return f"{sign}{'.'.join(groups)},{cents} euro"


@register.filter
def dutch_number(value):
    """128978 → '128.978'."""
    try:
        return f"{int(value):,}".replace(",", ".")
    except (TypeError, ValueError):
        return value


@register.filter
def link_text(title):
    """Link titles are stored as what you find ('de nota'); printed as 'Je vindt hier de nota'."""
    return f"Je vindt hier {title}"


@register.filter
def admin_change_url(obj):
    """The back-office page where an object is edited, or '' when it has none."""
    try:
        return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    except (NoReverseMatch, AttributeError):
        return ""
