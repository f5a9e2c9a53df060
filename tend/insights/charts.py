"""Our own small SVG charts: one definition per chart, drawn on the server, for page and PDF alike.

Each function returns a ``Chart``: an SVG string (viewBox-sized, so it scales down to a phone),
its title and a plain description (inside the SVG as ``<title>``/``<desc>`` and beside it on the
page), and the same numbers as a table for screen readers and for anyone who prefers numbers.
On the page colours are ``currentColor`` with opacity steps, and the page's CSS sets ``color``
from the design tokens, so a chart reads in light mode and dark mode. WeasyPrint draws an inline
SVG without the page's CSS (``currentColor`` there is the SVG's own ``color`` attribute, black by
default, and custom properties never reach it), so for the PDF the same functions take a
``Palette``: the light theme's tokens as literal values (``report.print_palette``).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from tend.core.numbers import plain_number
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


@dataclass(frozen=True)
class Palette:
    """Literal colours for a renderer that cannot see the page's CSS, named after their tokens."""

    text: str  # --text: labels, notes, grid lines
    on_tone: str  # --on-primary: text laid on a strongly shaded shape
    activation: str  # --activation
    glimmer: str  # --glimmer
    primary: str  # --primary

    def tone(self, tone: str) -> str:
        return {"activation": self.activation, "glimmer": self.glimmer}.get(tone, self.primary)

    def text_on(self, fill: str, opacity: float) -> str:
        """The text colour that reads best on ``fill`` laid at ``opacity`` over white paper."""
        shade = blend(fill, opacity)
        return max((self.text, self.on_tone), key=lambda ink: contrast(ink, shade))


def _ink(palette: Palette | None, tone: str | None = None) -> str:
    """``currentColor`` on the page (its CSS picks the colour); the token's value for print.

    ``tone=None`` is the text colour, as the page's ``.chart-label`` and unstyled parts have it.
    """
    if palette is None:
        return "currentColor"
    return palette.text if tone is None else palette.tone(tone)


def _rgb(colour: str) -> tuple[int, int, int]:
    digits = colour.lstrip("#")
    if len(digits) in (3, 4):
        digits = "".join(d * 2 for d in digits)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def blend(colour: str, opacity: float) -> str:
    """The colour that ``colour`` at ``opacity`` shows over white paper."""
    r, g, b = (round(255 + (c - 255) * opacity) for c in _rgb(colour))
    return f"#{r:02x}{g:02x}{b:02x}"


def _luminance(colour: str) -> float:
    def linear(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: str, other: str) -> float:
    """The WCAG contrast ratio of two colours (1 to 21)."""
    high, low = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


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


EMPTY_SHADE = 0.06  # a faint outline of a region or cell with nothing in it


def _shade(value: float, top: float) -> float:
    if top <= 0 or value <= 0:
        return EMPTY_SHADE
    return 0.18 + 0.82 * min(1.0, value / top)


