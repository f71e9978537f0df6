"""`{% cached_app_list %}`: the admin's navigation sidebar, rendered once per distinct content.

Every admin page renders the sidebar's list of all the models a person may open (admin/app_list.html): about a
quarter of a changelist's processor time at 10,000 tasks. What it shows is a pure function of the app list the
site built for this request (names, links, whether "Add" is offered — the person's permissions are already in
it), which entries the current path marks as current, and the language; the key is a digest of exactly those,
so the cached HTML can never be another person's or out of date.
"""

from typing import Any

from django import template
from django.template import Engine
from django.template.defaultfilters import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from omskevents.core.cache import cached_html

register = template.Library()


def _parts(apps: list[dict[str, Any]], path: str) -> tuple[Any, ...]:
    # The template marks an app or a model current when its URL is a substring of the quoted path.
    return (
        get_language(),
        tuple(
            (
                app["app_label"],
                str(app["name"]),
                app["app_url"],
                app["app_url"] in path,
                tuple(
                    (
                        str(model["name"]),
                        model["object_name"],
                        model.get("admin_url"),
                        model.get("add_url"),
                        bool(model.get("view_only")),
                        bool(model.get("admin_url")) and model["admin_url"] in path,
                    )
                    for model in app["models"]
                ),
            )
            for app in apps
        ),
    )


@register.simple_tag(takes_context=True)
def cached_app_list(context: template.Context, apps: list[dict[str, Any]]) -> SafeString:
    request = context["request"]

    def render() -> str:
        engine = context.template.engine if context.template is not None else Engine.get_default()
        inner = engine.get_template("admin/app_list.html")
        return str(inner.render(context.new({"app_list": apps, "show_changelinks": False, "request": request})))

    path = urlencode(request.path)
    # The site keeps the list per person, language and data version (core.admin_site): that key names it whole.
    key, listed = getattr(request, "admin_app_list", (None, None))
    parts = (key, path) if listed is apps else _parts(apps, path)
    return mark_safe(cached_html("admin-nav", parts, render))  # noqa: S308
