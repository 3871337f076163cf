"""The introductions scheduler: place the largest possible number of class sections
into officers' visit slots, then, among the plans of that size, keep teacher picks,
prefer earlier dates and spread visits across days.

The problem is a bipartite b-matching: each section takes one slot among those that
fit it (an officer available during the section's period on a school day); a slot
(officer, date, period) takes one visit; an officer takes at most the daily limit
at a school on one date. As a network:

    source -1-> section -1-> slot -1-> (officer, school, date) =limit=> sink

A maximum flow is a maximum placement, and a minimum-cost maximum flow picks the
best of those. OR-Tools' `SimpleMinCostFlow.solve_max_flow_with_min_cost` solves
it exactly (a cost-scaling push-relabel algorithm in C++): at district scale it
takes a fraction of a second, where a pure-Python network simplex takes many
seconds and a MIP solver is neither needed (the constraint matrix is totally
unimodular, so the flow is integral) nor as fast.

Costs (all integers):
- every section-to-slot arc costs PICK_PENALTY except a teacher's picked slot:
  larger than every other cost of the plan together, so among plans of maximum
  size the one honouring most picks wins. (Every maximum plan uses the same number
  of arcs, so the penalty shifts them all alike except for the picks; charging
  only the picked section's other slots would instead favour leaving it out.)
- one unit per school day of the window, so earlier dates win;
- the k-th visit of an officer on one day costs SPREAD * (k - 1) more: convex, so
  visits spread across days rather than pile up on the first ones.

This module's first half knows nothing about Django (the benchmark and the property
tests use it directly); `build_problem` at the end reads a school's plan.
"""

from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from ortools.graph.python import min_cost_flow

SPREAD = 2  # cost of each further visit of an officer on the same day


@dataclass(frozen=True, order=True)
class Slot:
    """An officer in one period on one date. `school` keys the daily limit."""

    day: date
    period: int
    officer: int
    school: int = 0

    @property
    def group(self) -> tuple:
        return (self.officer, self.school, self.day)


@dataclass(frozen=True)
class Demand:
    """A section to place, the slots that fit it, and its teacher's pick if any."""

    section: Hashable
    candidates: tuple[Slot, ...]
    pick: Slot | None = None
    # Why it has no candidate at all, in the school's words.
    no_slot_reason: str = "no officer is available during its period on a school day of the window"


@dataclass
class Problem:
    demands: list[Demand]
    daily_limit: int
    # Visits an officer already has on a day (kept visits), by Slot.group.
    used: dict[tuple, int] = field(default_factory=dict)

    def capacity(self, group: tuple) -> int:
        return max(0, self.daily_limit - self.used.get(group, 0))


@dataclass
class Solution:
    placed: dict[Hashable, Slot]
    unplaced: dict[Hashable, str]

    @property
    def count(self) -> int:
        return len(self.placed)


DAILY_LIMIT_REASON = "the officer's daily limit is already reached on every day it could go"
TAKEN_REASON = "every slot during its period is taken by another class"


