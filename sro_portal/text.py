"""Text that people write and read: Markdown made safe, a word-level comparison of
two texts, CSV cells a spreadsheet will not run, and whether a typed name is a
person's own. One pipeline below every app: the role agreement and the staff
guidelines show their texts, and their changes, the same way.

A page that shows many texts (an agreement's sections, a comparison of two
versions) reads their HTML and word diffs from Django's cache with one
`cache.get_many` (`render_markdown_many`, `word_diffs`). A kept value is keyed by
the SHA-256 of the text(s) it is made from and by this pipeline's fingerprint, so
it can never be stale: an edited text has a new key, and so does every text once
this module or the Markdown and nh3 libraries change."""

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from importlib.metadata import version
from pathlib import Path

import markdown
import nh3
from django.core.cache import cache
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# What a text may keep, whoever wrote it: no scripts, styles, images, event
# handlers or `javascript:` links. (No <h1>: that is the page's own heading.)
ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "blockquote", "code", "pre",
    "h2", "h3", "h4", "h5", "h6", "a", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}}
URL_SCHEMES = {"http", "https", "mailto"}

_HEADING = re.compile(r"<(/?)h([1-6])\b")


def render_markdown(text: str, *, top_heading: int = 2) -> SafeString:
    """Markdown (with lists and tables) to HTML, then sanitized. A heading above
    `top_heading` becomes an `<h{top_heading}>`, so that the text's headings sit
    under the page's own: a guideline's under the page's <h1>, an agreement
    section's under the section's title."""
    return mark_safe(_sanitized_html(text, top_heading))  # noqa: S308 - sanitized by nh3


def _sanitized_html(text: str, top_heading: int) -> str:
    try:
        html = markdown.markdown(tame(text or ""), extensions=["sane_lists", "tables"])
    except RecursionError:  # nesting `tame` did not foresee: the words, without markup
        html = "".join(_as_plain_text(p) for p in _PARAGRAPHS.split(text)[::2] if p.strip())
    html = _HEADING.sub(lambda m: f"<{m[1]}h{max(int(m[2]), top_heading)}", html)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


# Python-Markdown takes time quadratic in the length of a paragraph for some input
# (thousands of `[` or `<a `, thousands of lines of `-` or `=`) and recurses once a
# level for nested list or quote markers on one line (`- - - - ...`): a section of
# 20,000 `[` took minutes to render, and the agreement page then timed out for
# everyone. A paragraph that looks like that is shown as its plain words instead.
# The figures are far above what a person writes in one paragraph.
MAX_OPENERS_PER_PARAGRAPH = 200  # `[` and `<`
MAX_MARKER_LINES_PER_PARAGRAPH = 500  # lines that start with markup: -, =, *, >, #...
_PARAGRAPHS = re.compile(r"(\n[ \t\r]*\n)")
_MARKER_LINE = re.compile(r"^[ \t]*[-=*_+>#|]", re.MULTILINE)
_DEEP_NESTING = re.compile(r"^[ \t]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+|>[ \t]*){8}", re.MULTILINE)


def tame(text: str) -> str:
    """The text, with each paragraph that would make Markdown slow shown as plain
    text: a paragraph of escaped HTML, which Markdown passes through as it is."""
    pieces = _PARAGRAPHS.split(text)
    for index in range(0, len(pieces), 2):  # odd indexes are the blank lines between
        paragraph = pieces[index]
        if (
            paragraph.count("[") + paragraph.count("<") > MAX_OPENERS_PER_PARAGRAPH
            or len(_MARKER_LINE.findall(paragraph)) > MAX_MARKER_LINES_PER_PARAGRAPH
            or _DEEP_NESTING.search(paragraph)
        ):
            pieces[index] = _as_plain_text(paragraph)
    return "".join(pieces)


def _as_plain_text(text: str) -> str:
    # A block of raw HTML, which Markdown passes through untouched (nh3 still cleans it).
    return f"<p>{escape(text.strip())}</p>"


# Kept values never go stale (see the module's docstring): the bound only lets
# the texts nobody reads any more leave the cache.
KEPT_FOR = 7 * 24 * 60 * 60  # seconds

_PIPELINE = hashlib.sha256(
    b"".join([Path(__file__).read_bytes(), version("markdown").encode(), version("nh3").encode()])
).hexdigest()[:16]


def _key(kind: str, *texts: str) -> str:
    digest = hashlib.sha256()
    for text in texts:
        data = text.encode()
        digest.update(len(data).to_bytes(8, "big") + data)
    return f"text:{kind}:{_PIPELINE}:{digest.hexdigest()}"


def _through_cache(keyed: list[tuple[str, object]], make: Callable) -> list:
    """For each (key, argument): the value kept under the key, or `make(argument)`
    where the cache lacks it (then kept). One cache read; one write if anything
    was missing."""
    kept = cache.get_many([key for key, _ in keyed])
    made = {}
    for key, argument in keyed:
        if key not in kept and key not in made:
            made[key] = make(argument)
    if made:
        cache.set_many(made, KEPT_FOR)
    return [kept[key] if key in kept else made[key] for key, _ in keyed]


