"""Restart PostgreSQL under load and count server errors per phase.

`.venv/bin/python bench/restart.py` (as root, on the machine that runs the
database): starts gunicorn (production settings, the pool on), signs in, then a
few threads request database-backed pages over loopback for a bounded time while
the script restarts the PostgreSQL cluster with pg_ctlcluster. Each response is
counted in its phase:

- before: requests answered before the restart command starts;
- outage: requests that overlap the time from then until a fresh connection to
  the database succeeds again;
- after: requests started after that. The goal: zero 5xx here.

Bounded: at most --seconds of load per phase after the restart, at most
--max-requests in all, traffic to 127.0.0.1 only.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402


def database_answers(database_url: str) -> bool:
    import psycopg

    try:
        with psycopg.connect(database_url, connect_timeout=1) as connection:
            connection.execute("SELECT 1")
        return True
    except psycopg.Error:
        return False


def others_connected(database_url: str) -> list[str]:
    """Databases other than ours that have clients right now (other people's work)."""
    import psycopg

    ours = database_url.rsplit("/", 1)[-1]
    with psycopg.connect(database_url) as connection:
        rows = connection.execute(
            "SELECT DISTINCT datname FROM pg_stat_activity "
            "WHERE datname IS NOT NULL AND datname <> %s AND pid <> pg_backend_pid()",
            [ours],
        ).fetchall()
    return [row[0] for row in rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default=os.environ.get("DATABASE_URL", common.DEFAULT_DATABASE_URL)
    )
    parser.add_argument("--port", type=int, default=8711)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=8, help="load before and after")
    parser.add_argument("--max-requests", type=int, default=20_000)
    parser.add_argument("--password", default="sro-portal-scale")
    parser.add_argument(
        "--health-checks",
        choices=["on", "off"],
        default="on",
        help="CONN_HEALTH_CHECKS, which Django turns into the pool's connection check",
    )
    parser.add_argument(
        "--quiet-restart",
        action="store_true",
        help="drain the requests under way and send nothing during the outage, so "
        "the pools still hold every dead connection when traffic resumes (a restart "
        "at a quiet hour: the hard case)",
    )
    parser.add_argument(
        "--wait-idle",
        type=float,
        default=180,
        help="wait up to this many seconds until no other database has clients "
        "(the restart cuts everybody's connections); 0 to restart regardless",
    )
    options = parser.parse_args()

    work = tempfile.mkdtemp(prefix="sro-restart-")
    env = common.production_env(
        options.database_url,
        common.static_root(),
        DATABASE_HEALTH_CHECKS="true" if options.health_checks == "on" else "false",
    )
    common.collectstatic(env)
    common.setup_django(env)
    from django.db.models import Count
    from django.urls import reverse

    from onboarding.schools.models import Membership, Role, School

    school = School.objects.annotate(n=Count("memberships")).order_by("-n").first()
    principal = (
        Membership.objects.filter(school=school, role=Role.PRINCIPAL, is_active=True)
        .select_related("user")
        .first()
        .user
    )
    paths = [reverse("home"), reverse("school_home", args=[school.pk])]
    version = common.pg_version()
    waited = time.monotonic()
    while options.wait_idle and (busy := others_connected(options.database_url)):
        if time.monotonic() - waited > options.wait_idle:
            sys.exit(f"Other databases stay busy ({', '.join(busy)}); not restarting.")
        print(f"Waiting for other databases to be idle: {', '.join(busy)}")
        time.sleep(5)

    phase = "before"
    counts: dict[str, Counter] = {p: Counter() for p in ("before", "outage", "after")}
    stop = threading.Event()
    lock = threading.Lock()
    total = 0

    in_flight = 0

    def load(cookie: str) -> None:
        nonlocal total, in_flight
        i = 0
        while not stop.is_set():
            if options.quiet_restart and phase == "outage":
                time.sleep(0.05)
                continue
            path = paths[i % len(paths)]
            i += 1
            with lock:
                started_in = phase
                in_flight += 1
            try:
                status, _ = common.get(options.port, path, cookie, timeout=20)
                outcome = f"{status // 100}xx"
            except OSError as error:
                outcome = f"connection error ({type(error).__name__})"
            # A request that overlaps the outage at all counts in the outage.
            current = started_in if started_in == phase else "outage"
            with lock:
                in_flight -= 1
                counts[current][outcome] += 1
                total += 1
                if total >= options.max_requests:
                    stop.set()

    with common.Server(env, options.port, log_dir=work) as server:
        cookie = common.sign_in(options.port, principal.email, options.password)
        threads = [
            threading.Thread(target=load, args=(cookie,), daemon=True)
            for _ in range(options.threads)
        ]
        for thread in threads:
            thread.start()
        time.sleep(options.seconds)
        with lock:
            phase = "outage"
        if options.quiet_restart:
            # Let the requests under way finish: the restart finds every pooled
            # connection idle, and the first requests after it meet them dead.
            while in_flight:
                time.sleep(0.01)
        restart_started = time.monotonic()
        print(f"Restarting PostgreSQL {version} ...")
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],
            check=True,
        )
        while not database_answers(options.database_url):
            if time.monotonic() - restart_started > 60:
                stop.set()
                sys.exit("The database did not come back within 60 s.")
            time.sleep(0.05)
        outage = time.monotonic() - restart_started
        phase = "after"
        time.sleep(options.seconds)
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
        log = server.log_path.read_text(errors="replace")

    print(f"Database unavailable for {outage:.1f} s (restart command to first new connection).")
    print(f"{'phase':<8} {'2xx':>7} {'3xx':>5} {'4xx':>5} {'5xx':>5}  other")
    for name, counter in counts.items():
        other = {k: v for k, v in counter.items() if k not in ("2xx", "3xx", "4xx", "5xx")}
        print(
            f"{name:<8} {counter['2xx']:>7} {counter['3xx']:>5} {counter['4xx']:>5} "
            f"{counter['5xx']:>5}  {other or ''}"
        )
    errors_after = counts["after"]["5xx"] + sum(
        v for k, v in counts["after"].items() if k.startswith("connection")
    )
    if errors_after:
        tail = [line for line in log.splitlines() if "Error" in line or "error" in line][-5:]
        print("Server errors after recovery. Last errors in the gunicorn log:")
        print("\n".join(tail))
        sys.exit(1)
    print("Zero server errors after the database came back.")


if __name__ == "__main__":
    main()
