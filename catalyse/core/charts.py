"""The one chart renderer: accessible SVG built on the server, shared by pages, PDFs and exports.

Every chart is a `Chart`: its SVG markup (`role="img"`, `<title>`, `<desc>`, colours given as presentation
attributes so that it renders the same under the strict CSP, in Typst PDFs and in print) and the same
numbers as a table (`columns`, `rows`), shown next to it by `core/chart.html`. No inline style, no script.

    chart = bar_chart("Catalyseurs par profil", [("Association", 12), ("Entreprise", 3)])
    {% include "core/chart.html" with chart=chart %}
"""

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from html import escape

from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

# Colours with a contrast ratio of at least 3:1 against white (WCAG 1.4.11, graphical objects).
PALETTE = ["#1f5fa8", "#b34700", "#2e7d32", "#8e24aa", "#c62828", "#00695c", "#5d4037", "#37474f"]
TEXT = "#1a1a1a"
GRID = "#767676"
FONT = 'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif"'
WIDTH = 640


@dataclass
class Series:
    name: str
    values: Sequence[float]
    # Optional spread around each value (e.g. the lowest and highest answers around a mean): the radar draws it
    # as a band and the table gives it, so that an average never hides a disagreement.
    low: Sequence[float] | None = None
    high: Sequence[float] | None = None

    @property
    def has_band(self) -> bool:
        return self.low is not None and self.high is not None


@dataclass
class Chart:
    title: str
    description: str
    svg: SafeString
    columns: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)

    def __html__(self) -> str:
        return self.svg

    @property
    def rows_html(self) -> SafeString:
        """The table's body rows (first cell a row header), built here rather than by template loops: a
        ten-year monthly series is hundreds of rows, which the template engine renders ten times slower."""
        def cells(row) -> str:
            return "".join(f'<th scope="row">{_e(cell)}</th>' if i == 0 else f'<td class="num">{_e(cell)}</td>'
                           for i, cell in enumerate(row))

        return mark_safe("".join(f"<tr>{cells(row)}</tr>" for row in self.rows))  # noqa: S308 - cells escaped


def fmt(value: float, digits: int = 1) -> str:
    """French number format: narrow no-break space between thousands, decimal comma, at most `digits` decimals."""
    if value is None:
        return "—"
    value = float(value)
    if value.is_integer():
        return f"{int(value):,}".replace(",", "\u202f")
    text = f"{value:,.{digits}f}".rstrip("0").rstrip(".")
    return text.replace(",", "\u202f").replace(".", ",")


def colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def _e(text) -> str:
    return escape(str(text), quote=True)


def _ident(title: str, payload) -> str:
    return "chart-" + hashlib.sha1(f"{title}|{payload!r}".encode()).hexdigest()[:10]  # noqa: S324 - an id, not security


def _svg(title: str, description: str, width: int, height: int, body: list[str], payload, kind: str) -> SafeString:
    ident = _ident(title, payload)
    return mark_safe(  # noqa: S308 - every text inside went through _e()
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{kind}" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{ident}-t {ident}-d" {FONT} font-size="13" fill="{TEXT}">'
        f'<title id="{ident}-t">{_e(title)}</title><desc id="{ident}-d">{_e(description)}</desc>'
        + "".join(body)
        + "</svg>"
    )


def _empty(title: str, kind: str, columns: list[str]) -> Chart:
    description = "Aucune donnée à représenter."
    body = [f'<text x="{WIDTH / 2}" y="40" text-anchor="middle">{_e(description)}</text>']
    return Chart(title, description, _svg(title, description, WIDTH, 70, body, (), kind), columns, [])


def _nice_max(value: float) -> float:
    """A round upper bound for an axis (1, 2, 4, 8 × 10ⁿ)."""
    if value <= 0:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 4, 8, 10):  # so that quarter ticks stay round
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _summary(pairs: Sequence[tuple[str, float]], unit: str = "") -> str:
    suffix = f" {unit}" if unit else ""
    return "; ".join(f"{label} : {fmt(value)}{suffix}" for label, value in pairs) + "."