def render_markdown_many(texts: Iterable[str], *, top_heading: int = 2) -> list[SafeString]:
    """`render_markdown` of each text, in order, through the cache."""
    keyed = [(_key(f"markdown-h{top_heading}", text or ""), text) for text in texts]
    html = _through_cache(keyed, lambda text: _sanitized_html(text, top_heading))
    return [mark_safe(value) for value in html]  # noqa: S308 - kept only once sanitized


@dataclass(frozen=True)
class Piece:
    """A run of the old text and the run of the new text in its place: the same
    text where nothing changed; otherwise what was removed (`old`, maybe empty)
    and what was added (`new`, maybe empty)."""

    old: str
    new: str

    @property
    def same(self) -> bool:
        return self.old == self.new


@dataclass(frozen=True)
class WordDiff:
    """Two texts compared word by word. Templates show it side by side (the old
    text with removed words in <del>, the new with added words in <ins>:
    `onboarding/agreements/_word_diff.html`) or inline (the guideline page)."""

    old_text: str
    new_text: str
    pieces: tuple[Piece, ...]

    @property
    def changed(self) -> bool:
        """Whether any word changed (a change of spacing alone is not one)."""
        return self.old_text.split() != self.new_text.split()


_TOKENS = re.compile(r"\s+|\S+")


def word_diff(old: str, new: str) -> WordDiff:
    """The pieces of `old` and `new`, words and the spaces between them, in order.
    A lone space between two changes joins them, so that a rewritten phrase reads
    as one removal and one addition rather than word by word."""
    old, new = old or "", new or ""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    opcodes = _opcodes(a, b)
    spans: list[list] = []  # [changed, i1, i2, j1, j2]
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        follows_change = bool(spans) and spans[-1][0]
        space_between_changes = (
            tag == "equal"
            and "".join(a[i1:i2]).isspace()
            and index + 1 < len(opcodes)
            and opcodes[index + 1][0] != "equal"
        )
        if follows_change and (tag != "equal" or space_between_changes):
            spans[-1][2], spans[-1][4] = i2, j2
        else:
            spans.append([tag != "equal", i1, i2, j1, j2])
    pieces = tuple(Piece("".join(a[i1:i2]), "".join(b[j1:j2])) for _, i1, i2, j1, j2 in spans)
    return WordDiff(old, new, pieces)


# SequenceMatcher takes time that grows with the product of the two lengths, and far
# worse on repetitive text: two sections of 20,000 characters took a minute. Beyond
# this product, the changed middle (what is left once the common beginning and end
# are set aside) is compared line by line, and beyond it again shown as one change.
MAX_COMPARED = 1_000_000
_LINES = re.compile(r"[^\n]*\n|[^\n]+")


def _opcodes(a: list[str], b: list[str]) -> list[tuple]:
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(len(a), len(b)) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    middle_a, middle_b = a[start : len(a) - end], b[start : len(b) - end]
    if len(middle_a) * len(middle_b) <= MAX_COMPARED:
        middle = SequenceMatcher(None, middle_a, middle_b, autojunk=False).get_opcodes()
    else:
        middle = _line_opcodes(middle_a, middle_b)
    opcodes = [("equal", 0, start, 0, start)] if start else []
    opcodes += [
        (tag, i1 + start, i2 + start, j1 + start, j2 + start) for tag, i1, i2, j1, j2 in middle
    ]
    if end:
        opcodes.append(("equal", len(a) - end, len(a), len(b) - end, len(b)))
    return opcodes


def _line_opcodes(a: list[str], b: list[str]) -> list[tuple]:
    """Opcodes over the tokens, from a comparison of whole lines."""
    lines_a, lines_b = _LINES.findall("".join(a)), _LINES.findall("".join(b))
    if len(lines_a) * len(lines_b) > MAX_COMPARED:
        return [("replace", 0, len(a), 0, len(b))]
    # Where each line starts, counted in tokens (a line break ends its token).
    starts_a, starts_b = _line_starts(lines_a), _line_starts(lines_b)
    matcher = SequenceMatcher(None, lines_a, lines_b, autojunk=False)
    return [
        (tag, starts_a[i1], starts_a[i2], starts_b[j1], starts_b[j2])
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
    ]


def _line_starts(lines: list[str]) -> list[int]:
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(_TOKENS.findall(line)))
    return starts


def word_diffs(pairs: Iterable[tuple[str, str]]) -> list[WordDiff]:
    """`word_diff(old, new)` of each pair, in order, through the cache (which keeps
    each diff's pieces as pairs of strings)."""
    pairs = [(old or "", new or "") for old, new in pairs]

    def pieces(pair: tuple[str, str]) -> tuple[tuple[str, str], ...]:
        return tuple((piece.old, piece.new) for piece in word_diff(*pair).pieces)

    kept = _through_cache([(_key("word-diff", *pair), pair) for pair in pairs], pieces)
    return [
        WordDiff(old, new, tuple(Piece(*piece) for piece in kept_pieces))
        for (old, new), kept_pieces in zip(pairs, kept, strict=True)
    ]


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """A CSV cell a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def names_match(typed: str, full_name: str) -> bool:
    """The typed name is the person's full name, ignoring case and extra spaces.
    An empty name matches nothing."""
    return " ".join(typed.split()).casefold() == " ".join(full_name.split()).casefold() != ""
