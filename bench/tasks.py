"""Background work at district scale: `make bench-tasks` (or `.venv/bin/python
bench/tasks.py`).

On a copy of DATABASE_URL (a database built by `manage.py seed_scale`, copied as a
template so that the runs change nothing of it), under production settings, it
measures and prints:

1. **Publishing to the district**: a district admin publishes a new version of a
   district-wide guideline through the form, on gunicorn, 5 times; the request's
   time (median and p95). The target: p95 under 1 s. The request only writes the
   mailing: its thousands of emails are the worker's.
2. **Delivery**: one worker (`manage.py db_worker`, a process of its own) expands
   a mailing of 6,000 emails (the guideline's email, rendered for 6,000 people of
   the district) and delivers them to a local SMTP server (aiosmtpd, in this
   process). The target: all delivered in under 2 minutes, each exactly once.
3. **The largest school's evidence binder**, built as the worker builds it, 3
   times: the target is under 3 s.

Everything talks to 127.0.0.1 only.
"""

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402

PUBLISH_TARGET_S = 1.0
DELIVERY_TARGET_S = 120
BINDER_TARGET_S = 3.0


def copy_database(url: str) -> str:
    """A fresh copy of the benchmark database (CREATE DATABASE ... TEMPLATE)."""
    import psycopg

    base, _, name = url.rpartition("/")
    copy = f"{name}_tasks"
    admin = base.replace("postgres://", "postgresql://", 1) + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{name}"')
    return f"{base}/{copy}"


