"""The dashboard's forms: the period of the discipline report."""

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
EARLIEST = dt.date(2000, 1, 1)
LONGEST = dt.timedelta(days=3 * 366)


class DisciplinePeriodForm(forms.Form):
    """Tasks due from … to …: both days included; an empty start means from the beginning of the plan."""

    date_from = forms.DateField(label=_("Due from"), required=False, widget=DATE_INPUT)
    date_to = forms.DateField(
        label=_("Due until"),
        widget=DATE_INPUT,
        error_messages={"required": _("Give the last day of the period.")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        for name in ("date_from", "date_to"):
            day = data.get(name)
            if day is not None and not EARLIEST <= day <= dt.date(2100, 12, 31):
                self.add_error(name, _("Give a date between 2000 and 2100."))
        if start is not None and end is not None:
            if start > end:
                self.add_error("date_to", _("The period cannot end before it starts."))
            elif end - start > LONGEST:
                self.add_error("date_from", _("A period can be three years long at most."))
        return data
