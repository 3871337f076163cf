from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from onboarding.audit.models import AuditEvent, client_ip
from onboarding.people.middleware import session_start
from onboarding.people.models import SignIn


@receiver(user_logged_in)
def remember_sign_in(sender, request, user, **kwargs) -> None:
    if request is None or not hasattr(request, "session"):
        return
    session_start(request.session)
    if not request.session.session_key:
        request.session.save()
    SignIn.objects.create(
        user=user, session_key=request.session.session_key, ip_address=client_ip(request)
    )
    AuditEvent.record(
        action="account.signed_in", summary=f"{user} signed in", actor=user, request=request
    )
