"""Lists are read by cursor: a stable order, no count query, and a page costs the same however deep it is."""

from typing import Any

from rest_framework.pagination import CursorPagination


class ApiCursorPagination(CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering: tuple[str, ...] = ("-id",)

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        # OpenAPI 3.1: a link that may be absent is a string or null.
        link = {"type": ["string", "null"], "format": "uri"}
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {"next": link, "previous": link, "results": schema},
        }


class TaskCursorPagination(ApiCursorPagination):
    # The plan's own order: the earliest deadline first (ties: by id, which the cursor counts off).
    ordering = ("deadline", "id")


class EventCursorPagination(ApiCursorPagination):
    ordering = ("start_date", "id")


class AgencyCursorPagination(ApiCursorPagination):
    ordering = ("short_name",)


class MeetingCursorPagination(ApiCursorPagination):
    ordering = ("-starts_at", "-id")
