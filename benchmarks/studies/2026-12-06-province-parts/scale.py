"""`generate --scale N --per-center` at 2 workers, one child process per run (its peak memory
measured), with the rows and columns of 2026-12-05-performance-round-2 (its `_scale_row`):

    python scale.py SCALE TIME_LIMIT SEED... >> scale.csv
"""

import csv
import importlib.util
import sys
from pathlib import Path

COLUMNS = (
    "scale,seed,time_limit_s,workers,classes,status,objective,bound,gap,first_feasible_s,wall_time_s,"
    "process_s,check_ok,check_objective,peak_rss_mb"
)

path = Path(__file__).resolve().parent.parent / "2026-12-05-performance-round-2" / "run.py"
spec = importlib.util.spec_from_file_location("round2", path)
assert spec and spec.loader
round2 = importlib.util.module_from_spec(spec)
spec.loader.exec_module(round2)

scale, limit, seeds = int(sys.argv[1]), float(sys.argv[2]), [int(s) for s in sys.argv[3:]]
writer = csv.DictWriter(sys.stdout, COLUMNS.split(","), extrasaction="ignore")
for seed in seeds:
    writer.writerow(round2._scale_row(scale, seed, limit, 2))
    sys.stdout.flush()
