"""Paginators for long lists: OFFSET walks the narrow sort index alone, the page's rows come by id; and a count
kept under the data version."""

from functools import cached_property
from typing import Any

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from .cache import FRAGMENT_TIMEOUT, fragment_key


class DeferredJoinPaginator(Paginator):
    """Pages of an ordered QuerySet in one query, whose OFFSET skips ids only.

    `WHERE … AND id IN (SELECT id … ORDER BY … LIMIT n OFFSET m) ORDER BY …`: the subquery can be an
    index-only scan of the sort's index (models' Meta.indexes), so a deep page costs an index walk of
    m + n entries, not a sort of every row with all its columns; the outer query reads n rows by key.
    """

    object_list: QuerySet[Any]

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = self.object_list.values("pk")[bottom:top]
        return Page(list(self.object_list.filter(pk__in=ids)), number, self)


class VersionedCountPaginator(Paginator):
    """A paginator whose count is kept in the cache under `parts` (what decides it: the viewer's scope, the
    filters, the search) and the data version, which every write to a watched model changes: paging through a
    list, or opening it again, counts it once per change of the data, not once per page."""

    def __init__(self, object_list: Any, per_page: int, *, count_parts: tuple[Any, ...], **kwargs: Any) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.count_key = fragment_key("count", count_parts)

    @cached_property
    def count(self) -> int:
        counted = cache.get(self.count_key)
        if not isinstance(counted, int):
            counted = super().count
            cache.set(self.count_key, counted, FRAGMENT_TIMEOUT)
        return counted
