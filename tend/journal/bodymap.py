"""The body map: where a moment was felt, drawn as a simple figure, front and back.

The figure is data (one or more SVG paths per region and side) so that a single template,
``journal/_body_map.html``, draws it on the edit page (tappable) and on a moment's page (shaded).
The form posts one plain set of inputs per region, which is also the list a keyboard, a screen
reader or a browser without JavaScript uses:

- ``body-<region>-selected`` — present when the region is chosen;
- ``body-<region>-sensations`` — zero or more sensation codes;
- ``body-<region>-intensity`` — 0 to 10, or empty.

``BodyMapField`` turns them into the ``[{region, sensations, intensity}]`` list that
``validation.py`` checks for pages and the API alike; its own messages name the region (a label
from the vocabulary, never something typed) so that the person knows which entry to fix.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from tend.journal import vocabulary
from tend.journal.vocabulary import Side

PREFIX = "body"
# Sent with every map, so that a form posted without it (another client) leaves the body as it was.
MARKER = f"{PREFIX}-map"
VIEWBOX = "14 0 172 514"


@dataclass(frozen=True)
class Shape:
    region: str
    side: Side
    d: str
    # Text drawn on the shape itself (only the two pills below the figure carry words).
    text: str = ""
    text_x: float = 0
    text_y: float = 0


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _poly(*points: tuple[float, float]) -> str:
    return "M" + " L".join(f"{_n(x)} {_n(y)}" for x, y in points) + " Z"


def _rect(x: float, y: float, w: float, h: float, r: float = 6) -> str:
    r = min(r, w / 2, h / 2)
    return (
        f"M{_n(x + r)} {_n(y)} H{_n(x + w - r)} A{_n(r)} {_n(r)} 0 0 1 {_n(x + w)} {_n(y + r)} "
        f"V{_n(y + h - r)} A{_n(r)} {_n(r)} 0 0 1 {_n(x + w - r)} {_n(y + h)} "
        f"H{_n(x + r)} A{_n(r)} {_n(r)} 0 0 1 {_n(x)} {_n(y + h - r)} "
        f"V{_n(y + r)} A{_n(r)} {_n(r)} 0 0 1 {_n(x + r)} {_n(y)} Z"
    )


def _ellipse(cx: float, cy: float, rx: float, ry: float) -> str:
    return (
        f"M{_n(cx - rx)} {_n(cy)} A{_n(rx)} {_n(ry)} 0 1 0 {_n(cx + rx)} {_n(cy)} "
        f"A{_n(rx)} {_n(ry)} 0 1 0 {_n(cx - rx)} {_n(cy)} Z"
    )


def _ellipse_band(cx: float, cy: float, rx: float, ry: float, y1: float, y2: float) -> str:
    """The slice of an ellipse between two heights: the head's bands (brow, eyes, face, jaw)."""
    top, bottom = max(y1, cy - ry), min(y2, cy + ry)
    steps = max(2, math.ceil((bottom - top) / 2))
    ys = [top + (bottom - top) * i / steps for i in range(steps + 1)]

    def half_width(y: float) -> float:
        return rx * math.sqrt(max(0.0, 1 - ((y - cy) / ry) ** 2))

    left = [(cx - half_width(y), y) for y in ys]
    right = [(cx + half_width(y), y) for y in reversed(ys)]
    return _poly(*left, *right)


def _join(*paths: str) -> str:
    return " ".join(paths)


def _mirror(points: Iterable[tuple[float, float]]) -> tuple[tuple[float, float], ...]:
    return tuple((200 - x, y) for x, y in points)


# The figure faces the viewer on the front, so the person's left is on the right there; on the
# back it is on the left, as when standing behind someone.
_ARM = ((38, 130), (60, 138), (50, 278), (26, 274))
_LEG = ((60, 302), (99, 302), (95, 438), (70, 438))
_HEAD = (100, 48, 32, 44)


