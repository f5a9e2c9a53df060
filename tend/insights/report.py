"""From a trigger map to its charts, and to the PDF a person brings to a practitioner.

``charts_for`` is the one place each chart is defined; the page, the printable page and the PDF
all draw the SVG it returns. The PDF is the printable page rendered by WeasyPrint, with the charts
drawn in the print palette (the light theme's tokens as literal colours), since WeasyPrint does
not carry the page's CSS into an inline SVG.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.contrib.staticfiles import finders
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tend.core import dates
from tend.core.numbers import plain_number
from tend.insights.charts import Chart, Palette, bars, body_heat, heat_grid, lines
from tend.insights.stats import MIN_N

if TYPE_CHECKING:
    from tend.insights.selectors import TriggerMap

# Sections a person may choose for the report; stories are theirs to add, never a default.
REPORT_SECTIONS = (
    "themes",
    "body",
    "helps",
    "time",
    "people",
    "trends",
    "glimmers",
    "patterns",
    "stories",
)
DEFAULT_SECTIONS = tuple(s for s in REPORT_SECTIONS if s != "stories")

# The design system's stylesheet; its first ``:root`` block is the light theme.
TOKENS_CSS = "tend/tend.css"
_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_TOKEN = re.compile(r"--([a-z0-9-]+):\s*(#[0-9a-fA-F]{3,8})\s*;")


@functools.cache
def light_tokens() -> dict[str, str]:
    """The light theme's colour tokens (name without ``--`` to hex), as tend.css defines them."""
    path = finders.find(TOKENS_CSS)
    if not isinstance(path, str):
        raise LookupError(f"{TOKENS_CSS} is not among the static files")
    css = _COMMENT.sub("", Path(path).read_text(encoding="utf-8"))
    # Dark mode overrides the same names in a media query further down; stop at the first block.
    start = css.index(":root {")
    block = css[start : css.index("}", start)]
    return dict(_TOKEN.findall(block))


def print_palette() -> Palette:
    """The light theme, which is what a printed page is: dark text and colours on white."""
    tokens = light_tokens()
    return Palette(
        text=tokens["text"],
        on_tone=tokens["on-primary"],
        activation=tokens["activation"],
        glimmer=tokens["glimmer"],
        primary=tokens["primary"],
    )


def section_labels() -> dict[str, str]:
    return {
        "themes": _("Themes"),
        "body": _("Body heat map"),
        "helps": _("What helps"),
        "time": _("Time of day and weekday"),
        "people": _("People and contexts"),
        "trends": _("Trends"),
        "glimmers": _("Glimmer map"),
        "patterns": _("Protective patterns"),
        "stories": _("Stories (your own words, recent moments)"),
    }


def _fmt(value: float | None) -> str:
    return plain_number(value)