def _opacity(value: float, top: float) -> str:
    # Two decimals for the empty shade, which one decimal would round up to 0.1.
    shade = _shade(value, top)
    return f"{shade:.2f}" if shade == EMPTY_SHADE else _n(shade)


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
    palette: Palette | None = None,
) -> Chart:
    """Horizontal bars, each under its label (so long words fit a phone), with a note at the end.

    Rows are (label, value, note); ``whiskers`` optionally draw an interval across each bar.
    """
    text, bar = _ink(palette), _ink(palette, tone)
    # The page draws whiskers in the tone's colour for "primary" and in the text colour otherwise.
    whisker_ink = _ink(palette, tone if tone == "primary" else None)
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
            f'<text x="0" y="{_n(y + 14)}" font-size="14" fill="{text}" '
            f'class="chart-label">{escape(short)}</text>'
        )
        w = max(0.0, value) / top * bar_w
        parts.append(
            f'<rect x="0" y="{_n(y + 21)}" width="{_n(max(w, 2))}" height="16" rx="3" '
            f'fill="{bar}" fill-opacity="0.55" class="chart-bar"/>'
        )
        whisker = whiskers[i] if whiskers else None
        if whisker is not None:
            lo, hi = (max(0.0, v) / top * bar_w for v in whisker)
            parts.append(
                f'<path d="M{_n(lo)} {_n(y + 29)} H{_n(hi)} M{_n(lo)} {_n(y + 23)} V{_n(y + 35)} '
                f'M{_n(hi)} {_n(y + 23)} V{_n(y + 35)}" stroke="{whisker_ink}" stroke-width="1.5" '
                'fill="none" class="chart-whisker"/>'
            )
            w = max(w, hi)
        parts.append(
            f'<text x="{_n(w + 6)}" y="{_n(y + 34)}" font-size="13" '
            f'fill="{text}" class="chart-note">{escape(note)}</text>'
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
    palette: Palette | None = None,
) -> Chart:
    """A grid of cells shaded by count (weekday x hour); column labels every ``every`` columns."""
    text, cell_ink = _ink(palette), _ink(palette, tone)
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
                f'text-anchor="middle" fill="{text}" class="chart-label">'
                f"{escape(label)}</text>"
            )
    for i, label in enumerate(row_labels):
        y = top_h + i * cell
        parts.append(
            f'<text x="{_n(label_w - 6)}" y="{_n(y + 11.5)}" font-size="12" text-anchor="end" '
            f'fill="{text}" class="chart-label">{escape(label)}</text>'
        )
        for j, value in enumerate(values[i]):
            parts.append(
                f'<rect x="{_n(label_w + j * cell + 1)}" y="{_n(y + 1)}" width="{_n(cell - 2)}" '
                f'height="{_n(cell - 2)}" rx="2" fill="{cell_ink}" '
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
    palette: Palette | None = None,
) -> Chart:
    """Lines over weeks: (name, values — None leaves a gap, css tone) per series."""
    text = _ink(palette)
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
            f'<path d="M{_n(left)} {_n(y(tick))} H{_n(left + plot_w)}" stroke="{text}" '
            'stroke-opacity="0.18" class="chart-grid"/>'
            f'<text x="{_n(left - 5)}" y="{_n(y(tick) + 4)}" font-size="12" text-anchor="end" '
            f'fill="{text}" class="chart-label">{plain_number(tick)}</text>'
        )
    step = max(1, math.ceil(len(x_labels) / 4))
    for i, label in enumerate(x_labels):
        if i % step == 0:
            parts.append(
                f'<text x="{_n(x(i))}" y="{_n(top_pad + plot_h + 17)}" font-size="12" '
                f'text-anchor="middle" fill="{text}" class="chart-label">'
                f"{escape(label)}</text>"
            )
    for s, (name, values, tone) in enumerate(series):
        ink = _ink(palette, tone)
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
                f'stroke="{ink}"/>'
            )
        for i, v in enumerate(values):
            if v is not None:
                parts.append(
                    f'<circle cx="{_n(x(i))}" cy="{_n(y(v))}" r="2.5" fill="{ink}" '
                    f'class="chart-dot tone-{tone}"/>'
                )
        # A legend under the axis: a short line in the series' style and its name.
        lx = left + s * 130
        ly = top_pad + plot_h + 38
        parts.append(
            f'<path d="M{_n(lx)} {_n(ly - 4)} H{_n(lx + 18)}" stroke="{ink}" '
            f'stroke-width="2.5"{dash} class="chart-line tone-{tone}"/>'
            f'<text x="{_n(lx + 24)}" y="{_n(ly)}" font-size="13" fill="{text}" '
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
    palette: Palette | None = None,
) -> Chart:
    """Front and back figures; each region shaded by how often x how strongly it was felt.

    ``heat`` maps a region code to (times felt, median intensity or None).
    """
    text, region_ink = _ink(palette), _ink(palette, tone)
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
            f'<text x="100" y="-8" font-size="13" text-anchor="middle" fill="{text}" '
            f'class="chart-label">{escape(_("Front") if side == "front" else _("Back"))}</text>'
        )
        for shape in shapes:
            weight = weights.get(shape.region, 0)
            n = heat.get(shape.region, (0, None))[0]
            tip = f"{labels.get(shape.region, shape.region)}: {n}"
            parts.append(
                f'<path d="{shape.d}" fill="{region_ink}" fill-opacity="{_opacity(weight, peak)}" '
                f'stroke="{region_ink}" stroke-opacity="0.35" stroke-width="1" '
                f'class="body-region" data-region="{shape.region}">'
                f"<title>{escape(tip)}</title></path>"
            )
            if shape.text:
                # A word on a shape: in print, dark text on pale shading, light text on deep.
                label_ink = (
                    palette.text_on(palette.tone(tone), _shade(weight, peak)) if palette else text
                )
                parts.append(
                    f'<text x="{_n(shape.text_x)}" y="{_n(shape.text_y)}" font-size="11" '
                    f'text-anchor="middle" fill="{label_ink}" class="chart-label">'
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
