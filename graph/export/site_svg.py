"""The neighbourhood of a node drawn as inline SVG for the static site: no script, no library.

A spring layout with a fixed seed (so the same graph gives the same drawing), scaled into a fixed
view box; each node is an SVG link to its page with its label as hover title and accessible name.
Every label and link is escaped here, as this markup reaches the page unescaped.
"""

from __future__ import annotations

import html
import math
from typing import Any

import networkx as nx

from graph.analysis.measures import node_label
from graph.analysis.projection import FACT_GROUPS
from graph.export.html import PALETTE

_WIDTH, _HEIGHT, _MARGIN = 640.0, 400.0, 60.0


def neighbourhood_svg(
    G: nx.Graph,
    center: Any,
    nodes: list[Any],
    edges: list[tuple[Any, Any]],
    lang: str,
    href: dict[str, str],
    title: str,
) -> str:
    """An SVG drawing of ``nodes`` and ``edges`` around ``center``: a spring layout with a fixed seed, each
    node a link to its page (``href``) with its label as hover title. Labels are escaped here.

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("a", group="State", label_en="<b>A</b>"); G.add_node("b", group="Mineral", label_en="B")
    >>> svg = neighbourhood_svg(G, "a", ["a", "b"], [("a", "b")], "en", {"a": "a.html", "b": "b.html"}, "Around A")
    >>> "&lt;b&gt;A&lt;/b&gt;" in svg and "<b>" not in svg and svg.count("<a ") == 2
    True
    """
    H = nx.Graph()
    H.add_nodes_from(sorted(nodes, key=str))
    H.add_edges_from(sorted(edges, key=lambda e: (str(e[0]), str(e[1]))))
    if len(H) == 1:
        positions = {center: (0.0, 0.0)}
    else:
        raw = nx.spring_layout(H, seed=7, iterations=30, k=1.6 / math.sqrt(len(H)))
        positions = {n: (float(x), float(y)) for n, (x, y) in raw.items()}
    xs = [p[0] for p in positions.values()]
    ys = [p[1] for p in positions.values()]
    span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0

    def place(node: Any) -> tuple[float, float]:
        x, y = positions[node]
        if len(H) == 1:
            return _WIDTH / 2, _HEIGHT / 2
        return (
            round(_MARGIN + (x - min(xs)) / span_x * (_WIDTH - 2 * _MARGIN), 1),
            round(_MARGIN / 2 + (y - min(ys)) / span_y * (_HEIGHT - _MARGIN), 1),
        )

    parts = [
        f'<svg class="neighbourhood" viewBox="0 0 {int(_WIDTH)} {int(_HEIGHT)}" role="group" '
        f'aria-label="{html.escape(title)}">'
    ]
    for u, v in sorted(H.edges(), key=lambda e: (str(e[0]), str(e[1]))):
        (x1, y1), (x2, y2) = place(u), place(v)
        parts.append(f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" class="edge"/>')
    for node in sorted(H, key=str):
        x, y = place(node)
        group = str(G.nodes[node].get("group") or "")
        color = PALETTE.get(group, ("#b0b0b0",))[0]
        label = node_label(G, node, lang)
        short = label if len(label) <= 28 else label[:27] + "\u2026"
        fact = group in FACT_GROUPS
        radius = 11 if node == center else 6 if fact else 8
        shape = (
            f'<rect x="{x - radius}" y="{y - radius}" width="{2 * radius}" height="{2 * radius}" fill="{color}"/>'
            if fact
            else f'<circle cx="{x}" cy="{y}" r="{radius}" fill="{color}"/>'
        )
        text = "" if fact and node != center else f'<text x="{x}" y="{y + radius + 13}">{html.escape(short)}</text>'
        parts.append(
            f'<a href="{html.escape(href[str(node)])}" aria-label="{html.escape(label)}">'
            f"<title>{html.escape(label)}</title>{shape}{text}</a>"
        )
    parts.append("</svg>")
    return "".join(parts)