def drop_database(url: str) -> None:
    import psycopg

    base, _, name = url.rpartition("/")
    admin = base.replace("postgres://", "postgresql://", 1) + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def p95(values: list[float]) -> float:
    """Nearest-rank 95th percentile (of 5 runs: the slowest)."""
    ordered = sorted(values)
    return ordered[max(0, -(-95 * len(ordered) // 100) - 1)]


def district_guideline():
    from expectations.models import Guideline

    return (
        Guideline.objects.filter(district__isnull=False, school__isnull=True)
        .select_related("district")
        .order_by("pk")
        .first()
    )


def publish_form_data(guideline) -> dict[str, str]:
    """What the revise form holds for the guideline's current version, as a browser
    would send it, with the text changed so that it is a new version."""
    from expectations.publishing.forms import GuidelineForm

    initial = GuidelineForm.initial_from(guideline.current_version)
    data = {key: value for key, value in initial.items() if key != "target_roles"}
    data["due_date"] = initial["due_date"].isoformat()
    data["body"] = initial["body"] + f"\n\nRevised at {time.time()}."
    data["requires_reacknowledgment"] = "on"
    data["change_note"] = "A clarification."
    pairs = list(data.items()) + [("target_roles", role) for role in initial["target_roles"]]
    return pairs


def bench_publish(env: dict, runs: int, password: str) -> dict:
    from onboarding.outbox.models import Mailing
    from onboarding.schools.models import DistrictMembership

    guideline = district_guideline()
    admin = DistrictMembership.objects.filter(district=guideline.district).first().user
    school = guideline.district.schools.order_by("pk").first()
    path = f"/schools/{school.pk}/guidelines/{guideline.pk}/revise/"
    seconds = []
    with common.Server(env, common.free_port(), workers=2) as server:
        cookie = common.sign_in(server.port, admin.email, password)
        for _ in range(runs):
            guideline.refresh_from_db()
            data = publish_form_data(guideline)
            started = time.perf_counter()
            status = common.post(server.port, path, cookie, data)
            seconds.append(time.perf_counter() - started)
            if status != 302:
                raise RuntimeError(f"Publishing answered {status}, not a redirect.")
    mailing = Mailing.objects.filter(kind="guideline_published").order_by("-pk").first()
    return {
        "runs": runs,
        "median_s": statistics.median(seconds),
        "p95_s": p95(seconds),
        "seconds": seconds,
        "mailing": mailing,
        "people": guideline.targeted_people_count(),
    }


def six_thousand(emails, *, guideline_id: int, count: int) -> None:
    """A mailing's builder (run by the worker): the guideline's email to the first
    `count` people of its district, one each."""
    from django.urls import reverse

    from expectations.models import Guideline
    from onboarding.schools.models import Membership

    guideline = Guideline.objects.select_related("current_version").get(pk=guideline_id)
    version = guideline.current_version
    memberships = (
        Membership.objects.filter(school__district_id=guideline.district_id, user__is_active=True)
        .select_related("user", "school")
        .order_by("user_id")
    )
    added = set()
    for membership in memberships.iterator(chunk_size=1000):
        if len(added) == count:
            break
        if membership.user_id in added:
            continue
        added.add(membership.user_id)
        emails.add(
            "guideline_published",
            to=membership.user,
            context={
                "person": membership.user,
                "school": membership.school,
                "guideline": guideline,
                "version": version,
                "due_date": version.due_date,
                "path": reverse("guideline_detail", args=[membership.school_id, guideline.pk]),
            },
        )


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / common.os.sysconf("SC_CLK_TCK")


def bench_delivery(env: dict, count: int) -> dict:
    from django.db import transaction

    from onboarding.outbox.models import Email, Mailing
    from onboarding.outbox.workflows import mailing_start
    from tests.mailserver import MailServer, running

    # Only this benchmark's emails: the publishing runs' mailings are not sent.
    Mailing.objects.all().delete()
    Email.objects.all().delete()
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.all().delete()
    guideline = district_guideline()
    with running(MailServer()) as server:
        worker_env = {**env, "EMAIL_URL": server.url}
        worker = subprocess.Popen(
            [
                common.VENV_BIN / "python",
                "manage.py",
                "db_worker",
                "--no-reload",
                "--no-startup-delay",
                "--interval",
                "0.2",
            ],  # fmt: skip
            cwd=common.ROOT,
            env=worker_env,
        )
        try:
            time.sleep(3)  # the worker is up and waiting
            started = time.perf_counter()
            with transaction.atomic():
                mailing = mailing_start(
                    "guideline_published",
                    builder="bench.tasks.six_thousand",
                    arguments={"guideline_id": guideline.pk, "count": count},
                )
            expanded_s = None
            deadline = started + 10 * DELIVERY_TARGET_S
            while time.perf_counter() < deadline:
                if worker.poll() is not None:
                    raise RuntimeError("The worker stopped.")
                if expanded_s is None:
                    mailing.refresh_from_db()
                    if mailing.expanded_at is not None:
                        expanded_s = time.perf_counter() - started
                sent = Email.objects.filter(state=Email.State.SENT).count()
                if mailing.expanded_at is not None and sent >= mailing.recipients:
                    break
                time.sleep(0.25)
            total_s = time.perf_counter() - started
            worker_cpu_s = cpu_seconds(worker.pid)
        finally:
            worker.terminate()
            worker.wait(timeout=30)
        addresses = server.addresses()
    emails = Email.objects.filter(mailing=mailing)
    return {
        "queued": emails.count(),
        "sent": emails.filter(state=Email.State.SENT).count(),
        "received": len(addresses),
        "received_distinct": len({a.lower() for a in addresses}),
        "expanded_s": expanded_s,
        "total_s": total_s,
        "worker_cpu_s": worker_cpu_s,
    }


def bench_binder(runs: int) -> dict:
    from django.db.models import Count

    from onboarding.exports.workflows import build_binder_pdf
    from onboarding.schools.models import School

    school = School.objects.annotate(people=Count("memberships")).order_by("-people", "pk").first()
    seconds, cpu, size = [], [], 0
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        pdf = build_binder_pdf(school)
        seconds.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
        size = len(pdf)
    return {"school": school.name, "best_s": min(seconds), "median_s": statistics.median(seconds),
            "seconds": seconds, "cpu_s": cpu, "bytes": size}  # fmt: skip


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=common.os.environ.get("DATABASE_URL", common.DEFAULT_DATABASE_URL),
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--emails", type=int, default=6000)
    parser.add_argument("--password", default="sro-portal-scale")
    parser.add_argument("--keep", action="store_true", help="keep the database copy")
    parser.add_argument("--no-publish", dest="publish", action="store_false")
    parser.add_argument("--no-binder", dest="binder", action="store_false")
    args = parser.parse_args()

    url = copy_database(args.database_url)
    env = common.production_env(url, common.static_root())
    common.collectstatic(env)
    common.setup_django(env)
    try:
        publish = bench_publish(env, args.runs, args.password) if args.publish else None
        delivery = bench_delivery(env, args.emails)
        binder = bench_binder(3) if args.binder else None
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            drop_database(url)

    report(args, publish, delivery, binder)


def report(args, publish, delivery, binder) -> None:
    if publish is not None:
        print_publish(args, publish)
    print_delivery(args, delivery)
    if binder is not None:
        print_binder(binder)


def print_publish(args, publish) -> None:
    mailing = publish["mailing"]
    print(f"1. Publishing a district guideline ({args.runs} runs, 2 sync gunicorn workers)")
    print("   request: median {:.3f} s, p95 {:.3f} s  (target < {:.0f} s: {})".format(
        publish["median_s"], publish["p95_s"], PUBLISH_TARGET_S,
        verdict(publish["p95_s"] < PUBLISH_TARGET_S)))  # fmt: skip
    print("   each run: " + ", ".join(f"{s:.3f}" for s in publish["seconds"]) + " s")
    if mailing is not None:
        print(f"   each run wrote one mailing to {publish['people']:,} people; the worker writes"
              " their emails")  # fmt: skip


def print_delivery(args, delivery) -> None:
    print(f"2. One worker delivers {args.emails:,} emails to a local SMTP server")
    print("   expanded into {:,} emails in {:.1f} s; {:,} sent, {:,} received ({:,} distinct)".format(
        delivery["queued"], delivery["expanded_s"] or float("nan"), delivery["sent"],
        delivery["received"], delivery["received_distinct"]))  # fmt: skip
    rate = delivery["sent"] / delivery["total_s"] if delivery["total_s"] else 0
    every_once = delivery["received"] == delivery["received_distinct"] == delivery["queued"]
    print("   all delivered in {:.1f} s ({:.0f} emails/s)  (target < {} s: {}); each once: {}".format(
        delivery["total_s"], rate, DELIVERY_TARGET_S,
        verdict(delivery["total_s"] < DELIVERY_TARGET_S and every_once), every_once))  # fmt: skip
    print(f"   the worker's CPU time: {delivery['worker_cpu_s']:.1f} s")


def print_binder(binder) -> None:
    print(
        f"3. The largest school's evidence binder ({binder['school']}, {binder['bytes']:,} bytes)"
    )
    print("   built in best {:.2f} s, median {:.2f} s of 3  (target < {:.0f} s: {})".format(
        binder["best_s"], binder["median_s"], BINDER_TARGET_S,
        verdict(binder["median_s"] < BINDER_TARGET_S)))  # fmt: skip
    print("   CPU time of each build: " + ", ".join(f"{s:.2f}" for s in binder["cpu_s"]) + " s"
          " (the wall time above includes waiting for a core on a busy machine)")  # fmt: skip


if __name__ == "__main__":
    main()
