from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm

from onboarding.people import emails
from onboarding.people.models import User
from onboarding.people.signin import normalized_address
from onboarding.people.workflows import stale_message
from onboarding.schools.models import (
    SCHOOL_ROLES,
    Agency,
    Membership,
    Role,
)
from sro_portal.forms import Form, Limits

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class SignInForm(Limits, AuthenticationForm):
    username = forms.EmailField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    error_messages = {
        "invalid_login": "That email address and password do not match an active account.",
        "inactive": "This account has been deactivated.",
    }

    def clean_username(self) -> str:
        # The spelling the lockout counts (AXES_USERNAME_CALLABLE), so that other
        # capitals do not buy five more tries.
        return normalized_address(self.cleaned_data["username"])


class PasswordResetForm(Limits, auth_forms.PasswordResetForm):
    """Django's, with the link queued in the outbox (templates/emails/password_reset*)
    rather than sent in the request. As Django's, it answers the same whether or not
    the address has an account: only an existing one is emailed."""

    def clean_email(self) -> str:
        return normalized_address(self.cleaned_data["email"])

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        emails.send_password_reset(context["user"], context)


class InvitationForm(Form):
    full_name = forms.CharField(max_length=150)
    email = forms.EmailField()
    role = forms.ChoiceField(choices=[(r.value, r.label) for r in SCHOOL_ROLES])
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.none(),
        required=False,
        help_text="For a School Resource Officer: the police agency that employs them.",
    )
    title = forms.CharField(
        max_length=100,
        required=False,
        help_text="Optional, for example: Counselor, Grade 7 science",
    )

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.school = school
        self.fields["agency"].queryset = Agency.objects.filter(district=school.district)

    def clean_email(self) -> str:
        return normalized_address(self.cleaned_data["email"])

    def clean(self):
        data = super().clean()
        if data.get("role") == Role.SRO and not data.get("agency"):
            self.add_error("agency", "Choose the officer's police agency.")
        email = data.get("email")
        if (
            email
            and Membership.objects.filter(
                school=self.school, user__email__iexact=email, is_active=True
            ).exists()
        ):
            self.add_error("email", "This person is already on the school's roster.")
        return data


class RoleChangeForm(Form):
    role = forms.ChoiceField(choices=[(r.value, r.label) for r in SCHOOL_ROLES])


class SetPasswordForm(Form):
    """A newcomer chooses their password when accepting an invitation."""

    full_name = forms.CharField(max_length=150)
    password1 = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="Password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "The two passwords differ.")
        elif p1:
            try:
                password_validation.validate_password(
                    p1, User(email=self.email, full_name=data.get("full_name", ""))
                )
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class RosterImportForm(Form):
    FORMAT_CHOICES = [
        ("simple", "Simple CSV (columns: name, email, role)"),
        ("oneroster", "OneRoster 1.1 export (orgs.csv and users.csv)"),
    ]
    format = forms.ChoiceField(choices=FORMAT_CHOICES, widget=forms.RadioSelect, initial="simple")
    roster_file = forms.FileField(
        label="Roster CSV", required=False, help_text="For the simple format."
    )
    orgs_file = forms.FileField(label="orgs.csv", required=False, help_text="OneRoster format.")
    users_file = forms.FileField(label="users.csv", required=False, help_text="OneRoster format.")

    def clean(self):
        data = super().clean()
        needed = ["roster_file"] if data.get("format") == "simple" else ["orgs_file", "users_file"]
        for name in needed:
            if not data.get(name):
                self.add_error(name, "Choose a file.")
        for name in ("roster_file", "orgs_file", "users_file"):
            upload = data.get(name)
            if upload and upload.size > MAX_UPLOAD_BYTES:
                self.add_error(name, "This file is larger than 5 MB.")
        return data


class PersonEmailForm(Form):
    """A person's new email address. `opened_with` carries the address the form was
    opened with: if it changed meanwhile, someone else corrected it and the form
    refuses rather than overwrite their change unseen."""

    email = forms.EmailField(
        label="New email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text="They sign in with this address, and every email of the portal goes to it.",
    )
    opened_with = forms.CharField(widget=forms.HiddenInput, required=False, max_length=254)

    def __init__(self, *args, person: User, **kwargs):
        kwargs.setdefault("initial", {"email": person.email, "opened_with": person.email})
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_email(self) -> str:
        # Stored in lower case, as every address is (`UserManager.create_user`,
        # invitations), and compared without regard to case, as sign-in does.
        email = self.cleaned_data["email"].lower()
        if User.objects.filter(email__iexact=email).exclude(pk=self.person.pk).exists():
            raise forms.ValidationError("Another account already uses this address.")
        return email

    def clean(self):
        data = super().clean()
        current = self.person.email
        if data.get("opened_with", "").lower() != current.lower():
            self.add_error("email", stale_message(self.person))
            # The form shown again carries the address as it is now, so that the
            # next submission, made knowing it, goes through.
            self.data = self.data.copy()
            self.data["opened_with"] = current
        return data

    @property
    def unchanged(self) -> bool:
        return self.cleaned_data["email"] == self.person.email.lower()