def solve(problem: Problem) -> Solution:
    demands = problem.demands
    slots = sorted({s for d in demands for s in d.candidates})
    groups = sorted({s.group for s in slots})
    days = sorted({s.day for s in slots})
    day_rank = {day: i for i, day in enumerate(days)}
    max_capacity = max((problem.capacity(g) for g in groups), default=0)
    pick_penalty = (len(demands) + 1) * (len(days) + SPREAD * max_capacity + 1)
    # int64 costs: at district scale this is about 3,000 * 30, far from overflow.

    source, sink = 0, 1
    section_node = {i: 2 + i for i in range(len(demands))}
    first_slot = 2 + len(demands)
    slot_node = {s: first_slot + i for i, s in enumerate(slots)}
    first_group = first_slot + len(slots)
    group_node = {g: first_group + i for i, g in enumerate(groups)}

    tails, heads, capacities, costs = [], [], [], []

    def arc(tail: int, head: int, capacity: int, cost: int) -> None:
        tails.append(tail)
        heads.append(head)
        capacities.append(capacity)
        costs.append(cost)

    for i in range(len(demands)):
        arc(source, section_node[i], 1, 0)
    choice_arcs: list[tuple[int, Slot]] = []
    for i, demand in enumerate(demands):
        for slot in set(demand.candidates):
            cost = day_rank[slot.day]
            if slot != demand.pick:
                cost += pick_penalty
            choice_arcs.append((len(tails), i, slot))
            arc(section_node[i], slot_node[slot], 1, cost)
    for slot in slots:
        arc(slot_node[slot], group_node[slot.group], 1, 0)
    for group in groups:
        # Parallel unit arcs of rising cost: the k-th visit of the day costs more.
        for k in range(problem.capacity(group)):
            arc(group_node[group], sink, 1, SPREAD * k)

    placed: dict[Hashable, Slot] = {}
    if choice_arcs:
        network = min_cost_flow.SimpleMinCostFlow()
        network.add_arcs_with_capacity_and_unit_cost(
            np.array(tails, dtype=np.int32),
            np.array(heads, dtype=np.int32),
            np.array(capacities, dtype=np.int64),
            np.array(costs, dtype=np.int64),
        )
        # Offer one unit per section; the solver sends as much as it can (the
        # maximum flow) at the least cost.
        network.set_node_supply(source, len(demands))
        network.set_node_supply(sink, -len(demands))
        status = network.solve_max_flow_with_min_cost()
        if status != network.OPTIMAL:
            raise RuntimeError(f"The min-cost flow solver failed with status {status}")
        arc_ids = np.array([a for a, _, _ in choice_arcs], dtype=np.int32)
        flows = network.flows(arc_ids)
        for (_, i, slot), flow in zip(choice_arcs, flows, strict=True):
            if flow:
                placed[demands[i].section] = slot
    return Solution(placed=placed, unplaced=explain(problem, placed))


def explain(problem: Problem, placed: dict[Hashable, Slot]) -> dict[Hashable, str]:
    """Why each section left out was left out."""
    load: dict[tuple, int] = defaultdict(int)
    for slot in placed.values():
        load[slot.group] += 1
    reasons = {}
    for demand in problem.demands:
        if demand.section in placed:
            continue
        if not demand.candidates:
            reasons[demand.section] = demand.no_slot_reason
        elif all(load[s.group] >= problem.capacity(s.group) for s in demand.candidates):
            reasons[demand.section] = DAILY_LIMIT_REASON
        else:
            reasons[demand.section] = TAKEN_REASON
    return reasons


def first_fit(problem: Problem) -> Solution:
    """A greedy plan for comparison: each section takes its first free slot."""
    taken: set[Slot] = set()
    load: dict[tuple, int] = defaultdict(int)
    placed = {}
    for demand in problem.demands:
        for slot in sorted(demand.candidates):
            if slot not in taken and load[slot.group] < problem.capacity(slot.group):
                placed[demand.section] = slot
                taken.add(slot)
                load[slot.group] += 1
                break
    return Solution(placed=placed, unplaced=explain(problem, placed))


def conflicts(problem: Problem, solution: Solution) -> list[str]:
    """Every rule a solution breaks (empty for a valid plan)."""
    found = []
    by_slot: dict[Slot, list] = defaultdict(list)
    load: dict[tuple, int] = defaultdict(int)
    candidates = {d.section: set(d.candidates) for d in problem.demands}
    for section, slot in solution.placed.items():
        if slot not in candidates.get(section, ()):
            found.append(f"{section} placed in {slot}, which does not fit it")
        by_slot[slot].append(section)
        load[slot.group] += 1
    found += [f"{slot} holds {items}" for slot, items in by_slot.items() if len(items) > 1]
    found += [f"{g} over its limit" for g, n in load.items() if n > problem.capacity(g)]
    return found