def bar_chart(title: str, data: Sequence[tuple[str, float]], *, horizontal: bool = True, unit: str = "",
              value_label: str = "Nombre", description: str = "") -> Chart:
    """One series as bars; horizontal by default (long French labels read better)."""
    columns = ["", value_label]
    if not data:
        return _empty(title, "bar", columns)
    description = description or _summary(data, unit)
    rows = [[str(label), fmt(value)] for label, value in data]
    top = _nice_max(max(v for _, v in data))
    body = []
    if horizontal:
        label_w, bar_h, gap = 220, 22, 10
        plot_w = WIDTH - label_w - 70
        height = len(data) * (bar_h + gap) + gap
        for i, (label, value) in enumerate(data):
            y = gap + i * (bar_h + gap)
            w = max(plot_w * value / top, 0)
            body.append(
                f'<text x="{label_w - 8}" y="{y + bar_h * 0.7:.1f}" text-anchor="end">{_e(_clip(label, 32))}</text>'
                f'<rect class="chart-bar" x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{colour(0)}">'
                f"<title>{_e(label)} : {_e(fmt(value))}</title></rect>"
                f'<text x="{label_w + w + 6:.1f}" y="{y + bar_h * 0.7:.1f}">{_e(fmt(value))}</text>'
            )
        return Chart(title, description, _svg(title, description, WIDTH, height, body, data, "bar"), columns, rows)
    return grouped_bar_chart(title, [str(label) for label, _ in data], [Series(value_label, [v for _, v in data])],
                             unit=unit, description=description)


def grouped_bar_chart(title: str, categories: Sequence[str], series: Sequence[Series], *, stacked: bool = False,
                      unit: str = "", description: str = "") -> Chart:
    """Vertical bars per category, one bar per series side by side, or stacked."""
    columns = ["", *[s.name for s in series]] + (["Total"] if stacked else [])
    if not categories or not series:
        return _empty(title, "stacked" if stacked else "grouped", columns)
    totals = [sum(s.values[i] for s in series) for i in range(len(categories))]
    rows = [[str(c), *[fmt(s.values[i]) for s in series]] + ([fmt(totals[i])] if stacked else [])
            for i, c in enumerate(categories)]
    description = description or "; ".join(
        f"{c} : " + ", ".join(f"{s.name} {fmt(s.values[i])}" for s in series) for i, c in enumerate(categories)
    ) + "."
    top = _nice_max(max(totals) if stacked else max(max(s.values) for s in series))
    left, right, top_pad, bottom = 50, 10, 16, 60
    legend_h = 24 if len(series) > 1 else 0
    height = 300 + legend_h
    plot_h = height - top_pad - bottom - legend_h
    plot_w = WIDTH - left - right
    slot = plot_w / len(categories)
    body = _y_axis(left, top_pad, plot_w, plot_h, top)
    for i, category in enumerate(categories):
        x0 = left + i * slot
        base = 0.0
        n = 1 if stacked else len(series)
        bar_w = min(slot * 0.7 / n, 60)
        start = x0 + (slot - bar_w * n) / 2
        for j, s in enumerate(series):
            value = s.values[i]
            h = plot_h * value / top
            x = start if stacked else start + j * bar_w
            y = top_pad + plot_h - h - (plot_h * base / top if stacked else 0)
            body.append(
                f'<rect class="chart-bar" x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                f'fill="{colour(j)}"><title>{_e(category)}, {_e(s.name)} : {_e(fmt(value))}</title></rect>'
            )
            if not stacked and value:
                body.append(f'<text x="{x + bar_w / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle" '
                            f'font-size="11">{_e(fmt(value))}</text>')
            base += value
        if stacked:
            y_total = top_pad + plot_h - plot_h * totals[i] / top
            body.append(f'<text x="{x0 + slot / 2:.1f}" y="{y_total - 4:.1f}" text-anchor="middle" '
                        f'font-size="11">{_e(fmt(totals[i]))}</text>')
        body.append(f'<text x="{x0 + slot / 2:.1f}" y="{top_pad + plot_h + 18}" text-anchor="middle" '
                    f'font-size="12">{_e(_clip(category, max(4, int(slot / 7))))}</text>')
    body += _legend(series, height - legend_h + 4) if legend_h else []
    kind = "stacked" if stacked else "grouped"
    payload = (tuple(categories), tuple((s.name, tuple(s.values)) for s in series), stacked)
    return Chart(title, description, _svg(title, description, WIDTH, height, body, payload, kind), columns, rows)


