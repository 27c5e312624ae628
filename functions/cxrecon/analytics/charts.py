"""Small inline SVG charts: no scripts, no fonts, no network. Every label is escaped."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

OUTCOME_COLOURS = {
    "related": "#2b8a3e",
    "related_to_org": "#69db7c",
    "already_related": "#a9e34b",
    "queued_for_review": "#f59f00",
    "rejected": "#e03131",
    "skipped": "#adb5bd",
}
ACCENT = "#1c7ed6"
_PALETTE = ("#1c7ed6", "#f59f00", "#2b8a3e", "#e03131", "#7048e8", "#0ca678", "#d6336c", "#868e96")
_FONT = 'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif" font-size="12"'


def colour(name: str, index: int) -> str:
    return OUTCOME_COLOURS.get(name, _PALETTE[index % len(_PALETTE)])


def _svg(width: int, height: int, body: list[str], label: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-label="{escape(label)}" {_FONT}>' + "".join(body) + "</svg>"
    )


def _text(x: float, y: float, content: str, *, anchor: str = "start", fill: str = "#495057") -> str:
    """An SVG text element; `content` must already be escaped."""
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{fill}">{content}</text>'


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 or value == int(value) else f"{value:,.1f}"


def empty(label: str) -> str:
    return _svg(640, 60, ['<text x="10" y="35" fill="#868e96">No data in this window.</text>'], label)


def line_chart(
    points: Sequence[tuple[str, float | None]], *, label: str, unit: str = "%", y_max: float = 100
) -> str:
    """One value per day (e.g. the automation rate), on a fixed 0..y_max scale."""
    values = [(x, v) for x, v in points if v is not None]
    if not values:
        return empty(label)
    width, height, left, right, top, bottom = 640, 220, 44, 16, 14, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    n = len(points)

    def x_at(i: int) -> float:
        return left + (plot_w / 2 if n == 1 else plot_w * i / (n - 1))

    def y_at(v: float) -> float:
        return top + plot_h * (1 - min(v, y_max) / y_max)

    body = []
    for tick in range(0, 5):
        v = y_max * tick / 4
        y = y_at(v)
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#e9ecef"/>')
        body.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#495057">{_fmt(v)}{unit}</text>'
        )
    coords = [(x_at(i), y_at(v)) for i, (_, v) in enumerate(points) if v is not None]
    path = " ".join(f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}" for i, (x, y) in enumerate(coords))
    body.append(f'<path d="{path}" fill="none" stroke="{ACCENT}" stroke-width="2.5"/>')
    for x, y in coords:
        body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{ACCENT}"/>')
    if len(coords) == 1:
        x, y = coords[0]
        body.append(_text(x, y - 8, f"{_fmt(values[0][1] or 0)}{unit}", anchor="middle", fill="#212529"))
    step = max(1, n // 8)
    for i, (name, _) in enumerate(points):
        if i % step == 0 or i == n - 1:
            body.append(
                _text(x_at(i), height - 12, escape(name[5:] if len(name) == 10 else name), anchor="middle")
            )
    return _svg(width, height, body, label)


def stacked_shares(rows: Mapping[str, Mapping[str, float]], series: Sequence[str], *, label: str) -> str:
    """One 100% bar per category (e.g. channel), split by series (e.g. outcome), with a legend."""
    if not rows:
        return empty(label)
    width, left, right, bar_h, gap = 640, 96, 56, 20, 8
    plot_w = width - left - right
    body = []
    x, legend_y = float(left), 6
    for i, name in enumerate(series):
        text = name.replace("_", " ")
        item_w = 24 + 6.8 * len(text)
        if x + item_w > width:
            x, legend_y = float(left), legend_y + 16
        body.append(f'<rect x="{x:.0f}" y="{legend_y}" width="10" height="10" fill="{colour(name, i)}"/>')
        body.append(f'<text x="{x + 14:.0f}" y="{legend_y + 9}" fill="#495057">{escape(text)}</text>')
        x += item_w
    top = legend_y + 22
    height = top + len(rows) * (bar_h + gap) + 6
    for row, (category, parts) in enumerate(rows.items()):
        y = top + row * (bar_h + gap)
        total = sum(parts.values()) or 1
        body.append(
            f'<text x="{left - 8}" y="{y + 14}" text-anchor="end" fill="#212529">{escape(category)}</text>'
        )
        offset = float(left)
        for i, name in enumerate(series):
            share = parts.get(name, 0) / total
            if share <= 0:
                continue
            w = plot_w * share
            body.append(
                f'<rect x="{offset:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{colour(name, i)}">'
                f"<title>{escape(category)} · {escape(name)}: "
                f"{_fmt(parts.get(name, 0))} ({share:.0%})</title></rect>"
            )
            if w > 34:
                body.append(_text(offset + w / 2, y + 14, f"{share:.0%}", anchor="middle", fill="#fff"))
            offset += w
        body.append(f'<text x="{width - right + 6}" y="{y + 14}" fill="#495057">{_fmt(total)}</text>')
    return _svg(width, height, body, label)


def bars(items: Sequence[tuple[str, float]], *, label: str, colour_of: str = ACCENT, unit: str = "") -> str:
    """Horizontal bars, largest first as given (e.g. top rejection reasons)."""
    if not items:
        return empty(label)
    width, left, right, bar_h, gap, top = 640, 170, 60, 18, 7, 6
    height = top + len(items) * (bar_h + gap)
    biggest = max(v for _, v in items) or 1
    body = []
    for row, (name, value) in enumerate(items):
        y = top + row * (bar_h + gap)
        w = (width - left - right) * value / biggest
        text = name if len(name) <= 26 else name[:25] + "…"
        body.append(
            _text(
                left - 8, y + 13, f"{escape(text)}<title>{escape(name)}</title>", anchor="end", fill="#212529"
            )
        )
        body.append(
            f'<rect x="{left}" y="{y}" width="{max(w, 1):.1f}" height="{bar_h}" rx="2" fill="{colour_of}"/>'
        )
        body.append(f'<text x="{left + w + 6:.1f}" y="{y + 13}" fill="#495057">{_fmt(value)}{unit}</text>')
    return _svg(width, height, body, label)


def columns(items: Sequence[tuple[str, float]], *, label: str, colour_of: str = ACCENT) -> str:
    """Vertical columns (e.g. API calls per day, backlog items per age bucket)."""
    if not items or not any(v for _, v in items):
        return empty(label)
    width, height, left, right, top, bottom = 640, 200, 44, 10, 18, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    biggest = max(v for _, v in items) or 1
    slot = plot_w / len(items)
    bar_w = max(2.0, min(60.0, slot * 0.7))
    body = [
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="#adb5bd"/>'
    ]
    step = max(1, len(items) // 10)
    for i, (name, value) in enumerate(items):
        h = plot_h * value / biggest
        x = left + slot * i + (slot - bar_w) / 2
        body.append(
            f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
            f'fill="{colour_of}">'
            f"<title>{escape(name)}: {_fmt(value)}</title></rect>"
        )
        if len(items) <= 12:
            body.append(
                _text(x + bar_w / 2, top + plot_h - h - 4, _fmt(value), anchor="middle", fill="#212529")
            )
        if i % step == 0:
            short = name[5:] if len(name) == 10 and name[4] == "-" else name
            body.append(_text(x + bar_w / 2, height - 10, escape(short), anchor="middle"))
    body.append(f'<text x="{left - 6}" y="{top + 4}" text-anchor="end" fill="#495057">{_fmt(biggest)}</text>')
    return _svg(width, height, body, label)
