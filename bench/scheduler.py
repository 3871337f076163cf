"""District-scale benchmark of the introductions scheduler (not a timed test).

60 schools, 3,000 sections, 40 officers (20 serve two schools), a 15-school-day
window, 7 periods a day, a daily limit of 4 visits per officer and school. Prints
the solve time, the number placed, the true maximum (an independent max flow with
OR-Tools' SimpleMaxFlow, no costs) and what a first-fit greedy plan places.

    .venv/bin/python bench/scheduler.py [seed] [daily limit]
"""

import random
import sys
import time
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ortools.graph.python import max_flow  # noqa: E402

from events.introductions.scheduler import Demand, Problem, Slot, conflicts, first_fit, solve

SCHOOLS, SECTIONS, OFFICERS, DAYS, PERIODS, LIMIT = 60, 3000, 40, 15, 7, 4


def school_days(start: date, count: int) -> list[date]:
    days, day = [], start
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def build(seed: int) -> Problem:
    rng = random.Random(seed)
    days = school_days(date(2027, 1, 11), DAYS)
    # Officers 0..19 serve one school each, 20..39 serve two: 60 schools.
    officers_of = defaultdict(list)
    school = 0
    for officer in range(OFFICERS):
        for _ in range(1 if officer < 20 else 2):
            officers_of[school].append(officer)
            school += 1
    # Availability: per officer, school and weekday, the periods they can be there.
    # An officer with two schools splits the day (mornings at one, afternoons at the
    # other, swapped on some days); each keeps a few periods free.
    available = {}
    for school, officers in officers_of.items():
        for officer in officers:
            for weekday in range(5):
                shared = officer >= 20
                if shared:
                    first = (school % 2 == 0) == (weekday % 2 == 0)
                    periods = set(range(0, 4) if first else range(4, PERIODS))
                else:
                    periods = set(range(PERIODS))
                periods -= set(rng.sample(sorted(periods), k=rng.randint(0, 1)))
                available[(officer, school, weekday)] = periods
    demands = []
    for n in range(SECTIONS):
        school = n % SCHOOLS
        period = rng.randrange(PERIODS)
        meets = set(range(5)) if rng.random() < 0.8 else {0, 2, 4}
        candidates = tuple(
            Slot(day=day, period=period, officer=officer, school=school)
            for day in days
            if day.weekday() in meets
            for officer in officers_of[school]
            if period in available[(officer, school, day.weekday())]
        )
        demands.append(Demand(section=n, candidates=candidates))
    return Problem(demands=demands, daily_limit=LIMIT)


def true_maximum(problem: Problem) -> int:
    """An independent maximum: a plain max flow (no costs) on the same network."""
    network = max_flow.SimpleMaxFlow()
    ids = defaultdict(lambda: len(ids) + 2)
    for demand in problem.demands:
        network.add_arc_with_capacity(0, ids[("d", demand.section)], 1)
        for slot in demand.candidates:
            network.add_arc_with_capacity(ids[("d", demand.section)], ids[("s", slot)], 1)
    slots = {s for d in problem.demands for s in d.candidates}
    for slot in slots:
        network.add_arc_with_capacity(ids[("s", slot)], ids[("g", slot.group)], 1)
    for group in {s.group for s in slots}:
        network.add_arc_with_capacity(ids[("g", group)], 1, problem.capacity(group))
    network.solve(0, 1)
    return network.optimal_flow()


def main() -> None:
    global LIMIT
    seed = int(sys.argv[1]) if len(sys.argv) > 1 else 2026
    if len(sys.argv) > 2:
        LIMIT = int(sys.argv[2])  # a lower daily limit makes the instance tighter
    problem = build(seed)
    arcs = sum(len(d.candidates) for d in problem.demands)
    started = time.perf_counter()
    solution = solve(problem)
    elapsed = time.perf_counter() - started
    greedy = first_fit(problem)
    maximum = true_maximum(problem)
    reasons = defaultdict(int)
    for reason in solution.unplaced.values():
        reasons[reason] += 1
    print(
        f"instance: {SCHOOLS} schools, {SECTIONS} sections, {OFFICERS} officers, {DAYS} school days, limit {LIMIT}, seed {seed}"
    )
    print(f"section-slot arcs: {arcs}")
    print(f"solve time: {elapsed:.3f} s")
    print(f"placed by the scheduler: {solution.count}")
    print(f"true maximum (independent max flow): {maximum}")
    print(f"placed by first-fit greedy: {greedy.count}")
    print(f"conflicts in the plan: {len(conflicts(problem, solution))}")
    for reason, count in sorted(reasons.items()):
        print(f"unplaced, {reason}: {count}")


if __name__ == "__main__":
    main()
