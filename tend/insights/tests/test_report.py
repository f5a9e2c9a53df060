"""The PDF report and the printable page: chosen sections in, the rest (and stories) out."""

from __future__ import annotations

import shutil
import subprocess
from typing import Any

import pytest

from tend.accounts.models import User
from tend.conftest import client_for
from tend.insights.tests.test_map import journal  # noqa: F401 - the hand-built journal fixture

pytestmark = pytest.mark.django_db

PERIOD = "from=2026-03-01&to=2026-03-31"


def pdf_text(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF-")
    binary = shutil.which("pdftotext")
    assert binary, "pdftotext (poppler-utils) is needed: run `make system-deps`."
    done = subprocess.run([binary, "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    return done.stdout.decode()


def test_the_pdf_holds_the_chosen_sections_with_theme_names_and_sample_sizes(
    alice: User,
    journal: dict[str, Any],  # noqa: F811
) -> None:
    response = client_for(alice).get(
        f"/insights/report.pdf?{PERIOD}&sections=themes&sections=helps"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert "phone at dinner" in text
    assert "date nights" in text
    assert "n=5" in text and "n=3" in text
    assert "What helps" in text and "Five breaths" in text
    assert "too few to tell" in text
    assert "What the words mean" in text  # the glossary
    # Sections not chosen are absent, and so are stories (never a default).
    for absent in ("Body heat map", "Glimmer map", "Protective patterns", "Trends"):
        assert absent not in text
    assert "partner glanced" not in text


def test_stories_are_in_the_pdf_only_when_chosen(
    alice: User,
    journal: dict[str, Any],  # noqa: F811
) -> None:
    client = client_for(alice)
    default = pdf_text(client.get(f"/api/v1/insights/report.pdf?{PERIOD}").content)
    assert "Body heat map" in default and "Glimmer map" in default
    assert "partner glanced" not in default
    chosen = client.get(f"/api/v1/insights/report.pdf?{PERIOD}&sections=stories")
    assert chosen.status_code == 200
    text = pdf_text(chosen.content)
    assert "partner glanced at their buzzing phone" in text
    assert "Themes" not in text


def test_an_unknown_section_is_a_422(alice: User) -> None:
    response = client_for(alice).get("/api/v1/insights/report.pdf?sections=themes,everything")
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"


def test_the_printable_page_shows_the_chosen_sections(
    alice: User,
    journal: dict[str, Any],  # noqa: F811
) -> None:
    response = client_for(alice).get(f"/insights/report/?{PERIOD}&sections=body")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="body"' in html and 'id="themes"' not in html
    assert "Where activations were felt" in html
