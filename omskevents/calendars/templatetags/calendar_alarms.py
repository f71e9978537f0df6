"""The admin banner naming the years the working calendar lacks, shown to the secretariat."""

from typing import Any

from django import template

from omskevents.accounts.permissions import is_secretariat
from omskevents.agencies.enums import Country

from ..selectors import calendar_missing_years

register = template.Library()


@register.inclusion_tag("calendars/missing_years_banner.html", takes_context=True)
def calendar_missing_banner(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    if request is None or not is_secretariat(request.user):
        return {"missing": []}
    return {
        "missing": [
            {"year": str(year), "country": Country(country).label} for year, country in calendar_missing_years()
        ]
    }
