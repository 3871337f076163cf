"""Two versions of an agreement compared section by section, word by word."""

from dataclasses import dataclass

from onboarding.agreements.models import AgreementSection, AgreementVersion
from sro_portal.text import WordDiff, word_diff

LABELS = {"added": "Added", "removed": "Removed", "changed": "Changed", "unchanged": "Unchanged"}


@dataclass
class SectionChange:
    key: str
    change: str  # "added", "removed", "changed" or "unchanged"
    title: WordDiff
    body: WordDiff

    @property
    def label(self) -> str:
        return LABELS[self.change]


def compare_versions(old: AgreementVersion, new: AgreementVersion) -> list[SectionChange]:
    """Section by section (matched by key), in the newer version's order; removed
    sections follow. The sections of both versions in one query."""
    sections = {old.pk: [], new.pk: []}
    for section in AgreementSection.objects.filter(version__in=[old, new]):
        sections[section.version_id].append(section)
    old_sections, new_sections = sections[old.pk], sections[new.pk]
    old_by_key = {s.key: s for s in old_sections}
    new_keys = {s.key for s in new_sections}
    rows = []
    for section in new_sections:
        before = old_by_key.get(section.key)
        if before is None:
            change = "added"
        elif (before.title, before.body) == (section.title, section.body):
            change = "unchanged"
        else:
            change = "changed"
        rows.append(
            SectionChange(
                section.key,
                change,
                word_diff(before.title if before else "", section.title),
                word_diff(before.body if before else "", section.body),
            )
        )
    rows += [
        SectionChange(s.key, "removed", word_diff(s.title, ""), word_diff(s.body, ""))
        for s in old_sections
        if s.key not in new_keys
    ]
    return rows
