"""Issue 29's figures in one command: fair variants, proofs on centers, province scale, many centers.

    python benchmarks/studies/2026-12-05-performance-round-2/run.py

runs every part below on this machine and writes, into this folder, one CSV per part and
`summary.md` (each target with the measured figure and whether it is met). Parts (`--parts`):

- `variants`: the default plan, the plan without the spring 2020 measures (it only relaxes the
  base) and the third trung cấp class, compared from the base's timetable (`batch.compare`),
  seeds 0-2, 30 s, 1 worker: the relaxing variant must never report worse than its base.
- `centers`: `generate_center(share, seed)` at shares 0.1-0.5 and seeds 0-19, 30 s, 2 workers:
  proven optimal for at least 18 of 20 per share, the rest at gap <= 1 %.
- `scale`: `generate_scenario(10, seed, per_center=True)` at seeds 0-2 for 300 s (gap <= 3 %) and
  scale 20 for 600 s (first timetable <= 120 s, gap <= 8 %, <= 8 GB); one process per run, its
  peak resident memory measured.
- `province`: `generate_province(10, seed)` at seeds 0-2 (ten centers sharing the provincial
  lecturers), independent and resolved by decomposition (2 solves in flight, 30 s each, 1 worker).
- `itc` (not in the default set: 21 instances x 3 seeds x 300 s is over five hours on 2 cores):
  `benchmarks/itc2007/run.py --engine dedicated --time-limit 300 --seeds 0 1 2`.

A part's CSV is read back before it runs: rows already there are kept and not run again
(`--fresh` starts over), so a long study can be stopped and continued. Every timetable is checked by
the independent checker; a row that is not checked ok says so. Timings depend on the machine:
run it on a quiet one.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from types import ModuleType
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
VARIANTS = ROOT / "examples" / "variants"
SHARES = (0.1, 0.2, 0.3, 0.4, 0.5)


def _study(folder: str) -> ModuleType:
    """The run.py of an earlier study (its row functions are reused, so the columns stay the same)."""
    path = HERE.parent / folder / "run.py"
    spec = importlib.util.spec_from_file_location(folder.replace("-", "_"), path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Table:
    """A part's CSV: rows keyed by `case`, read back on start, written whole after every new row."""

    def __init__(self, path: Path, fresh: bool) -> None:
        self.path = path
        self.rows: dict[str, dict[str, Any]] = {}
        if path.exists() and not fresh:
            with path.open(newline="", encoding="utf-8") as handle:
                self.rows = {row["case"]: row for row in csv.DictReader(handle)}

    def run(self, case: str, measure: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        if case not in self.rows:
            row = {"case": case, **measure()}
            print(json.dumps(row, default=str, ensure_ascii=False), flush=True)
            self.rows[case] = row
            self._write()
        return self.rows[case]

    def _write(self) -> None:
        columns: list[str] = []
        for row in self.rows.values():
            columns += [c for c in row if c not in columns]
        tmp = self.path.with_suffix(".csv.tmp")
        with tmp.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns)
            writer.writeheader()
            writer.writerows(self.rows.values())
        tmp.replace(self.path)


def number(value: Any) -> float | None:
    return None if value in (None, "", "None") else float(value)


def median(values: Iterable[Any]) -> float | None:
    known = [v for v in (number(x) for x in values) if v is not None]
    return statistics.median(known) if known else None


def fmt(value: float | None, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}g}"


# --- parts: each returns its summary's markdown lines ----------------------------------------


def part_variants(table: Table, limit: float, seeds: list[int]) -> list[str]:
    from llct_sched.batch import compare
    from llct_sched.scenario.loading import load_scenario, load_variant

    names = {"plan_without_covid": "relaxes the base", "third_tc_class": "adds a class"}
    missing = [s for s in seeds if f"base_seed{s}" not in table.rows]
    if missing:
        base = load_scenario("hoang_mai_2020")
        variants = [(name, load_variant(VARIANTS / f"{name}.yaml").scenario) for name in names]
        for row in compare(base, variants, seeds=missing, time_limit=limit, workers=1):
            keep = {k: v for k, v in row.items() if k != "timetable_json"}
            table.run(f"{row['variant']}_seed{row['seed']}", lambda keep=keep: keep)
    rows = list(table.rows.values())
    lines = ["| seed | base | plan_without_covid | third_tc_class |", "|---|---|---|---|"]
    never_worse = True
    for seed in seeds:
        cells = {}
        for label in ("base", *names):
            row = table.rows.get(f"{label}_seed{seed}", {})
            gap = number(row.get("gap"))
            cells[label] = f"{row.get('status', '-')} {row.get('objective', '-')}" + (
                f" (gap {gap:.1%})" if gap else ""
            )
        base_obj = number(table.rows.get(f"base_seed{seed}", {}).get("objective"))
        relaxed = number(table.rows.get(f"plan_without_covid_seed{seed}", {}).get("objective"))
        never_worse &= base_obj is not None and relaxed is not None and relaxed <= base_obj
        lines.append(f"| {seed} | {cells['base']} | {cells['plan_without_covid']} | {cells['third_tc_class']} |")
    verdict = "met" if never_worse and rows else "NOT met"
    return [f"Target: the relaxing variant never worse than its base: **{verdict}**.", "", *lines]


