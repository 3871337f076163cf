"""Turning a guideline's text into safe HTML, and showing what changed between versions."""

import difflib
import re

import markdown as markdown_lib
import nh3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "blockquote", "code", "pre",
    "h2", "h3", "h4", "h5", "h6", "a", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}}


def render_markdown(text: str) -> SafeString:
    """Markdown to HTML, then sanitized: no scripts, styles, event handlers or
    `javascript:` links survive, whoever wrote the text. A `#` heading becomes an
    `<h2>`, since the page already has its `<h1>`."""
    html = markdown_lib.markdown(text or "", extensions=["sane_lists"])
    html = re.sub(r"<(/?)h1>", r"<\1h2>", html)
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return mark_safe(cleaned)  # noqa: S308 - sanitized by nh3 just above


_TOKEN = re.compile(r"\s+|[^\s]+")


def word_diff(old: str, new: str) -> SafeString:
    """A word-level diff of two texts as HTML: removed words in <del>, added words in
    <ins>, each announced to screen readers; every piece of text is escaped."""
    a = _TOKEN.findall(old or "")
    b = _TOKEN.findall(new or "")
    out = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(escape("".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            out.append(
                '<del><span class="visually-hidden">[removed: </span>'
                f'{escape("".join(a[i1:i2]))}<span class="visually-hidden">]</span></del>'
            )
        if op in ("insert", "replace"):
            out.append(
                '<ins><span class="visually-hidden">[added: </span>'
                f'{escape("".join(b[j1:j2]))}<span class="visually-hidden">]</span></ins>'
            )
    return mark_safe("".join(out))  # noqa: S308 - every piece escaped above


def has_changes(old: str, new: str) -> bool:
    return (old or "").split() != (new or "").split()


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """A CSV cell a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def names_match(typed: str, full_name: str) -> bool:
    """The typed name is the person's full name, ignoring case and extra spaces."""
    return " ".join(typed.split()).casefold() == " ".join(full_name.split()).casefold() != ""