def line_chart(title: str, labels: Sequence[str], series: Sequence[Series], *, area: bool = False,
               unit: str = "", description: str = "") -> Chart:
    """Values over time (labels are the x positions, e.g. years); `area` fills under the first series."""
    columns = ["", *[s.name for s in series]]
    if not labels or not series:
        return _empty(title, "line", columns)
    rows = [[str(label), *[fmt(s.values[i]) for s in series]] for i, label in enumerate(labels)]
    description = description or " ".join(
        f"{s.name} : " + ", ".join(f"{label} {fmt(s.values[i])}" for i, label in enumerate(labels)) + "."
        for s in series
    )
    top = _nice_max(max(max(s.values) for s in series))
    left, right, top_pad, bottom = 50, 20, 16, 40
    legend_h = 24 if len(series) > 1 else 0
    height = 280 + legend_h
    plot_h = height - top_pad - bottom - legend_h
    plot_w = WIDTH - left - right
    step = plot_w / max(len(labels) - 1, 1)
    body = _y_axis(left, top_pad, plot_w, plot_h, top)
    every = max(1, math.ceil(len(labels) / 12))  # at most a dozen x labels
    for i, label in enumerate(labels):
        if i % every == 0 or i == len(labels) - 1:
            body.append(f'<text x="{left + i * step:.1f}" y="{top_pad + plot_h + 18}" text-anchor="middle" '
                        f'font-size="12">{_e(label)}</text>')
    for j, s in enumerate(series):
        points = [(left + i * step, top_pad + plot_h - plot_h * v / top) for i, v in enumerate(s.values)]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        if area and j == 0:
            floor_y = top_pad + plot_h
            body.append(f'<polygon class="chart-area" points="{points[0][0]:.1f},{floor_y} {path} '
                        f'{points[-1][0]:.1f},{floor_y}" fill="{colour(j)}" fill-opacity="0.2"/>')
        body.append(f'<polyline class="chart-line" points="{path}" fill="none" stroke="{colour(j)}" '
                    f'stroke-width="2.5"/>')
        for (x, y), label, value in zip(points, labels, s.values, strict=True):
            body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour(j)}">'
                        f"<title>{_e(s.name)}, {_e(label)} : {_e(fmt(value))}</title></circle>")
        last_x, last_y = points[-1]
        body.append(f'<text x="{last_x:.1f}" y="{last_y - 8:.1f}" text-anchor="end" font-size="12">'
                    f"{_e(fmt(s.values[-1]))}</text>")
    body += _legend(series, height - legend_h + 4) if legend_h else []
    payload = (tuple(labels), tuple((s.name, tuple(s.values)) for s in series), area)
    return Chart(title, description, _svg(title, description, WIDTH, height, body, payload, "line"), columns, rows)


def donut_chart(title: str, data: Sequence[tuple[str, float]], *, unit: str = "", value_label: str = "Nombre",
                description: str = "") -> Chart:
    """Shares of a whole, with the percentage of each part in the legend and the table."""
    columns = ["", value_label, "Part"]
    total = sum(v for _, v in data)
    if not data or total <= 0:
        return _empty(title, "donut", columns)
    rows = [[str(label), fmt(v), f"{round(100 * v / total)} %"] for label, v in data]
    description = description or "; ".join(
        f"{label} : {fmt(v)} ({round(100 * v / total)} %)" for label, v in data
    ) + f". Total : {fmt(total)}."
    cx, cy, outer, inner = 130, 130, 110, 62
    height = max(260, 30 + 24 * len(data))
    body, angle = [], -math.pi / 2
    for i, (label, value) in enumerate(data):
        sweep = 2 * math.pi * value / total
        tip = f"<title>{_e(label)} : {_e(fmt(value))} ({round(100 * value / total)} %)</title>"
        if value >= total:  # a full ring cannot be drawn with one arc
            body.append(f'<circle cx="{cx}" cy="{cy}" r="{(outer + inner) / 2}" fill="none" stroke="{colour(i)}" '
                        f'stroke-width="{outer - inner}">{tip}</circle>')
        elif value > 0:
            body.append(f'<path class="chart-slice" d="{_ring_arc(cx, cy, outer, inner, angle, angle + sweep)}" '
                        f'fill="{colour(i)}" stroke="#ffffff" stroke-width="1">{tip}</path>')
        angle += sweep
        y = 30 + 24 * i
        body.append(f'<rect x="290" y="{y - 12}" width="14" height="14" fill="{colour(i)}"/>'
                    f'<text x="312" y="{y}">{_e(_clip(label, 34))} — {_e(fmt(value))} '
                    f"({round(100 * value / total)} %)</text>")
    body.append(f'<text x="{cx}" y="{cy + 6}" text-anchor="middle" font-size="20" font-weight="bold">'
                f"{_e(fmt(total))}</text>")
    return Chart(title, description, _svg(title, description, WIDTH, height, body, tuple(data), "donut"),
                 columns, rows)


