"""The scheduler places the true maximum of sections, never breaks a rule, keeps
teacher picks, prefers earlier dates and spreads visits over days."""

from collections import defaultdict, deque
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from events.introductions.scheduler import (
    DAILY_LIMIT_REASON,
    TAKEN_REASON,
    Demand,
    Problem,
    Slot,
    conflicts,
    first_fit,
    solve,
)

MONDAY = date(2027, 1, 11)


def edmonds_karp(problem: Problem) -> int:
    """An independent maximum: Edmonds-Karp on the same network, written here."""
    capacity: dict[tuple, dict[tuple, int]] = defaultdict(lambda: defaultdict(int))
    source, sink = ("source",), ("sink",)
    slots = set()
    for demand in problem.demands:
        capacity[source][("d", demand.section)] += 1
        for slot in set(demand.candidates):
            capacity[("d", demand.section)][("s", slot)] += 1
            slots.add(slot)
    for slot in slots:
        capacity[("s", slot)][("g", slot.group)] += 1
    for group in {s.group for s in slots}:
        capacity[("g", group)][sink] += problem.capacity(group)
    flow = 0
    while True:
        parent = {source: None}
        queue = deque([source])
        while queue and sink not in parent:
            node = queue.popleft()
            for nxt, left in capacity[node].items():
                if left > 0 and nxt not in parent:
                    parent[nxt] = node
                    queue.append(nxt)
        if sink not in parent:
            return flow
        node = sink
        while parent[node] is not None:
            capacity[parent[node]][node] -= 1
            capacity[node][parent[node]] += 1
            node = parent[node]
        flow += 1


@st.composite
def problems(draw):
    days = [MONDAY + timedelta(days=i) for i in range(draw(st.integers(1, 4)))]
    officers = draw(st.integers(1, 3))
    periods = draw(st.integers(1, 3))
    all_slots = [
        Slot(day=d, period=p, officer=o, school=o % 2)
        for d in days
        for p in range(periods)
        for o in range(officers)
    ]
    demands = []
    for n in range(draw(st.integers(0, 12))):
        candidates = tuple(draw(st.lists(st.sampled_from(all_slots), max_size=6, unique=True)))
        pick = draw(st.one_of(st.none(), st.sampled_from(candidates))) if candidates else None
        demands.append(Demand(section=n, candidates=candidates, pick=pick))
    used = {
        s.group: draw(st.integers(0, 2))
        for s in draw(st.lists(st.sampled_from(all_slots), max_size=3))
    }
    return Problem(demands=demands, daily_limit=draw(st.integers(1, 3)), used=used)


@settings(max_examples=300, deadline=None)
@given(problems())
def test_scheduler_places_the_true_maximum_without_conflict(problem):
    solution = solve(problem)
    assert solution.count == edmonds_karp(problem)
    assert conflicts(problem, solution) == []
    assert set(solution.placed) | set(solution.unplaced) == {d.section for d in problem.demands}
    assert not set(solution.placed) & set(solution.unplaced)


@settings(max_examples=150, deadline=None)
@given(problems())
def test_first_fit_never_beats_the_scheduler(problem):
    assert first_fit(problem).count <= solve(problem).count


def _slot(day: int, period: int = 0, officer: int = 0) -> Slot:
    return Slot(day=MONDAY + timedelta(days=day), period=period, officer=officer)


def test_it_keeps_a_teacher_pick_over_an_earlier_date():
    late = _slot(3)
    problem = Problem(
        demands=[Demand(section="a", candidates=(_slot(0), late), pick=late)], daily_limit=2
    )
    assert solve(problem).placed["a"] == late


def test_it_never_gives_up_a_placement_to_keep_a_pick():
    # Section b can only go in slot 0, which a's teacher picked; a has another slot.
    problem = Problem(
        demands=[
            Demand(section="a", candidates=(_slot(0), _slot(1)), pick=_slot(0)),
            Demand(section="b", candidates=(_slot(0),)),
        ],
        daily_limit=2,
    )
    solution = solve(problem)
    assert solution.count == 2
    assert solution.placed == {"a": _slot(1), "b": _slot(0)}


def test_a_picked_section_is_placed_at_its_pick_rather_than_left_out():
    # One slot, two sections: the one whose teacher picked it gets it.
    slot = _slot(2)
    problem = Problem(
        demands=[
            Demand(section="other", candidates=(slot,)),
            Demand(section="picked", candidates=(slot,), pick=slot),
        ],
        daily_limit=2,
    )
    assert solve(problem).placed == {"picked": slot}


@settings(max_examples=150, deadline=None)
@given(problems())
def test_picks_never_cost_a_placement(problem):
    without_picks = Problem(
        demands=[Demand(section=d.section, candidates=d.candidates) for d in problem.demands],
        daily_limit=problem.daily_limit,
        used=problem.used,
    )
    assert solve(problem).count == solve(without_picks).count


def test_it_prefers_earlier_dates():
    problem = Problem(demands=[Demand(section="a", candidates=(_slot(4), _slot(1)))], daily_limit=2)
    assert solve(problem).placed["a"] == _slot(1)


def test_it_spreads_visits_across_days():
    # Four sections in four periods; each could go on day 0 or day 1.
    demands = [
        Demand(section=p, candidates=(_slot(0, period=p), _slot(1, period=p))) for p in range(4)
    ]
    solution = solve(Problem(demands=demands, daily_limit=4))
    per_day = defaultdict(int)
    for slot in solution.placed.values():
        per_day[slot.day] += 1
    assert sorted(per_day.values()) == [2, 2]


def test_each_unplaced_section_has_its_reason():
    demands = [
        Demand(section="no-slot", candidates=(), no_slot_reason="no officer in Period 7"),
        Demand(section="a", candidates=(_slot(0, 0),)),
        Demand(section="b", candidates=(_slot(0, 0),)),
        Demand(section="c", candidates=(_slot(1, 0),)),
        Demand(section="d", candidates=(_slot(1, 1),)),
        Demand(section="e", candidates=(_slot(1, 2),)),
    ]
    solution = solve(Problem(demands=demands, daily_limit=2))
    assert solution.count == 3
    assert solution.unplaced["no-slot"] == "no officer in Period 7"
    assert {solution.unplaced.get("a"), solution.unplaced.get("b")} == {None, TAKEN_REASON}
    day_one = {solution.unplaced.get(s) for s in "cde"}
    assert day_one == {None, DAILY_LIMIT_REASON}


def test_visits_already_kept_count_toward_the_daily_limit():
    demands = [Demand(section="a", candidates=(_slot(0),))]
    solution = solve(Problem(demands=demands, daily_limit=1, used={_slot(0).group: 1}))
    assert solution.unplaced == {"a": DAILY_LIMIT_REASON}
