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