def radar_chart(title: str, axes: Sequence[str], series: Sequence[Series], *, maximum: float | None = None,
                description: str = "") -> Chart:
    """Several series over the same axes (e.g. a cooperation-maturity self-assessment); needs 3+ axes.

    A series with `low` and `high` is drawn as a band from low to high around its line, with a whisker on each
    axis, and its table cells read "value (low–high)"."""
    columns = ["", *[s.name + (" (min–max)" if s.has_band else "") for s in series]]
    if len(axes) < 3 or not series:
        return _empty(title, "radar", columns)

    def cell(s: Series, i: int) -> str:
        if s.values[i] is None:
            return "—"
        return f"{fmt(s.values[i])} ({fmt(s.low[i])}–{fmt(s.high[i])})" if s.has_band else fmt(s.values[i])

    rows = [[str(a), *[cell(s, i) for s in series]] for i, a in enumerate(axes)]
    description = description or " ".join(
        f"{s.name} : " + ", ".join(f"{a} {cell(s, i)}" for i, a in enumerate(axes)) + "." for s in series
    )
    top = maximum or _nice_max(max(max((s.high if s.has_band else s.values)[i] or 0 for i in range(len(axes)))
                                   for s in series))
    legend_h = 24 if len(series) > 1 else 0
    height = 400 + legend_h
    cx, cy, radius = WIDTH / 2, 200, 140

    def at(i: int, r: float) -> tuple[float, float]:
        a = -math.pi / 2 + 2 * math.pi * i / len(axes)
        return cx + r * math.cos(a), cy + r * math.sin(a)

    def point(i: int, v) -> tuple[float, float]:
        return at(i, radius * min(max(v or 0, 0) / top, 1))

    def polygon(points) -> str:
        return " ".join(f"{x:.1f},{y:.1f}" for x, y in points)

    body = []
    for level in (0.25, 0.5, 0.75, 1):
        ring = " ".join(f"{x:.1f},{y:.1f}" for x, y in (at(i, radius * level) for i in range(len(axes))))
        body.append(f'<polygon points="{ring}" fill="none" stroke="{GRID}" stroke-width="0.5"/>')
    body.append(f'<text x="{cx + 4:.1f}" y="{cy - radius + 12:.1f}" font-size="11">{_e(fmt(top))}</text>')
    for i, name in enumerate(axes):
        x, y = at(i, radius)
        lx, ly = at(i, radius + 18)
        anchor = "middle" if abs(lx - cx) < 10 else ("start" if lx > cx else "end")
        lines = _wrap(name, 18)
        # above the centre the lines grow upwards, below downwards, at the sides around the axis's end
        shift = 14 if ly < cy - 10 else 0 if ly > cy + 10 else 7
        top_y = ly + 4 - shift * (len(lines) - 1)
        spans = "".join(f'<tspan x="{lx:.1f}" y="{top_y + 14 * k:.1f}">{_e(line)}</tspan>'
                        for k, line in enumerate(lines))
        body.append(f'<line x1="{cx}" y1="{cy}" x2="{x:.1f}" y2="{y:.1f}" stroke="{GRID}" stroke-width="0.5"/>'
                    f'<text text-anchor="{anchor}" font-size="12">{spans}</text>')
    for j, s in enumerate(series):
        if s.has_band:
            high = polygon(point(i, v) for i, v in enumerate(s.high))
            low = polygon(point(i, v) for i, v in enumerate(s.low))
            body.append(f'<path class="chart-band" d="M {high} Z M {low} Z" fill="{colour(j)}" fill-opacity="0.22" '
                        f'fill-rule="evenodd" stroke="{colour(j)}" stroke-width="0.8" stroke-dasharray="3 2">'
                        f"<title>{_e(s.name)} : de la réponse la plus basse à la plus haute</title></path>")
            for i, (lo, hi) in enumerate(zip(s.low, s.high, strict=True)):
                (x1, y1), (x2, y2) = point(i, lo), point(i, hi)
                body.append(f'<line class="chart-whisker" x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
                            f'stroke="{colour(j)}" stroke-width="3"><title>{_e(s.name)}, {_e(axes[i])} : '
                            f"{_e(fmt(lo))}–{_e(fmt(hi))}</title></line>")
        pts = [point(i, v) for i, v in enumerate(s.values)]
        body.append(f'<polygon class="chart-radar" points="{polygon(pts)}" '
                    f'fill="{colour(j)}" fill-opacity="{0.05 if s.has_band else 0.2}" stroke="{colour(j)}" '
                    f'stroke-width="2"/>')
        for i, ((x, y), a) in enumerate(zip(pts, axes, strict=True)):
            body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour(j)}">'
                        f"<title>{_e(s.name)}, {_e(a)} : {_e(cell(s, i))}</title></circle>")
    body += _legend(series, height - legend_h + 4) if legend_h else []
    payload = (tuple(axes), tuple((s.name, tuple(s.values), tuple(s.low or ()), tuple(s.high or ()))
                                  for s in series), top)
    return Chart(title, description, _svg(title, description, WIDTH, height, body, payload, "radar"), columns, rows)


