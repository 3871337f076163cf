from django import forms

from onboarding.schools.models import (
    Agency,
    AgencyMembership,
    DistrictMembership,
    Role,
    School,
)
from sro_portal.forms import Form, ModelForm


class SchoolForm(ModelForm):
    class Meta:
        model = School
        fields = ["name", "level", "state", "time_zone", "address", "sis_id"]
        help_texts = {
            "time_zone": "Visits and events show in this zone.",
            "sis_id": "The school's sourcedId or identifier in your student information "
            "system's OneRoster export, to match roster imports.",
        }


class AgencyForm(ModelForm):
    class Meta:
        model = Agency
        fields = ["name"]
        labels = {"name": "Agency name"}


class DistrictInvitationForm(Form):
    """District-wide roles: another district admin, or an agency's SRO supervisor."""

    full_name = forms.CharField(max_length=150)
    email = forms.EmailField()
    role = forms.ChoiceField(
        choices=[(r.value, r.label) for r in (Role.DISTRICT_ADMIN, Role.SUPERVISOR)]
    )
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.none(), required=False, help_text="For an SRO supervisor."
    )

    def __init__(self, *args, district, **kwargs):
        super().__init__(*args, **kwargs)
        self.district = district
        self.fields["agency"].queryset = Agency.objects.filter(district=district)

    def clean_email(self) -> str:
        return self.cleaned_data["email"].lower()

    def clean(self):
        data = super().clean()
        role, email, agency = data.get("role"), data.get("email"), data.get("agency")
        if role == Role.SUPERVISOR and not agency:
            self.add_error("agency", "Choose the agency this person supervises for.")
        if (
            role == Role.DISTRICT_ADMIN
            and email
            and DistrictMembership.objects.filter(
                district=self.district, user__email__iexact=email, is_active=True
            ).exists()
        ):
            self.add_error("email", "This person is already a district admin.")
        if (
            role == Role.SUPERVISOR
            and email
            and agency
            and AgencyMembership.objects.filter(
                agency=agency, user__email__iexact=email, role="supervisor", is_active=True
            ).exists()
        ):
            self.add_error("email", "This person already supervises for this agency.")
        return data
