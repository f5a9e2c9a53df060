"""Our own small SVG charts: one definition per chart, drawn on the server, for page and PDF alike.

Each function returns a ``Chart``: an SVG string (viewBox-sized, so it scales down to a phone),
its title and a plain description (inside the SVG as ``<title>``/``<desc>`` and beside it on the
page), and the same numbers as a table for screen readers and for anyone who prefers numbers.
Colours are ``currentColor`` with opacity steps, and the page sets ``color`` from the design
tokens, so a chart reads in light mode, dark mode and in print without its own palette.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from tend.journal import bodymap

_ids = itertools.count(1)
DASH = "\u2013"  # shown for "no value"


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    description: str
    svg: SafeString
    table: Table
    tone: str = "activation"  # the colour family: activation, glimmer or primary
    extra: dict[str, str] = field(default_factory=dict)


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _open(key: str, title: str, description: str, width: float, height: float) -> tuple[str, str]:
    uid = f"chart-{key}-{next(_ids)}"
    head = (
        f'<svg class="chart-svg" viewBox="0 0 {_n(width)} {_n(height)}" role="img" '
        f'aria-labelledby="{uid}-t {uid}-d" xmlns="http://www.w3.org/2000/svg" '
        'preserveAspectRatio="xMinYMin meet" font-family="system-ui, sans-serif">'
        f'<title id="{uid}-t">{escape(title)}</title>'
        f'<desc id="{uid}-d">{escape(description)}</desc>'
    )
    return head, uid


def _opacity(value: float, top: float) -> str:
    if top <= 0 or value <= 0:
        return "0.06"
    return _n(0.18 + 0.82 * min(1.0, value / top))


def bars(
    *,
    key: str,
    title: str,
    description: str,
    rows: Sequence[tuple[str, float, str]],
    headers: Sequence[str],
    whiskers: Sequence[tuple[float, float] | None] | None = None,
    tone: str = "activation",
    scale_max: float | None = None,
) -> Chart:
    """Horizontal bars, each under its label (so long words fit a phone), with a note at the end.

    Rows are (label, value, note); ``whiskers`` optionally draw an interval across each bar.
    """
    bar_w, row_h, note_w = 230.0, 46.0, 90.0
    width, height = bar_w + note_w, max(row_h, row_h * len(rows)) + 4
    head, _uid = _open(key, title, description, width, height)
    top = scale_max or max(
        [v for _, v, _ in rows] + [hi for w in whiskers or () if w for hi in w[1:]] + [1]
    )
    parts = [head]
    for i, (label, value, note) in enumerate(rows):
        y = i * row_h + 2
        short = label if len(label) <= 44 else label[:43] + "…"
        parts.append(
            f'<text x="0" y="{_n(y + 14)}" font-size="14" fill="currentColor" '
            f'class="chart-label">{escape(short)}</text>'
        )
        w = max(0.0, value) / top * bar_w
        parts.append(
            f'<rect x="0" y="{_n(y + 21)}" width="{_n(max(w, 2))}" height="16" rx="3" '
            'fill="currentColor" fill-opacity="0.55" class="chart-bar"/>'
        )
        whisker = whiskers[i] if whiskers else None
        if whisker is not None:
            lo, hi = (max(0.0, v) / top * bar_w for v in whisker)
            parts.append(
                f'<path d="M{_n(lo)} {_n(y + 29)} H{_n(hi)} M{_n(lo)} {_n(y + 23)} V{_n(y + 35)} '
                f'M{_n(hi)} {_n(y + 23)} V{_n(y + 35)}" stroke="currentColor" stroke-width="1.5" '
                'fill="none" class="chart-whisker"/>'
            )
            w = max(w, hi)
        parts.append(
            f'<text x="{_n(w + 6)}" y="{_n(y + 34)}" font-size="13" '
            f'fill="currentColor" class="chart-note">{escape(note)}</text>'
        )
    parts.append("</svg>")
    table = Table(list(headers), [[label, note] for label, _, note in rows])
    return Chart(key, title, description, mark_safe("".join(parts)), table, tone)  # noqa: S308


def heat_grid(
    *,
    key: str,
    title: str,
    description: str,
    row_labels: Sequence[str],
    column_labels: Sequence[str],
    values: Sequence[Sequence[int]],
    tone: str = "activation",
    every: int = 6,
) -> Chart:
    """A grid of cells shaded by count (weekday x hour); column labels every ``every`` columns."""
    label_w, cell, top_h = 40.0, 14.0, 20.0
    width = label_w + cell * len(column_labels) + 4
    height = top_h + cell * len(row_labels) + 4
    head, _uid = _open(key, title, description, width, height)
    peak = max([v for row in values for v in row] + [0])
    parts = [head]
    for j, label in enumerate(column_labels):
        if j % every == 0:
            parts.append(
                f'<text x="{_n(label_w + j * cell + cell / 2)}" y="14" font-size="13" '
                'text-anchor="middle" fill="currentColor" class="chart-label">'
                f"{escape(label)}</text>"
            )
    for i, label in enumerate(row_labels):
        y = top_h + i * cell
        parts.append(
            f'<text x="{_n(label_w - 6)}" y="{_n(y + 11.5)}" font-size="12" text-anchor="end" '
            f'fill="currentColor" class="chart-label">{escape(label)}</text>'
        )
        for j, value in enumerate(values[i]):
            parts.append(
                f'<rect x="{_n(label_w + j * cell + 1)}" y="{_n(y + 1)}" width="{_n(cell - 2)}" '
                f'height="{_n(cell - 2)}" rx="2" fill="currentColor" '
                f'fill-opacity="{_opacity(value, peak)}"><title>{escape(label)} '
                f"{escape(column_labels[j])}: {value}</title></rect>"
            )
    parts.append("</svg>")
    rows = [[label, *[str(v) for v in values[i]]] for i, label in enumerate(row_labels)]
    table = Table(["", *column_labels], rows)
    return Chart(key, title, description, mark_safe("".join(parts)), table, tone)  # noqa: S308


def lines(
    *,
    key: str,
    title: str,
    description: str,
    x_labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None], str]],
    headers: Sequence[str] | None = None,
) -> Chart:
    """Lines over weeks: (name, values — None leaves a gap, css tone) per series."""
    left, right, top_pad, bottom = 34.0, 24.0, 10.0, 44.0
    plot_w, plot_h = 262.0, 140.0
    width, height = left + plot_w + right, top_pad + plot_h + bottom
    head, _uid = _open(key, title, description, width, height)
    peak = max([v for _, values, _ in series for v in values if v is not None] + [1])
    count = max(1, len(x_labels) - 1)

    def x(i: int) -> float:
        return left + plot_w * i / count

    def y(v: float) -> float:
        return top_pad + plot_h - plot_h * v / peak

    parts = [head]
    for tick in (0, peak / 2, peak):
        parts.append(
            f'<path d="M{_n(left)} {_n(y(tick))} H{_n(left + plot_w)}" stroke="currentColor" '
            'stroke-opacity="0.18" class="chart-grid"/>'
            f'<text x="{_n(left - 5)}" y="{_n(y(tick) + 4)}" font-size="12" text-anchor="end" '
            f'fill="currentColor" class="chart-label">{_n(round(tick, 1))}</text>'
        )
    step = max(1, math.ceil(len(x_labels) / 4))
    for i, label in enumerate(x_labels):
        if i % step == 0:
            parts.append(
                f'<text x="{_n(x(i))}" y="{_n(top_pad + plot_h + 17)}" font-size="12" '
                'text-anchor="middle" fill="currentColor" class="chart-label">'
                f"{escape(label)}</text>"
            )
    for s, (name, values, tone) in enumerate(series):
        segments: list[list[str]] = [[]]
        for i, v in enumerate(values):
            if v is None:
                segments.append([])
            else:
                segments[-1].append(f"{_n(x(i))} {_n(y(v))}")
        d = " ".join("M" + " L".join(seg) for seg in segments if seg)
        dash = ' stroke-dasharray="5 4"' if s % 2 else ""
        if d:
            parts.append(
                f'<path d="{d}" fill="none" stroke-width="2.5" stroke-linejoin="round" '
                f'stroke-linecap="round"{dash} class="chart-line tone-{tone}" '
                'stroke="currentColor"/>'
            )
        for i, v in enumerate(values):
            if v is not None:
                parts.append(
                    f'<circle cx="{_n(x(i))}" cy="{_n(y(v))}" r="2.5" fill="currentColor" '
                    f'class="chart-dot tone-{tone}"/>'
                )
        # A legend under the axis: a short line in the series' style and its name.
        lx = left + s * 130
        ly = top_pad + plot_h + 38
        parts.append(
            f'<path d="M{_n(lx)} {_n(ly - 4)} H{_n(lx + 18)}" stroke="currentColor" '
            f'stroke-width="2.5"{dash} class="chart-line tone-{tone}"/>'
            f'<text x="{_n(lx + 24)}" y="{_n(ly)}" font-size="13" fill="currentColor" '
            f'class="chart-label">{escape(name)}</text>'
        )
    parts.append("</svg>")
    rows = [
        [label, *[DASH if values[i] is None else _n(values[i] or 0) for _, values, _ in series]]
        for i, label in enumerate(x_labels)
    ]
    table = Table(list(headers or ["", *[name for name, _, _ in series]]), rows)
    return Chart(key, title, description, mark_safe("".join(parts)), table, "primary")  # noqa: S308


def body_heat(
    *,
    key: str,
    title: str,
    description: str,
    heat: dict[str, tuple[int, float | None]],
    tone: str = "activation",
) -> Chart:
    """Front and back figures; each region shaded by how often x how strongly it was felt.

    ``heat`` maps a region code to (times felt, median intensity or None).
    """
    weights = {
        code: n * (1 + (intensity if intensity is not None else 5))
        for code, (n, intensity) in heat.items()
    }
    peak = max([*weights.values(), 0])
    width, height = 400.0, 540.0
    head, _uid = _open(key, title, description, width, height)
    parts = [head]
    labels = {r.code: str(r.label) for r in bodymap.vocabulary.REGIONS}
    for s, (side, shapes) in enumerate(bodymap.figure().items()):
        dx = s * 200 - 14 + 14
        parts.append(f'<g transform="translate({_n(dx)} 22)">')
        parts.append(
            f'<text x="100" y="-8" font-size="13" text-anchor="middle" fill="currentColor" '
            f'class="chart-label">{escape(_("Front") if side == "front" else _("Back"))}</text>'
        )
        for shape in shapes:
            weight = weights.get(shape.region, 0)
            n = heat.get(shape.region, (0, None))[0]
            tip = f"{labels.get(shape.region, shape.region)}: {n}"
            parts.append(
                f'<path d="{shape.d}" fill="currentColor" fill-opacity="{_opacity(weight, peak)}" '
                'stroke="currentColor" stroke-opacity="0.35" stroke-width="1" '
                f'class="body-region" data-region="{shape.region}">'
                f"<title>{escape(tip)}</title></path>"
            )
            if shape.text:
                parts.append(
                    f'<text x="{_n(shape.text_x)}" y="{_n(shape.text_y)}" font-size="11" '
                    f'text-anchor="middle" fill="currentColor" class="chart-label">'
                    f"{escape(shape.text)}</text>"
                )
        parts.append("</g>")
    parts.append("</svg>")
    ranked = sorted(heat.items(), key=lambda item: (-item[1][0], labels.get(item[0], item[0])))
    rows = [
        [labels.get(code, code), str(n), DASH if intensity is None else _n(intensity)]
        for code, (n, intensity) in ranked
    ]
    table = Table([_("Region"), _("Times felt"), _("Typical strength (median)")], rows)
    return Chart(key, title, description, mark_safe("".join(parts)), table, tone)  # noqa: S308