@dataclass
class TimeSeries:
    """Dated values; `dashed` for a plan (a target line) rather than observations."""

    name: str
    points: Sequence[tuple[date, float]]
    dashed: bool = False


@dataclass
class Rule:
    """A vertical rule at a date: a break (a new definition, an event), labelled on the chart and in the table."""

    day: date
    label: str


@dataclass
class Reference:
    """A horizontal reference line at a value (a final target, a threshold)."""

    value: float
    label: str


def _day(day: date, _cache: dict = {}) -> str:  # noqa: B006 - a memo: formatting dates dominates long series
    key = (day, get_language())
    if key not in _cache:
        if len(_cache) > 50_000:
            _cache.clear()
        _cache[key] = date_format(day, "SHORT_DATE_FORMAT")
    return _cache[key]


def _date_ticks(first: date, last: date) -> list[tuple[date, str]]:
    """Round dates along the axis: the 1st of January of every year (or every few years) on long spans, the 1st of
    every month (or quarter) on short ones; at most a dozen."""
    span = (last - first).days
    if span > 2 * 365:
        step = max(1, math.ceil((last.year - first.year + 1) / 10))
        years = range(first.year + (first != date(first.year, 1, 1)), last.year + 1, step)
        return [(date(y, 1, 1), str(y)) for y in years]
    months = max(1, math.ceil(span / 30 / 10))
    months = next(m for m in (1, 2, 3, 6, 12) if m >= months)
    ticks, y, m = [], first.year, first.month + (first.day != 1)
    while True:
        y, m = y + (m - 1) // 12, (m - 1) % 12 + 1
        tick = date(y, m, 1)
        if tick > last:
            return ticks
        if (m - 1) % months == 0:
            ticks.append((tick, date_format(tick, "M Y")))
        m += 1