def part_centers(table: Table, limit: float, seeds: list[int], shares: list[float]) -> list[str]:
    from llct_sched.solve import SolveParams

    staffing = _study("2026-12-04-staffing")
    params = SolveParams(time_limit=limit, workers=2, seed=0)
    for share in shares:
        for seed in seeds:
            case = f"center_share{share}_seed{seed}"
            table.run(case, lambda share=share, seed=seed, case=case: _center_row(staffing, case, share, seed, params))
    lines = [
        "| share | cases | proven optimal | rest at gap <= 1 % | largest gap | median wall s | checked ok | target |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for share in shares:
        rows = [table.rows[f"center_share{share}_seed{s}"] for s in seeds]
        proven = sum(1 for r in rows if r["status"] == "OPTIMAL")
        rest = [number(r["gap"]) for r in rows if r["status"] != "OPTIMAL"]
        within = sum(1 for g in rest if g is not None and g <= 0.01)
        largest = max((g for g in rest if g is not None), default=0.0)
        ok = sum(1 for r in rows if str(r["check_ok"]) == "True")
        met = proven >= 0.9 * len(rows) and within == len(rest) and ok == len(rows)
        lines.append(
            f"| {share} | {len(rows)} | {proven} | {within} of {len(rest)} | {largest:.1%} | "
            f"{fmt(median(r['wall_time_s'] for r in rows))} | {ok} | {'met' if met else 'NOT met'} |"
        )
    return lines


def _center_row(staffing: ModuleType, case: str, share: float, seed: int, params: Any) -> dict[str, Any]:
    from llct_sched.scenario.generate import generate_center

    row = staffing.run(case, generate_center(share, seed)[0], params)
    return {k: v for k, v in row.items() if k != "case"}


SCALE_CHILD = r"""
import json, resource, sys, time
started = time.perf_counter()
from llct_sched.check import check
from llct_sched.scenario.generate import generate_scenario
from llct_sched.solve import SolveParams, solve
scale, seed, limit, workers = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
scenario = generate_scenario(scale, seed=seed, per_center=True)
result = solve(scenario, SolveParams(time_limit=limit, workers=workers, seed=0))
report = check(scenario, result.timetable) if result.timetable is not None else None
print(json.dumps({"classes": len(scenario.classes), "status": result.status, "objective": result.objective,
    "bound": result.bound, "gap": result.gap, "first_feasible_s": result.first_feasible_s,
    "wall_time_s": result.wall_time_s, "process_s": round(time.perf_counter() - started, 1),
    "check_ok": report.ok if report else None,
    "check_objective": report.objective if report else None,
    "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}))
"""


def _scale_row(scale: int, seed: int, limit: float, workers: int) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", SCALE_CHILD, str(scale), str(seed), str(limit), str(workers)],
        capture_output=True,
        text=True,
        timeout=limit * 3 + 300,
    )
    base = {"scale": scale, "seed": seed, "time_limit_s": limit, "workers": workers}
    if done.returncode != 0:
        return base | {"status": "ERROR " + " ".join(done.stderr.strip().splitlines()[-1:])}
    return base | json.loads(done.stdout.strip().splitlines()[-1])


