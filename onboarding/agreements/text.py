"""Showing agreement text safely: Markdown through a sanitizer, and word-level
comparison of two versions."""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

import markdown
import nh3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Section bodies sit under the page's own h1/h2, so their headings start at h3.
ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "blockquote", "code", "pre",
    "h3", "h4", "h5", "h6", "a", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}}


# Agreement pages show the same section texts on every visit (a signed version never
# changes), and Markdown plus the sanitizer, or the word diff, are the costliest part of
# those pages. Both depend on their arguments alone, so a memo in each process is
# correct on any number of servers: a changed text is a new key, never a stale entry.
# Only texts of a usual size are kept (a section is a few hundred characters), so that
# the memo stays bounded (1,024 entries of at most 10,000 characters each) whatever
# people paste into a preview.
MEMO_MAX_CHARS = 10_000


def render_markdown(text: str) -> SafeString:
    """Markdown to HTML with only harmless tags and link schemes left."""
    if text and len(text) > MEMO_MAX_CHARS:
        return _render_markdown(text)
    return _render_markdown_memo(text)


@lru_cache(maxsize=1024)
def _render_markdown_memo(text: str) -> SafeString:
    return _render_markdown(text)


def _render_markdown(text: str) -> SafeString:
    html = markdown.markdown(text or "", extensions=["sane_lists", "tables"])
    html = re.sub(r"<(/?)h[12]\b", r"<\1h3", html)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
    )
    return mark_safe(clean)  # noqa: S308 - sanitized by nh3 just above


_TOKENS = re.compile(r"\s+|[^\s]+")


def word_diff(old: str, new: str) -> tuple[SafeString, SafeString]:
    """Both texts, escaped, with deleted words in <del> on the old side and
    inserted words in <ins> on the new side."""
    if len(old or "") + len(new or "") > MEMO_MAX_CHARS:
        return _word_diff(old, new)
    return _word_diff_memo(old, new)


@lru_cache(maxsize=1024)
def _word_diff_memo(old: str, new: str) -> tuple[SafeString, SafeString]:
    return _word_diff(old, new)


def _word_diff(old: str, new: str) -> tuple[SafeString, SafeString]:
    a, b = _TOKENS.findall(old or ""), _TOKENS.findall(new or "")
    left, right = [], []
    for tag, i1, i2, j1, j2 in _merged(SequenceMatcher(None, a, b, autojunk=False), a):
        old_part, new_part = escape("".join(a[i1:i2])), escape("".join(b[j1:j2]))
        if tag == "equal":
            left.append(old_part)
            right.append(new_part)
            continue
        if old_part:
            left.append(f"<del>{old_part}</del>")
        if new_part:
            right.append(f"<ins>{new_part}</ins>")
    return mark_safe("".join(left)), mark_safe("".join(right))  # noqa: S308 - escaped


def _merged(matcher: SequenceMatcher, a: list[str]) -> list[list]:
    """The matcher's opcodes, with a lone space between two changes folded into
    one change, so that a rewritten phrase reads as one deletion and one insertion."""
    ops = matcher.get_opcodes()
    merged: list[list] = []
    for index, (tag, i1, i2, j1, j2) in enumerate(ops):
        follows_change = bool(merged) and merged[-1][0] != "equal"
        space_between_changes = (
            tag == "equal"
            and "".join(a[i1:i2]).isspace()
            and index + 1 < len(ops)
            and ops[index + 1][0] != "equal"
        )
        if follows_change and (tag != "equal" or space_between_changes):
            merged[-1] = ["replace", merged[-1][1], i2, merged[-1][3], j2]
        else:
            merged.append([tag, i1, i2, j1, j2])
    return merged


@dataclass
class SectionChange:
    key: str
    change: str  # "added", "removed", "changed" or "unchanged"
    old_title: SafeString
    new_title: SafeString
    old_body: SafeString
    new_body: SafeString

    @property
    def label(self) -> str:
        return {
            "added": "Added",
            "removed": "Removed",
            "changed": "Changed",
            "unchanged": "Unchanged",
        }[self.change]


def compare_sections(old_sections, new_sections) -> list[SectionChange]:
    """Section by section (matched by key), in the newer version's order; removed
    sections follow."""
    old_by_key = {s.key: s for s in old_sections}
    new_keys = {s.key for s in new_sections}
    rows = []
    for section in new_sections:
        before = old_by_key.get(section.key)
        if before is None:
            _, title = word_diff("", section.title)
            _, body = word_diff("", section.body)
            rows.append(SectionChange(section.key, "added", escape(""), title, escape(""), body))
            continue
        old_title, new_title = word_diff(before.title, section.title)
        old_body, new_body = word_diff(before.body, section.body)
        same = (before.title, before.body) == (section.title, section.body)
        rows.append(
            SectionChange(
                section.key,
                "unchanged" if same else "changed",
                old_title,
                new_title,
                old_body,
                new_body,
            )
        )
    for section in old_sections:
        if section.key not in new_keys:
            title, _ = word_diff(section.title, "")
            body, _ = word_diff(section.body, "")
            rows.append(SectionChange(section.key, "removed", title, escape(""), body, escape("")))
    return rows