def _weekday_labels() -> list[str]:
    return [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")]


def charts_for(found: TriggerMap, *, palette: Palette | None = None) -> dict[str, Chart]:
    """Every chart of the map; ``palette`` gives literal colours (the PDF), None leaves them to
    the page's CSS (light and dark)."""
    charts: dict[str, Chart] = {}
    n_label = _("n")
    themes = found.themes[:10]
    if themes:
        charts["themes"] = bars(
            key="themes",
            title=_("Activations by theme"),
            description=_(
                "How many activations each theme holds in this period; the longest bar is the "
                "theme that came up most."
            ),
            rows=[(t.name, t.n, str(t.n)) for t in themes],
            headers=[_("Theme"), _("Activations")],
            palette=palette,
        )
    for kind, tone, title in (
        ("activation", "activation", _("Where activations were felt")),
        ("glimmer", "glimmer", _("Where glimmers were felt")),
    ):
        heat = {r.code: (r.n, r.intensity.median) for r in found.body.get(kind, [])}
        if heat:
            top = ", ".join(f"{r.label} ({r.n})" for r in found.body[kind][:3])
            charts[f"body_{kind}"] = body_heat(
                key=f"body-{kind}",
                title=title,
                description=_(
                    "Front and back of a body; a region is darker the more often and the more "
                    "strongly it was felt. Most often: %(top)s."
                )
                % {"top": top},
                heat=heat,
                tone=tone,
                palette=palette,
            )
    helps = [h for h in found.helps if h.enough][:8]
    if helps:
        charts["helps"] = bars(
            key="helps",
            title=_("What helps: median drop in intensity"),
            description=_(
                "For each thing that helped, how many points the intensity typically came down "
                "afterwards (the median), with a line for the range the true value is likely in."
            ),
            rows=[
                (
                    h.label,
                    h.drop.median or 0,
                    f"{_fmt(h.drop.median)} ({n_label}={h.n})",
                )
                for h in helps
            ],
            whiskers=[h.interval for h in helps],
            headers=[_("What helped"), _("Median drop (n)")],
            tone="primary",
            palette=palette,
        )
    if found.activations:
        hours = [f"{h:02d}" for h in range(24)]
        charts["time"] = heat_grid(
            key="time",
            title=_("Activations by weekday and hour"),
            description=_(
                "A grid of weekdays (rows) and hours of the day (columns), in your time zone "
                "(%(tz)s); darker cells held more activations."
            )
            % {"tz": found.time_zone},
            row_labels=_weekday_labels(),
            column_labels=hours,
            values=found.time_grid,
            palette=palette,
        )
    if found.weeks and found.total:
        labels = [dates.when(w.start, "short_day_month") for w in found.weeks]
        charts["trend_counts"] = lines(
            key="trend-counts",
            title=_("Moments noticed each week"),
            description=_(
                "Activations and glimmers logged per week. More glimmers noticed counts as "
                "progress too."
            ),
            x_labels=labels,
            series=[
                (_("Activations"), [w.activations for w in found.weeks], "activation"),
                (_("Glimmers"), [w.glimmers for w in found.weeks], "glimmer"),
            ],
            headers=[_("Week of"), _("Activations"), _("Glimmers")],
            palette=palette,
        )
        charts["trend_intensity"] = lines(
            key="trend-intensity",
            title=_("Typical intensity each week"),
            description=_(
                "The median intensity of the week's activations (0 to 10); weeks with fewer "
                "than %(min)s activations are left out."
            )
            % {"min": MIN_N},
            x_labels=labels,
            series=[
                (
                    _("Median intensity"),
                    [w.intensity.median if w.intensity.enough else None for w in found.weeks],
                    "activation",
                ),
            ],
            headers=[_("Week of"), _("Median intensity")],
            palette=palette,
        )
        charts["trend_settle"] = lines(
            key="trend-settle",
            title=_("Typical time to settle each week"),
            description=_(
                "The median minutes it took to settle after an activation; weeks with fewer "
                "than %(min)s answers are left out."
            )
            % {"min": MIN_N},
            x_labels=labels,
            series=[
                (
                    _("Median minutes to settle"),
                    [w.settle.median if w.settle.enough else None for w in found.weeks],
                    "primary",
                ),
            ],
            headers=[_("Week of"), _("Median minutes")],
            palette=palette,
        )
    return charts


def glossary() -> list[tuple[str, str]]:
    return [
        (_("Activation"), _("A moment when something set your alarm off (a cue of threat).")),
        (_("Glimmer"), _("A moment when something helped you feel safe (a cue of safety).")),
        (_("Theme"), _("A name you gave to a kind of cue that comes back.")),
        (
            _("Intensity"),
            _("How strong it felt, from 0 (not at all) to 10 (as strong as it gets)."),
        ),
        (_("Drop"), _("How many points the intensity came down after what you did.")),
        (_("n"), _("How many moments a number is based on. Small n, small certainty.")),
        (_("Median"), _("The middle value: half of the moments were above it, half below.")),
        (
            _("Spread (IQR)"),
            _("The middle half of the values lay between these two numbers."),
        ),
        (
            _("Likely range"),
            _(
                "A 95% bootstrap interval: if you kept logging in the same way, the median would "
                "very likely fall in this range."
            ),
        ),
        (
            _("Too few to tell"),
            ngettext(
                "Fewer than %(n)s moment: not enough to see a pattern yet.",
                "Fewer than %(n)s moments: not enough to see a pattern yet.",
                MIN_N,
            )
            % {"n": MIN_N},
        ),
        (
            _("States"),
            _(
                "How you described your nervous system (connected, fight, flight, freeze, fawn, "
                "shutdown): your own words for it, never a diagnosis."
            ),
        ),
    ]


def report_context(
    found: TriggerMap, *, sections: tuple[str, ...], stories: list[dict[str, str]] | None
) -> dict[str, Any]:
    found.sections = sections
    return {
        "map": found,
        "sections": sections,
        "section_labels": section_labels(),
        "glossary": glossary(),
        "stories": stories or [],
        "made_on": timezone.localdate(),
    }


def render_pdf(
    found: TriggerMap,
    *,
    sections: tuple[str, ...],
    stories: list[dict[str, str]] | None,
    request: HttpRequest | None = None,
) -> bytes:
    from weasyprint import HTML

    context = report_context(found, sections=sections, stories=stories)
    # The same chart definitions as the page, but with literal colours: WeasyPrint resolves
    # ``currentColor`` in an inline SVG from the SVG alone, so the page's CSS would print grey.
    # They go in the context, so the map's own (cached) charts stay those of the page.
    context["charts"] = charts_for(found, palette=print_palette())
    # The print stylesheet reads the same tokens as CSS custom properties.
    context["tokens"] = light_tokens()
    html = render_to_string("insights/report_pdf.html", context, request=request)
    return bytes(HTML(string=html).write_pdf())
