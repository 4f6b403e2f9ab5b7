"""report.html: one page with its charts; plotly.js is a shared file beside it (works offline).

Sections: solver result (status, objective, bound, gap, times, the checker's verdict), a Gantt of
the classes over the year by room, lecturers' load by month (heatmap), room occupancy by month,
observation coverage and the objective by soft goal.
"""

from __future__ import annotations

import datetime as dt
import html
from collections import Counter
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from llct_sched.files import save_text_atomic
from llct_sched.reports.data import ReportData
from llct_sched.reports.labels import Labels

PROGRAM_COLOURS = {"trung_cap": "#c0392b", "so_cap": "#2874a6", "boi_duong": "#28b463"}
BLOC_COLOURS = {"dang": "#28b463", "chinh_quyen": "#d68910", "doan_the": "#8e44ad"}
CONFIG = {"displaylogo": False, "responsive": True}


def _layout(fig: go.Figure, title: str, height: int) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0.01} if title else None,
        height=height,
        margin={"l": 10, "r": 10, "t": 50 if title else 20, "b": 40},
        template="plotly_white",
        font={"family": "Arial, 'Noto Sans', sans-serif", "size": 12},
        legend={"orientation": "h", "y": -0.12},
    )
    return fig


def _short(name: str) -> str:
    """A lecturer's name without the role after the dash, cut to a readable length."""
    text = name.split("—")[0].strip()
    return text if len(text) <= 40 else text[:38] + "…"


def _shade(colour: str, k: int) -> str:
    """Every other class of a colour a little darker, so that adjacent bars stay apart."""
    if k % 2 == 0:
        return colour
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"#{int(r * 0.72):02x}{int(g * 0.72):02x}{int(b * 0.72):02x}"


def _closed_periods(data: ReportData) -> list[tuple[dt.date, dt.date, str, bool]]:
    """Holidays (Tết included) and blackouts, shaded behind the Gantt: (first, last, name, partial).

    `partial`: a gathering limit (only classes above some size are stopped)."""
    cal = data.scenario.calendar
    periods = [(h.start, h.end or h.start, h.name or h.reason, False) for h in cal.holidays]
    periods += [(b.start, b.end, b.name or b.id, b.max_gathering is not None) for b in cal.blackouts]
    return sorted(periods)


def gantt(data: ReportData, lab: Labels) -> go.Figure:
    """The classes over the year, one row per class (its name on the row), one bar per block."""
    fig = go.Figure()
    shown: set[str] = set()
    seen_by_colour: Counter[str] = Counter()
    names: list[str] = []
    for row in data.classes:
        key = (
            row.program.type.value
            if row.program.type.value != "boi_duong" or not row.spec.bloc
            else row.spec.bloc.value
        )
        base = BLOC_COLOURS.get(key) or PROGRAM_COLOURS.get(key, "#7f8c8d")
        colour = _shade(base, seen_by_colour[base])
        seen_by_colour[base] += 1
        legend = (
            lab.enum("program_type", row.program.type) if key in PROGRAM_COLOURS else lab.enum("bloc", row.spec.bloc)
        )
        name = row.spec.name or row.spec.id
        label = html.escape(_short(name))
        if label in names:  # two classes of the same name keep two rows
            label = f"{label} ({html.escape(row.spec.id)})"
        names.append(label)
        for k, seg in enumerate(row.segments):
            start = dt.datetime.combine(seg.first, dt.time(0))
            end = dt.datetime.combine(seg.last + dt.timedelta(days=1), dt.time(0))
            hover = (
                f"<b>{html.escape(name)}</b><br>{lab.date_range(seg.first, seg.last)}"
                f"<br>{lab('col.learners')}: {row.learners}<br>{html.escape(data.room_name(seg.room_id))}"
            )
            last = k == len(row.segments) - 1
            fig.add_trace(
                go.Bar(
                    x=[(end - start).total_seconds() * 1000],
                    base=[start.isoformat()],
                    y=[label],
                    orientation="h",
                    marker={"color": colour, "line": {"color": "#ffffff", "width": 1}},
                    text=[html.escape(data.room_name(seg.room_id)) if last else ""],
                    textposition="outside",
                    textfont={"size": 9, "color": "#444"},
                    cliponaxis=False,
                    name=legend,
                    legendgroup=legend,
                    showlegend=legend not in shown,
                    hovertemplate=hover + "<extra></extra>",
                )
            )
            shown.add(legend)
    for first, last_day, _, partial in _closed_periods(data):
        fig.add_vrect(
            x0=first.isoformat(),
            x1=(last_day + dt.timedelta(days=1)).isoformat(),
            fillcolor="#f5b7b1" if partial else "#7f7f7f",
            opacity=0.25,
            layer="below",
            line_width=0,
        )
    fig.update_layout(barmode="overlay", bargap=0.3)
    cal = data.scenario.calendar
    months = len(data.months)
    fig.update_xaxes(
        type="date",
        range=[cal.start.isoformat(), (cal.end + dt.timedelta(days=1)).isoformat()],
        dtick="M1" if months > 2 else 7 * 86_400_000,
        tickformat="%m/%Y" if months > 2 else "%d/%m",
    )
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(names)), tickfont={"size": 10})
    fig = _layout(fig, "", 160 + 19 * len(names))
    fig.update_layout(
        margin={"l": 10, "r": 110, "t": 50, "b": 40}, legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0}
    )
    return fig


