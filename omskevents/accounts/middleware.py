"""Writes refused requests (HTTP 403) to the security log."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .audit import log_refused


class RefusedRequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 403:
            log_refused(request, response.status_code)
        return response
