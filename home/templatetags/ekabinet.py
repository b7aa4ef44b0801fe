"""Small template helpers shared by the pages: sortable headers and query strings."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag(takes_context=True)
def query_replace(context, **changes):
    """The current query string with some parameters replaced (None drops one)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    return "?" + query.urlencode() if query else "?"


@register.simple_tag(takes_context=True)
def sort_header(context, key, label, current=None):
    """A column header that sorts the table by `key`, toggling the direction."""
    current = current or context.get("sort") or "name"
    ascending = current == key
    descending = current == f"-{key}"
    target = f"-{key}" if ascending else key
    query = context["request"].GET.copy()
    query["sort"] = target
    query.pop("page", None)
    if ascending:
        aria, arrow = "ascending", " ▲"
    elif descending:
        aria, arrow = "descending", " ▼"
    else:
        aria, arrow = "none", ""
    return format_html(
        '<th scope="col" aria-sort="{}"><a href="?{}" title="{}">{}{}</a></th>',
        aria,
        query.urlencode(),
        _("Sort by this column"),
        label,
        arrow,
    )


@register.filter
def external_url(value: str) -> str:
    """A link target for a web address from the register: http(s) only, scheme added if missing."""
    value = (value or "").strip().split(",")[0].strip()
    if not value or " " in value:
        return ""
    lowered = value.lower()
    if lowered.startswith(("http://", "https://")):
        return value
    if ":" in value.split("/")[0]:
        return ""
    return "https://" + value


@register.filter
def minutes(delta) -> int:
    """Whole minutes of a timedelta, rounded up (a lockout of 14.5 minutes says 15)."""
    if delta is None:
        return 0
    return int(-(-delta.total_seconds() // 60))
