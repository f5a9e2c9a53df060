"""A simple radial layout of the polycule for a server-rendered SVG (no script needed).

The viewer sits in the middle, their connections on an inner ring, and the people one hop out
(who consented) on an outer ring near the person they are connected through.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from tend.connections.selectors import Polycule

SIZE = 400
CENTRE = SIZE / 2
INNER = 95
OUTER = 165
RADIUS = {0: 26, 1: 22, 2: 16}


@dataclass(frozen=True)
class Point:
    id: str
    name: str
    x: float
    y: float
    ring: int  # 0 the viewer, 1 direct, 2 one hop out
    kind: str
    # Where the name goes: outside the circle, away from the centre, so no edge crosses it.
    label_x: float = 0
    label_y: float = 0
    anchor: str = "middle"


@dataclass(frozen=True)
class Edge:
    x1: float
    y1: float
    x2: float
    y2: float
    ring: int
    kind: str


@dataclass(frozen=True)
class Graph:
    size: int
    points: list[Point]
    edges: list[Edge]

    @property
    def view_box(self) -> str:
        # Fitted to the people drawn, with room for the names beside and below them.
        xs = [p.x for p in self.points]
        ys = [p.y for p in self.points]
        left, top = min(xs) - 75, min(ys) - 40
        return f"{left} {top} {max(xs) + 75 - left} {max(ys) + 60 - top}"


def _labelled(point: Point, angle: float) -> Point:
    # The name sits under the circle (inside it for the viewer), where no edge runs.
    below = point.y + 5 if point.ring == 0 else point.y + RADIUS[point.ring] + 20
    return Point(**{**point.__dict__, "label_x": point.x, "label_y": below})


def _at(angle: float, radius: float) -> tuple[float, float]:
    return (
        round(CENTRE + radius * math.cos(angle), 1),
        round(CENTRE + radius * math.sin(angle), 1),
    )


def layout(polycule: Polycule, *, me_name: str) -> Graph:
    me = _labelled(Point(polycule.me, me_name, CENTRE, CENTRE, 0, ""), 0)
    direct = [n for n in polycule.nodes if n.via is None]
    points: dict[str, Point] = {me.id: me}
    angles: dict[str, float] = {}
    edges: list[Edge] = []
    # Two people sit side by side rather than above and below: the drawing stays short.
    start = math.pi if len(direct) == 2 else -math.pi / 2
    for index, node in enumerate(direct):
        angle = start + 2 * math.pi * index / max(len(direct), 1)
        angles[node.id] = angle
        x, y = _at(angle, INNER)
        points[node.id] = _labelled(
            Point(node.id, node.label or node.name, x, y, 1, node.kind), angle
        )
        edges.append(Edge(me.x, me.y, x, y, 1, node.kind))
    far_by_hub: dict[str, list[str]] = {}
    for node in polycule.nodes:
        if node.via is not None:
            far_by_hub.setdefault(node.via, []).append(node.id)
    spread = math.pi / max(len(direct), 2) * 0.8
    for node in polycule.nodes:
        if node.via is None or node.via not in points:
            continue
        hub = points[node.via]
        if node.id not in points:
            siblings = far_by_hub[node.via]
            offset = (
                (siblings.index(node.id) - (len(siblings) - 1) / 2) * spread / max(len(siblings), 1)
            )
            angle = angles[node.via] + offset
            x, y = _at(angle, OUTER)
            points[node.id] = _labelled(Point(node.id, node.name, x, y, 2, node.kind), angle)
        far = points[node.id]
        edges.append(Edge(hub.x, hub.y, far.x, far.y, 2, node.kind))
    return Graph(size=SIZE, points=list(points.values()), edges=edges)
