"""Errors as the API answers them: a service's ValidationError is a 400 with its messages under their fields."""

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler


def field_errors(error: DjangoValidationError, *, field_for: dict[str, str] | None = None) -> dict[str, list[str]]:
    """The messages of a Django ValidationError by field; those about no field under `non_field_errors`."""
    if not hasattr(error, "error_dict"):
        return {api_settings.NON_FIELD_ERRORS_KEY: list(error.messages)}
    found: dict[str, list[str]] = {}
    for name, errors in error.message_dict.items():
        key = api_settings.NON_FIELD_ERRORS_KEY if name == NON_FIELD_ERRORS else (field_for or {}).get(name, name)
        found.setdefault(key, []).extend(errors)
    return found


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(field_errors(exc))
    return exception_handler(exc, context)
