"""Profile signed-in pages in process: `bench/profile_page.py [--profile NAME] [--requests 20]`.

Renders every page the benchmark measures (`PAGES` in bench/run.py, found in the
data the same way) with the Django test client under production settings (DEBUG
off, so the cached template loader) against DATABASE_URL (a database built by
`seed_scale`), and prints the median in-process milliseconds over --requests
requests, the SQL time and the query count (`--sql` lists the queries). `--profile
NAME` (a substring of a page name) prints cProfile's top functions for that page.
No server, no load: the cost of one request in Python and SQL.
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402


def pages():
    """(name, kind, user, path) of every page the benchmark measures (bench/run.py PAGES)."""
    import run

    data = run.find_data()
    return [
        (page.name, page.kind, data.people[page.role] if page.role else None, page.url(data))
        for page in run.PAGES
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--profile", default="", help="substring of the page(s) to profile")
    parser.add_argument("--only", default="", help="substring of the pages to measure")
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--sql", action="store_true", help="print each page's queries")
    options = parser.parse_args()
    env = common.production_env(
        os.environ.get("DATABASE_URL", common.DEFAULT_DATABASE_URL), common.static_root()
    )
    common.setup_django(env)
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }

    print(
        f"{'page':34} {'kind':6} {'median ms':>9} {'min ms':>7} {'cpu ms':>7} {'sql ms':>7}"
        f" {'queries':>7}"
    )
    for name, kind, user, path in pages():
        if options.only and options.only not in name:
            continue
        client = Client()
        if user is not None:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        for _ in range(3):
            response = client.get(path)
            assert response.status_code == 200, (name, path, response.status_code)
        times, cpu, sql = [], [], []
        for _ in range(options.requests):
            with CaptureQueriesContext(connection) as queries:
                start, start_cpu = time.perf_counter(), time.process_time()
                client.get(path)
                times.append((time.perf_counter() - start) * 1000)
                cpu.append((time.process_time() - start_cpu) * 1000)
            sql.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
        print(
            f"{name:34} {kind:6} {statistics.median(times):9.1f} {min(times):7.1f}"
            f" {statistics.median(cpu):7.1f}"
            f" {statistics.median(sql):7.1f} {len(queries.captured_queries):7d}",
            flush=True,
        )
        if options.sql:
            for query in queries.captured_queries:
                print(f"  {float(query['time']) * 1000:6.1f} ms  {query['sql'][:300]}")
        if options.profile and options.profile in name:
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(10):
                client.get(path)
            profiler.disable()
            stats = pstats.Stats(profiler)
            stats.strip_dirs().sort_stats(options.sort).print_stats(options.top)


if __name__ == "__main__":
    main()
