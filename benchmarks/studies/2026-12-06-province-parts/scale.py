"""`generate --scale N --per-center` at 2 workers, one child process per run (its peak memory
measured), with the rows and columns of 2026-12-05-performance-round-2 (its `_scale_row`):

    python scale.py SCALE TIME_LIMIT SEED... >> scale.csv
"""

import csv
import sys

import round2

COLUMNS = (
    "scale,seed,time_limit_s,workers,classes,status,objective,bound,gap,first_feasible_s,wall_time_s,"
    "process_s,check_ok,check_objective,peak_rss_mb"
)

scale, limit, seeds = int(sys.argv[1]), float(sys.argv[2]), [int(s) for s in sys.argv[3:]]
writer = csv.DictWriter(sys.stdout, COLUMNS.split(","), extrasaction="ignore")
for seed in seeds:
    writer.writerow(round2.run._scale_row(scale, seed, limit, 2))
    sys.stdout.flush()
