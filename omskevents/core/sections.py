"""Page sections contributed by higher apps: the seam that lets a page show what an app above it knows.

A lower app's page sends a documented signal (e.g. `workplan.signals.task_page`); receivers registered by apps
above it at `AppConfig.ready()` return a `PageSection` (or a list of them, or None). The page renders them in the
slot each names with `{% render_sections sections "slot" %}` (core's `sections` template tags). The lower app
never imports the higher one.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.dispatch import Signal


@dataclass(frozen=True)
class PageSection:
    template: str
    context: Mapping[str, Any] = field(default_factory=dict)
    slot: str = "main"
    order: int = 100


def _flatten(response: object) -> Iterable[PageSection]:
    if isinstance(response, PageSection):
        yield response
    elif isinstance(response, list | tuple):
        for item in response:
            yield from _flatten(item)


def collect_sections(signal: Signal, *, sender: object, **kwargs: Any) -> dict[str, list[PageSection]]:
    """Ask the receivers of a page signal for their sections: {slot: [sections in order]}."""
    slots: dict[str, list[PageSection]] = {}
    for _receiver, response in signal.send(sender=sender, **kwargs):
        for section in _flatten(response):
            slots.setdefault(section.slot, []).append(section)
    for sections in slots.values():
        sections.sort(key=lambda s: s.order)
    return slots
