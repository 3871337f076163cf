from django.urls import reverse

from sro_portal.mail import send_templated


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