def time_chart(title: str, series: Sequence[TimeSeries], *, rules: Sequence[Rule] = (),
               references: Sequence[Reference] = (), levels: Sequence[str] = (), unit: str = "",
               note: str = "", date_label: str = "Date", description: str = "") -> Chart:
    """Values on a true time axis (dates placed by their distance in days, so a straight segment between two
    points is the linear interpolation between them), with vertical `rules` at dates (breaks) and horizontal
    `references` (targets). `levels` names the values 1..n of an ordinal scale: the y axis and the table then
    show the labels. `note` is a short text shown in the top right corner (e.g. the desired direction).

    The table has one row per date (each series' value at that date, or —), the rules' labels in a last
    column, and one row per reference line."""
    # Colours follow the series' place in the call, so that an empty one does not repaint the others.
    colours = {s.name: colour(j) for j, s in enumerate(series)}
    series = [s for s in series if s.points]
    columns = [date_label, *[s.name for s in series]] + (["Repère"] if rules or references else [])
    if not series:
        return _empty(title, "time", columns)

    def show(value) -> str:
        if value is None:
            return "—"
        if levels and float(value).is_integer() and 1 <= value <= len(levels):
            return f"{int(value)} — {levels[int(value) - 1]}"
        return fmt(value, 2) + (f" {unit}" if unit and unit != "%" else " %" if unit == "%" else "")

    days = sorted({d for s in series for d, _ in s.points} | {r.day for r in rules})
    by_series = [dict(s.points) for s in series]
    notes: dict[date, list[str]] = {}
    for rule in rules:
        notes.setdefault(rule.day, []).append(rule.label)
    rows = [[_day(d), *[show(values.get(d)) for values in by_series]] + (["; ".join(notes.get(d, []))]
            if len(columns) > len(series) + 1 else []) for d in days]
    rows += [[ref.label, *["—" for _ in series], show(ref.value)] for ref in references]

    values = [float(v) for s in series for _, v in s.points] + [float(r.value) for r in references]
    if levels:
        low, high = 1.0, float(max(len(levels), *values))
        ticks = [(float(i), _clip(label, 18)) for i, label in enumerate(levels, start=1)]
    else:
        high = _nice_max(max(max(values), 0))
        low = -_nice_max(-min(values)) if min(values) < 0 else 0.0
        ticks = [(low + (high - low) * k / 4, fmt(low + (high - low) * k / 4)) for k in range(5)]
    first, last = days[0], days[-1]
    if first == last:
        first, last = first - timedelta(days=15), last + timedelta(days=15)
    left = 140 if levels else 56
    right, top_pad, bottom = 20, 28, 40
    legend_h = 24
    height = 300 + legend_h
    plot_h = height - top_pad - bottom - legend_h
    plot_w = WIDTH - left - right

    def x_of(day: date) -> float:
        return left + plot_w * (day - first).days / (last - first).days

    def y_of(value) -> float:
        span = (high - low) or 1
        return top_pad + plot_h - plot_h * (float(value) - low) / span

    body = []
    for value, label in ticks:
        y = y_of(value)
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="{GRID}" '
                    f'stroke-width="{1 if value == low else 0.4}"/>'
                    f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11">{_e(label)}</text>')
    for tick, label in _date_ticks(first, last):
        x = x_of(tick)
        anchor = "end" if x > left + plot_w - 30 else "middle"  # the last label stays inside the picture
        body.append(f'<text x="{x:.1f}" y="{top_pad + plot_h + 18}" text-anchor="{anchor}" '
                    f'font-size="12">{_e(label)}</text>')
    for ref in references:
        y = y_of(ref.value)
        body.append(f'<line class="chart-reference" x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" '
                    f'stroke="{TEXT}" stroke-width="1" stroke-dasharray="2 3"><title>{_e(ref.label)} : '
                    f'{_e(show(ref.value))}</title></line>'
                    f'<text x="{left + plot_w}" y="{y - 4:.1f}" text-anchor="end" font-size="11">'
                    f"{_e(ref.label)} : {_e(show(ref.value))}</text>")
    for rule in rules:
        x = x_of(rule.day)
        body.append(f'<line class="chart-rule" x1="{x:.1f}" y1="{top_pad - 12}" x2="{x:.1f}" '
                    f'y2="{top_pad + plot_h}" stroke="{TEXT}" stroke-width="1.5"><title>{_e(rule.label)} '
                    f"({_e(_day(rule.day))})</title></line>"
                    f'<text x="{x + 4:.1f}" y="{top_pad - 2}" font-size="11">{_e(_clip(rule.label, 40))}</text>')
    for s in series:
        points = [(x_of(d), y_of(v), d, v) for d, v in sorted(s.points)]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _, _ in points)
        dash = ' stroke-dasharray="6 4"' if s.dashed else ""
        body.append(f'<polyline class="chart-line" points="{path}" fill="none" stroke="{colours[s.name]}" '
                    f'stroke-width="{2 if s.dashed else 2.5}"{dash}/>')
        if not s.dashed:
            for x, y, d, v in points:
                body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colours[s.name]}">'
                            f"<title>{_e(s.name)}, {_e(_day(d))} : {_e(show(v))}</title></circle>")
    if note:  # beside the legend, away from the reference labels at the top
        body.append(f'<text x="{WIDTH - right}" y="{height - legend_h + 15}" text-anchor="end" font-size="12">'
                    f"{_e(note)}</text>")
    x, legend_y = 50.0, height - legend_h
    for s in series:
        body.append(f'<rect x="{x:.1f}" y="{legend_y + 4}" width="12" height="12" fill="{colours[s.name]}"/>'
                    f'<text x="{x + 16:.1f}" y="{legend_y + 15}" font-size="12">{_e(_clip(s.name, 30))}</text>')
        x += 28 + 7 * min(len(s.name), 30)
    if not description:
        parts = []
        for s in series:
            (d0, v0), (d1, v1) = min(s.points), max(s.points)
            parts.append(f"{s.name} : {len(s.points)} point(s) du {_day(d0)} au {_day(d1)}, "
                         f"de {show(v0)} à {show(v1)}.")
        parts += [f"{r.label} : {show(r.value)}." for r in references]
        parts += [f"{r.label} le {_day(r.day)}." for r in rules]
        description = " ".join(([note + "."] if note else []) + parts)
    payload = (tuple((s.name, tuple(s.points), s.dashed) for s in series), tuple((r.day, r.label) for r in rules),
               tuple((r.value, r.label) for r in references), tuple(levels), unit, note)
    return Chart(title, description, _svg(title, description, WIDTH, height, body, payload, "time"), columns, rows)