def part_scale(table: Table, seeds: list[int], limits: dict[int, float]) -> list[str]:
    for scale, limit in limits.items():
        for seed in seeds:
            table.run(f"scale{scale}_seed{seed}", lambda s=scale, seed=seed, lim=limit: _scale_row(s, seed, lim, 2))
    targets = {10: ("gap <= 3 %", 0.03, None), 20: ("first <= 120 s, gap <= 8 %, <= 8 GB", 0.08, 120.0)}
    lines = [
        "| scenario | limit s | seeds | classes | statuses | median first timetable s | median gap | "
        "largest gap | median peak MB | checked ok | target |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for scale, limit in limits.items():
        rows = [table.rows[f"scale{scale}_seed{s}"] for s in seeds]
        gap, first = median(r.get("gap") for r in rows), median(r.get("first_feasible_s") for r in rows)
        memory = median(r.get("peak_rss_mb") for r in rows)
        text, gap_target, first_target = targets.get(scale, ("-", 1.0, None))
        met = (
            gap is not None
            and gap <= gap_target
            and (first_target is None or (first is not None and first <= first_target))
            and (scale != 20 or (memory is not None and memory <= 8192))
        )
        largest = max((v for v in (number(r.get("gap")) for r in rows) if v is not None), default=None)
        verdict = f"{text}: {'met' if met else 'NOT met'}" if scale in targets else "-"  # --quick's scale 2
        lines.append(
            f"| generate --scale {scale} --per-center | {limit:g} | {len(rows)} | {rows[0].get('classes', '-')} | "
            f"{', '.join(sorted({str(r['status']) for r in rows}))} | {fmt(first)} | "
            f"{'-' if gap is None else f'{gap:.1%}'} | {'-' if largest is None else f'{largest:.1%}'} | "
            f"{fmt(memory, 4)} | {sum(1 for r in rows if str(r.get('check_ok')) == 'True')} | {verdict} |"
        )
    return lines


def part_province(table: Table, seeds: list[int], centers: int, limit: float, parallel: int) -> list[str]:
    from llct_sched.province_solve import solve_province
    from llct_sched.scenario.generate import generate_province
    from llct_sched.solve import SolveParams

    study = _study("2026-12-05-province-centers")
    params = SolveParams(time_limit=limit, workers=1, seed=0)
    for seed in seeds:
        for mode in ("independent", "resolved"):
            case = f"province{centers}_seed{seed}_{mode}"
            if case in table.rows:
                continue
            started = time.perf_counter()
            result = solve_province(
                generate_province(centers, seed), params, parallel=parallel, resolve=mode == "resolved"
            )
            for row in study.rows(seed, mode, parallel, result, time.perf_counter() - started):
                sub = case if row["center"] == "province" else f"{case}_{row['center']}"
                table.run(sub, lambda row=row: row)
    lines = [
        "| seed | mode | classes | solves | clashes left | all checked | objective (sum) | "
        "centers proven | wall s | peak MB of a solve |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for seed in seeds:
        for mode in ("independent", "resolved"):
            case = f"province{centers}_seed{seed}_{mode}"
            row = table.rows[case]
            parts = [r for k, r in table.rows.items() if k.startswith(case + "_")]
            proven = sum(1 for r in parts if r["status"] == "OPTIMAL")
            lines.append(
                f"| {seed} | {mode} | {row['classes']} | {row['solves']} | {row['clashes']} | {row['check_ok']} | "
                f"{row['objective']} | {proven} of {len(parts)} | {row['wall_time_s']} | {row['peak_rss_mb']} |"
            )
    return lines


def part_itc(limit: float, seeds: list[int]) -> list[str]:
    command = [
        sys.executable,
        str(ROOT / "benchmarks" / "itc2007" / "run.py"),
        "--engine",
        "dedicated",
        "--time-limit",
        f"{limit:g}",
        "--seeds",
        *map(str, seeds),
        "--workers",
        "2",
        "--label",
        "round-2",
        "--out-dir",
        str(HERE),
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    return ["```", *done.stdout.strip().splitlines()[-25:], "```"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--parts", nargs="+", default=["variants", "centers", "scale", "province"])
    parser.add_argument("--center-seeds", type=int, nargs="+", default=list(range(20)))
    parser.add_argument("--shares", type=float, nargs="+", default=list(SHARES))
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2], help="variants, scale, province, itc")
    parser.add_argument("--scales", type=int, nargs="+", default=[10, 20])
    parser.add_argument("--scale-limits", type=float, nargs="+", default=[300, 600], help="one per scale")
    parser.add_argument("--fresh", action="store_true", help="run every row again")
    parser.add_argument("--quick", action="store_true", help="a smoke run: short limits, few seeds, small sizes")
    args = parser.parse_args()
    quick = args.quick
    sections: list[tuple[str, list[str]]] = []
    for part in args.parts:
        table = Table(HERE / (f"{part}{'-quick' if quick else ''}.csv"), args.fresh)
        if part == "variants":
            lines = part_variants(table, 3 if quick else 30, args.seeds[:1] if quick else args.seeds)
            sections.append(("Variants compared from the base's timetable", lines))
        elif part == "centers":
            seeds = args.center_seeds[:2] if quick else args.center_seeds
            lines = part_centers(table, 5 if quick else 30, seeds, args.shares)
            sections.append(("Proofs on center-sized scenarios (30 s, 2 workers)", lines))
        elif part == "scale":
            scales = [2] if quick else args.scales
            limits = [10.0] if quick else args.scale_limits
            lines = part_scale(table, args.seeds[:1] if quick else args.seeds, dict(zip(scales, limits, strict=True)))
            sections.append(("Province scale, per-center pools (2 workers)", lines))
        elif part == "province":
            lines = part_province(
                table, args.seeds[:1] if quick else args.seeds, 2 if quick else 10, 3 if quick else 30, 2
            )
            sections.append(("A province as many centers (decomposition, 30 s a center, 1 worker, 2 in flight)", lines))
        elif part == "itc":
            sections.append(("ITC-2007, dedicated engine", part_itc(10 if quick else 300, args.seeds)))
        else:
            parser.error(f"unknown part {part!r}")
    summary = HERE / f"summary{'-quick' if quick else ''}.md"
    kept = _sections(summary.read_text(encoding="utf-8")) if summary.exists() else {}
    kept.update({title: "\n".join(lines) for title, lines in sections})  # the parts run now replace theirs
    text = "\n".join(f"## {title}\n\n{body.strip()}\n" for title, body in kept.items())
    summary.write_text(text, encoding="utf-8")
    print(text)


def _sections(text: str) -> dict[str, str]:
    """A summary's sections, title -> body, in order (a part not run again keeps its section)."""
    found = re.split(r"^## (.+)$", text, flags=re.M)
    return {title: body for title, body in zip(found[1::2], found[2::2], strict=True)}


if __name__ == "__main__":
    main()
