"""How fast the web page answers while solves run (issue 26: within 200 ms).

Starts `llct-sched serve`'s application with uvicorn on a free local port and a fresh database,
solves the default scenario once (the year page needs a timetable), then starts `--solves`
solves of it (each in its worker process) and, while they run, requests the home page, the plan
page, the year page of the finished version, a variants table and the progress API `--rounds`
times each. Prints the median, 95th percentile and maximum per page, and writes the raw times to
a CSV.

    python benchmarks/web_latency.py --solves 2 --rounds 30 --out benchmarks/studies/<date>-web-latency/latency.csv
"""

from __future__ import annotations

import argparse
import csv
import socket
import statistics
import tempfile
import threading
import time
from pathlib import Path

import httpx
import uvicorn

from llct_sched.web.app import create_app


def _serve(db: Path, max_jobs: int) -> tuple[uvicorn.Server, str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(db, max_jobs=max_jobs), port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return server, f"http://127.0.0.1:{port}"


def _wait(http: httpx.Client, version: str) -> None:
    while http.get(f"/api{version}").json()["state"] in ("queued", "running"):
        time.sleep(0.5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--solves", type=int, default=2, help="solves running while the pages are timed")
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--time-limit", type=float, default=60.0, help="of each timed-over solve")
    parser.add_argument("--out", type=Path, default=None, help="CSV of every request's time")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        server, base = _serve(Path(folder) / "plans.db", max_jobs=args.solves)
        with httpx.Client(base_url=base, timeout=60) as http:
            http.get("/")
            csrf = http.cookies["llct_csrf"]
            plan = http.post("/plans", data={"csrf": csrf, "builtin": "hoang_mai_2020"}).headers["location"]
            done = http.post(f"{plan}/solve", data={"csrf": csrf, "time_limit": "20"}).headers["location"]
            _wait(http, done)
            http.get(done)  # the year page's facts are built once per version, then cached
            form = {"csrf": csrf, "time_limit": "10", "name_1": "no_months", "weights_1": "preferred_months=0"}
            variants = http.post(f"{done}/variants", data=form).headers["location"]
            _wait(http, f"/versions/{variants.rsplit(',', 1)[1]}")
            running = [
                http.post(f"{plan}/solve", data={"csrf": csrf, "time_limit": str(args.time_limit)}).headers["location"]
                for _ in range(args.solves)
            ]
            time.sleep(3)  # the workers are solving
            pages = {"home": "/", "plan": plan, "year": done, "progress": f"/api{running[0]}", "variants": variants}
            rows = []
            for _ in range(args.rounds):
                for name, path in pages.items():
                    started = time.perf_counter()
                    assert http.get(path).status_code == 200
                    rows.append((name, (time.perf_counter() - started) * 1000))
            states = [http.get(f"/api{v}").json()["state"] for v in running]
            for version in running:
                http.post(f"{version}/cancel", data={"csrf": csrf})
            for version in running:
                _wait(http, version)
        server.should_exit = True
        time.sleep(1)  # the runner's threads record their processes' ends before the database goes
    print(f"solves running during the measurement: {states}")
    print("page      median ms   p95 ms   max ms")
    for name in pages:
        times = sorted(ms for page, ms in rows if page == name)
        p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
        print(f"{name:9s} {statistics.median(times):9.1f} {p95:8.1f} {times[-1]:8.1f}")
    if args.out is not None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        with args.out.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["page", "ms"])
            writer.writerows((page, f"{ms:.2f}") for page, ms in rows)


if __name__ == "__main__":
    main()