@dataclass
class Segment:
    """A stretch of a lane, from `start` to `end` (dates); `thin` for a background presence bar."""

    start: date
    end: date
    colour: str
    label: str
    thin: bool = False
    text: str = ""  # short text written inside when it fits (e.g. a level)


@dataclass
class Mark:
    """A dated event on a lane: `symbol` is circle, triangle, cross, diamond or square."""

    day: date
    symbol: str
    label: str
    colour: str = TEXT


@dataclass
class Lane:
    label: str
    segments: Sequence[Segment] = ()
    marks: Sequence[Mark] = ()


def _symbol(kind: str, x: float, y: float, fill: str, tip: str) -> str:
    tip = f"<title>{_e(tip)}</title>"
    if kind == "triangle":
        return f'<polygon points="{x:.1f},{y - 6:.1f} {x + 6:.1f},{y + 5:.1f} {x - 6:.1f},{y + 5:.1f}" ' \
               f'fill="{fill}" stroke="#ffffff" stroke-width="1">{tip}</polygon>'
    if kind == "cross":
        return (f'<path d="M {x - 5:.1f} {y - 5:.1f} L {x + 5:.1f} {y + 5:.1f} M {x - 5:.1f} {y + 5:.1f} '
                f'L {x + 5:.1f} {y - 5:.1f}" stroke="{fill}" stroke-width="3">{tip}</path>')
    if kind == "diamond":
        return f'<polygon points="{x:.1f},{y - 6:.1f} {x + 6:.1f},{y:.1f} {x:.1f},{y + 6:.1f} {x - 6:.1f},{y:.1f}" ' \
               f'fill="{fill}" stroke="#ffffff" stroke-width="1">{tip}</polygon>'
    if kind == "square":
        return f'<rect x="{x - 5:.1f}" y="{y - 5:.1f}" width="10" height="10" fill="{fill}">{tip}</rect>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="#ffffff" stroke="{fill}" stroke-width="2.5">{tip}</circle>'


