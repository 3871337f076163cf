from django import forms

from sro_portal.forms import TEXT_BOX_MAX_LENGTH, Form


class TemplateSectionForm(Form):
    title = forms.CharField(max_length=200, label="Section title")
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 14}),
        max_length=TEXT_BOX_MAX_LENGTH,
        label="Text",
        help_text="Markdown. Placeholders filled when an agreement starts: {{ school }}, "
        "{{ district }}, {{ agency }}, {{ officer }}, {{ start_date }}, {{ review_date }}.",
    )
    position = forms.IntegerField(min_value=1, label="Position in the template")
