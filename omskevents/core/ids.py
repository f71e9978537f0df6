"""Ids that arrive from outside (addresses, query strings, form fields), read strictly.

int() and str.isdigit() accept far more than ASCII digits — Arabic-Indic and full-width digits, superscripts
(which isdigit() accepts and int() refuses), surrounding whitespace, underscores — and a number past a 64-bit
integer reaches the database as an overflow. Every id a request names goes through `parse_id` first.
"""

from collections.abc import Iterable

from django import forms
from django.core.exceptions import ValidationError

# The largest value of a 64-bit database integer (BigAutoField): a larger "id" names nothing.
MAX_ID = 2**63 - 1
MAX_ID_DIGITS = len(str(MAX_ID))


def parse_id(value: object) -> int | None:
    """The id `value` names: 1 to 19 ASCII digits, from 1 to MAX_ID; None for anything else."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    text = str(value)
    if not 0 < len(text) <= MAX_ID_DIGITS or not all("0" <= char <= "9" for char in text):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def parse_ids(values: Iterable[object]) -> list[int]:
    """The well-formed ids among `values`, in order, without repeats; malformed values name nothing."""
    found: dict[int, None] = {}
    for value in values:
        number = parse_id(value)
        if number is not None:
            found.setdefault(number, None)
    return list(found)


class StrictModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A multiple choice of rows by integer id, every posted id checked by `parse_id` before any query: a
    malformed one is the field's "not a valid value" error, never a database error or a lenient match."""

    def _check_values(self, value: Iterable[object]) -> object:
        for item in value:
            if parse_id(item) is None:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": item}
                )
        return super()._check_values(value)  # type: ignore[misc]  # Django's private helper, not in the stubs
