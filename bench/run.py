"""The district-scale benchmark: `make bench` (or `.venv/bin/python bench/run.py`).

Serves the app with gunicorn under production settings against DATABASE_URL (a
database built by `manage.py seed_scale`), signs in as a person of each role
through the sign-in form, warms every page, then measures each page with wrk at
8 connections over loopback, alternating pages in rounds so that the machine's
noise spreads over all of them. Prints one table and writes the same figures to
bench/results/latest.json.

Add a page: append a `Page` to PAGES. `url` receives the `Data` found in the
database (largest school, busiest officer, ...) and returns the path; `role` names
the session it runs with (None: anonymous).

Two floors are measured in the same run: `hello` (every middleware, no view work)
and the signed-in floor (a signed-in person, the base layout and its navigation, no
content). Each page's cost is printed as a ratio to both, beside its p95. The
targets: every page's p95 under 150 ms, each detail page within 3x and each list
or dashboard within 6x the signed-in floor. Figures on a shared 2-core machine are
noisy: compare the ratios measured in one run, not absolute numbers between runs.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402

RESULTS = common.ROOT / "bench" / "results" / "latest.json"
# Ratios to the signed-in floor.
TARGET_RATIO = {"detail": 3, "list": 6}
TARGET_P95_MS = 150
MEMORY_REQUESTS = 10_000
MEMORY_GROWTH_LIMIT_KIB = 8 * 1024  # per worker, over MEMORY_REQUESTS requests

# wrk reports its percentiles through this script (its --latency table has no p95).
WRK_REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT %d %d %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), e.status,
    e.connect + e.read + e.write + e.timeout))
end
"""


@dataclass
class Data:
    """What the pages' URLs are found from: the big cases of the district."""

    district: object
    largest_school: object
    agency: object
    people: dict[str, object]  # role -> the person whose session measures it
    # The capabilities' big cases (None when the app has no scale data yet).
    guideline: object = None  # the guideline of the largest school with most acknowledgments
    agreement: object = None  # the largest school's agreement
    feed_token: str = ""  # the busiest officer's iCalendar feed


@dataclass
class Page:
    name: str
    kind: str  # "floor" (hello), "signed-in floor", "detail" or "list"
    url: Callable[[Data], str]
    role: str | None = None


def _reverse(name: str, *args) -> str:
    from django.urls import reverse

    return reverse(name, args=args)


PAGES = [
    Page("hello", "floor", lambda d: _reverse("hello")),
    Page("signed-in floor", "signed-in floor", lambda d: _reverse("hello_signed_in"), "staff"),
    Page("sign-in page", "detail", lambda d: _reverse("login")),
    Page("home: principal", "list", lambda d: _reverse("home"), "principal"),
    Page("home: staff", "detail", lambda d: _reverse("home"), "staff"),
    Page("home: mental health", "detail", lambda d: _reverse("home"), "mental_health"),
    Page("home: SRO (busiest)", "list", lambda d: _reverse("home"), "sro"),
    Page("home: supervisor", "list", lambda d: _reverse("home"), "supervisor"),
    # The district admin's home holds the district table (every school's setup).
    Page("home: district admin (table)", "list", lambda d: _reverse("home"), "district_admin"),
    # The school page holds the principal's readiness dashboard.
    Page(
        "principal dashboard (largest)",
        "list",
        lambda d: _reverse("school_home", d.largest_school.pk),
        "principal",
    ),
    Page(
        "people (largest school)",
        "list",
        lambda d: _reverse("people", d.largest_school.pk),
        "principal",
    ),
    Page(
        "district page",
        "list",
        lambda d: _reverse("district_home", d.district.pk),
        "district_admin",
    ),
    Page("agency page", "list", lambda d: _reverse("agency_home", d.agency.pk), "supervisor"),
    Page(
        "guideline compliance (largest)",
        "list",
        lambda d: _reverse("guideline_compliance", d.largest_school.pk, d.guideline.pk),
        "principal",
    ),
    Page(
        "agreement page",
        "detail",
        lambda d: _reverse("agreement_detail", d.largest_school.pk, d.agreement.pk),
        "principal",
    ),
    Page(
        "agreement comparison v1 to v3",
        "detail",
        lambda d: (
            _reverse("agreement_compare", d.largest_school.pk, d.agreement.pk) + "?from=1&to=3"
        ),
        "principal",
    ),
    Page("SRO week (busiest)", "list", lambda d: _reverse("officer_week"), "sro"),
    # The feed is a secret link, read by calendar programs without a session.
    Page("SRO iCalendar feed (busiest)", "list", lambda d: _reverse("officer_feed", d.feed_token)),
    Page(
        "school calendar month (largest)",
        "list",
        lambda d: _reverse("events_month", d.largest_school.pk),
        "principal",
    ),
]


