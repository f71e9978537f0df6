"""`{% cached_result_list cl %}`: the admin's `{% result_list cl %}` with each row's cells cached.

A changelist of 50 rows spends most of its time in `items_for_result` (a lookup, a display formatter and
an escaped cell per column). A model admin whose rows change only with the object's `updated` stamp and the
names it shows (the names version, see omskevents.core.cache) can cache each row's cells: a write to one
object re-renders its one row. The key holds everything a row shows besides the object: the columns, the
language, the time zone, the day (a "today"-relative column such as "overdue"), the filters the row's link
carries back (`_changelist_filters`) and the popup / to-field state. Rows of a changelist with list_editable
(a form per row) are never cached. A changelist may read only the keys for its page and give `row_objects(ids)`,
which loads the rows to render in one query.
"""

from typing import Any

from django import template
from django.contrib.admin.templatetags.admin_list import (
    ResultList,
    items_for_result,
    result_headers,
    result_hidden_fields,
)
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from omskevents.core.cache import cached_rows

register = template.Library()


def _row_key(cl: Any, obj: Any, today: str, zone: str) -> tuple[Any, ...]:
    return (
        cl.opts.label_lower,
        obj.pk,
        obj.updated.isoformat(),
        tuple(cl.list_display),
        tuple(cl.list_display_links or ()),
        get_language(),
        zone,
        today,
        cl.preserved_filters,
        cl.is_popup,
        cl.to_field,
    )


def cached_results(cl: Any) -> list[ResultList]:
    if cl.formset:  # a form per row: nothing to reuse
        pairs = zip(cl.result_list, cl.formset.forms, strict=True)
        return [ResultList(form, items_for_result(cl, res, form)) for res, form in pairs]
    objects = {obj.pk: obj for obj in cl.result_list}
    today = timezone.localdate().isoformat()
    zone = timezone.get_current_timezone_name()
    keys = {pk: _row_key(cl, obj, today, zone) for pk, obj in objects.items()}

    def render(ids: list[int]) -> dict[int, str]:
        # A changelist whose page query reads only the row keys loads the rows it must render whole, at once.
        whole = cl.row_objects(ids) if hasattr(cl, "row_objects") else objects
        return {pk: "".join(str(cell) for cell in items_for_result(cl, whole[pk], None)) for pk in ids}

    html = cached_rows("admin", keys, render)
    return [ResultList(None, [mark_safe(html[obj.pk])]) for obj in cl.result_list]  # noqa: S308 - rendered cells


@register.inclusion_tag("admin/change_list_results.html")
def cached_result_list(cl: Any) -> dict[str, Any]:
    """The context `{% result_list %}` builds, with the rows from the row cache."""
    headers = list(result_headers(cl))
    return {
        "cl": cl,
        "result_hidden_fields": list(result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
        "results": cached_results(cl),
    }
