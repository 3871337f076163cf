from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from onboarding import access
from onboarding.people.forms import (
    InvitationForm,
    PasswordResetForm,
    PersonEmailForm,
    RoleChangeForm,
    RosterImportForm,
    SetPasswordForm,
    SignInForm,
)
from onboarding.people.models import Invitation, User
from onboarding.people.roster import (
    RowError,
    find_oneroster_org,
    parse_oneroster_users,
    parse_simple_csv,
)
from onboarding.people.signin import password_reset_allowed
from onboarding.people.workflows import (
    EmailChangeRefused,
    membership_change_role,
    membership_deactivate,
    membership_reactivate,
    person_email_change,
    person_invite,
    roster_import,
)
from onboarding.people.workflows import invitation_accept as accept_invitation
from onboarding.people.workflows import invitation_revoke as revoke_invitation
from onboarding.schools.models import Membership

DEMO_ACCOUNTS = [
    ("principal@example.org", "Principal of Riverside High School"),
    ("teacher@example.org", "Teacher at Riverside High School"),
    ("counselor@example.org", "Counselor (mental-health staff) at Riverside High School"),
    ("sro@example.org", "School Resource Officer at Riverside High and Lakeview Middle"),
    ("supervisor@example.org", "SRO supervisor, Riverside Police Department"),
    ("district@example.org", "District admin, Riverside Unified School District"),
]


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if settings.SHOW_DEMO_ACCOUNTS:
            present = set(
                User.objects.filter(
                    email__in=[e for e, _ in DEMO_ACCOUNTS], is_active=True
                ).values_list("email", flat=True)
            )
            context["demo_accounts"] = [(e, d) for e, d in DEMO_ACCOUNTS if e in present]
            context["demo_password"] = settings.DEMO_PASSWORD
        return context


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm

    def form_valid(self, form):
        if password_reset_allowed(form.cleaned_data["email"], self.request):
            return super().form_valid(form)
        # Over the limit: the same answer as ever, without the email.
        return HttpResponseRedirect(self.get_success_url())


