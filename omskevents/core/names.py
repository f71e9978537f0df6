"""Names in three languages: the Russian name is the canonical one, with optional Kazakh and English companions.

Every model that carries names keeps the Russian one in its usual field (`name`, `title`, `title_ru`,
`short_name`), and the other two in fields named after it: `<stem>_kk` and `<stem>_en` (the stem is the field's
name without a "_ru" ending). Imports, exports, search, ordering, uniqueness and `__str__` use the Russian field;
pages, mail and the dashboard show `localized(obj, field)` — the viewer's language, and Russian where the
translation is missing — through the models' `localized_name` / `localized_short_name` properties
(`NamesInThreeLanguages`) or the `localized_name` template filter (core/templatetags/names.py).
"""

from typing import Any

from django.utils.translation import get_language

TRANSLATED = ("kk", "en")


def viewer_language() -> str:
    return (get_language() or "ru")[:2]


def localized(obj: Any, field: str, language: str | None = None) -> str:
    """The value of `field` in `language` (the active one by default), or the Russian one when it is missing."""
    canonical = str(getattr(obj, field) or "")
    language = language or viewer_language()
    if language not in TRANSLATED:
        return canonical
    stem = field.removesuffix("_ru")
    return str(getattr(obj, f"{stem}_{language}", "") or "") or canonical


class NamesInThreeLanguages:
    """For models with names in three languages: NAME_FIELD (and SHORT_NAME_FIELD, where the model has one) name the
    canonical Russian fields; the Kazakh and English ones sit next to them as `<stem>_kk` and `<stem>_en`."""

    NAME_FIELD = "name"
    SHORT_NAME_FIELD = ""

    @property
    def localized_name(self) -> str:
        return localized(self, self.NAME_FIELD)

    @property
    def localized_short_name(self) -> str:
        return localized(self, self.SHORT_NAME_FIELD or self.NAME_FIELD)
