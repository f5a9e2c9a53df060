"""The PDF's charts print in the design tokens' colours; the page still leaves them to its CSS.

WeasyPrint draws an inline SVG without the page's CSS, so ``currentColor`` printed as black at
the chart's opacity (grey bars, grey heat). These tests hold the print colours in place.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tend.accounts.models import User
from tend.conftest import client_for
from tend.insights.charts import blend, body_heat, contrast
from tend.insights.forms import bounds
from tend.insights.report import DEFAULT_SECTIONS, light_tokens, print_palette, render_pdf
from tend.insights.selectors import trigger_map
from tend.insights.tests.test_map import journal  # noqa: F401 - the hand-built journal fixture

pytestmark = pytest.mark.django_db

PERIOD = "from=2026-03-01&to=2026-03-31"
SVG = re.compile(r"<svg class=\"chart-svg\".*?</svg>", re.S)


def ppm_pixels(path: Path) -> list[tuple[int, int, int]]:
    """The pixels of a binary PPM (P6, 8 bits), as pdftoppm writes it."""
    data = path.read_bytes()
    fields = data.split(maxsplit=4)
    assert fields[0] == b"P6" and fields[3] == b"255"
    body = fields[4]
    return [(body[i], body[i + 1], body[i + 2]) for i in range(0, len(body) - 2, 3)]


@pytest.fixture
def handed_to_weasyprint(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the HTML each PDF is made from, and still make the PDF."""
    import weasyprint

    seen: list[str] = []
    real = weasyprint.HTML

    def recording(*, string: str, **kwargs: Any) -> Any:
        seen.append(string)
        return real(string=string, **kwargs)

    monkeypatch.setattr(weasyprint, "HTML", recording)
    return seen


def test_the_pdf_draws_its_charts_in_the_token_colours_and_never_in_current_color(
    alice: User,
    journal: dict[str, Any],  # noqa: F811
    handed_to_weasyprint: list[str],
) -> None:
    response = client_for(alice).get(f"/insights/report.pdf?{PERIOD}")
    assert response.status_code == 200
    [html] = handed_to_weasyprint
    svgs = SVG.findall(html)
    assert len(svgs) >= 6
    tokens = light_tokens()
    for svg in svgs:
        # WeasyPrint resolves currentColor from the SVG alone: black, so grey at our opacities.
        assert "currentColor" not in svg
    themes = next(s for s in svgs if "chart-themes-" in s)
    assert f'fill="{tokens["activation"]}" fill-opacity="0.55" class="chart-bar"' in themes
    assert f'fill="{tokens["text"]}" class="chart-label">phone at dinner<' in themes
    helps = next(s for s in svgs if "chart-helps-" in s)
    assert f'fill="{tokens["primary"]}" fill-opacity="0.55" class="chart-bar"' in helps
    glimmer_body = next(s for s in svgs if "chart-body-glimmer-" in s)
    assert f'fill="{tokens["glimmer"]}"' in glimmer_body
    trend = next(s for s in svgs if "chart-trend-counts-" in s)
    assert f'stroke="{tokens["activation"]}"' in trend and f'stroke="{tokens["glimmer"]}"' in trend
    # The print stylesheet gets the same tokens as custom properties.
    assert f"--text-muted: {tokens['text-muted']};" in html


def test_the_printed_theme_bars_are_clay_not_grey(
    alice: User,
    journal: dict[str, Any],  # noqa: F811
    tmp_path: Path,
) -> None:
    pdf = client_for(alice).get(f"/insights/report.pdf?{PERIOD}&sections=themes").content
    binary = shutil.which("pdftoppm")
    assert binary, "pdftoppm (poppler-utils) is needed: run `make system-deps`."
    (tmp_path / "report.pdf").write_bytes(pdf)
    subprocess.run(
        [binary, "-r", "40", "-f", "1", "-l", "1", "-singlefile", "report.pdf", "page"],
        cwd=tmp_path,
        check=True,
    )
    pixels = ppm_pixels(tmp_path / "page.ppm")
    # The activation colour at the bars' opacity on white is a warm clay (red well above blue);
    # grey bars, black text and white paper all have red, green and blue about equal.
    clay = [(r, g, b) for r, g, b in pixels if r - b > 35 and r - g > 25]
    assert len(clay) > 300


def test_the_page_leaves_chart_colours_to_its_css_so_dark_mode_still_works(
    alice: User,
    journal: dict[str, Any],  # noqa: F811
) -> None:
    page = client_for(alice).get(f"/insights/?{PERIOD}").content.decode()
    svgs = SVG.findall(page)
    assert len(svgs) >= 6
    literal = {f'"{value}"' for value in light_tokens().values()}
    for svg in svgs:
        assert 'fill="currentColor"' in svg
        assert not [value for value in literal if value in svg]


def test_making_the_pdf_leaves_the_maps_own_charts_to_the_pages_css(
    alice: User,
    journal: dict[str, Any],  # noqa: F811
) -> None:
    start, end = bounds(dt.date(2026, 3, 1), dt.date(2026, 3, 31), alice.tz)
    found = trigger_map(owner=alice, start=start, end=end)
    render_pdf(found, sections=DEFAULT_SECTIONS, stories=None)
    assert found.charts
    for chart in found.charts.values():
        assert 'fill="currentColor"' in chart.svg


def test_the_print_palette_is_the_light_theme_that_reads_on_white_paper() -> None:
    palette = print_palette()
    # Text for reading (WCAG AAA on white), chart colours that stand out as graphics (3:1);
    # the dark theme's pale tokens would fail both.
    assert contrast(palette.text, "#ffffff") >= 7
    for tone in (palette.activation, palette.glimmer, palette.primary):
        assert contrast(tone, "#ffffff") >= 3


def test_words_on_a_body_region_stay_readable_in_print_however_deep_its_shade() -> None:
    palette = print_palette()
    # Whole body felt most (full shade), skin once (pale shade): both pills carry a word.
    chart = body_heat(
        key="body-activation",
        title="t",
        description="d",
        heat={"whole_body": (20, 9.0), "skin": (1, 1.0)},
        palette=palette,
    )
    for region, word in (("whole_body", "Whole body"), ("skin", "Skin")):
        opacity = re.search(rf'fill-opacity="([0-9.]+)"[^>]*data-region="{region}"', chart.svg)
        ink = re.search(rf'fill="(#[0-9a-f]+)" class="chart-label">{word}<', chart.svg)
        assert opacity and ink, region
        shade = blend(palette.activation, float(opacity[1]))
        assert contrast(ink[1], shade) >= 4.5, (region, ink[1], shade)
