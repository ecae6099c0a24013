"""Server-rendered, accessible SVG charts: one row per country, the estimate as a dot and its
confidence interval as a line, suppressed cells written out as suppressed (never drawn as
zero). The chart has a ``<title>`` and ``<desc>``; the page shows the same numbers in a data
table. In right-to-left languages the chart is mirrored: labels on the right, values growing
leftwards. No script, no external resource."""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

WIDTH = 720
ROW = 24
LABEL_WIDTH = 190
VALUE_WIDTH = 70
TOP = 16
BOTTOM = 34
MAX_LABEL = 26


@dataclass(frozen=True)
class ChartRow:
    label: str
    estimate: float | None
    ci_low: float | None = None
    ci_high: float | None = None
    suppressed: bool = False
    note: str = ""


def value_text(value: float | None, *, percent: bool, decimals: int = 1) -> str:
    """A value as the page writes it: proportions as percentages, one decimal."""
    if value is None:
        return ""
    if percent:
        return f"{number_format(value * 100, decimals)} %"
    decimals = 0 if float(value).is_integer() else 2
    return str(number_format(value, decimals, force_grouping=True))


def _nice_max(values: Sequence[float]) -> float:
    top = max(values, default=1.0)
    if top <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(top))
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude >= top:
            return float(step * magnitude)
    return float(10 * magnitude)


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def chart_svg(
    rows: Sequence[ChartRow],
    *,
    title: str,
    description: str,
    percent: bool,
    rtl: bool,
    chart_id: str = "chart",
) -> SafeString:
    """The chart as inline SVG markup (every text escaped)."""
    highs = [r.ci_high if r.ci_high is not None else r.estimate for r in rows if not r.suppressed]
    top = 1.0 if percent else _nice_max([v for v in highs if v is not None])
    plot_start = VALUE_WIDTH if rtl else LABEL_WIDTH
    plot_end = WIDTH - (LABEL_WIDTH if rtl else VALUE_WIDTH)
    span = plot_end - plot_start

    def x(value: float) -> float:
        share = min(max(value / top, 0.0), 1.0)
        return round(plot_end - share * span if rtl else plot_start + share * span, 1)

    height = TOP + ROW * max(len(rows), 1) + BOTTOM
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="stat-chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" direction="ltr" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    axis_y = TOP + ROW * max(len(rows), 1)
    for i in range(5):
        tick = top * i / 4
        tx = x(tick)
        parts.append(
            f'<line class="grid" x1="{tx}" y1="{TOP}" x2="{tx}" y2="{axis_y}" />'
            f'<text class="tick" x="{tx}" y="{axis_y + 18}" text-anchor="middle">'
            f"{escape(value_text(tick, percent=percent, decimals=0))}</text>"
        )
    label_x = plot_end + 8 if rtl else plot_start - 8
    label_anchor = "start" if rtl else "end"
    for index, row in enumerate(rows):
        y = TOP + ROW * index + ROW / 2
        parts.append(
            f'<text class="label" x="{label_x}" y="{y + 4}" text-anchor="{label_anchor}">'
            f"{escape(_short(row.label))}</text>"
        )
        if row.suppressed or row.estimate is None:
            words = _("suppressed") if row.suppressed else _("no data")
            parts.append(
                f'<text class="suppressed" x="{x(0) + (-6 if rtl else 6)}" y="{y + 4}" '
                f'text-anchor="{"end" if rtl else "start"}">{escape(words)}</text>'
            )
            continue
        if row.ci_low is not None and row.ci_high is not None:
            parts.append(
                f'<line class="ci" x1="{x(row.ci_low)}" y1="{y}" x2="{x(row.ci_high)}" y2="{y}" />'
            )
        far = row.ci_high if row.ci_high is not None else row.estimate
        value_x = x(far) + (-6 if rtl else 6)
        parts.append(
            f'<circle class="estimate" cx="{x(row.estimate)}" cy="{y}" r="5" />'
            f'<text class="value" x="{value_x}" y="{y + 4}" '
            f'text-anchor="{"end" if rtl else "start"}">'
            f"{escape(value_text(row.estimate, percent=percent))}{escape(row.note)}</text>"
        )
    parts.append(
        f'<line class="axis" x1="{plot_start}" y1="{axis_y}" x2="{plot_end}" y2="{axis_y}" />'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above went through escape()
