from django import forms


class TemplateSectionForm(forms.Form):
    title = forms.CharField(max_length=200, label="Section title")
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 14}),
        label="Text",
        help_text="Markdown. Placeholders filled when an agreement starts: {{ school }}, "
        "{{ district }}, {{ agency }}, {{ officer }}, {{ start_date }}, {{ review_date }}.",
    )
    position = forms.IntegerField(min_value=1, label="Position in the template")
