"""A simple radial layout of the polycule for a server-rendered SVG (no script needed).

The viewer sits in the middle, their connections on an inner ring, and the people one hop out
(who consented) on an outer ring near the person they are connected through.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from tend.connections.selectors import Polycule

SIZE = 360
CENTRE = SIZE / 2
INNER = 105
OUTER = 160


@dataclass(frozen=True)
class Point:
    id: str
    name: str
    x: float
    y: float
    ring: int  # 0 the viewer, 1 direct, 2 one hop out
    kind: str


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


def _at(angle: float, radius: float) -> tuple[float, float]:
    return (
        round(CENTRE + radius * math.cos(angle), 1),
        round(CENTRE + radius * math.sin(angle), 1),
    )


def layout(polycule: Polycule, *, me_name: str) -> Graph:
    me = Point(polycule.me, me_name, CENTRE, CENTRE, 0, "")
    direct = [n for n in polycule.nodes if n.via is None]
    points: dict[str, Point] = {me.id: me}
    angles: dict[str, float] = {}
    edges: list[Edge] = []
    for index, node in enumerate(direct):
        angle = -math.pi / 2 + 2 * math.pi * index / max(len(direct), 1)
        angles[node.id] = angle
        x, y = _at(angle, INNER)
        points[node.id] = Point(node.id, node.label or node.name, x, y, 1, node.kind)
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
            x, y = _at(angles[node.via] + offset, OUTER)
            points[node.id] = Point(node.id, node.name, x, y, 2, node.kind)
        far = points[node.id]
        edges.append(Edge(hub.x, hub.y, far.x, far.y, 2, node.kind))
    return Graph(size=SIZE, points=list(points.values()), edges=edges)
