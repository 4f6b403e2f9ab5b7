"""Screen: stage 1's second phase as a decision problem (objective <= incumbent - 1).
python decide.py MODE LIMIT SHARE/SEED...   MODE: base | cut | decide | decide_lb"""
import importlib, math, sys, time
from ortools.sat.python import cp_model
from llct_sched.check import check
from llct_sched.scenario.generate import generate_center
from llct_sched.solve.params import SolveParams
search = importlib.import_module("llct_sched.solve.search")

def add_cutoff(model, ub):
    obj = model.proto.objective
    scale = obj.scaling_factor or 1.0
    limit = math.floor(ub / scale - obj.offset + 1e-9)
    ct = model.proto.constraints.add()
    ct.linear.vars.extend(obj.vars); ct.linear.coeffs.extend(obj.coeffs)
    ct.linear.domain.extend([-(2**62), limit])

def patched(mode):
    orig = search._optimise_calendar
    def opt(session, model, budget, good_enough, teaching, before_bound_search=None):
        started = session.elapsed()
        proving = teaching and session.params.bound_search
        first, status, _ = session.run(model, "calendar", budget, good_enough=good_enough,
            hand_over=budget * search.LP_SHARE if proving else None,
            hand_over_stall=budget * search.STALL_SHARE if proving else None,
            cp_model_probing_level=0, **search._default_portfolio(session.params.workers, teaching))
        bound = first.best_objective_bound
        reached = good_enough is not None and status == cp_model.FEASIBLE and first.objective_value <= good_enough
        if not proving or status != cp_model.FEASIBLE or reached or session.interrupted:
            return first, status, bound
        search._hint_solution(model, first)
        usable = before_bound_search(first) if before_bound_search is not None else True
        rest = budget - (session.elapsed() - started)
        if rest < 0.1:
            return first, status if usable else cp_model.UNKNOWN, bound
        if mode in ("decide", "decide_lb", "cut", "cut_lb") and usable:
            trial = model.clone()
            add_cutoff(trial, first.objective_value - 1)
            if mode.startswith("decide"):
                trial.clear_objective()
            params = search._bound_search(session.params.workers) if mode in ("decide_lb", "cut_lb") else {}
            t0 = session.elapsed()
            sec, again, _ = session.run(trial, "calendar", rest, cp_model_probing_level=0, **params)
            print(f"    [{mode}] from {first.objective_value:.0f} at {t0:.1f}s: {sec.status_name(again)} at {session.elapsed():.1f}s", flush=True)
            if again == cp_model.INFEASIBLE:
                return first, cp_model.OPTIMAL, first.objective_value
            if mode.startswith("cut") and again in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                return sec, again, max(bound, sec.best_objective_bound)
            if mode.startswith("decide") and again == cp_model.FEASIBLE:
                # a better calendar exists: optimise on from it with the usual bound search
                model.clear_hints()
                model.proto.solution_hint.vars.extend(range(len(model.proto.variables)))
                model.proto.solution_hint.values.extend(sec.response_proto.solution)
            rest = budget - (session.elapsed() - started)
            if rest < 0.1:
                return first, status, bound
        second, again, _ = session.run(model, "calendar", rest, good_enough=good_enough,
            cp_model_probing_level=0, **search._bound_search(session.params.workers))
        if math.isfinite(second.best_objective_bound):
            bound = max(bound, second.best_objective_bound)
        if not usable:
            return second, again, bound
        if again in (cp_model.OPTIMAL, cp_model.FEASIBLE) and second.objective_value <= first.objective_value:
            return second, again, bound
        return first, status, bound
    if mode != "base":
        search._optimise_calendar = opt

def main():
    mode, limit = sys.argv[1], float(sys.argv[2])
    patched(mode)
    for item in sys.argv[3:]:
        share, seed = item.split("/")
        scenario = generate_center(float(share), int(seed))[0]
        t = time.time()
        r = search.solve(scenario, SolveParams(time_limit=limit, workers=2, seed=0))
        ok = check(scenario, r.timetable).ok if r.timetable else None
        print(f"{mode},{share},{seed},{limit},{r.status},{r.objective},{r.bound},{time.time()-t:.1f},{ok}", flush=True)

if __name__ == "__main__":
    main()
