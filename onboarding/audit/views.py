"""The audit log's hash chain, verified for a district admin. The chain is one for
the whole site: the page says whether it is intact and which event breaks it, and
shows that event's content only when it concerns the admin's district."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from onboarding import access
from onboarding.audit import chain
from onboarding.audit.models import AuditEvent


@login_required
def audit_chain(request, district_id: int):
    district = access.get_district_for_admin(request, district_id)
    verdict = chain.verify(AuditEvent.objects.order_by("pk").iterator(chunk_size=2000))
    broken = None
    if not verdict.intact:
        broken = AuditEvent.objects.select_related("school").get(pk=verdict.broken_at)
        broken.ours = broken.school is not None and broken.school.district_id == district.pk
    return render(
        request,
        "onboarding/audit/chain.html",
        {"district": district, "verdict": verdict, "broken": broken},
    )