def _side_shapes(side: Side) -> list[Shape]:
    near, far = ("right", "left") if side == "front" else ("left", "right")
    shapes = [
        Shape(f"{near}_arm", side, _poly(*_ARM)),
        Shape(f"{far}_arm", side, _poly(*_mirror(_ARM))),
        Shape(f"{near}_hand", side, _ellipse(37, 294, 13, 18)),
        Shape(f"{far}_hand", side, _ellipse(163, 294, 13, 18)),
        Shape(f"{near}_leg", side, _poly(*_LEG)),
        Shape(f"{far}_leg", side, _poly(*_mirror(_LEG))),
        Shape("feet", side, _join(_ellipse(81, 450, 18, 10), _ellipse(119, 450, 18, 10))),
        Shape("shoulders", side, _rect(44, 114, 112, 26, 13)),
    ]
    if side == "front":
        cx, cy, rx, ry = _HEAD
        shapes += [
            Shape("throat", side, _rect(86, 88, 28, 28, 6)),
            Shape("head", side, _ellipse_band(cx, cy, rx, ry, 0, 38)),
            Shape("eyes", side, _ellipse_band(cx, cy, rx, ry, 38, 54)),
            Shape("face", side, _ellipse_band(cx, cy, rx, ry, 54, 70)),
            Shape("jaw", side, _ellipse_band(cx, cy, rx, ry, 70, 100)),
            Shape("chest", side, _rect(60, 140, 80, 54, 4)),
            Shape(
                "heart",
                side,
                "M116 178 C100 166 101 151 109 151 C113 151 115 154 116 157 "
                "C117 154 119 151 123 151 C131 151 132 166 116 178 Z",
            ),
            Shape("gut", side, _rect(62, 194, 76, 34, 4)),
            Shape("belly", side, _rect(62, 228, 76, 34, 4)),
            Shape("hips", side, _join(_rect(56, 262, 24, 40, 6), _rect(120, 262, 24, 40, 6))),
            Shape("pelvis", side, _rect(80, 262, 40, 40, 4)),
            Shape("knees", side, _join(_ellipse(81, 372, 15, 14), _ellipse(119, 372, 15, 14))),
        ]
    else:
        shapes += [
            Shape("neck", side, _rect(86, 84, 28, 32, 6)),
            Shape("head", side, _ellipse(*_HEAD)),
            Shape("upper_back", side, _rect(60, 140, 80, 62, 4)),
            Shape("lower_back", side, _rect(60, 202, 80, 60, 4)),
            Shape("hips", side, _rect(56, 262, 88, 40, 8)),
        ]
    shapes += [
        Shape("whole_body", side, _rect(16, 474, 82, 36, 18), _("Whole body"), 57, 496.5),
        Shape("skin", side, _rect(102, 474, 82, 36, 18), _("Skin"), 143, 496.5),
    ]
    return shapes


def figure() -> dict[Side, list[Shape]]:
    # Built per call: the pills carry translated words, and the language is the request's.
    return {"front": _side_shapes("front"), "back": _side_shapes("back")}


# ---- The posted inputs ---------------------------------------------------------------------


def input_name(region: str, part: str) -> str:
    return f"{PREFIX}-{region}-{part}"


def parse(data: Mapping[str, Any]) -> list[dict[str, Any]] | None:
    """The raw entries posted by the map (as typed), or None if no map was on the page."""
    if MARKER not in data:
        return None
    getlist = getattr(data, "getlist", None)
    head, tail = f"{PREFIX}-", "-selected"
    chosen = [k[len(head) : -len(tail)] for k in data if k.startswith(head) and k.endswith(tail)]
    # The vocabulary's order, then anything unknown (which validation turns away).
    order = {r.code: i for i, r in enumerate(vocabulary.REGIONS)}
    chosen.sort(key=lambda code: order.get(code, len(order)))
    entries = []
    for region in chosen:
        name = input_name(region, "sensations")
        sensations = getlist(name) if getlist else data.get(name, [])
        if isinstance(sensations, str):
            sensations = [sensations]
        entries.append(
            {
                "region": region,
                "sensations": [s for s in sensations if s],
                "intensity": (data.get(input_name(region, "intensity")) or "").strip(),
            }
        )
    return entries


