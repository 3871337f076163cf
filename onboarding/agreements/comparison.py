"""Two versions of an agreement compared section by section, word by word."""

from dataclasses import dataclass
from functools import cached_property

from onboarding.agreements.models import AgreementSection
from sro_portal.text import WordDiff, word_diff

LABELS = {"added": "Added", "removed": "Removed", "changed": "Changed", "unchanged": "Unchanged"}


@dataclass
class SectionChange:
    """One section in two versions (`old` or `new` is None where it is missing)."""

    key: str
    old: AgreementSection | None
    new: AgreementSection | None

    @property
    def change(self) -> str:
        if self.old is None:
            return "added"
        if self.new is None:
            return "removed"
        same = (self.old.title, self.old.body) == (self.new.title, self.new.body)
        return "unchanged" if same else "changed"

    @property
    def label(self) -> str:
        return LABELS[self.change]

    @property
    def section_title(self) -> str:
        """The title in the newer version, or in the older one for a removed section."""
        return (self.new or self.old).title

    @cached_property
    def title(self) -> WordDiff:
        return word_diff(self.old.title if self.old else "", self.new.title if self.new else "")

    @cached_property
    def body(self) -> WordDiff:
        return word_diff(self.old.body if self.old else "", self.new.body if self.new else "")


def compare_versions(old_id: int, new_id: int) -> list[SectionChange]:
    """Section by section (matched by key), in the newer version's order; removed
    sections follow. The sections of both versions in one query."""
    old, new = {}, {}
    for section in AgreementSection.objects.filter(version__in=[old_id, new_id]):
        if section.version_id == old_id:
            old[section.key] = section
        if section.version_id == new_id:
            new[section.key] = section
    rows = [SectionChange(key, old.get(key), section) for key, section in new.items()]
    rows += [SectionChange(key, section, None) for key, section in old.items() if key not in new]
    return rows
