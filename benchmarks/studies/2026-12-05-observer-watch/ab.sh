#!/bin/bash
# A/B of two checkouts on generated centers, one solve at a time, the two versions alternated per seed.
# usage: ab.sh BASE_SRC NEW_SRC SHARE OUT.csv SEED...   (BASE_SRC, NEW_SRC: a checkout's src/ folder)
# e.g.   git worktree add /tmp/base db03c4d && ./ab.sh /tmp/base/src ../../../src 0.5 ab_share0.5.csv $(seq 0 19)
set -euo pipefail
base_src=$1; new_src=$2; share=$3; out=$4; shift 4
one=$(dirname "$0")/../2026-12-05-issue-29-bounds/solve_one.py
[ -f "$out" ] || echo "version,share,seed,time_limit_s,workers,status,objective,bound,wall_s" > "$out"
for seed in "$@"; do
  for version in base watch; do
    if [ $version = base ]; then src=$base_src; else src=$new_src; fi
    # RESULT ['0.5', '9', '30'] OPTIMAL 44 44 {...breakdown...} 12.3
    line=$(PYTHONPATH=$src python "$one" "$share" "$seed" 30 2>/dev/null | grep '^RESULT')
    read -r status objective bound <<<"$(echo "$line" | sed -E "s/^RESULT \[[^]]*\] //" | cut -d' ' -f1-3)"
    wall=${line##* }
    echo "$version,$share,$seed,30,2,$status,$objective,$bound,$wall" >> "$out"
  done
done
