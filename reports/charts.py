"""Accessible SVG charts, drawn on the server (no scripts, no external assets).

Every chart is an <svg role="img"> with a <title> and a <desc> that reads the data out in
words, each bar or point carries its own <title> (a tooltip) and data-value, and colours
come from classes styled in staffweb/static/reports/reports.css (the CSP forbids inline styles).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

WIDTH = 720


@dataclass(frozen=True, slots=True)
class Series:
    name: str
    values: Sequence[int]


def nice_ceiling(value: float) -> float:
    """A round axis maximum at or above value (1, 2, 2.5, 5 times a power of ten)."""
    if value <= 2:
        return 2  # small counts: ticks 0, 1, 2 rather than fractions
    magnitude = 10.0 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude  # pragma: no cover - the loop always returns


def _num(value: float) -> str:
    return f"{value:g}"


def _open(chart_id: str, title: str, desc: str, height: int, kind: str) -> list[str]:
    i = escape(chart_id)
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{i}" class="chart {kind}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="{i}-t {i}-d">',
        f'<title id="{i}-t">{escape(title)}</title>',
        f'<desc id="{i}-d">{escape(desc)}</desc>',
    ]


def bar_chart(
    chart_id: str,
    title: str,
    items: Sequence[tuple[str, int]],
    *,
    empty: str = "—",
) -> str:
    """Horizontal bars, one per category, largest first as given."""
    row, top, label_w, value_w = 26, 6, 250, 70
    height = top * 2 + row * max(1, len(items))
    desc = "; ".join(f"{label}: {value}" for label, value in items) or empty
    out = _open(chart_id, title, desc, height, "chart-bars")
    top_value = max((v for _, v in items), default=0) or 1
    span = WIDTH - label_w - value_w - 10
    if not items:
        out.append(f'<text class="empty" x="{WIDTH / 2}" y="{top + 17}" text-anchor="middle">')
        out.append(f"{escape(empty)}</text>")
    for n, (label, value) in enumerate(items):
        y = top + n * row
        w = span * value / top_value
        text = escape(label)
        out.append(
            f'<text class="label" x="{label_w - 8}" y="{y + 17}" text-anchor="end">{text}</text>'
            f'<rect class="bar" x="{label_w}" y="{y + 4}" width="{w:.1f}" height="18" rx="2" '
            f'data-label="{text}" data-value="{value}"><title>{text}: {value}</title></rect>'
            f'<text class="value" x="{label_w + w + 6:.1f}" y="{y + 17}">{value}</text>'
        )
    out.append("</svg>")
    return "".join(out)


def column_chart(
    chart_id: str, title: str, labels: Sequence[str], values: Sequence[int], *, long: Sequence[str]
) -> str:
    """Vertical columns over time (days); `long` labels are the full dates for tooltips."""
    height, left, bottom, top = 240, 44, 28, 12
    plot_w, plot_h = WIDTH - left - 8, height - top - bottom
    axis = nice_ceiling(max(values, default=0))
    desc = "; ".join(f"{d}: {v}" for d, v in zip(long, values, strict=True))
    out = _open(chart_id, title, desc, height, "chart-columns")
    out.extend(_y_axis(axis, left, top, plot_w, plot_h))
    slot = plot_w / max(1, len(values))
    every = max(1, math.ceil(len(values) / 12))
    for n, (value, full) in enumerate(zip(values, long, strict=True)):
        h = plot_h * value / axis
        x = left + n * slot
        out.append(
            f'<rect class="bar" x="{x + slot * 0.15:.1f}" y="{top + plot_h - h:.1f}" '
            f'width="{slot * 0.7:.1f}" height="{h:.1f}" data-label="{escape(full)}" '
            f'data-value="{value}"><title>{escape(full)}: {value}</title></rect>'
        )
        if n % every == 0:
            out.append(
                f'<text class="tick" x="{x + slot / 2:.1f}" y="{height - 8}" '
                f'text-anchor="middle">{escape(labels[n])}</text>'
            )
    out.append("</svg>")
    return "".join(out)


def line_chart(
    chart_id: str,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    long: Sequence[str],
) -> str:
    """Lines with a point per period, one line per series, with a legend."""
    height, left, bottom, top = 250, 44, 28, 34
    plot_w, plot_h = WIDTH - left - 16, height - top - bottom
    axis = nice_ceiling(max((v for s in series for v in s.values), default=0))
    desc = " / ".join(
        f"{s.name}: " + "; ".join(f"{d}: {v}" for d, v in zip(long, s.values, strict=True))
        for s in series
    )
    out = _open(chart_id, title, desc, height, "chart-lines")
    out.extend(_y_axis(axis, left, top, plot_w, plot_h))
    count = max((len(s.values) for s in series), default=0)
    step = plot_w / max(1, count - 1) if count > 1 else 0.0
    for n, label in enumerate(labels):
        x = left + (n * step if count > 1 else plot_w / 2)
        out.append(
            f'<text class="tick" x="{x:.1f}" y="{height - 8}" text-anchor="middle">'
            f"{escape(label)}</text>"
        )
    for k, s in enumerate(series):
        points = []
        for n, value in enumerate(s.values):
            x = left + (n * step if count > 1 else plot_w / 2)
            y = top + plot_h - plot_h * value / axis
            points.append((x, y, value, long[n]))
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _, _ in points)
        out.append(f'<polyline class="line series-{k}" points="{path}" fill="none"/>')
        for x, y, value, full in points:
            name = escape(s.name)
            out.append(
                f'<circle class="point series-{k}" cx="{x:.1f}" cy="{y:.1f}" r="4" '
                f'data-series="{name}" data-label="{escape(full)}" data-value="{value}">'
                f"<title>{name}, {escape(full)}: {value}</title></circle>"
            )
        lx = left + 8 + k * 230
        out.append(
            f'<rect class="swatch series-{k}" x="{lx}" y="8" width="14" height="14"/>'
            f'<text class="legend" x="{lx + 20}" y="20">{escape(s.name)}</text>'
        )
    out.append("</svg>")
    return "".join(out)


def _y_axis(axis: float, left: int, top: int, plot_w: float, plot_h: float) -> list[str]:
    out = []
    for frac in (0, 0.5, 1):
        y = top + plot_h - plot_h * frac
        out.append(
            f'<line class="grid" x1="{left}" x2="{left + plot_w:.1f}" y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text class="tick" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">'
            f"{_num(axis * frac)}</text>"
        )
    return out
