"""Every benchmarked page makes as many queries at a small size as at a larger one.

The pages are the benchmark's own list (bench/run.py PAGES), so a page added there
is checked here too. Sizes stay small enough for SQLite; the benchmark repeats the
count at district scale on PostgreSQL.
"""

import pytest
from django.core.management import call_command

from bench import run as bench

SMALL = {"schools": 3, "staff": 30, "officers": 2, "supervisors": 1, "district_admins": 1}
LARGER = {"schools": 8, "staff": 240, "officers": 6, "supervisors": 2, "district_admins": 2}


def counts_at(size: dict) -> dict[str, int]:
    call_command("seed_scale", reset=True, **size, stdout=open("/dev/null", "w"))  # noqa: SIM115
    data = bench.find_data()
    counts = {}
    for page in bench.PAGES:
        user = data.people[page.role] if page.role else None
        queries, status = bench.count_queries(page.url(data), user)
        assert status == 200, page.name
        counts[page.name] = queries
    return counts


@pytest.mark.django_db
def test_each_benchmarked_page_makes_the_same_queries_at_two_sizes():
    small = counts_at(SMALL)
    larger = counts_at(LARGER)
    assert small == larger