def find_data() -> Data:
    """The largest school, the busiest officer, the agency with most officers..."""
    from django.db.models import Count, Q

    from onboarding.people.models import User
    from onboarding.schools.models import Agency, District, Membership, Role, School

    active = Q(memberships__is_active=True)
    largest = (
        School.objects.annotate(size=Count("memberships", filter=active))
        .order_by("-size", "pk")
        .first()
    )
    if largest is None:
        sys.exit("The database has no school: run `manage.py seed_scale` first.")

    def member(role: str) -> User:
        membership = (
            Membership.objects.active()
            .filter(school=largest, role=role)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        return membership.user

    busiest = (
        User.objects.filter(is_active=True)
        .annotate(served=Count("memberships", filter=Q(memberships__role=Role.SRO) & active))
        .order_by("-served", "pk")
        .first()
    )
    agency = (
        Agency.objects.annotate(officers=Count("memberships"))
        .filter(memberships__role="supervisor", memberships__is_active=True)
        .order_by("-officers", "pk")
        .first()
    )
    supervisor = agency.memberships.filter(role="supervisor", is_active=True).first().user
    district = District.objects.annotate(n=Count("schools")).order_by("-n", "pk").first()
    admin = district.admins.filter(is_active=True).order_by("pk").first().user
    people = {
        "principal": member(Role.PRINCIPAL),
        "staff": member(Role.STAFF),
        "mental_health": member(Role.MENTAL_HEALTH),
        "sro": busiest,
        "supervisor": supervisor,
        "district_admin": admin,
    }
    from events.schedule.models import OfficerFeed
    from expectations.models import Guideline
    from onboarding.agreements.models import Agreement

    guideline = (
        Guideline.objects.for_school(largest)
        .annotate(acknowledged=Count("versions__acknowledgments"))
        .order_by("-acknowledged", "pk")
        .first()
    )
    agreement = (
        Agreement.objects.filter(school=largest)
        .annotate(versions_count=Count("versions"))
        .order_by("-versions_count", "pk")
        .first()
    )
    return Data(
        district=district,
        largest_school=largest,
        agency=agency,
        people=people,
        guideline=guideline,
        agreement=agreement,
        feed_token=OfficerFeed.for_officer(busiest).token,
    )


def count_queries(path: str, user) -> tuple[int, int]:
    """Queries of one warm request, counted in this process with the test client."""
    queries, status, _, _ = profile_page(path, user, repeat=1)
    return queries, status


def profile_page(path: str, user, repeat: int = 7) -> tuple[int, int, float, float]:
    """Queries of a warm request, its status, and the median in-process time of
    the whole request and of its SQL (ms), to tell database from Python cost."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    client.get(path)  # the first visit records the current school in the session
    totals, sql = [], []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as context:
            started = time.perf_counter()
            response = client.get(path)
            totals.append((time.perf_counter() - started) * 1000)
        sql.append(sum(float(q["time"]) for q in context.captured_queries) * 1000)
    return (
        len(context.captured_queries),
        response.status_code,
        statistics.median(totals),
        statistics.median(sql),
    )


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    print("wrk is not installed; it measures the pages (apt-get install -y wrk).")
    if os.geteuid() != 0:
        sys.exit("Run `sudo apt-get install -y wrk`, then this script again.")
    print("Installing it with apt-get (running as root)...")
    subprocess.run(["apt-get", "install", "-y", "wrk"], check=True, stdout=subprocess.DEVNULL)
    return shutil.which("wrk") or sys.exit("apt-get did not install wrk.")


@dataclass
class Sample:
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    non_2xx: int
    socket_errors: int


def run_wrk(
    wrk: str, url: str, cookie: str, seconds: float, connections: int, script: str
) -> Sample:
    # wrk counts a response slower than --timeout (2 s by default) as an error.
    args = [
        wrk,
        f"-t{min(2, connections)}",
        f"-c{connections}",
        f"-d{seconds:g}s",
        "--timeout",
        "10s",
    ]
    args += ["-s", script]
    if cookie:
        args += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(args + [url], capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    requests, duration_us, p50, p95, status, socket = (int(x) for x in line.split()[1:])
    return Sample(requests, duration_us / 1e6, p50 / 1000, p95 / 1000, status, socket)


@dataclass
class PageResult:
    name: str
    kind: str
    path: str
    role: str | None
    queries: int
    app_ms: float  # median in-process time of one request (Django test client)
    sql_ms: float  # of which in SQL
    samples: list[Sample] = field(default_factory=list)

    @property
    def rps(self) -> float:
        return sum(s.requests for s in self.samples) / sum(s.seconds for s in self.samples)

    @property
    def p50_ms(self) -> float:
        return statistics.median(s.p50_ms for s in self.samples)

    @property
    def p95_ms(self) -> float:
        return statistics.median(s.p95_ms for s in self.samples)

    @property
    def errors(self) -> int:
        return sum(s.non_2xx + s.socket_errors for s in self.samples)


def verdict(result: PageResult, floor_rps: float) -> tuple[float, bool, str]:
    """The page's cost as a ratio to the signed-in floor, and whether it meets the
    targets (with what it misses)."""
    ratio = floor_rps / result.rps
    misses = []
    if result.kind in TARGET_RATIO and ratio > TARGET_RATIO[result.kind]:
        misses.append(f"ratio > {TARGET_RATIO[result.kind]}")
    if result.p95_ms >= TARGET_P95_MS:
        misses.append(f"p95 >= {TARGET_P95_MS} ms")
    if result.errors:
        misses.append(f"{result.errors} errors")
    return ratio, not misses, ", ".join(misses)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default=os.environ.get("DATABASE_URL", common.DEFAULT_DATABASE_URL)
    )
    parser.add_argument("--port", type=int, default=8701)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--worker-class", default="sync", choices=["sync", "gthread"])
    parser.add_argument("--threads", type=int, default=1, help="gthread only")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=4, help="per page per round")
    parser.add_argument("--memory-requests", type=int, default=MEMORY_REQUESTS)
    parser.add_argument("--only", help="measure only pages whose name contains this")
    parser.add_argument("--password", default="sro-portal-scale")
    parser.add_argument("--json", type=Path, default=RESULTS)
    options = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # progress shows when piped to a file

    wrk = ensure_wrk()
    work = tempfile.mkdtemp(prefix="sro-bench-")
    script = Path(work) / "report.lua"
    script.write_text(WRK_REPORT)
    env = common.production_env(options.database_url, common.static_root())
    common.collectstatic(env)
    common.setup_django(env)

    data = find_data()
    pages = [p for p in PAGES if "floor" in p.kind or (options.only or "") in p.name]
    print(
        f"Largest school: {data.largest_school} (id {data.largest_school.pk}); "
        f"busiest officer: {data.people['sro']}; agency: {data.agency}."
    )
    results = []
    for page in pages:
        path = page.url(data)
        queries, status, app_ms, sql_ms = profile_page(
            path, data.people.get(page.role) if page.role else None
        )
        if status != 200:
            sys.exit(f"{page.name}: {path} answered {status} in process, not 200.")
        results.append(PageResult(page.name, page.kind, path, page.role, queries, app_ms, sql_ms))

    server = common.Server(
        env,
        options.port,
        workers=options.workers,
        worker_class=options.worker_class,
        threads=options.threads,
        log_dir=work,
    )
    started = time.time()
    load_before = os.getloadavg()
    with server:
        cookies = {
            role: common.sign_in(options.port, user.email, options.password)
            for role, user in data.people.items()
        }
        for result in results:
            status, _ = common.get(options.port, result.path, cookies.get(result.role, ""))
            if status != 200:
                sys.exit(f"{result.name}: {result.path} answered {status} from gunicorn.")
        print("Warming up...")
        for result in results:
            url = server.base_url + result.path
            run_wrk(wrk, url, cookies.get(result.role, ""), 1, options.connections, str(script))
        print(
            f"Measuring {len(results)} pages: {options.rounds} rounds of {options.seconds:g} s "
            f"per page at {options.connections} connections..."
        )
        for round_number in range(options.rounds):
            # Alternate the order, so that drift of the machine spreads evenly.
            order = results if round_number % 2 == 0 else list(reversed(results))
            for result in order:
                url = server.base_url + result.path
                sample = run_wrk(
                    wrk,
                    url,
                    cookies.get(result.role, ""),
                    options.seconds,
                    options.connections,
                    str(script),
                )
                result.samples.append(sample)
            print(f"  round {round_number + 1} done")
        memory = measure_memory(server, wrk, results, cookies, options, work)
    load_after = os.getloadavg()

    hello_rps = results[0].rps
    floor_rps = results[1].rps
    rows = []
    for result in results:
        ratio, meets, misses = verdict(result, floor_rps)
        rows.append(
            {
                "page": result.name,
                "kind": result.kind,
                "path": result.path,
                "role": result.role,
                "rps": round(result.rps, 1),
                "p50_ms": round(result.p50_ms, 1),
                "p95_ms": round(result.p95_ms, 1),
                "ratio": round(ratio, 2),
                "ratio_to_hello": round(hello_rps / result.rps, 2),
                "queries": result.queries,
                "in_process_ms": round(result.app_ms, 1),
                "in_process_sql_ms": round(result.sql_ms, 1),
                "errors": result.errors,
                "meets_target": meets,
                "misses": misses,
                "samples": [asdict(s) for s in result.samples],
            }
        )
    print_table(rows, memory, load_before, load_after)
    report = {
        "started_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
        "git_commit": _git_commit(),
        "server": {
            "workers": options.workers,
            "worker_class": options.worker_class,
            "threads": options.threads,
        },
        "load": {
            "tool": "wrk",
            "connections": options.connections,
            "rounds": options.rounds,
            "seconds_per_page_per_round": options.seconds,
        },
        "targets": {
            "ratio": TARGET_RATIO,
            "p95_ms": TARGET_P95_MS,
            "memory_growth_kib": MEMORY_GROWTH_LIMIT_KIB,
        },
        "data": {
            "largest_school": str(data.largest_school),
            "largest_school_id": data.largest_school.pk,
            "counts": _counts(),
        },
        "loadavg_before": load_before,
        "loadavg_after": load_after,
        "pages": rows,
        "memory": memory,
    }
    options.json.parent.mkdir(parents=True, exist_ok=True)
    options.json.write_text(json.dumps(report, indent=2) + "\n")
    print(f"Wrote {options.json}")
    shutil.rmtree(work, ignore_errors=True)


def measure_memory(server, wrk, results, cookies, options, work) -> dict:
    """Worker RSS before and after at least `memory_requests` requests over all pages."""
    if options.memory_requests <= 0:
        return {}
    paths = [r.path for r in results]
    cookie_values = [cookies.get(r.role, "") for r in results]
    mix = Path(work) / "mix.lua"
    mix.write_text(
        "local paths = {"
        + ", ".join(json.dumps(p) for p in paths)
        + "}\nlocal cookies = {"
        + ", ".join(json.dumps(c) for c in cookie_values)
        + "}\nlocal i = 0\nrequest = function()\n  i = i % #paths + 1\n"
        '  return wrk.format("GET", paths[i], {["Cookie"] = cookies[i]})\nend\n' + WRK_REPORT
    )
    mean_rps = len(results) / sum(1 / max(r.rps, 1) for r in results)
    seconds = max(5, round(options.memory_requests / mean_rps * 1.2))
    before = server.worker_rss_kib()
    print(f"Memory: {options.memory_requests:,} requests over every page (~{seconds} s)...")
    done = 0
    while done < options.memory_requests:
        sample = run_wrk(wrk, server.base_url + "/", "", seconds, options.connections, str(mix))
        done += sample.requests
        seconds = max(3, round((options.memory_requests - done) / mean_rps * 1.2))
    after = server.worker_rss_kib()
    growth = {pid: after.get(pid, 0) - kib for pid, kib in before.items()}
    return {
        "requests": done,
        "rss_kib_before": before,
        "rss_kib_after": after,
        "growth_kib": growth,
        "same_workers": sorted(before) == sorted(after),
        "flat": sorted(before) == sorted(after)
        and all(g < MEMORY_GROWTH_LIMIT_KIB for g in growth.values()),
    }


def print_table(rows: list[dict], memory: dict, load_before, load_after) -> None:
    header = (
        f"{'page':<34} {'kind':<6} {'rps':>7} {'p50 ms':>7} {'p95 ms':>7} {'xhello':>6} "
        f"{'xfloor':>6} {'queries':>7} {'app ms':>7} {'sql ms':>7}  target"
    )
    print()
    print(header)
    print("-" * len(header))
    for row in rows:
        target = "ok" if row["meets_target"] else "MISS"
        if "floor" in row["kind"]:
            target = "floor"
        if row["misses"]:
            target = f"MISS ({row['misses']})"
        print(
            f"{row['page']:<34} {row['kind'][:6]:<6} {row['rps']:>7.1f} {row['p50_ms']:>7.1f} "
            f"{row['p95_ms']:>7.1f} {row['ratio_to_hello']:>6.2f} {row['ratio']:>6.2f} "
            f"{row['queries']:>7} "
            f"{row['in_process_ms']:>7.1f} {row['in_process_sql_ms']:>7.1f}  {target}"
        )
    print()
    print(
        f"Targets: detail <= {TARGET_RATIO['detail']}x the signed-in floor, list <= "
        f"{TARGET_RATIO['list']}x, p95 < {TARGET_P95_MS} ms on every page. "
        f"Load average before {load_before[0]:.2f}, "
        f"after {load_after[0]:.2f} (a shared machine: compare ratios)."
    )
    if memory:
        for pid, before in memory["rss_kib_before"].items():
            after = memory["rss_kib_after"].get(pid)
            print(
                f"Worker {pid}: RSS {before / 1024:.1f} MiB before, "
                f"{(after or 0) / 1024:.1f} MiB after {memory['requests']:,} requests "
                f"({memory['growth_kib'][pid] / 1024:+.1f} MiB)"
            )
        print(f"Memory flat: {'yes' if memory['flat'] else 'NO'}")


def _counts() -> dict[str, int]:
    from onboarding.people.models import User
    from onboarding.schools.models import Membership, School

    return {
        "schools": School.objects.count(),
        "people": User.objects.count(),
        "memberships": Membership.objects.count(),
    }


def _git_commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=common.ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


if __name__ == "__main__":
    main()
