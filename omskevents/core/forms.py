"""Form pieces every app uses: several files in one field, and a service's refusal shown on the form."""

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that takes several files; cleans to a list (empty when none was chosen)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def apply_service_errors(
    form: forms.BaseForm, error: ValidationError, *, field_for: Mapping[str, str] | None = None
) -> None:
    """Show a service's ValidationError on the form: each message under its field when the form has that field
    (`field_for` maps a model field to the form field that stands for it), otherwise above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for name, errors in error.error_dict.items():
        target = (field_for or {}).get(name, name)
        if target in form.fields and target != NON_FIELD_ERRORS:
            for item in errors:
                form.add_error(target, item)
        else:
            for item in errors:
                form.add_error(None, item.messages)
