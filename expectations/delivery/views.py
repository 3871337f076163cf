from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from expectations.access import get_guideline, school_access
from expectations.delivery.mailings import get_mailing_to_send_again
from onboarding.outbox.workflows import send_again


@login_required
@require_POST
def guideline_send_again(request, school_id: int, guideline_id: int, mailing_id: int):
    """Queue again the emails of a mailing that failed (after an address was put right,
    or a mail server came back)."""
    access = school_access(request, school_id)
    guideline = get_guideline(access, guideline_id)
    mailing = get_mailing_to_send_again(access, guideline, mailing_id)
    count = send_again(mailing=mailing, actor=request.user, request=request)
    if count:
        text = ngettext(
            "The failed email is on its way again.",
            "The %(n)d failed emails are on their way again.",
            count,
        ) % {"n": count}
        messages.success(request, text)
    else:
        messages.info(request, "No email of this mailing has failed: nothing to send again.")
    url = reverse("guideline_detail", args=[access.school.pk, guideline.pk])
    return redirect(f"{url}#delivery")
