"""The working calendar: days that differ from the Monday–Friday rule, per country."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from omskevents.agencies.enums import Country
from omskevents.core.models import TimeStampedModel

# The countries whose calendars are kept: every agency works by Russia's or Kazakhstan's.
SEEDED_COUNTRIES = (Country.RU.value, Country.KZ.value)


class CalendarSource(models.TextChoices):
    HOLIDAYS = "holidays", _("holidays package")
    DECREE = "decree", _("government decree (entered by hand)")


class CalendarDay(TimeStampedModel):
    """A holiday, a moved day off, or a working weekend day.

    Dates without a row follow the rule: Monday to Friday work, Saturday and Sunday rest — within a year that
    has rows. A year with no row at all for a country has not been seeded: the system check, the admin banner
    and a logged warning say so, and in December the next year is seeded from the holidays package.
    Rows seeded from the holidays package can be corrected by hand when a decree moves days off;
    a hand-corrected row (source=decree) is never overwritten by a later seed.
    """

    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    date = models.DateField(_("date"))
    is_working = models.BooleanField(_("working day"))
    name = models.CharField(_("name"), max_length=255, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=CalendarSource.choices, default=CalendarSource.DECREE)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("working calendar")
        ordering = ["country", "date"]
        constraints = [
            models.UniqueConstraint(fields=["country", "date"], name="calendarday_unique_country_date"),
        ]

    def __str__(self) -> str:
        return f"{self.country} {self.date:%Y-%m-%d}"