def invitation_accept(request, token: str):
    invitation = Invitation.find_by_token(token)
    if invitation is None or not invitation.is_usable:
        return render(
            request,
            "onboarding/people/invitation_invalid.html",
            {"invitation": invitation},
            status=410 if invitation else 404,
        )
    form = SetPasswordForm(
        request.POST or None, email=invitation.email, initial={"full_name": invitation.full_name}
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = accept_invitation(
                invitation=invitation,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
                request=request,
            )
        except ValueError as error:
            messages.error(request, str(error))
            return redirect("login")
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Welcome! Your account is ready.")
        return redirect("home")
    return render(
        request,
        "onboarding/people/invitation_accept.html",
        {"invitation": invitation, "form": form},
    )


PEOPLE_PER_PAGE = 25


@login_required
def people(request, school_id: int):
    school_access = access.get_school_access(request, school_id)
    school_access.require(school_access.can_manage)
    school = school_access.school
    # A large school's roster runs to hundreds of rows: a page of them at a time,
    # with a search by name or email to find one person.
    search = request.GET.get("q", "").strip()[:100]
    roster = (
        Membership.objects.filter(school=school)
        .select_related("user")
        .order_by("-is_active", "user__full_name", "pk")
    )
    if search:
        roster = roster.filter(
            Q(user__full_name__icontains=search) | Q(user__email__icontains=search)
        )
    context = {
        "access": school_access,
        "school": school,
        "page": Paginator(roster, PEOPLE_PER_PAGE).get_page(request.GET.get("page")),
        "search": search,
        "role_choices": RoleChangeForm.base_fields["role"].choices,
        "invitations": Invitation.objects.pending()
        .filter(school=school)
        .with_bounce()
        .select_related("invited_by"),
    }
    return render(request, "onboarding/people/people.html", context)


@login_required
def person_invite_view(request, school_id: int):
    school_access = access.get_school_access(request, school_id)
    school_access.require(school_access.can_manage)
    school = school_access.school
    form = InvitationForm(request.POST or None, school=school)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        result = person_invite(
            school=school,
            email=data["email"],
            full_name=data["full_name"],
            role=data["role"],
            agency=data["agency"],
            title=data["title"],
            invited_by=request.user,
            request=request,
        )
        if result.user:
            messages.success(
                request, f"{result.user} already had an account and is now on the roster."
            )
        else:
            messages.success(request, f"Invitation sent to {data['email']}.")
        return redirect("people", school.pk)
    return render(
        request,
        "onboarding/people/person_invite.html",
        {"access": school_access, "school": school, "form": form},
    )


@login_required
def people_import(request, school_id: int):
    school_access = access.get_school_access(request, school_id)
    school_access.require(school_access.can_manage)
    school = school_access.school
    form = RosterImportForm(request.POST or None, request.FILES or None)
    errors: list[RowError] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["format"] == "simple":
            rows, errors = parse_simple_csv(data["roster_file"])
            source = data["roster_file"].name
        else:
            org_id, errors = find_oneroster_org(data["orgs_file"], school)
            rows = []
            if org_id:
                rows, errors = parse_oneroster_users(data["users_file"], org_id)
            source = "OneRoster files"
        errors += _self_demotions(rows, request.user, school)
        if not errors:
            result = roster_import(
                school=school, rows=rows, actor=request.user, source=source, request=request
            )
            messages.success(
                request,
                f"Roster imported: {result.invited} invited, {result.added} added, "
                f"{result.updated} with a new role, {result.unchanged} unchanged.",
            )
            return redirect("people", school.pk)
    return render(
        request,
        "onboarding/people/people_import.html",
        {"access": school_access, "school": school, "form": form, "errors": errors},
        status=400 if errors else 200,
    )


def _self_demotions(rows, user, school) -> list[RowError]:
    mine = Membership.objects.filter(user=user, school=school, is_active=True).first()
    return [
        RowError("file", row.row, "role", "this row would change your own role; remove it.")
        for row in rows
        if mine and row.email == user.email.lower() and row.role != mine.role
    ]


@login_required
@require_POST
def membership_role(request, school_id: int, membership_id: int):
    school_access = access.get_school_access(request, school_id)
    school_access.require(school_access.can_manage)
    membership = access.get_membership_in_school(school_access, membership_id)
    form = RoleChangeForm(request.POST)
    if membership.user_id == request.user.pk:
        messages.error(
            request, "You cannot change your own role; ask another principal or the district."
        )
    elif not form.is_valid():
        messages.error(request, "Choose one of the listed roles.")
    else:
        membership_change_role(
            membership=membership,
            role=form.cleaned_data["role"],
            actor=request.user,
            request=request,
        )
        messages.success(request, f"{membership.user} is now {membership.get_role_display()}.")
    return redirect("people", school_access.school.pk)


@login_required
@require_POST
def membership_deactivate_view(request, school_id: int, membership_id: int):
    school_access = access.get_school_access(request, school_id)
    school_access.require(school_access.can_manage)
    membership = access.get_membership_in_school(school_access, membership_id)
    if membership.user_id == request.user.pk:
        messages.error(request, "You cannot deactivate yourself.")
    else:
        closed = membership_deactivate(membership=membership, actor=request.user, request=request)
        messages.success(
            request,
            f"{membership.user} is deactivated"
            + (" and signed out everywhere." if closed else " at this school."),
        )
    return redirect("people", school_access.school.pk)


@login_required
@require_POST
def membership_reactivate_view(request, school_id: int, membership_id: int):
    school_access = access.get_school_access(request, school_id)
    school_access.require(school_access.can_manage)
    membership = access.get_membership_in_school(school_access, membership_id)
    membership_reactivate(membership=membership, actor=request.user, request=request)
    messages.success(request, f"{membership.user} is active again.")
    return redirect("people", school_access.school.pk)


@login_required
def membership_email(request, school_id: int, membership_id: int):
    school_access = access.get_school_access(request, school_id)
    school_access.require(school_access.can_manage)
    membership = access.get_membership_in_school(school_access, membership_id)
    person = membership.user
    refusal = access.email_change_refusal(school_access, access.roles_of(request), person)
    form = PersonEmailForm(None if refusal else request.POST or None, person=person)
    if form.is_bound and form.is_valid():
        if form.unchanged:
            messages.info(
                request, f"Nothing changed: {person.email} is already {person}'s address."
            )
            return redirect("people", school_access.school.pk)
        try:
            person_email_change(**form.cleaned_data, person=person, school=school_access.school,
                                membership=membership, actor=request.user, request=request)  # fmt: skip
        except EmailChangeRefused as refused:
            form.add_error("email", str(refused))
        else:
            messages.success(request, f"{person}'s address is now {form.cleaned_data['email']}.")
            return redirect("people", school_access.school.pk)
    context = {"access": school_access, "school": school_access.school, "membership": membership,
               "person": person, "form": form, "refusal": refusal}  # fmt: skip
    status = 403 if refusal and request.method == "POST" else 200
    return render(request, "onboarding/people/person_email.html", context, status=status)


@login_required
@require_POST
def invitation_revoke(request, school_id: int, invitation_id: int):
    school_access = access.get_school_access(request, school_id)
    school_access.require(school_access.can_manage)
    invitation = (
        Invitation.objects.pending().filter(pk=invitation_id, school=school_access.school).first()
    )
    if invitation is None:
        raise Http404
    revoke_invitation(invitation=invitation, actor=request.user, request=request)
    messages.success(request, f"The invitation for {invitation.email} is revoked.")
    return redirect(reverse("people", args=[school_access.school.pk]))
