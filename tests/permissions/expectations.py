from tests import factories as f
from tests.expectations.mailings import publishing_delivered
from tests.permissions import SCHOOL_MANAGERS, Route

# Guidelines are for the school's people: agency supervisors get a 403.
READERS = ("principal", "staff", "counselor", "sro", "district_admin")


def _school(w):
    return {"school_id": w.school.pk}


def _guideline(w):
    """A guideline of the school for staff and mental-health staff."""
    guideline = f.published_guideline(school=w.school)
    return {"school_id": w.school.pk, "guideline_id": guideline.pk}


def _failed_publishing(w):
    """The guideline's publishing, with one email the mail server refused."""
    guideline = f.published_guideline(school=w.school)
    mailing = publishing_delivered(guideline, sent=[w.counselor], failed=[w.staff])
    return {"school_id": w.school.pk, "guideline_id": guideline.pk, "mailing_id": mailing.pk}


def _starter(w):
    return {"school_id": w.school.pk, "key": "working-with-the-sro"}


ROUTES = [
    Route(
        "guidelines",
        kwargs=_school,
        ok=READERS,
        forbidden=("supervisor",),
        hidden=("other_principal",),
    ),
    Route(
        "guideline_detail",
        kwargs=_guideline,
        ok=READERS,
        forbidden=("supervisor",),
        hidden=("other_principal",),
    ),
    # Only the people the guideline targets acknowledge it.
    *[
        Route(
            name,
            kwargs=_guideline,
            method=method,
            ok=("staff", "counselor"),
            forbidden=("principal", "sro", "district_admin", "supervisor"),
            hidden=("other_principal",),
        )
        for name, method in (
            ("guideline_answers", "post"),
            ("guideline_confirm", "get"),
            ("guideline_confirm", "post"),
        )
    ],
    *[
        Route(
            name,
            kwargs=_guideline,
            ok=SCHOOL_MANAGERS,
            forbidden=("staff", "counselor", "sro", "supervisor"),
            hidden=("other_principal",),
        )
        for name in ("guideline_compliance", "guideline_roster_csv", "guideline_revise")
    ],
    Route(
        "guideline_remind",
        kwargs=_guideline,
        method="post",
        ok=SCHOOL_MANAGERS,
        forbidden=("staff", "counselor", "sro", "supervisor"),
        hidden=("other_principal",),
    ),
    Route(
        "guideline_revise",
        kwargs=_guideline,
        method="post",
        data=lambda w: {
            "title": "Working with the officer",
            "target_roles": ["staff"],
            "body": "New text.",
            "statements": "I will.",
            "due_date": "2030-01-01",
            "join_window_days": 10,
            "pass_mark": 100,
        },
        ok=SCHOOL_MANAGERS,
        forbidden=("staff", "counselor", "sro", "supervisor"),
        hidden=("other_principal",),
    ),
    *[
        Route(
            name,
            kwargs=kwargs,
            ok=SCHOOL_MANAGERS,
            forbidden=("staff", "counselor", "sro", "supervisor"),
            hidden=("other_principal",),
        )
        for name, kwargs in (
            ("guideline_starters", _school),
            ("guideline_starter_publish", _starter),
            ("guideline_new", _school),
        )
    ],
    Route(
        "guideline_starter_publish",
        kwargs=_starter,
        method="post",
        data=lambda w: {
            "target_roles": ["staff"],
            "due_date": "2030-01-01",
            "join_window_days": 14,
            "pass_mark": 100,
            "scope": "school",
        },
        ok=SCHOOL_MANAGERS,
        forbidden=("staff", "counselor", "sro", "supervisor"),
        hidden=("other_principal",),
    ),
    Route(
        "guideline_new",
        kwargs=_school,
        method="post",
        data=lambda w: {
            "title": "Lockdown drills",
            "target_roles": ["staff"],
            "body": "Text.",
            "statements": "I will.",
            "due_date": "2030-01-01",
            "join_window_days": 14,
            "pass_mark": 100,
        },
        ok=SCHOOL_MANAGERS,
        forbidden=("staff", "counselor", "sro", "supervisor"),
        hidden=("other_principal",),
    ),
]


ROUTES += [
    Route(
        "guideline_links",
        kwargs=_guideline,
        ok=("principal", "district_admin"),
        forbidden=("staff", "counselor", "sro", "supervisor"),
        hidden=("other_principal",),
    ),
    Route(
        "guideline_links",
        kwargs=_guideline,
        method="post",
        ok=("principal", "district_admin"),
        forbidden=("staff", "counselor", "sro", "supervisor"),
        hidden=("other_principal",),
    ),
]

ROUTES += [
    # Those who publish the guideline send its failed emails again; the people it
    # targets (staff, counselor) see the guideline but not its delivery.
    Route(
        "guideline_send_again",
        kwargs=_failed_publishing,
        method="post",
        ok=SCHOOL_MANAGERS,
        forbidden=("staff", "counselor", "sro", "supervisor"),
        hidden=("other_principal",),
    ),
]
