"""The PDF as paper: tagged (PDF/UA-1), chart labels large enough to read when printed, and no
half-empty pages, for the demo account's whole map."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from typing import Any

import pytest
from django.utils import timezone

from tend.accounts.models import User
from tend.conftest import client_for
from tend.journal.management.commands.demo import populate

pytestmark = pytest.mark.django_db

ALL = "".join(
    f"&sections={s}"
    for s in ("themes", "body", "helps", "time", "people", "trends", "glimmers", "patterns")
)
WORD = re.compile(
    r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>'
)


def _poppler(name: str) -> str:
    binary = shutil.which(name)
    assert binary, f"{name} (poppler-utils) is needed: run `make system-deps`."
    return binary


@pytest.fixture
def pdf(alice: User, tmp_path: Any) -> Any:
    alice.time_zone = "Europe/Berlin"
    alice.save(update_fields=["time_zone"])
    populate(user=alice, seed=7)
    today = timezone.localdate()
    first = today - dt.timedelta(days=89)
    response = client_for(alice).get(f"/insights/report.pdf?from={first}&to={today}{ALL}")
    assert response.status_code == 200
    path = tmp_path / "report.pdf"
    path.write_bytes(response.content)
    return path


def _pages(path: Any) -> list[tuple[float, list[tuple[float, float, str]]]]:
    """Each page's height and its words (top, bottom, text), read by pdftotext -bbox."""
    done = subprocess.run(
        [_poppler("pdftotext"), "-bbox", str(path), "-"], capture_output=True, check=True
    )
    pages = []
    for page in done.stdout.decode().split("<page ")[1:]:
        height = float(re.search(r'height="([\d.]+)"', page).group(1))  # type: ignore[union-attr]
        pages.append((height, [(float(a), float(b), w) for a, b, w in WORD.findall(page)]))
    return pages


def test_the_pdf_is_tagged_for_screen_readers(pdf: Any) -> None:
    info = subprocess.run([_poppler("pdfinfo"), str(pdf)], capture_output=True, check=True)
    assert re.search(r"^Tagged:\s+yes$", info.stdout.decode(), re.M), info.stdout.decode()


def test_every_word_on_paper_is_at_least_about_7_points(pdf: Any) -> None:
    # A word's box is about 1.16 times its font size: 8.5pt of box is 7.3pt of type. The body
    # map's "Whole body" and "Skin" were 5.5pt, the weekday grid's hours about as small.
    heights = sorted(
        (bottom - top, word) for _, words in _pages(pdf) for top, bottom, word in words
    )
    assert heights[0][0] >= 8.5, heights[:8]


def test_no_page_but_the_last_is_left_half_empty(pdf: Any) -> None:
    pages = _pages(pdf)
    fills = []
    for height, words in pages[:-1]:
        # The page number sits in the bottom margin; the content ends above it.
        body = [bottom for _, bottom, _ in words if bottom < height - 40]
        fills.append(round(max(body) / height, 2))
    print(f"{len(pages)} pages, each filled to {fills} (the last left out)")
    # With whole charts and their tables kept on one page, pages ended at 59% and 63%.
    assert min(fills) >= 0.7, fills
