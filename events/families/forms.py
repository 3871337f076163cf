from django import forms

from sro_portal.forms import Form


class FamilySignupForm(Form):
    name = forms.CharField(label="Your name", max_length=150)
    email = forms.EmailField(label="Email address", help_text="We send the confirmation here.")
    party_size = forms.IntegerField(
        label="How many people are coming (including you)", min_value=1, max_value=10, initial=1
    )
