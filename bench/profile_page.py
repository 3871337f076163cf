"""Profile signed-in pages in process: `bench/profile_page.py [--profile NAME] [--requests 20]`.

Renders each page with the Django test client under production settings (DEBUG off,
so the cached template loader) against DATABASE_URL (a database built by
`seed_scale` and, for the capability pages, `seed_demo`), and prints the median
in-process milliseconds over --requests requests and the query count. `--profile
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
    """(name, user, path) of each page, from the scale district and the demo district."""
    from django.db.models import Count, Q
    from django.urls import reverse

    from onboarding.models import Agency, District, Membership, Role, School, User

    active = Q(memberships__is_active=True)
    scale = District.objects.annotate(n=Count("schools")).order_by("-n", "pk").first()
    largest = (
        School.objects.filter(district=scale)
        .annotate(size=Count("memberships", filter=active))
        .order_by("-size", "pk")
        .first()
    )

    def member(school, role):
        m = Membership.objects.active().filter(school=school, role=role).order_by("pk").first()
        return m.user

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
    admin = scale.admins.filter(is_active=True).order_by("pk").first().user
    principal = member(largest, Role.PRINCIPAL)
    result = [
        ("home: staff", member(largest, Role.STAFF), reverse("home")),
        ("home: principal", principal, reverse("home")),
        ("home: SRO (busiest)", busiest, reverse("home")),
        ("home: supervisor", supervisor, reverse("home")),
        ("home: district admin", admin, reverse("home")),
        ("school home (largest)", principal, reverse("school_home", args=[largest.pk])),
        ("people (largest)", principal, reverse("people", args=[largest.pk])),
        ("district page", admin, reverse("district_home", args=[scale.pk])),
        ("agency page", supervisor, reverse("agency_home", args=[agency.pk])),
    ]
    # Capability pages, on the demo district (seed_demo) when it is there.
    demo = {u.email: u for u in User.objects.filter(email__endswith="@example.org")}
    if "principal@example.org" in demo:
        from expectations.models import Guideline
        from onboarding.models import Agreement

        high = Membership.objects.get(
            user=demo["principal@example.org"], role=Role.PRINCIPAL
        ).school
        p = demo["principal@example.org"]
        result += [
            ("demo: school home", p, reverse("school_home", args=[high.pk])),
            ("demo: officer week", demo["sro@example.org"], reverse("officer_week")),
            ("demo: calendar month", p, reverse("events_month", args=[high.pk])),
        ]
        guideline = Guideline.objects.filter(school=high).order_by("pk").first()
        if guideline:
            url = reverse("guideline_compliance", args=[high.pk, guideline.pk])
            result.append(("demo: compliance", p, url))
        agreement = Agreement.objects.filter(school=high).order_by("pk").first()
        if agreement:
            url = reverse("agreement_detail", args=[high.pk, agreement.pk])
            result.append(("demo: agreement", p, url))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--profile", default="", help="substring of the page(s) to profile")
    parser.add_argument("--only", default="", help="substring of the pages to measure")
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument("--sort", default="cumulative")
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

    print(f"{'page':28} {'median ms':>9} {'min ms':>7} {'sql ms':>7} {'queries':>7}")
    for name, user, path in pages():
        if options.only and options.only not in name:
            continue
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        for _ in range(3):
            response = client.get(path)
            assert response.status_code == 200, (name, path, response.status_code)
        times, sql = [], []
        for _ in range(options.requests):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                client.get(path)
                times.append((time.perf_counter() - start) * 1000)
            sql.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
        print(
            f"{name:28} {statistics.median(times):9.1f} {min(times):7.1f}"
            f" {statistics.median(sql):7.1f} {len(queries.captured_queries):7d}",
            flush=True,
        )
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