def _closed_table(data: ReportData, lab: Labels) -> str:
    """The shaded periods of the Gantt, named: holidays and Tết, closures, gathering limits."""
    rows = "".join(
        f"<tr><td>{html.escape(lab.date_range(first, last))}</td><td>{html.escape(name)}</td>"
        f"<td>{html.escape(lab('html.gathering_limit') if partial else lab('html.closed'))}</td></tr>"
        for first, last, name, partial in _closed_periods(data)
    )
    head = (
        f"<tr><th>{html.escape(lab('col.dates'))}</th><th>{html.escape(lab('col.item'))}</th>"
        f"<th>{html.escape(lab('col.kind'))}</th></tr>"
    )
    return f"<p class='sub'>{html.escape(lab('html.shaded'))}</p><table class='grid small'>{head}{rows}</table>"


def load_heatmap(data: ReportData, lab: Labels) -> go.Figure:
    months = data.months
    lecturers = [lec for lec in data.scenario.lecturers if data.load.get(lec.id) or lec.kind != "external"]
    empty: Counter[int] = Counter()
    z = [[data.load.get(lec.id, empty)[m] for m in months] for lec in lecturers]
    names = [f"{_short(lec.name or lec.id)} ({lec.id})" for lec in lecturers]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[lab.month(m) for m in months],
            y=names,
            colorscale="YlOrRd",
            texttemplate="%{z}",
            hovertemplate="%{y}<br>%{x}: %{z}<extra></extra>",
            colorbar={"title": {"text": lab("html.axis_sessions")}},
        )
    )
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, "", 140 + 24 * len(lecturers))


def occupancy(data: ReportData, lab: Labels) -> go.Figure:
    months = data.months
    rooms = data.scenario.rooms
    z, text = [], []
    empty: Counter[int] = Counter()
    for room in rooms:
        used, open_ = data.room_used.get(room.id, empty), data.room_open[room.id]
        row = [round(100 * used[m] / open_[m], 1) if open_[m] else 0.0 for m in months]
        z.append(row)
        text.append([f"{used[m]}/{open_[m]}" for m in months])
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[lab.month(m) for m in months],
            y=[data.room_name(r.id) for r in rooms],
            text=text,
            texttemplate="%{z}%",
            colorscale="Blues",
            zmin=0,
            zmax=100,
            hovertemplate="%{y}<br>%{x}: %{z}% (%{text})<extra></extra>",
            colorbar={"title": {"text": "%"}},
        )
    )
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, "", 140 + 40 * len(rooms))


def coverage(data: ReportData, lab: Labels) -> go.Figure:
    lecturers = [lec for lec in data.scenario.lecturers if lec.id in data.required_visits]
    names = [f"{_short(lec.name or lec.id)} ({lec.id})" for lec in lecturers]
    received = [data.visits_received[lec.id] for lec in lecturers]
    required = [data.required_visits[lec.id] for lec in lecturers]
    colours = ["#28b463" if r >= q else "#c0392b" for r, q in zip(received, required, strict=True)]
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            y=names,
            x=received,
            orientation="h",
            name=lab("html.received"),
            marker={"color": colours},
            hovertemplate="%{y}: %{x}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            y=names,
            x=required,
            name=lab("html.required"),
            mode="markers",
            marker={"symbol": "line-ns-open", "size": 18, "color": "#000", "line": {"width": 3}},
            hovertemplate="%{y}: %{x}<extra></extra>",
        )
    )
    top = max(received + required + [1])
    fig.update_xaxes(title={"text": lab("html.axis_visits")}, dtick=1, range=[0, top + 0.5])
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, "", 160 + 24 * len(lecturers))


def breakdown(data: ReportData, lab: Labels) -> go.Figure:
    goals = list(data.report.breakdown)
    costs = [data.report.breakdown[g] for g in goals]
    fig = go.Figure(
        go.Bar(
            x=costs,
            y=[lab.enum("goal", g) for g in goals],
            orientation="h",
            marker={"color": "#2874a6"},
            text=costs,
            textposition="auto",
            hovertemplate="%{y}: %{x}<extra></extra>",
        )
    )
    fig.update_xaxes(title={"text": lab("html.axis_cost")}, rangemode="tozero")
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, "", 380)


def _number(value: Any, fmt: str = "{}") -> str:
    return "—" if value is None else fmt.format(value)


def _table(rows: list[tuple[str, str]]) -> str:
    body = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in rows)
    return f"<table class='facts'>{body}</table>"


