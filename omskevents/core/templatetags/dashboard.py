"""Template tags of the dashboard: the status chart drawn as SVG on the server (no script, no inline style)."""

from collections.abc import Sequence
from typing import Any

from django import template
from django.utils import formats

register = template.Library()

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 40, 10, 10, 30


@register.inclusion_tag("core/_status_chart.html")
def status_chart(points: Sequence[Any], statuses: Sequence[tuple[str, str]], title: str) -> dict[str, Any]:
    """`points`: objects with .day and .counts {status: n}; `statuses`: (value, label) pairs to draw."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top = max([max(p.counts.values(), default=0) for p in points] + [1])
    step = plot_w / max(len(points) - 1, 1)

    def x(i: int) -> float:
        return round(LEFT + i * step, 1)

    def y(value: int) -> float:
        return round(TOP + plot_h - plot_h * value / top, 1)

    series = [
        {
            "status": value,
            "label": label,
            "points": " ".join(f"{x(i)},{y(p.counts.get(value, 0))}" for i, p in enumerate(points)),
            "last": points[-1].counts.get(value, 0) if points else 0,
        }
        for value, label in statuses
    ]
    ticks = sorted({0, top // 2, top})
    every = max(len(points) // 6, 1)
    return {
        "title": title,
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right_edge": WIDTH - RIGHT,
        "baseline": TOP + plot_h,
        "series": series,
        "y_ticks": [{"value": t, "y": y(t), "text_y": y(t) + 4} for t in ticks],
        "x_ticks": [
            {"x": x(i), "text": formats.date_format(p.day, "d.m")}
            for i, p in enumerate(points)
            if i % every == 0 or i == len(points) - 1
        ],
        "label_y": HEIGHT - 8,
        "rows": [{"day": p.day, "cells": [p.counts.get(v, 0) for v, _l in statuses]} for p in points],
        "statuses": statuses,
    }
