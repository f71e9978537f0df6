"""A paginator for long ordered lists: OFFSET walks the narrow sort index alone, the page's rows come by id."""

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet


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
