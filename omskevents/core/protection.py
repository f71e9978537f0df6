"""Which rows cannot be deleted because another model holds them (on_delete=PROTECT), asked of Django's model
metadata: a lower app learns that a higher app keeps its rows without knowing the higher app."""

from typing import Any

from django.db import models


def protected_pks(queryset: models.QuerySet[Any]) -> set[Any]:
    """The primary keys of the rows in `queryset` that some PROTECT or RESTRICT relation refers to."""
    found: set[Any] = set()
    for relation in queryset.model._meta.related_objects:
        if relation.on_delete not in (models.PROTECT, models.RESTRICT) or relation.many_to_many:
            continue
        field = relation.field
        holders = relation.related_model._base_manager.filter(**{f"{field.name}__in": queryset.values("pk")})
        found |= set(holders.values_list(field.attname, flat=True))
    return found