def _solver_section(data: ReportData, lab: Labels) -> str:
    summary = data.summary
    report = data.report
    verdict = lab("solver.check_ok") if report.ok else lab("solver.check_failed", n=len(report.violations))
    rows = [
        (lab("solver.scenario"), f"{data.scenario.name}"),
        (lab("solver.status"), lab.enum("status", summary.get("status"))),
        (lab("solver.objective"), _number(summary.get("objective", report.objective))),
        (lab("solver.bound"), _number(summary.get("bound"))),
        (lab("solver.gap"), _number(summary.get("gap"), "{:.2%}")),
        (lab("solver.first_feasible"), _number(summary.get("first_feasible_s"), "{:.2f}")),
        (lab("solver.wall_time"), _number(summary.get("wall_time_s"), "{:.2f}")),
        (lab("title.hard_rules"), f"{verdict}; {lab('solver.objective').lower()} {report.objective}"),
        (lab("solver.classes"), str(len(data.classes))),
        (lab("solver.sessions"), str(len(data.timetable.sessions))),
        (lab("solver.observations"), str(len(data.timetable.observations))),
    ]
    return _table(rows)


def _goal_table(data: ReportData, lab: Labels) -> str:
    weights = data.scenario.weights
    head = (
        f"<tr><th>{html.escape(lab('col.goal'))}</th><th>{html.escape(lab('col.weight'))}</th>"
        f"<th>{html.escape(lab('col.penalty'))}</th><th>{html.escape(lab('col.cost'))}</th></tr>"
    )
    body = ""
    for goal, cost in data.report.breakdown.items():
        weight = getattr(weights, goal, 0)
        penalty = cost // weight if weight else sum(data.report.details.get(goal, {}).values())
        body += (
            f"<tr><td>{html.escape(lab.enum('goal', goal))}</td><td>{weight}</td><td>{penalty}</td><td>{cost}</td></tr>"
        )
    body += (
        f"<tr class='total'><td>{html.escape(lab('total'))}</td><td></td><td></td><td>{data.report.objective}</td></tr>"
    )
    return f"<table class='grid'>{head}{body}</table>"


CSS = """
body{font-family:Arial,'Noto Sans',sans-serif;margin:24px auto;max-width:1200px;color:#222;padding:0 16px}
h1{font-size:22px;margin-bottom:4px} h2{font-size:17px;margin-top:28px;border-bottom:2px solid #2874a6}
.sub{color:#555;margin-top:0} table{border-collapse:collapse;margin:8px 0}
table.facts th{text-align:left;padding:3px 14px 3px 0;font-weight:600} table.facts td{padding:3px 0}
table.grid td,table.grid th{border:1px solid #bbb;padding:3px 10px} table.grid th{background:#ddebf7}
tr.total td{font-weight:600} table.small{font-size:12px} .chart{margin:8px 0 18px 0}
@media print{
 @page{size:A4 landscape;margin:12mm}
 body{max-width:none;margin:0;padding:0}
 .modebar-container,.modebar{display:none!important}
 .chart,table{break-inside:avoid;page-break-inside:avoid}
 h2{break-after:avoid;page-break-after:avoid}
}
"""
PLOTLY_JS = "plotly.min.js"  # written once beside the report, shared by every page of the folder


def render(data: ReportData, lab: Labels) -> str:
    figures = [
        ("gantt", gantt(data, lab)),
        ("load", load_heatmap(data, lab)),
        ("occupancy", occupancy(data, lab)),
        ("coverage", coverage(data, lab)),
        ("breakdown", breakdown(data, lab)),
    ]
    charts = {
        key: "<div class='chart'>"
        + fig.to_html(full_html=False, include_plotlyjs=False, config=CONFIG, div_id=key)
        + "</div>"
        for key, fig in figures
    }
    title = lab("title.report", year=data.year)
    parts = [
        "<!DOCTYPE html>",
        f"<html lang='{lab.lang}'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        f"<title>{html.escape(title)}</title><style>{CSS}</style>",
        f"<script src='{PLOTLY_JS}'></script></head><body>",
        f"<h1>{html.escape(title)}</h1>",
        f"<p class='sub'>{html.escape(data.scenario.title or data.scenario.name)}</p>",
        f"<h2>{html.escape(lab('title.solver'))}</h2>",
        _solver_section(data, lab),
        f"<h2>{html.escape(lab('title.gantt'))}</h2>",
        charts["gantt"],
        _closed_table(data, lab),
        f"<h2>{html.escape(lab('title.load'))}</h2>",
        charts["load"],
        f"<h2>{html.escape(lab('title.occupancy'))}</h2>",
        charts["occupancy"],
        f"<h2>{html.escape(lab('title.coverage'))}</h2>",
        charts["coverage"],
        f"<h2>{html.escape(lab('title.breakdown'))}</h2>",
        charts["breakdown"],
        _goal_table(data, lab),
        "</body></html>",
    ]
    return "\n".join(parts)


def write_plotly_js(folder: Path) -> Path:
    """plotly.js beside the reports (once per folder, not embedded in every page)."""
    path = Path(folder) / PLOTLY_JS
    save_text_atomic(path, get_plotlyjs())
    return path


def write_html(path: Path, data: ReportData, lab: Labels) -> list[Path]:
    """report.html and the shared plotly.js beside it; returns both paths."""
    save_text_atomic(path, render(data, lab))
    return [path, write_plotly_js(Path(path).parent)]
