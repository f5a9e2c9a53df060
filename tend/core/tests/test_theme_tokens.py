"""Dark mode is written twice in tend.css: for the device's setting and for a person's choice."""

from __future__ import annotations

import re
from pathlib import Path

CSS = Path(__file__).resolve().parents[2] / "static" / "tend" / "tend.css"


def tokens(block: str) -> dict[str, str]:
    return dict(re.findall(r"(--[\w-]+):\s*([^;]+);", block))


def test_chosen_dark_holds_the_same_tokens_as_the_devices_dark() -> None:
    css = CSS.read_text()
    device = re.search(
        r'@media \(prefers-color-scheme: dark\) \{\s*:root:not\(\[data-theme="light"\]\) \{(.*?)\}',
        css,
        re.S,
    )
    chosen = re.search(r':root\[data-theme="dark"\] \{(.*?)\}', css, re.S)
    assert device and chosen
    assert tokens(device.group(1)) == tokens(chosen.group(1))
    # Every light token has a dark one, so nothing stays light in a dark page.
    light = re.search(r":root \{(.*?)\n\}", css, re.S)
    assert light
    colours = {k for k, v in tokens(light.group(1)).items() if v.startswith(("#", "0 1px"))}
    assert colours <= set(tokens(chosen.group(1)))
