from django.db import models

from onboarding.people.models import User
from onboarding.schools.models import District


class AgreementTemplate(models.Model):
    """A district's own starting text. Without one, the built-in text is used."""

    district = models.OneToOneField(
        District, on_delete=models.CASCADE, related_name="agreement_template"
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"Agreement template of {self.district}"


class TemplateSection(models.Model):
    template = models.ForeignKey(
        AgreementTemplate, on_delete=models.CASCADE, related_name="sections"
    )
    key = models.SlugField(max_length=60)
    position = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField(help_text="Markdown.")

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["template", "key"], name="one_template_section_per_key")
        ]

    def __str__(self) -> str:
        return self.title
