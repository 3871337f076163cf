from django.urls import reverse

from sro_portal.mail import send_templated


def send_published(version, memberships) -> None:
    """Tell each targeted person there is a guideline (or a new version) to read."""
    guideline = version.guideline
    for membership in memberships:
        send_templated(
            "guideline_published",
            [membership.user.email],
            {
                "person": membership.user,
                "school": membership.school,
                "guideline": guideline,
                "version": version,
                "due_date": version.due_for(membership.created_at, membership.school.zone),
                "path": reverse("guideline_detail", args=[membership.school_id, guideline.pk]),
            },
        )


def send_reminders(guideline, school, people) -> None:
    for person in people:
        send_templated(
            "guideline_reminder",
            [person.email],
            {
                "person": person,
                "school": school,
                "guideline": guideline,
                "path": reverse("guideline_detail", args=[school.pk, guideline.pk]),
                "list_path": reverse("guidelines", args=[school.pk]),
            },
        )
