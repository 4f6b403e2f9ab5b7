"""Screen: stage 1's bound search with extra CP-SAT parameters.
python params.py 'k=v,k=v' LIMIT SHARE/SEED...  ('-' for none)"""
import importlib, sys, time
from llct_sched.check import check
from llct_sched.scenario.generate import generate_center
from llct_sched.solve.params import SolveParams
search = importlib.import_module("llct_sched.solve.search")

def parse(v):
    for f in (int, float):
        try: return f(v)
        except ValueError: pass
    return {"true": True, "false": False}.get(v.lower(), v)

def main():
    spec, limit = sys.argv[1], float(sys.argv[2])
    extra = {} if spec == "-" else {k: parse(v) for k, v in (p.split("=") for p in spec.split(","))}
    plain = search._bound_search
    search._bound_search = lambda w: {**plain(w), **extra}
    for item in sys.argv[3:]:
        share, seed = item.split("/")
        scenario = generate_center(float(share), int(seed))[0]
        t = time.time()
        r = search.solve(scenario, SolveParams(time_limit=limit, workers=2, seed=0))
        ok = check(scenario, r.timetable).ok if r.timetable else None
        print(f"{spec},{share},{seed},{limit},{r.status},{r.objective},{r.bound},{time.time()-t:.1f},{ok}", flush=True)

if __name__ == "__main__":
    main()