def lane_chart(title: str, lanes: Sequence[Lane], *, start: date, end: date,
               legend: Sequence[tuple[str, str, str]] = (), description: str = "") -> Chart:
    """A timeline with one lane per subject (e.g. a partner): coloured stretches over time and dated marks.

    `legend` lists (symbol or "bar", colour, label). The table gives each lane's stretches and marks in words."""
    columns = ["", "Périodes", "Repères"]
    if not lanes or end <= start:
        return _empty(title, "lanes", columns)
    rows = [[lane.label, "; ".join(seg.label for seg in lane.segments) or "—",
             "; ".join(mark.label for mark in lane.marks) or "—"] for lane in lanes]
    description = description or " ".join(f"{row[0]} : {row[1]} ; {row[2]}." for row in rows)
    label_w, right, top_pad, lane_h = 150, 14, 26, 34
    plot_w = WIDTH - label_w - right
    span = (end - start).days

    def x_of(day: date) -> float:
        return label_w + plot_w * min(max((day - start).days, 0), span) / span

    legend_rows = math.ceil(len(legend) / 3)
    height = top_pad + lane_h * len(lanes) + 8 + 22 * legend_rows
    bottom = top_pad + lane_h * len(lanes)
    body = []
    for year in range(start.year + (start != date(start.year, 1, 1)), end.year + 1):
        x = x_of(date(year, 1, 1))
        body.append(f'<line x1="{x:.1f}" y1="{top_pad - 6}" x2="{x:.1f}" y2="{bottom}" stroke="{GRID}" '
                    f'stroke-width="0.5"/><text x="{x + 3:.1f}" y="{top_pad - 10}" font-size="11">{year}</text>')
    for k, lane in enumerate(lanes):
        y = top_pad + k * lane_h
        body.append(f'<text x="{label_w - 8}" y="{y + lane_h / 2 + 4:.1f}" text-anchor="end" font-size="12">'
                    f"{_e(_clip(lane.label, 20))}</text>"
                    f'<line x1="{label_w}" y1="{y + lane_h:.1f}" x2="{WIDTH - right}" y2="{y + lane_h:.1f}" '
                    f'stroke="{GRID}" stroke-width="0.3"/>')
        for seg in lane.segments:
            x1, x2 = x_of(seg.start), x_of(seg.end)
            w = max(x2 - x1, 1.5)
            top, h = (y + lane_h - 9, 4) if seg.thin else (y + 6, 16)
            body.append(f'<rect class="chart-segment" x="{x1:.1f}" y="{top:.1f}" width="{w:.1f}" height="{h}" '
                        f'fill="{seg.colour}"><title>{_e(seg.label)}</title></rect>')
            if seg.text and not seg.thin and w >= 14:
                body.append(f'<text x="{x1 + w / 2:.1f}" y="{y + 18:.1f}" text-anchor="middle" font-size="11" '
                            f'fill="#ffffff">{_e(seg.text)}</text>')
        for mark in lane.marks:
            body.append(_symbol(mark.symbol, x_of(mark.day), y + lane_h - 7, mark.colour, mark.label))
    for n, (symbol, fill, label) in enumerate(legend):
        lx, ly = 10 + (n % 3) * 210, bottom + 20 + 22 * (n // 3)
        key = (f'<rect x="{lx:.1f}" y="{ly - 11}" width="14" height="12" fill="{fill}"/>' if symbol == "bar"
               else _symbol(symbol, lx + 7, ly - 5, fill, label))
        body.append(key + f'<text x="{lx + 20:.1f}" y="{ly}" font-size="12">{_e(_clip(label, 28))}</text>')
    payload = (tuple((lane.label, tuple((s.start, s.end, s.label) for s in lane.segments),
                      tuple((m.day, m.label) for m in lane.marks)) for lane in lanes), start, end)
    return Chart(title, description, _svg(title, description, WIDTH, height, body, payload, "lanes"), columns, rows)


def _y_axis(left: float, top_pad: float, plot_w: float, plot_h: float, top: float) -> list[str]:
    out = []
    for k in range(5):
        value = top * k / 4
        y = top_pad + plot_h - plot_h * k / 4
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="{GRID}" '
                   f'stroke-width="{1 if k == 0 else 0.4}"/>'
                   f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11">{_e(fmt(value))}</text>')
    return out


def _legend(series: Sequence[Series], y: float) -> list[str]:
    out, x = [], 50.0
    for j, s in enumerate(series):
        out.append(f'<rect x="{x:.1f}" y="{y}" width="12" height="12" fill="{colour(j)}"/>'
                   f'<text x="{x + 16:.1f}" y="{y + 11}" font-size="12">{_e(_clip(s.name, 30))}</text>')
        x += 28 + 7 * min(len(s.name), 30)
    return out


def _ring_arc(cx: float, cy: float, outer: float, inner: float, start: float, end: float) -> str:
    large = 1 if end - start > math.pi else 0

    def p(r: float, a: float) -> str:
        return f"{cx + r * math.cos(a):.2f} {cy + r * math.sin(a):.2f}"

    return (f"M {p(outer, start)} A {outer} {outer} 0 {large} 1 {p(outer, end)} "
            f"L {p(inner, end)} A {inner} {inner} 0 {large} 0 {p(inner, start)} Z")


def _wrap(text, width: int, lines: int = 2) -> list[str]:
    """`text` on at most `lines` lines of about `width` characters, cut between words; the last one clipped."""
    out: list[str] = []
    for word in str(text).split():
        if out and len(out[-1]) + 1 + len(word) <= width or (out and len(out) == lines):
            out[-1] += " " + word
        else:
            out.append(word)
    return [_clip(line, width + 4) for line in out] or [""]


def _clip(text, length: int) -> str:
    text = str(text)
    return text if len(text) <= length else text[: length - 1] + "…"
