"""Charts drawn on the server as SVG: no chart library, no script, readable without colour.

A chart is a horizontal bar chart with one group of bars per row (e.g. a contract: its
obligation and what is realised). Every bar carries its value as ``data-value`` and a
``<title>`` (the tooltip and what a screen reader reads); the page also offers the same figures
as a table.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape


@dataclass(frozen=True)
class Series:
    """One kind of bar: its name in the legend and its CSS colour."""

    name: str
    colour: str


@dataclass(frozen=True)
class Row:
    """One group of bars: a label and one value per series (None: no bar)."""

    label: str
    values: tuple[float | None, ...]


def _nice_max(value: float) -> float:
    """The axis end: ``value`` rounded up to 1, 2, 2.5 or 5 times a power of ten.

    >>> _nice_max(0.0), _nice_max(0.37), _nice_max(730.0), _nice_max(12_345.0)
    (1.0, 0.5, 1000.0, 20000.0)
    """
    if value <= 0:
        return 1.0
    power = 1.0
    while power * 10 <= value:
        power *= 10
    while power > value:
        power /= 10
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value:
            return float(step * power)
    return float(10 * power)  # pragma: no cover - the loop always returns


def hbar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    series: Sequence[Series],
    rows: Sequence[Row],
    fmt: Callable[[float], str],
    max_value: float | None = None,
    width: int = 720,
    label_width: int = 190,
) -> Markup:
    """An accessible SVG bar chart (``role="img"`` with a title and a description)."""
    bar_h, gap, group_gap, top, bottom = 14, 3, 14, 8, 28
    n = max(1, len(series))
    group_h = n * bar_h + (n - 1) * gap
    height = top + len(rows) * (group_h + group_gap) + bottom
    plot_w = width - label_width - 70
    top_value = max_value or _nice_max(
        max((v for r in rows for v in r.values if v is not None), default=0.0)
    )
    scale = plot_w / top_value
    parts: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{escape(chart_id)}" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{escape(chart_id)}-t {escape(chart_id)}-d">',
        f'<title id="{escape(chart_id)}-t">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-d">{escape(description)}</desc>',
    ]
    x0 = label_width
    for k in range(5):  # gridlines and axis labels at 0, 25, 50, 75, 100 %
        x = x0 + plot_w * k / 4
        parts.append(
            f'<line class="axis" x1="{x:.1f}" y1="{top}" x2="{x:.1f}" '
            f'y2="{height - bottom + 4}" stroke-width="1"/>'
            f'<text x="{x:.1f}" y="{height - 8}" font-size="12" text-anchor="middle">'
            f"{escape(fmt(top_value * k / 4))}</text>"
        )
    for i, row in enumerate(rows):
        y = top + i * (group_h + group_gap)
        parts.append(
            f'<text x="{x0 - 8}" y="{y + group_h / 2 + 4:.1f}" font-size="13" '
            f'text-anchor="end">{escape(_clip(row.label, label_width // 8))}</text>'
        )
        for j, (s, value) in enumerate(zip(series, row.values, strict=True)):
            if value is None:
                continue
            by = y + j * (bar_h + gap)
            w = max(0.0, min(value, top_value) * scale)
            label = f"{row.label}, {s.name}: {fmt(value)}"
            parts.append(
                f'<rect class="bar" data-series="{escape(s.name)}" data-value="{value:g}" '
                f'x="{x0}" y="{by}" width="{w:.1f}" height="{bar_h}" fill="{escape(s.colour)}">'
                f"<title>{escape(label)}</title></rect>"
                f'<text x="{x0 + w + 4:.1f}" y="{by + bar_h - 3}" font-size="11">'
                f"{escape(fmt(value))}</text>"
            )
    parts.append("</svg>")
    return Markup("".join(parts))


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def euro(value: float) -> str:
    """Whole euros with a thousands separator, Dutch style.

    >>> euro(1234567.8)
    '€ 1.234.568'
    """
    return "€ " + f"{value:,.0f}".replace(",", ".")


def percent(value: float) -> str:
    """A fraction as a whole percentage.

    >>> percent(0.375)
    '38%'
    """
    return f"{value * 100:.0f}%"


def column_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    series: Series,
    points: Sequence[tuple[str, float]],
    fmt: Callable[[float], str],
    width: int = 720,
    height: int = 220,
    label_every: int = 1,
) -> Markup:
    """An accessible SVG column chart of one series over ordered labels (e.g. months).

    Every column carries ``data-value`` and a ``<title>``; only every ``label_every``-th label is
    written under the axis so 24 months stay readable.

    >>> svg = column_chart(chart_id="c", title="T", description="D", series=Series("n", "#000"),
    ...                    points=[("2026-01", 3), ("2026-02", 0)], fmt=str)
    >>> svg.count('class="bar"'), 'data-value="3"' in svg
    (2, True)
    """
    top, bottom, left, right = 10, 30, 44, 10
    plot_w, plot_h = width - left - right, height - top - bottom
    top_value = _nice_max(max((v for _, v in points), default=0.0))
    n = max(1, len(points))
    step = plot_w / n
    bar_w = max(2.0, step * 0.7)
    parts: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{escape(chart_id)}" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{escape(chart_id)}-t {escape(chart_id)}-d">',
        f'<title id="{escape(chart_id)}-t">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-d">{escape(description)}</desc>',
    ]
    for k in range(5):  # gridlines and axis labels at 0, 25, 50, 75, 100 %
        y = top + plot_h * (1 - k / 4)
        parts.append(
            f'<line class="axis" x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" '
            f'stroke-width="1"/><text x="{left - 6}" y="{y + 4:.1f}" font-size="11" '
            f'text-anchor="end">{escape(fmt(top_value * k / 4))}</text>'
        )
    for i, (label, value) in enumerate(points):
        h = max(0.0, min(value, top_value)) / top_value * plot_h
        x = left + i * step + (step - bar_w) / 2
        parts.append(
            f'<rect class="bar" data-series="{escape(series.name)}" data-label="{escape(label)}" '
            f'data-value="{value:g}" x="{x:.1f}" y="{top + plot_h - h:.1f}" '
            f'width="{bar_w:.1f}" height="{h:.1f}" fill="{escape(series.colour)}">'
            f"<title>{escape(f'{label}, {series.name}: {fmt(value)}')}</title></rect>"
        )
        if i % max(1, label_every) == 0:
            parts.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{height - 10}" font-size="11" '
                f'text-anchor="middle">{escape(label)}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))