def _normalised(value: Any) -> dict[str, tuple[frozenset[str], str]]:
    if not isinstance(value, list | tuple):
        return {}
    out = {}
    for entry in value:
        if isinstance(entry, dict):
            intensity = entry.get("intensity")
            out[str(entry.get("region"))] = (
                frozenset(entry.get("sensations") or ()),
                "" if intensity in (None, "") else str(intensity).strip(),
            )
    return out


class BodyMapWidget(forms.Widget):
    """Parses the map's inputs; drawing is left to the ``body_map`` template tag."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return parse(data)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return MARKER not in data


class BodyMapField(forms.Field):
    widget = BodyMapWidget

    def clean(self, value: Any) -> list[dict[str, Any]] | None:
        if value is None:
            return None
        regions = vocabulary.codes("regions")
        sensations = vocabulary.codes("sensations")
        problems: list[str] = []
        cleaned: list[dict[str, Any]] = []
        for entry in value:
            region = entry["region"]
            if region not in regions:
                problems.append(
                    _("A region that is not on the map was sent; choose regions from the map.")
                )
                continue
            name = vocabulary.label("regions", region)
            if not all(s in sensations for s in entry["sensations"]):
                problems.append(
                    _("%(region)s: choose sensations from the list.") % {"region": name}
                )
                continue
            intensity = entry["intensity"]
            if intensity == "":
                number = None
            elif intensity.isdigit() and 0 <= int(intensity) <= 10:
                number = int(intensity)
            else:
                problems.append(
                    _("%(region)s: give the strength as a number from 0 to 10.") % {"region": name}
                )
                continue
            cleaned.append(
                {
                    "region": region,
                    "sensations": list(dict.fromkeys(entry["sensations"])),
                    "intensity": number,
                }
            )
        if problems:
            raise ValidationError(problems)
        return cleaned

    def has_changed(self, initial: Any, data: Any) -> bool:
        if data is None:
            return False
        return _normalised(initial) != _normalised(data)


# ---- What the template draws ---------------------------------------------------------------


def context(value: Any, *, mode: str = "edit", errors: Any = None) -> dict[str, Any]:
    """Everything ``journal/_body_map.html`` needs, from posted entries or a moment's body."""
    entries = {
        str(e.get("region")): e for e in (value or []) if isinstance(e, dict) and e.get("region")
    }
    regions = []
    for region in vocabulary.REGIONS:
        entry = entries.get(region.code)
        intensity = entry.get("intensity") if entry else None
        regions.append(
            {
                "code": region.code,
                "label": region.label,
                "selected": entry is not None,
                "sensations": set(entry.get("sensations") or ()) if entry else set(),
                "intensity": "" if intensity in (None, "") else str(intensity),
                "selected_name": input_name(region.code, "selected"),
                "sensations_name": input_name(region.code, "sensations"),
                "intensity_name": input_name(region.code, "intensity"),
            }
        )
    by_code = {r["code"]: r for r in regions}
    sides = [
        {
            "side": side,
            "label": pgettext("side of the body", "Front")
            if side == "front"
            else pgettext("side of the body", "Back"),
            "shapes": [{"shape": shape, "region": by_code[shape.region]} for shape in shapes],
        }
        for side, shapes in figure().items()
    ]
    return {
        "mode": mode,
        "regions": regions,
        "chosen": [r for r in regions if r["selected"]],
        "sides": sides,
        "sensations": vocabulary.SENSATIONS,
        "viewbox": VIEWBOX,
        "marker": MARKER,
        "errors": errors or [],
    }
